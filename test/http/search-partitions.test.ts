// The search index of PostgreSQL is partitioned by the year of the release date (migration 0176,
// search.postgres.ts): a release of any year must be findable, in date order across the years, a
// new year's partition is made when first needed or ahead by the `search-partitions` job, and the
// migration keeps every entry written before it. SQLite has one FTS5 index: the same searches pass
// there and the job has nothing to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openPostgres } from '../../src/db/connect.ts';
import { migrateUpTo } from '../../src/db/migrate.ts';
import { findJob } from '../../src/jobs/schedule.ts';
import { keyRange, searchKey } from '../../src/modules/search/search.keys.ts';
import { listCandidates } from '../../src/modules/search/search.repository.ts';
import { weekToken } from '../../src/modules/search/search.postgres.ts';
import { buildTestApp, createPostgresDatabase, TEST_POSTGRES_URL } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';

const partitionsOf = async (db: Kysely<any>): Promise<string[]> =>
  (await sql<{ name: string }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'release_search'::regclass order by 1`.execute(db)).rows.map((r) => r.name);

const titlesFound = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], query: string): Promise<string[]> => {
  const result = await app.services.search.search(query, {}, { sort: 'date' });
  return result.items.map((hit) => hit.title);
};

test('releases of any year are found in date order, and the partitions job readies this year and the next', async (t) => {
  const { app, db } = await buildTestApp(t);
  const office = await createOffice(app.services);
  await createRelease(app.services, office.id, { title: 'Fähre Nord im Archiv', releaseDate: '1999-05-04', bodyMarkdown: 'Die Fährprobe von damals.' });
  await createRelease(app.services, office.id, { title: 'Fähre Nord fährt wieder', releaseDate: '2026-03-01', bodyMarkdown: 'Die Fährprobe von heute.' });
  const moved = await createRelease(app.services, office.id, { title: 'Fähre Nord im Winter', releaseDate: '2011-01-15', bodyMarkdown: 'Die Fährprobe im Eis.' });
  assert.deepEqual(await titlesFound(app, 'Fährprobe'), ['Fähre Nord fährt wieder', 'Fähre Nord im Winter', 'Fähre Nord im Archiv']);
  assert.deepEqual(await titlesFound(app, 'Fährprobe Eis'), ['Fähre Nord im Winter']);

  // A new release date moves the entry into the partition of its year, and it is found once, there.
  await app.services.releases.correct(moved.id, releaseInput({ title: 'Fähre Nord im Winter', releaseDate: '2025-12-30', bodyMarkdown: 'Die Fährprobe im Eis.' }), 'Das Datum war falsch.');
  assert.deepEqual(await titlesFound(app, 'Fährprobe'), ['Fähre Nord fährt wieder', 'Fähre Nord im Winter', 'Fähre Nord im Archiv']);
  const dated = await app.services.search.search('Fährprobe', { from: '2025-01-01', to: '2025-12-31' });
  assert.deepEqual(dated.items.map((hit) => hit.title), ['Fähre Nord im Winter']);

  const job = findJob('search-partitions')!;
  if (db.sqlite) {
    assert.equal(await job.run({ db: db.db, services: app.services }), 'nothing due');
    return;
  }
  // The test clock says 2026: 2026 has its partition from the release above, 2027 is made ahead.
  assert.equal(await job.run({ db: db.db, services: app.services }), 'made 1 partition');
  assert.equal(await job.run({ db: db.db, services: app.services }), 'nothing due');
  assert.deepEqual(await partitionsOf(db.db), ['release_search_default', 'release_search_y1999', 'release_search_y2011', 'release_search_y2025', 'release_search_y2026', 'release_search_y2027']);
  // The 2011 partition is empty now, and stays: an empty partition costs a search next to nothing.
  const { rows } = await sql<{ n: number }>`select count(*) as n from release_search_y2011`.execute(db.db);
  assert.equal(Number(rows[0]!.n), 0);
});

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
