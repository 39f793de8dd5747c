// A backup while the site is being written to (an editor publishing, readers signing up, the sender
// recording mail), then a restore into a new folder as docs/deploy.md does it: the database, the
// media and the session secret. On SQLite the backup is `herold backup` and the restore a copy of
// its file; on PostgreSQL (where `herold backup` refuses) it is `pg_dump --format=custom` and
// `pg_restore` into a new, empty database, as docs/deploy.md says. The restored site is a
// consistent moment of the original: every row up to that moment and none after, the same pages and
// feeds, a whole search index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { generate } from '../../bench/generate.ts';
import { postgresCopyOf } from '../../bench/postgres.ts';
import { databaseFile, withPostgresClient } from '../../src/db/connect.ts';
import { createUser } from '../helpers/admin.ts';
import { createPostgresDatabase, ON_POSTGRES, TEST_POSTGRES_URL } from '../helpers/app.ts';
import { PASSWORD, submitForm } from '../helpers/forms.ts';
import { httpBrowser, httpInject } from '../helpers/real-http.ts';
import { faultPlan, runHerold, serverProcess, waitFor } from '../helpers/processes.ts';
import { assertDatabaseWhole, databaseEnv, rows, tempDataDir, withServices, type Place } from './fixture.ts';

/** Tables the load only adds to (and publishes the draft it has just written): a consistent copy holds a prefix of each. */
const INSERT_ONLY = ['offices', 'contacts', 'topics', 'regions', 'users', 'releases', 'release_photos', 'release_topics', 'release_regions', 'release_revisions', 'subscription_requests', 'audit_events'];

/**
 * PostgreSQL has no rowid: rows are in the order of their id (one writer at a time in this test, so
 * the order they were written in), and the two tables without one, which the load does not write,
 * in the order of their key.
 */
const POSTGRES_ORDER: Record<string, string> = { release_topics: 'release_id, topic_id', release_regions: 'release_id, region_id' };

const rowsOf = (place: Place, table: string) =>
  rows(
    place,
    sql<{ _rowid: number } & Record<string, unknown>>`SELECT ${place.databaseUrl ? sql.raw(table in POSTGRES_ORDER ? `row_number() over (order by ${POSTGRES_ORDER[table]})` : 'id') : sql`rowid`} AS _rowid, * FROM ${sql.table(table)} ORDER BY 1`,
  );

/** A PostgreSQL tool of the newest installed version (as .ci/run finds PG_BIN), or the one on the PATH. */
const postgresTool = (name: string): string => {
  try {
    const newest = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1);
    if (newest) return path.join('/usr/lib/postgresql', newest, 'bin', name);
  } catch {}
  return name;
};

/** A command as its own process; resolves when it ends. */
const run = (command: string, args: string[]) => {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
};

/**
 * The generated data on the database the tier runs on: on PostgreSQL a copy in a database of its
 * own (bench/postgres.ts), dropped after the test, and the SQLite file removed from the folder, so
 * nothing can read it by mistake.
 */
const placeOf = async (t: TestContext, dataDir: string): Promise<Place> => {
  if (!ON_POSTGRES) return { dataDir };
  const databaseUrl = await postgresCopyOf(dataDir, TEST_POSTGRES_URL!, () => {});
  t.after(() => withPostgresClient(TEST_POSTGRES_URL!, (client) => client.query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`)));
  for (const suffix of ['', '-wal', '-shm']) await rm(`${databaseFile(dataDir)}${suffix}`, { force: true });
  return { dataDir, databaseUrl };
};

/** The nightly backup of docs/deploy.md, of the database only (the files are a tar beside it). */
const backUp = (place: Place, backupDir: string) =>
  place.databaseUrl
    ? run(postgresTool('pg_dump'), ['--format=custom', `--file=${path.join(backupDir, 'herold.dump')}`, place.databaseUrl])
    : runHerold(['backup', path.join(backupDir, 'herold.sqlite')], { DATA_DIR: place.dataDir });

/** The restore drill's database: the copied file, or a new database the dump is restored into. */
const restoreInto = async (t: TestContext, restoredDir: string, backupDir: string): Promise<Place> => {
  if (!ON_POSTGRES) {
    await cp(path.join(backupDir, 'herold.sqlite'), databaseFile(restoredDir));
    return { dataDir: restoredDir };
  }
  // A new, empty database: --clean over a migrated one fails, as it cannot drop the keys of
  // release_search's partitions (its default partition is in every migrated database).
  const databaseUrl = await createPostgresDatabase(t, { empty: true });
  const restore = await run(postgresTool('pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${databaseUrl}`, path.join(backupDir, 'herold.dump')]).done;
  assert.equal(restore.code, 0, restore.stderr);
  return { dataDir: restoredDir, databaseUrl };
};

