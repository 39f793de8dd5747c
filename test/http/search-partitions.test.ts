// The search index of PostgreSQL is partitioned by the year of the release date (migration 0176,
// search.postgres.ts): a release of any year must be findable, in date order across the years. Only
// the `search-partitions` job makes partitions (this year's and next year's), moving a year's rows
// out of the default partition (migration 0177), where a release of a year without a partition of
// its own is written; two saves of such a year must not deadlock (issue 18). Migration 0176 keeps
// every entry written before it. SQLite has one FTS5 index: the same searches pass there and the
// job has nothing to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openPostgres } from '../../src/db/connect.ts';
import { migrateUpTo } from '../../src/db/migrate.ts';
import { findJob } from '../../src/jobs/schedule.ts';
import { keyRange, searchKey } from '../../src/modules/search/search.keys.ts';
import { reindexRelease } from '../../src/modules/search/search.indexer.ts';
import { listCandidates, prepareIndex } from '../../src/modules/search/search.repository.ts';
import { makePartitions, weekToken } from '../../src/modules/search/search.postgres.ts';
import { buildTestApp, createPostgresDatabase, ON_POSTGRES, TEST_NOW, TEST_POSTGRES_URL } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';

const partitionsOf = async (db: Kysely<any>): Promise<string[]> =>
  (await sql<{ name: string }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'release_search'::regclass order by 1`.execute(db)).rows.map((r) => r.name);

/** The partition each release's entry lies in, by release id. */
const partitionOfEntries = async (db: Kysely<any>): Promise<Record<number, string>> =>
  Object.fromEntries(
    (await sql<{ id: number; part: string }>`select k.release_id as id, s.tableoid::regclass::text as part from release_search s join releases_fts_keys k on k.key = s.key`.execute(db)).rows.map((r) => [r.id, r.part]),
  );

const titlesFound = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], query: string): Promise<string[]> => {
  const result = await app.services.search.search(query, {}, { sort: 'date' });
  return result.items.map((hit) => hit.title);
};

/** Waits until a session of the test's database waits for a lock, or `done` says there is no need to. */
const someoneWaitsForALock = async (db: Kysely<any>, done: () => boolean = () => false): Promise<void> => {
  while (!done() && !(await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db)).rows[0]!.n) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** `work` in a transaction of its own, started now: committed when it succeeds, rolled back (and its error passed on) when not. */
const inOwnTransaction = async (db: Kysely<any>, work: (trx: Kysely<any>) => Promise<unknown>): Promise<void> => {
  const trx = await db.startTransaction().execute();
  await work(trx).then(
    () => trx.commit().execute(),
    async (err: unknown) => Promise.reject(await trx.rollback().execute().then(() => err)),
  );
};

test('releases of any year are found in date order, and the partitions job readies this year and the next', async (t) => {
  const { app, db } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const old = await createRelease(app.services, office.id, { title: 'Fähre Nord im Archiv', releaseDate: '1999-05-04', bodyMarkdown: 'Die Fährprobe von damals.' });
  const now = await createRelease(app.services, office.id, { title: 'Fähre Nord fährt wieder', releaseDate: '2026-03-01', bodyMarkdown: 'Die Fährprobe von heute.' });
  const moved = await createRelease(app.services, office.id, { title: 'Fähre Nord im Winter', releaseDate: '2011-01-15', bodyMarkdown: 'Die Fährprobe im Eis.' });
  assert.deepEqual(await titlesFound(app, 'Fährprobe'), ['Fähre Nord fährt wieder', 'Fähre Nord im Winter', 'Fähre Nord im Archiv']);
  assert.deepEqual(await titlesFound(app, 'Fährprobe Eis'), ['Fähre Nord im Winter']);

  // A new release date gives the entry a new key, and it is found once, under its new date.
  await app.services.releases.correct(moved.id, releaseInput({ title: 'Fähre Nord im Winter', releaseDate: '2025-12-30', bodyMarkdown: 'Die Fährprobe im Eis.' }), 'Das Datum war falsch.');
  assert.deepEqual(await titlesFound(app, 'Fährprobe'), ['Fähre Nord fährt wieder', 'Fähre Nord im Winter', 'Fähre Nord im Archiv']);
  const dated = await app.services.search.search('Fährprobe', { from: '2025-01-01', to: '2025-12-31' });
  assert.deepEqual(dated.items.map((hit) => hit.title), ['Fähre Nord im Winter']);

  const job = findJob('search-partitions')!;
  if (db.sqlite) {
    assert.equal(await job.run({ db: db.db, services: app.services }), 'nothing due');
    return;
  }
  // No save made a partition: every entry waited in the default partition for the job.
  assert.deepEqual(await partitionsOf(db.db), ['release_search_default']);
  // The test clock says 2026: the job makes 2026's and 2027's, and moves this year's entry into its own.
  assert.equal(await job.run({ db: db.db, services: app.services }), 'made 2 partitions');
  assert.equal(await job.run({ db: db.db, services: app.services }), 'nothing due');
  assert.deepEqual(await partitionsOf(db.db), ['release_search_default', 'release_search_y2026', 'release_search_y2027']);
  assert.deepEqual(await partitionOfEntries(db.db), { [old.id]: 'release_search_default', [now.id]: 'release_search_y2026', [moved.id]: 'release_search_default' });
  assert.deepEqual(await titlesFound(app, 'Fährprobe'), ['Fähre Nord fährt wieder', 'Fähre Nord im Winter', 'Fähre Nord im Archiv']);
});

test('the partitions job moves a year\'s entries out of the default partition when it makes the year\'s partition', async (t) => {
  const { app, db, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const job = findJob('search-partitions')!;
  await job.run({ db: db.db, services: app.services });
  const ahead = await createRelease(app.services, office.id, { title: 'Brücke Süd eröffnet', releaseDate: '2028-04-01', bodyMarkdown: 'Die Brückenprobe.' });
  const later = await createRelease(app.services, office.id, { title: 'Brücke Süd gesperrt', releaseDate: '2028-11-30', bodyMarkdown: 'Die Brückenprobe.' });
  const past = await createRelease(app.services, office.id, { title: 'Brücke Süd geplant', releaseDate: '1987-02-02', bodyMarkdown: 'Die Brückenprobe.' });
  const found = ['Brücke Süd gesperrt', 'Brücke Süd eröffnet', 'Brücke Süd geplant'];
  assert.deepEqual(await titlesFound(app, 'Brückenprobe'), found);
  if (!db.sqlite) assert.deepEqual(await partitionOfEntries(db.db), { [ahead.id]: 'release_search_default', [later.id]: 'release_search_default', [past.id]: 'release_search_default' });

  // A year later 2028 is next year: the job makes its partition, and its entries move there.
  clock.set(new Date(new Date(TEST_NOW).getTime() + 365 * 86_400_000));
  assert.equal(await job.run({ db: db.db, services: app.services }), db.sqlite ? 'nothing due' : 'made 1 partition');
  if (!db.sqlite) {
    assert.deepEqual(await partitionsOf(db.db), ['release_search_default', 'release_search_y2026', 'release_search_y2027', 'release_search_y2028']);
    assert.deepEqual(await partitionOfEntries(db.db), { [ahead.id]: 'release_search_y2028', [later.id]: 'release_search_y2028', [past.id]: 'release_search_default' });
  }
  // Found once each, in date order, and by a range of dates in the moved year.
  const result = await app.services.search.search('Brückenprobe', {}, { sort: 'date' });
  assert.deepEqual(result.items.map((hit) => hit.title), found);
  assert.equal(result.total, 3);
  const dated = await app.services.search.search('Brückenprobe', { from: '2028-01-01', to: '2028-12-31' }, { sort: 'date' });
  assert.deepEqual(dated.items.map((hit) => hit.title), found.slice(0, 2));
});

test('a past year that gathers enough entries in the default partition (an archive imported) gets a partition of its own', async (t) => {
  const { app, db, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const archived = [];
  for (const [day, title] of [['2015-03-02', 'Deich Ost verstärkt'], ['2015-07-20', 'Deich Ost begrünt'], ['2015-11-09', 'Deich Ost geprüft']] as const)
    archived.push(await createRelease(app.services, office.id, { title, releaseDate: day, bodyMarkdown: 'Die Deichprobe.' }));
  const stray = await createRelease(app.services, office.id, { title: 'Deich Ost geplant', releaseDate: '1987-02-02', bodyMarkdown: 'Die Deichprobe.' });
  const found = ['Deich Ost geprüft', 'Deich Ost begrünt', 'Deich Ost verstärkt', 'Deich Ost geplant'];

  // Three entries are far below the job's threshold: 2015 stays in the default partition.
  const job = findJob('search-partitions')!;
  assert.equal(await job.run({ db: db.db, services: app.services }), db.sqlite ? 'nothing due' : 'made 2 partitions');
  if (db.sqlite) {
    assert.equal(await prepareIndex(db.db, clock.now(), { yearMinEntries: 3 }), 0);
    assert.deepEqual(await titlesFound(app, 'Deichprobe'), found);
    return;
  }
  assert.deepEqual(await partitionsOf(db.db), ['release_search_default', 'release_search_y2026', 'release_search_y2027']);

  // With three as the threshold, 2015 gets its partition and its entries move there; 1987's one stays.
  assert.equal(await prepareIndex(db.db, clock.now(), { yearMinEntries: 3 }), 1);
  assert.equal(await prepareIndex(db.db, clock.now(), { yearMinEntries: 3 }), 0);
  assert.deepEqual(await partitionsOf(db.db), ['release_search_default', 'release_search_y2015', 'release_search_y2026', 'release_search_y2027']);
  assert.deepEqual(await partitionOfEntries(db.db), { ...Object.fromEntries(archived.map((r) => [r.id, 'release_search_y2015'])), [stray.id]: 'release_search_default' });
  assert.deepEqual(await titlesFound(app, 'Deichprobe'), found);
  const dated = await app.services.search.search('Deichprobe', { from: '2015-01-01', to: '2015-12-31' }, { sort: 'date' });
  assert.deepEqual(dated.items.map((hit) => hit.title), found.slice(0, 3));
});

test(
  'two saves that index releases of the same year without a partition both commit (issue 18: no deadlock)',
  { skip: !ON_POSTGRES && 'SQLite has one writer at a time; the partitions and their locks are PostgreSQL\'s' },
  async (t) => {
    const { app, db } = await buildTestApp(t);
    const office = await createOffice(app.services);
    await findJob('search-partitions')!.run({ db: db.db, services: app.services });
    const a = await createRelease(app.services, office.id, { title: 'Schleuse West im Umbau', releaseDate: '2026-03-01', bodyMarkdown: 'Die Schleusenprobe.' });
    const b = await createRelease(app.services, office.id, { title: 'Schleuse West wieder offen', releaseDate: '2026-03-02', bodyMarkdown: 'Die Schleusenprobe.' });
    const now = TEST_NOW;
    const redate = (trx: Kysely<any>, id: number, releaseDate: string) => sql`update releases set release_date = ${releaseDate} where id = ${id}`.execute(trx);
    const txA = await db.db.startTransaction().execute();
    const txB = await db.db.startTransaction().execute();
    // B has written to the index already (as an office rename reindexes release after release).
    await reindexRelease(txB, b.id, now);
    // A moves its release to 1987, a year without a partition. Before the fix its save made the
    // partition there, and waited for B's lock on the index.
    const first = (async () => {
      await redate(txA, a.id, '1987-05-04');
      await reindexRelease(txA, a.id, now);
    })();
    let firstDone = false;
    void first.then(
      () => (firstDone = true),
      () => (firstDone = true),
    );
    await someoneWaitsForALock(db.db, () => firstDone);
    // Then B moves its release to 1987 too: before the fix it waited for A's making of the partition
    // (its advisory lock), and PostgreSQL chose one of the two as a deadlock victim.
    const second = (async () => {
      await redate(txB, b.id, '1987-06-01');
      await reindexRelease(txB, b.id, now);
      await txB.commit().execute();
    })();
    const outcomes = await Promise.allSettled([
      first.then(() => txA.commit().execute()).catch(async (err: unknown) => Promise.reject(await txA.rollback().execute().then(() => err))),
      second.catch(async (err: unknown) => Promise.reject(await txB.rollback().execute().then(() => err))),
    ]);
    assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'committed')), ['committed', 'committed']);
    assert.deepEqual(await partitionOfEntries(db.db), { [a.id]: 'release_search_default', [b.id]: 'release_search_default' });
    assert.deepEqual(await titlesFound(app, 'Schleusenprobe'), ['Schleuse West wieder offen', 'Schleuse West im Umbau']);
  },
);

test(
  'a save that reindexes a release while the partitions job moves its year out of the default partition leaves one entry, in the new partition',
  { skip: !ON_POSTGRES && 'SQLite has one FTS5 index; the partitions are PostgreSQL\'s' },
  async (t) => {
    const { app, db } = await buildTestApp(t);
    const office = await createOffice(app.services);
    // 2028: neither this year nor the next by the test clock, so its entry waits in the default partition.
    const release = await createRelease(app.services, office.id, { title: 'Deich Süd wird erhöht', releaseDate: '2028-05-04', bodyMarkdown: 'Die Deichprobe.' });
    assert.deepEqual(await partitionOfEntries(db.db), { [release.id]: 'release_search_default' });
    // The job makes 2028 in a transaction not yet committed: it holds the default partition.
    const job = await db.db.startTransaction().execute();
    await makePartitions(job, [searchKey('2028-01-01', 0)]);
    // A save reindexes the release meanwhile: its delete is planned for the default partition and waits.
    const saved = inOwnTransaction(db.db, (save) => reindexRelease(save, release.id, TEST_NOW));
    await someoneWaitsForALock(db.db);
    await job.commit().execute();
    // Before the fix the delete found nothing where it looked, and the insert of the same key failed
    // on the entry the job had moved.
    await saved;
    assert.deepEqual(await partitionOfEntries(db.db), { [release.id]: 'release_search_y2028' });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from release_search`.execute(db.db);
    assert.equal(rows[0]!.n, 1);
    assert.deepEqual(await titlesFound(app, 'Deichprobe'), ['Deich Süd wird erhöht']);
  },
);

