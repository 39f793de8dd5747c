// Logs an operator can read: one line per request at info (method, URL without tokens, status,
// time, cache miss), none at info for answers from the page cache; pretty lines on a terminal,
// JSON lines otherwise. And /healthz for a reverse proxy or a monitor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { loggerOptions } from '../../src/lib/logger.ts';
import { buildTestApp, createTestDb, testConfig, TEST_NOW } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { startServer } from '../helpers/browser.ts';

const appWithLog = async (t: Parameters<typeof createTestDb>[0], pretty: boolean) => {
  const db = await createTestDb(t);
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const logger = pretty ? await loggerOptions({ level: 'info', pretty: true, destination: out }) : { ...((await loggerOptions({ level: 'info', pretty: false })) as object), stream: out };
  const app = await buildApp({ config: testConfig(db.dataDir), db: db.db, clock: fixedClock(TEST_NOW), logger });
  t.after(() => app.close());
  return { app, lines: () => text.split('\n').filter(Boolean) };
};

test('one JSON line per request at info, with method, masked URL, status, time and cache miss; a cache hit writes none', async (t) => {
  const { app, lines } = await appWithLog(t, false);
  const office = await createOffice(app.services, { slug: 'amt' });
  await createRelease(app.services, office.id, { title: 'Erste' });

  assert.equal((await app.inject('/offices/amt')).statusCode, 200);
  assert.equal((await app.inject('/offices/amt')).statusCode, 200); // from the page cache
  assert.equal((await app.inject('/set-password/geheimes-token-1234567890')).statusCode, 404);
  assert.equal((await app.inject('/gibt-es-nicht')).statusCode, 404);

  const parsed = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  const requests = parsed.filter((l) => l.msg === 'request');
  assert.deepEqual(requests.map((l) => [l.method, l.url, l.status, l.cache]), [
    ['GET', '/offices/amt', 200, 'miss'],
    ['GET', '/set-password/[redacted]', 404, undefined],
    ['GET', '/gibt-es-nicht', 404, undefined],
  ]);
  for (const l of requests) assert.equal(typeof l.ms, 'number');
  assert.equal(parsed.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed').length, 0, 'Fastify’s own two lines are off');
  assert.ok(!lines().join('\n').includes('geheimes-token'));
});

test('on a terminal the lines are pretty: time, level and "GET /path 200 n ms" on one line', async (t) => {
  const { app, lines } = await appWithLog(t, true);
  assert.equal((await app.inject('/offices')).statusCode, 200);
  const line = lines().find((l) => l.includes('GET /offices'));
  assert.ok(line, lines().join('\n'));
  assert.match(line, /^\[\d\d:\d\d:\d\d\] INFO.*: GET \/offices 200 [\d.]+ ms \(cache miss\)$/);
  assert.throws(() => JSON.parse(line));
});

test('a directory of topics or regions asked with a query string is served from the same cache entry', async (t) => {
  const { app, lines } = await appWithLog(t, false);
  for (const url of ['/topics', '/topics?page=2', '/regions?x=1', '/regions']) assert.equal((await app.inject(url)).statusCode, 200, url);
  const requests = lines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
  // One render each; the other two answers come from the page cache (and a hit writes no line).
  assert.deepEqual(requests.map((l) => [l.url, l.cache]), [['/topics', 'miss'], ['/regions?x=1', 'miss']]);
});

test('/healthz: database, pending mail and the last job run as JSON, not cached; 503 when the database is gone', async (t) => {
  const { app, db } = await buildTestApp(t);
  const first = await app.inject('/healthz');
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers['cache-control'], 'no-store');
  assert.match(String(first.headers['content-type']), /^application\/json/);
  assert.deepEqual(first.json(), { status: 'ok', database: 'ok', pendingMail: 0, lastJobRun: null, failingJobs: [] });

  await db.db.insertInto('mail_outbox').values({ kind: 'digest', status: 'queued', next_attempt_at: TEST_NOW, created_at: TEST_NOW }).execute();
  app.services.jobRuns.record({ job: 'send-mail', at: TEST_NOW, ok: false });
  app.services.jobRuns.record({ job: 'wal-checkpoint', at: TEST_NOW, ok: true });
  // Polled often: never rate limited, always answered anew.
  for (let i = 0; i < 150; i++) assert.equal((await app.inject('/healthz')).statusCode, 200);
  const second = (await app.inject('/healthz')).json();
  assert.equal(second.pendingMail, 1);
  assert.deepEqual(second.lastJobRun, { job: 'wal-checkpoint', at: TEST_NOW, ok: true });
  assert.deepEqual(second.failingJobs, [{ job: 'send-mail', at: TEST_NOW }]);

  // The database gone: SQLite's file handle closed, or PostgreSQL's pool ended.
  if (db.sqlite) db.sqlite.close();
  else await db.db.destroy();
  const down = await app.inject('/healthz');
  assert.equal(down.statusCode, 503);
  assert.deepEqual({ status: down.json().status, database: down.json().database }, { status: 'error', database: 'unreachable' });
});

test('the real server writes JSON lines when stdout is not a terminal, and its scheduler shows in /healthz', { timeout: 60_000 }, async (t) => {
  const server = await startServer(t, { LOG_LEVEL: 'info', DEMO: '0' });
  assert.equal((await fetch(`${server.url}/offices`)).status, 200);
  assert.equal((await fetch(`${server.url}/offices`)).status, 200);
  // The scheduler runs its jobs at start: the health answer names one.
  let health: { lastJobRun: { job: string } | null } = { lastJobRun: null };
  for (let i = 0; i < 50 && !health.lastJobRun; i++) {
    health = (await (await fetch(`${server.url}/healthz`)).json()) as typeof health;
    if (!health.lastJobRun) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(health.lastJobRun, 'a job ran');
  const lines = server.output().split('\n').filter(Boolean);
  assert.ok(lines.length > 3);
  for (const line of lines) assert.ok(line.startsWith('{'), `not a JSON line: ${line}`);
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(parsed.filter((l) => l.msg === 'request' && l.url === '/offices').length, 1, 'one line for two requests, the second a cache hit');
  assert.equal(parsed.filter((l) => l.url === '/healthz').length, 0, 'health checks are not logged at info');
});