/** The page's bytes, without what differs per answer (CSP nonces, CSRF tokens). */
const pageOf = async (base: string, path: string) => {
  const res = await fetch(`${base}${path}`, { headers: { 'accept-language': 'de' } });
  const body = await res.text();
  return { status: res.status, body: body.replace(/nonce="[^"]*"/g, 'nonce').replace(/name="_csrf" value="[^"]*"/g, 'csrf') };
};

type Page = Awaited<ReturnType<typeof pageOf>>;
const withoutMoreFromOffice = (html: string): string => html.replace(/<section class="more-from-office"[\s\S]*?<\/section>/, '');

test(`${ON_POSTGRES ? 'pg_dump' : 'herold backup'} under write load, restored into a new folder: the same site at one moment`, { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const dataDir = await tempDataDir(t, 'backup');
  await generate({ dir: dataDir, offices: 4, releases: plan.full ? 20_000 : 3_000, force: true });
  const original = await placeOf(t, dataDir);
  const offices = await withServices(original, async (services, db) => {
    const offices = await db.selectFrom('offices').select(['id', 'slug']).orderBy('id').execute();
    await createUser(services, { email: 'redaktion@last.example', officeId: offices[0]!.id, role: 'owner' });
    // No scheduled release falls due during the test: the scheduler would change its row after the
    // backup, which is the original moving on, not the copy being wrong.
    await sql`UPDATE releases SET published_at = ${new Date(Date.now() + 30 * 24 * 60 * 60_000).toISOString()} WHERE status = 'scheduled'`.execute(db);
    return offices;
  });
  const loadOffice = offices[0]!;

  const server = await serverProcess(dataDir, { ...databaseEnv(original), TRUST_PROXY: '1' });
  t.after(() => server.stop());
  await server.start();
  const editor = httpBrowser(server.url);
  await editor.login('redaktion@last.example', PASSWORD);
  const visitor = { inject: httpInject(server.url) } as unknown as FastifyInstance;

  // The load: publishing and signing up without a pause until told to stop.
  let writing = true;
  let writes = 0;
  const base = `/admin/offices/${loadOffice.slug}/releases`;
  const load = (async () => {
    for (let i = 0; writing; i++) {
      const created = await editor.submitForm(`${base}/new`, '#release-form', { title: `Unter Last ${i}: Neue Radwege`, releaseDate: '2026-03-10', dateline: 'Musterstadt', bodyMarkdown: `Meldung ${i} unter Last. Der Kreis baut Radwege.` });
      assert.equal(created.statusCode, 303);
      const id = /\/releases\/(\d+)$/.exec(String(created.headers.location))![1];
      assert.equal((await editor.submitForm(`${base}/${id}`, `form[action="${base}/${id}/publish"]`)).statusCode, 303);
      const { res } = await submitForm(visitor, '/subscribe', 'form.subscribe-form', { email: `last${i}@leser.example`, office: loadOffice.slug, frequency: 'immediately' }, { 'x-forwarded-for': `10.0.${Math.floor(i / 200)}.${i % 200}` });
      assert.equal(res.statusCode, 303);
      writes += 3;
    }
  })();
  await waitFor('the load to be under way', () => writes >= 6, 60_000);

  // The backup, as the nightly timer of docs/deploy.md takes it: the database, then the files.
  const backupDir = await tempDataDir(t, 'backup-files');
  const started = Date.now();
  const backupRun = backUp(original, backupDir);
  // Liveness, not speed: a copy that starts over with every write never ends under load.
  const limit = setTimeout(() => backupRun.child.kill('SIGKILL'), 5 * 60_000);
  const backup = await backupRun.done;
  clearTimeout(limit);
  const backupMs = Date.now() - started;
  assert.equal(backup.signal, null, 'the backup did not finish in five minutes while the site was written to');
  assert.equal(backup.code, 0, backup.stderr);
  execFileSync('tar', ['-C', dataDir, '-czf', path.join(backupDir, 'files.tar.gz'), 'media', 'session-secret']);
  const writesDuring = writes;
  writing = false;
  await load;
  assert.ok(writes > writesDuring || writesDuring >= 6, 'the site was written to while the backup ran');

  // The restore drill: a new folder, the database and the files, a second server on it.
  const restoredDir = await tempDataDir(t, 'restored');
  await mkdir(restoredDir, { recursive: true });
  const copy = await restoreInto(t, restoredDir, backupDir);
  execFileSync('tar', ['-C', restoredDir, '-xzf', path.join(backupDir, 'files.tar.gz')]);
  await assertDatabaseWhole(copy);
  // Same PUBLIC_URL as the original: links in pages and feeds must come out the same.
  const restored = await serverProcess(restoredDir, { ...databaseEnv(copy), PUBLIC_URL: server.url });
  t.after(() => restored.stop());
  await restored.start();

  // One moment: each table holds exactly the original's rows up to its last one, unchanged.
  const counts: string[] = [];
  for (const table of INSERT_ONLY) {
    const copied = await rowsOf(copy, table);
    const last = copied.at(-1)?._rowid ?? 0;
    const before = (await rowsOf(original, table)).filter((row) => row._rowid <= last);
    // The one change the load makes to a row: it publishes the draft it has just written. A copy
    // taken between the two holds the draft; its content must be the same.
    const asPublished = (row: Record<string, unknown>, now: Record<string, unknown> | undefined) =>
      table === 'releases' && row.status === 'draft' && now?.status === 'published' ? { ...row, status: now.status, published_at: now.published_at, updated_at: now.updated_at } : row;
    const changed = copied.find((row, i) => JSON.stringify(asPublished(row, before[i])) !== JSON.stringify(before[i]));
    assert.equal(copied.length, before.length, `${table}: ${copied.length} rows restored, the original had ${before.length} up to rowid ${last}`);
    assert.equal(changed, undefined, `${table}: ${JSON.stringify(changed)}\n is now ${JSON.stringify(before.find((row) => row._rowid === changed?._rowid))}`);
    counts.push(`${table} ${copied.length}`);
  }
  // The newest release the copy holds published (a newer draft may be public in the original by now).
  const newest = (await rowsOf(copy, 'releases')).findLast((row) => row.status === 'published') as unknown as { id: number; title: string };

  // The same pages and feeds: every office the load did not touch, and releases old and new.
  // (The list of offices counts the releases of each, the load office's too: it is left out.)
  const paths = ['/topics', '/regions'];
  for (const office of offices.slice(1)) paths.push(`/offices/${office.slug}`, `/offices/${office.slug}/feed.rss`, `/offices/${office.slug}/feed.atom`, `/offices/${office.slug}/feed.json`);
  const ids = (await rowsOf(copy, 'releases')).filter((r) => r._rowid <= newest.id).map((r) => r._rowid);
  for (let i = 0; i < ids.length; i += Math.ceil(ids.length / 40)) paths.push(`/releases/${ids[i]}`);
  paths.push(`/releases/${newest.id}`);
  for (const p of paths) {
    // „Mehr von dieser Pressestelle“ names the office's newest releases: in the original, the load
    // has published more since the copy. The rest of the page must be the same.
    const [a, b] = [await pageOf(server.url, p), await pageOf(restored.url, p)].map((page) => ({ ...page, body: withoutMoreFromOffice(page.body) })) as [Page, Page];
    assert.equal(b.status, a.status, p);
    if (b.body !== a.body) {
      const at = [...a.body].findIndex((c, i) => c !== b.body[i]);
      assert.fail(`${p} differs between the original and the restored site at ${at}: ${JSON.stringify(a.body.slice(at - 200, at + 200))}\n vs ${JSON.stringify(b.body.slice(at - 200, at + 200))}`);
    }
  }
  // The photos the restored database names answer as the original's do, and its search finds the newest release.
  const photos = await rows(copy, sql<{ path: string }>`SELECT path FROM release_photos WHERE path IS NOT NULL`);
  for (const photo of photos.slice(0, 50)) {
    const [a, b] = await Promise.all([fetch(`${server.url}/media/${photo.path}`), fetch(`${restored.url}/media/${photo.path}`)]);
    assert.deepEqual([b.status, Buffer.from(await b.arrayBuffer()).length], [a.status, Buffer.from(await a.arrayBuffer()).length], photo.path);
  }
  const search = await fetch(`${restored.url}/search?q=${encodeURIComponent(`"${newest.title}"`)}`);
  assert.match(await search.text(), new RegExp(`/releases/${newest.id}-`));
  t.diagnostic(`backup took ${backupMs} ms while ${writes} writes went on; restored: ${counts.join(', ')}; ${paths.length} pages and feeds the same`);
});