test(
  'a save that writes an entry of the year the partitions job is making goes through, into the new partition',
  { skip: !ON_POSTGRES && 'SQLite has one FTS5 index; the partitions are PostgreSQL\'s' },
  async (t) => {
    const { app, db } = await buildTestApp(t);
    const office = await createOffice(app.services);
    await findJob('search-partitions')!.run({ db: db.db, services: app.services });
    const release = await createRelease(app.services, office.id, { title: 'Hafen Nord erweitert', releaseDate: '2026-05-04', bodyMarkdown: 'Die Hafenprobe.' });
    // The job makes 2028 in a transaction not yet committed: it holds the default partition.
    const job = await db.db.startTransaction().execute();
    await makePartitions(job, [searchKey('2028-01-01', 0)]);
    // A save moves the release to 2028 meanwhile: PostgreSQL routes its new entry to the default
    // partition, where the insert waits for the job.
    const saved = inOwnTransaction(db.db, async (save) => {
      await sql`update releases set release_date = '2028-02-03' where id = ${release.id}`.execute(save);
      await reindexRelease(save, release.id, TEST_NOW);
    });
    await someoneWaitsForALock(db.db);
    await job.commit().execute();
    // Before the fix the row, routed before the wait, broke the default partition's new constraint
    // once the job had committed, and the save failed.
    await saved;
    assert.deepEqual(await partitionOfEntries(db.db), { [release.id]: 'release_search_y2028' });
    assert.deepEqual(await titlesFound(app, 'Hafenprobe'), ['Hafen Nord erweitert']);

    // A release of a year with its partition is saved while the job holds the default partition:
    // it neither waits for the job nor holds it up.
    const again = await db.db.startTransaction().execute();
    await makePartitions(again, [searchKey('2029-01-01', 0)]);
    let settled = false;
    const current = createRelease(app.services, office.id, { title: 'Hafen Nord beflaggt', releaseDate: '2026-06-01', bodyMarkdown: 'Die Hafenprobe.' }).finally(() => (settled = true));
    await someoneWaitsForALock(db.db, () => settled);
    const waited = !settled;
    await again.commit().execute();
    assert.equal(waited, false, 'the save waited for the job');
    assert.equal((await partitionOfEntries(db.db))[(await current).id], 'release_search_y2026');
  },
);

