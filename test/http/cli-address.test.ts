// The CLI knows the server's address: with PUBLIC_URL set only for the server (or not at all), the
// links `herold user add` and `herold import` print are the server's, because the server records
// its address in the data folder when it starts. Every printed link opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as cheerio from 'cheerio';
import { loadConfig } from '../../src/config.ts';
import { recordServerAddress } from '../../src/lib/server-address.ts';
import { cliEnvOf, startServer } from '../helpers/browser.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs bin/herold.js with nothing of the server's configuration but the data folder (and its database on PostgreSQL). */
const herold = (server: { env: Record<string, string>; dataDir: string }, ...args: string[]) => {
  const env = cliEnvOf(server);
  return run(process.execPath, [path.join(ROOT, 'bin/herold.js'), ...args], { env, cwd: ROOT });
};

test('a server on a non-default port without PUBLIC_URL: the links of user add and import open', { timeout: 90_000 }, async (t) => {
  const server = await startServer(t, { PUBLIC_URL: '', DEMO: '0', LOG_LEVEL: 'warn' });
  assert.notEqual(new URL(server.url).port, '3000');

  const added = await herold(server, 'user', 'add', '--email', 'root@example.org', '--role', 'admin');
  const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(added.stdout)?.[1];
  assert.ok(link, added.stdout);
  assert.ok(link.startsWith(`${server.url}/set-password/`), `${link} is on ${server.url}`);
  assert.equal(added.stderr, '', 'no warning: the address is known');
  const page = await fetch(link);
  assert.equal(page.status, 200);
  const $ = cheerio.load(await page.text());
  assert.equal($('input[name="password"]').length, 1);

  const imported = await herold(server, 'import', '--office', 'landkreis-hohenwald', '--status', 'published', path.join(ROOT, 'test/fixtures/import/landkreis-mit-fax.txt'));
  const releaseLink = /(http:\/\/\S+\/releases\/\S+)/.exec(imported.stdout)?.[1];
  assert.ok(releaseLink?.startsWith(`${server.url}/releases/`), imported.stdout);
  const release = await fetch(releaseLink!);
  assert.equal(release.status, 200);
  assert.equal(cheerio.load(await release.text())('h1').length, 1);
});

test('which address the CLI uses: PUBLIC_URL, else HOST and PORT, else the recorded one, else the default with a warning', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'herold-address-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const cli = { useRecordedAddress: true };
  assert.deepEqual(pick(loadConfig({ DATA_DIR: dataDir }, cli)), ['http://127.0.0.1:3000', 'default']);
  recordServerAddress(dataDir, { url: 'http://127.0.0.1:4711', pid: 1, startedAt: '2026-03-10T10:00:00Z' });
  assert.deepEqual(pick(loadConfig({ DATA_DIR: dataDir }, cli)), ['http://127.0.0.1:4711', 'recorded']);
  assert.deepEqual(pick(loadConfig({ DATA_DIR: dataDir, PORT: '8080' }, cli)), ['http://127.0.0.1:8080', 'HOST/PORT']);
  assert.deepEqual(pick(loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://presse.example' }, cli)), ['https://presse.example', 'PUBLIC_URL']);
  // The server itself never reads the record: its own configuration decides.
  assert.deepEqual(pick(loadConfig({ DATA_DIR: dataDir })), ['http://127.0.0.1:3000', 'default']);

  const fresh = mkdtempSync(path.join(tmpdir(), 'herold-address-'));
  t.after(() => rm(fresh, { recursive: true, force: true }));
  // A data folder no server has run on (its own SQLite file).
  const folder = { env: {}, dataDir: fresh };
  await herold(folder, 'migrate');
  const added = await herold(folder, 'user', 'add', '--email', 'a@example.org', '--role', 'admin');
  assert.match(added.stderr, /no server has run on .* yet and PUBLIC_URL is not set; links assume http:\/\/127\.0\.0\.1:3000/);
  assert.match(added.stdout, /http:\/\/127\.0\.0\.1:3000\/set-password\//);
});

const pick = (c: { publicUrl: string; publicUrlSource: string }) => [c.publicUrl, c.publicUrlSource];
