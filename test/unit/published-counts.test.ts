// The counts of published releases per site, office, topic and region (migrations 0131/0132) stay
// equal to a COUNT over the releases through every kind of write: publish, withdraw, move to another
// office, terms added, removed and moved, and deletes (with their terms going by cascade).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../helpers/app.ts';
import { countPublicReleases } from '../../src/modules/releases/releases.repository.ts';

test('published counts follow every write to releases and their terms', async (t) => {
  const { sqlite, db } = await createTestDb(t);
  const now = '2026-03-10T10:00:00.000Z';
  const office = sqlite.prepare("INSERT INTO offices (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id");
  const [a, b] = ['a', 'b'].map((slug) => (office.get(slug, slug, now, now) as { id: number }).id) as [number, number];
  const [t1, t2] = ['t1', 't2'].map((slug) => (sqlite.prepare('INSERT INTO topics (slug, name) VALUES (?, ?) RETURNING id').get(slug, slug) as { id: number }).id) as [number, number];
  const r1 = (sqlite.prepare('INSERT INTO regions (slug, name) VALUES (?, ?) RETURNING id').get('r1', 'r1') as { id: number }).id;
  const insert = sqlite.prepare(
    "INSERT INTO releases (office_id, slug, title, release_date, body_markdown, body_html, status, published_at, created_at, updated_at) VALUES (?, 's', 'T', '2026-03-10', '', '', ?, ?, ?, ?) RETURNING id",
  );
  const release = (officeId: number, status: string) => (insert.get(officeId, status, now, now, now) as { id: number }).id;

  const expected = () => {
    const rows: Record<string, number> = {};
    const put = (key: string, n: number) => n > 0 && (rows[key] = n);
    put('site:0', (sqlite.prepare("SELECT count(*) AS n FROM releases WHERE status = 'published'").get() as { n: number }).n);
    for (const { scope, id, n } of sqlite
      .prepare(
        `SELECT 'office' AS scope, office_id AS id, count(*) AS n FROM releases WHERE status = 'published' GROUP BY office_id
         UNION ALL SELECT 'topic', topic_id, count(*) FROM release_topics JOIN releases r ON r.id = release_id WHERE r.status = 'published' GROUP BY topic_id
         UNION ALL SELECT 'region', region_id, count(*) FROM release_regions JOIN releases r ON r.id = release_id WHERE r.status = 'published' GROUP BY region_id`,
      )
      .all() as { scope: string; id: number; n: number }[])
      put(`${scope}:${id}`, n);
    return rows;
  };
  const kept = () => {
    const rows: Record<string, number> = {};
    for (const { scope, scope_id, n } of sqlite.prepare('SELECT scope, scope_id, n FROM published_counts').all() as { scope: string; scope_id: number; n: number }[])
      if (n !== 0) rows[`${scope}:${scope_id}`] = n;
    return rows;
  };
  const check = (step: string) => assert.deepEqual(kept(), expected(), step);

  const x = release(a, 'published');
  const y = release(a, 'draft');
  const z = release(b, 'scheduled');
  check('inserted');
  assert.deepEqual(kept(), { 'site:0': 1, [`office:${a}`]: 1 });
  sqlite.prepare('INSERT INTO release_topics (release_id, topic_id) VALUES (?, ?), (?, ?), (?, ?)').run(x, t1, y, t1, z, t2);
  sqlite.prepare('INSERT INTO release_regions (release_id, region_id) VALUES (?, ?), (?, ?)').run(x, r1, z, r1);
  check('terms added');
  assert.equal(kept()[`topic:${t1}`], 1);
  sqlite.prepare("UPDATE releases SET status = 'published' WHERE id IN (?, ?)").run(y, z);
  check('published');
  assert.equal(kept()['site:0'], 3);
  sqlite.prepare('UPDATE releases SET office_id = ? WHERE id = ?').run(b, x);
  check('moved to another office');
  sqlite.prepare('UPDATE release_topics SET topic_id = ? WHERE release_id = ? AND topic_id = ?').run(t2, x, t1);
  check('term moved');
  sqlite.prepare("UPDATE releases SET status = 'withdrawn' WHERE id = ?").run(y);
  check('withdrawn');
  sqlite.prepare('DELETE FROM release_topics WHERE release_id = ?').run(z);
  check('terms removed');
  sqlite.prepare('DELETE FROM releases WHERE id = ?').run(x);
  check('published release deleted with its terms');
  sqlite.prepare('DELETE FROM topics WHERE id = ?').run(t2);
  check('topic deleted');
  sqlite.prepare("UPDATE releases SET title = 'U', updated_at = ? WHERE id = ?").run(now, z);
  check('other columns changed');
  assert.deepEqual(kept(), { 'site:0': 1, [`office:${b}`]: 1, [`region:${r1}`]: 1 });
  // Public now, as listings count it: kept counts, plus scheduled releases whose time has come, minus
  // published ones dated later, equal to counting the rows (a date filter takes that path).
  const at = (status: string, officeId: number, publishedAt: string) =>
    (sqlite.prepare("INSERT INTO releases (office_id, slug, title, release_date, body_markdown, body_html, status, published_at, created_at, updated_at) VALUES (?, 's', 'T', '2026-03-10', '', '', ?, ?, ?, ?) RETURNING id").get(officeId, status, publishedAt, now, now) as { id: number }).id;
  const due = at('scheduled', a, '2026-03-10T09:00:00.000Z');
  at('scheduled', a, '2026-03-10T11:00:00.000Z');
  const ahead = at('published', b, '2026-03-10T11:00:00.000Z');
  sqlite.prepare('INSERT INTO release_topics (release_id, topic_id) VALUES (?, ?), (?, ?)').run(due, t1, ahead, t1);
  for (const scope of [{}, { officeId: a }, { officeId: b }, { topicId: t1 }, { regionId: r1 }]) {
    const fast = await countPublicReleases(db, { now, ...scope });
    const counted = await countPublicReleases(db, { now, ...scope, dateFrom: '1900-01-01' });
    assert.equal(fast, counted, JSON.stringify(scope));
  }
  assert.equal(await countPublicReleases(db, { now }), 2);
});