test('the newest matches come window by window, newest first, without a gap or a double', async (t) => {
  const { app, db } = await buildTestApp(t);
  const office = await createOffice(app.services);
  // One release a day for 60 days (over nine weeks and the turn of a year), and every fifth day a second one.
  const keys: number[] = [];
  for (let n = 0; n < 60; n++) {
    const releaseDate = new Date(Date.UTC(2026, 0, 20) - n * 86_400_000).toISOString().slice(0, 10);
    for (let k = 0; k < (n % 5 === 0 ? 2 : 1); k++) {
      const release = await createRelease(app.services, office.id, { releaseDate, bodyMarkdown: `Die Wochenprobe vom ${releaseDate}.` });
      keys.push(searchKey(releaseDate, release.id));
    }
  }
  keys.sort((a, b) => a - b);
  // 25 of them: a first window of eight days, then one of some weeks (asked with its week tokens).
  assert.deepEqual(await listCandidates(db.db, '"wochenprobe"', {}, 25), keys.slice(0, 25));
  assert.deepEqual(await listCandidates(db.db, '"wochenprobe"', {}, 1001), keys);
  const range = keyRange('2025-12-01', '2025-12-31');
  assert.deepEqual(await listCandidates(db.db, '"wochenprobe"', range, 10), keys.filter((key) => key >= range.low! && key <= range.high!).slice(0, 10));
});

