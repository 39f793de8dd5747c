// Which index SQLite reads for the release queries that walk many releases. SQLite keeps a
// release's status and dates after its body, on overflow pages (migration 0179): a plan that looks
// up rows where an index holds what the query asks read the whole archive at 100,000 releases
// (an office's deep pages 30 ms instead of 0.4, the archive's months 216 ms instead of 25). The
// plans are asked of a database without statistics, as Herold's are (it never runs ANALYZE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, SQLITE_ONLY, TEST_NOW } from '../helpers/app.ts';
import * as repo from '../../src/modules/releases/releases.repository.ts';

test('listings, related releases, the archive and the admin list read the indexes made for them', { skip: SQLITE_ONLY }, async (t) => {
  const testDb = await createTestDb(t);
  const { db, sqlite } = testDb;
  /** The plan of every statement `run` prepares, as EXPLAIN QUERY PLAN's lines joined. */
  const plans = async (run: () => Promise<unknown>): Promise<string> => {
    const seen: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      const statement = prepare(source);
      if (/^\s*(with|select)/i.test(source)) seen.push(source);
      return statement;
    }) as typeof sqlite.prepare;
    try {
      await run();
    } finally {
      sqlite.prepare = prepare;
    }
    assert.ok(seen.length > 0, 'a statement was prepared (else this test proves nothing)');
    return seen.map((source) => (sqlite.prepare(`explain query plan ${source}`).all(...new Array(source.split('?').length - 1).fill(1)) as { detail: string }[]).map((r) => r.detail).join('; ')).join(' | ');
  };

  // The home page's twenty: their rows by id, never every release through an office's index.
  assert.doesNotMatch(await plans(() => repo.listPublicReleases(db, { now: TEST_NOW }, 20, 0)), /SCAN offices|INDEX releases_office/);
  const officePage = await plans(() => repo.listPublicReleases(db, { now: TEST_NOW, officeId: 1 }, 20, 2980));
  assert.match(officePage, /releases_listed_office/);
  assert.doesNotMatch(officePage, /INDEX releases_office\b/);
  assert.match(await plans(() => repo.listArchiveMonths(db, TEST_NOW)), /releases_dated/);
  assert.match(await plans(() => repo.listNewestOfTopic(db, 'verkehr', TEST_NOW)), /COVERING INDEX releases_state/);
  const officeList = await plans(() => repo.listNewestOfOffice(db, 1, TEST_NOW, 5));
  assert.match(officeList, /releases_listed_office/);
  assert.match(officeList, /COVERING INDEX releases_state/);
  assert.match(await plans(() => repo.listReleasesOfOffice(db, 1, 200)), /releases_office_changed/);
  assert.match(await plans(() => repo.listUnpublishedOfOffice(db, 1)), /COVERING INDEX releases_state.*COVERING INDEX releases_office/);
  assert.match(await plans(() => repo.findReleaseIdBySlug(db, 1, 'radweg', 0)), /COVERING INDEX releases_office/);
});
