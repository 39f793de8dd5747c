import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, defaultSearchWorkers, loadConfig } from '../../src/config.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'herold-config-'));

test('defaults give a working laptop setup', () => {
  const dataDir = dir();
  const config = loadConfig({ DATA_DIR: dataDir });
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
  assert.equal(config.lang, 'de');
  assert.equal(config.timeZone, 'Europe/Berlin');
  assert.equal(config.demo, true);
  assert.ok(config.sessionSecret.length >= 32);
  // The generated secret is kept, so sessions survive a restart.
  assert.equal(readFileSync(path.join(dataDir, 'session-secret'), 'utf8'), config.sessionSecret);
  assert.equal(loadConfig({ DATA_DIR: dataDir }).sessionSecret, config.sessionSecret);
  assert.ok(Object.isFrozen(config));
});

test('a session-secret file cut short by a crash is written anew, never used', () => {
  const dataDir = dir();
  writeFileSync(path.join(dataDir, 'session-secret'), '');
  const config = loadConfig({ DATA_DIR: dataDir });
  assert.ok(config.sessionSecret.length >= 32);
  assert.equal(readFileSync(path.join(dataDir, 'session-secret'), 'utf8'), config.sessionSecret);
});

test('every bad value is reported at once, by name', () => {
  assert.throws(
    () => loadConfig({ DATA_DIR: dir(), PORT: 'abc', PUBLIC_URL: 'ftp://x', LANG: 'fr', LOG_LEVEL: 'loud', DEMO: 'maybe', SESSION_SECRET: 'short', TIME_ZONE: 'Mars/Base' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const name of ['PORT', 'PUBLIC_URL', 'LANG', 'LOG_LEVEL', 'DEMO', 'SESSION_SECRET', 'TIME_ZONE']) assert.match(text, new RegExp(name));
      return true;
    },
  );
});

test('LANG accepts de/en and ignores POSIX locales; secrets can come from files', () => {
  assert.equal(loadConfig({ DATA_DIR: dir(), LANG: 'en' }).lang, 'en');
  assert.equal(loadConfig({ DATA_DIR: dir(), LANG: 'en_US.UTF-8' }).lang, 'de');
  assert.equal(loadConfig({ DATA_DIR: dir(), LANG: 'C.UTF-8' }).lang, 'de');
  const file = path.join(dir(), 'secret');
  writeFileSync(file, 'x'.repeat(40) + '\n');
  assert.equal(loadConfig({ DATA_DIR: dir(), SESSION_SECRET_FILE: file }).sessionSecret, 'x'.repeat(40));
  assert.equal(loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://presse.example/' }).publicUrl, 'https://presse.example');
});

test('IMPRINT_URL and PRIVACY_URL: absolute http(s) addresses, or unset', () => {
  const config = loadConfig({ DATA_DIR: dir(), IMPRINT_URL: 'https://amt.example/impressum', PRIVACY_URL: 'https://amt.example/datenschutz' });
  assert.deepEqual([config.imprintUrl, config.privacyUrl], ['https://amt.example/impressum', 'https://amt.example/datenschutz']);
  assert.deepEqual([loadConfig({ DATA_DIR: dir() }).imprintUrl, loadConfig({ DATA_DIR: dir() }).privacyUrl], [null, null]);
  assert.throws(
    () => loadConfig({ DATA_DIR: dir(), IMPRINT_URL: '/impressum', PRIVACY_URL: 'javascript:alert(1)' }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('IMPRINT_URL:')) && error.problems.some((p) => p.startsWith('PRIVACY_URL:')),
  );
});

test('without SEARCH_WORKERS, searches get the cores the request handling leaves, two threads at most', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map(defaultSearchWorkers), [0, 1, 2, 2, 2]);
  assert.equal(loadConfig({ DATA_DIR: '/tmp/x', SEARCH_WORKERS: '3' }).searchWorkers, 3);
});