test('migration 0176 moves the entries written before it into partitions by year, each with its week token and word pairs', { skip: TEST_POSTGRES_URL ? false : 'needs HEROLD_TEST_POSTGRES_URL' }, async (t) => {
  const { db } = await openPostgres(await createPostgresDatabase(t, { empty: true }));
  t.after(() => db.destroy());
  await migrateUpTo(db, '0175_postgres_counts_lock_site_first');
  const keys = [searchKey('2026-12-31', 7), searchKey('2026-01-01', 8), searchKey('1970-01-01', 9), searchKey('1969-12-31', 10), searchKey('2003-06-15', 11)];
  for (const key of keys) await sql`insert into release_search (key, document, titles) values (${key}, ${`'radweg':1A 'neu':2A '_all':4`}::tsvector, ${`'radweg':1A`}::tsvector)`.execute(db);

  await migrateUpTo(db);
  assert.deepEqual(await partitionsOf(db), ['release_search_default', 'release_search_y1969', 'release_search_y1970', 'release_search_y2003', 'release_search_y2026']);
  const { rows } = await sql<{ key: number; part: string; pairs: string; week: string; title_week: string }>`
    select key, tableoid::regclass::text as part, pairs::text as pairs, (select lexeme from unnest(document) where lexeme like '\_w%') as week,
      (select lexeme from unnest(titles) where lexeme like '\_w%') as title_week
    from release_search where document @@ 'radweg <-> neu'::tsquery and pairs @@ 'radweg_neu'::tsquery order by key`.execute(db);
  // Its pairs made from the document's positions: 'radweg' (1) and 'neu' (2) stand together, '_all' (4) apart.
  assert.deepEqual(new Set(rows.map((r) => r.pairs)), new Set(["'radweg_neu'"]));
  assert.deepEqual(
    rows.map((r) => [Number(r.key), r.part, r.week === r.title_week ? r.week : `${r.week} ≠ ${r.title_week}`]),
    [
      [keys[0], 'release_search_y2026', weekToken(keys[0]!)],
      [keys[1], 'release_search_y2026', weekToken(keys[1]!)],
      [keys[4], 'release_search_y2003', weekToken(keys[4]!)],
      [keys[2], 'release_search_y1970', '_w0'],
      [keys[3], 'release_search_y1969', '_w-1'],
    ],
  );
});
