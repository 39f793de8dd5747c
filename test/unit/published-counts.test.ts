// The counts of published releases per site, office, topic and region (migrations 0131/0132 on
// SQLite, PL/pgSQL triggers on PostgreSQL) stay equal to a COUNT over the releases through every
// kind of write: publish, withdraw, move to another office, terms added, removed and moved, and
// deletes (with their terms going by cascade).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDb, ON_POSTGRES } from '../helpers/app.ts';
import { countPublicReleases, countPublicReleasesPer } from '../../src/modules/releases/releases.repository.ts';

test('published counts follow every write to releases and their terms', async (t) => {
  const { db } = await createTestDb(t);
  const now = '2026-03-10T10:00:00.000Z';
  const office = async (slug: string) => (await db.insertInto('offices').values({ slug, name: slug, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  const [a, b] = [await office('a'), await office('b')];
  const topic = async (slug: string) => (await db.insertInto('topics').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow()).id;
  const [t1, t2] = [await topic('t1'), await topic('t2')];
  const r1 = (await db.insertInto('regions').values({ slug: 'r1', name: 'r1' }).returning('id').executeTakeFirstOrThrow()).id;
  const at = async (status: 'draft' | 'scheduled' | 'published', officeId: number, publishedAt = now) =>
    (
      await db
        .insertInto('releases')
        .values({ office_id: officeId, slug: 's', title: 'T', release_date: '2026-03-10', body_markdown: '', body_html: '', status, published_at: publishedAt, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  const expected = async () => {
    const rows: Record<string, number> = {};
    const put = (key: string, n: number) => n > 0 && (rows[key] = n);
    const site = await db.selectFrom('releases').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow();
    put('site:0', Number(site.n));
    const { rows: scoped } = await sql<{ scope: string; id: number; n: number }>`
      SELECT 'office' AS scope, office_id AS id, count(*) AS n FROM releases WHERE status = 'published' GROUP BY office_id
      UNION ALL SELECT 'topic', topic_id, count(*) FROM release_topics JOIN releases r ON r.id = release_id WHERE r.status = 'published' GROUP BY topic_id
      UNION ALL SELECT 'region', region_id, count(*) FROM release_regions JOIN releases r ON r.id = release_id WHERE r.status = 'published' GROUP BY region_id`.execute(db);
    for (const { scope, id, n } of scoped) put(`${scope}:${id}`, Number(n));
    return rows;
  };
  const kept = async () => {
    const rows: Record<string, number> = {};
    for (const { scope, scope_id, n } of await db.selectFrom('published_counts').select(['scope', 'scope_id', 'n']).execute()) if (n !== 0) rows[`${scope}:${scope_id}`] = n;
    return rows;
  };
  const check = async (step: string) => assert.deepEqual(await kept(), await expected(), step);

  const x = await at('published', a);
  const y = await at('draft', a);
  const z = await at('scheduled', b);
  await check('inserted');
  assert.deepEqual(await kept(), { 'site:0': 1, [`office:${a}`]: 1 });
  await db.insertInto('release_topics').values([{ release_id: x, topic_id: t1 }, { release_id: y, topic_id: t1 }, { release_id: z, topic_id: t2 }]).execute();
  await db.insertInto('release_regions').values([{ release_id: x, region_id: r1 }, { release_id: z, region_id: r1 }]).execute();
  await check('terms added');
  assert.equal((await kept())[`topic:${t1}`], 1);
  await db.updateTable('releases').set({ status: 'published' }).where('id', 'in', [y, z]).execute();
  await check('published');
  assert.equal((await kept())['site:0'], 3);
  await db.updateTable('releases').set({ office_id: b }).where('id', '=', x).execute();
  await check('moved to another office');
  await db.updateTable('release_topics').set({ topic_id: t2 }).where('release_id', '=', x).where('topic_id', '=', t1).execute();
  await check('term moved');
  await db.updateTable('releases').set({ status: 'withdrawn' }).where('id', '=', y).execute();
  await check('withdrawn');
  await db.deleteFrom('release_topics').where('release_id', '=', z).execute();
  await check('terms removed');
  await db.deleteFrom('releases').where('id', '=', x).execute();
  await check('published release deleted with its terms');
  await db.deleteFrom('topics').where('id', '=', t2).execute();
  await check('topic deleted');
  await db.updateTable('releases').set({ title: 'U', updated_at: now }).where('id', '=', z).execute();
  await check('other columns changed');
  assert.deepEqual(await kept(), { 'site:0': 1, [`office:${b}`]: 1, [`region:${r1}`]: 1 });
  // Public now, as listings count it: kept counts, plus scheduled releases whose time has come, minus
  // published ones dated later, equal to counting the rows (a date filter takes that path).
  const due = await at('scheduled', a, '2026-03-10T09:00:00.000Z');
  await at('scheduled', a, '2026-03-10T11:00:00.000Z');
  const ahead = await at('published', b, '2026-03-10T11:00:00.000Z');
  await db.insertInto('release_topics').values([{ release_id: due, topic_id: t1 }, { release_id: ahead, topic_id: t1 }]).execute();
  for (const scope of [{}, { officeId: a }, { officeId: b }, { topicId: t1 }, { regionId: r1 }]) {
    const fast = await countPublicReleases(db, { now, ...scope });
    const counted = await countPublicReleases(db, { now, ...scope, dateFrom: '1900-01-01' });
    assert.equal(fast, counted, JSON.stringify(scope));
  }
  assert.equal(await countPublicReleases(db, { now }), 2);
  // The directories' counts of every office, topic and region at once: the same numbers.
  for (const [scope, ids, key] of [['office', [a, b], 'officeId'], ['topic', [t1], 'topicId'], ['region', [r1], 'regionId']] as const) {
    const per = await countPublicReleasesPer(db, scope, now);
    for (const id of ids) assert.equal(per.get(id) ?? 0, await countPublicReleases(db, { now, [key]: id, dateFrom: '1900-01-01' }), `${scope} ${id}`);
  }
  assert.equal((await countPublicReleasesPer(db, 'topic', now)).get(t1), 1, 'the due one counts, the one dated ahead does not');
});

test(
  'two corrections that add the same topics in opposite order both go through (no deadlock on the counts)',
  { skip: !ON_POSTGRES && 'SQLite has one writer at a time; the row locks of the counts are PostgreSQL\'s' },
  async (t) => {
    const { db } = await createTestDb(t);
    const now = '2026-03-10T10:00:00.000Z';
    const officeId = (await db.insertInto('offices').values({ slug: 'a', name: 'a', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    // One after the other: two inserts at once may take their ids in either order, and the counts
    // below are compared in the order of the ids.
    const topicIds: number[] = [];
    for (const slug of ['t1', 't2']) topicIds.push((await db.insertInto('topics').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow()).id);
    const [t1, t2] = topicIds;
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (slug) =>
        (await db.insertInto('releases').values({ office_id: officeId, slug, title: 'T', release_date: '2026-03-10', body_markdown: '', body_html: '', status: 'published', published_at: now, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id,
      ),
    );
    const tx1 = await db.startTransaction().execute();
    const tx2 = await db.startTransaction().execute();
    await tx1.insertInto('release_topics').values({ release_id: a!, topic_id: t1! }).execute();
    // The other correction adds them the other way round, and goes as far as it can.
    const second = (async () => {
      await tx2.insertInto('release_topics').values({ release_id: b!, topic_id: t2! }).execute();
      await tx2.insertInto('release_topics').values({ release_id: b!, topic_id: t1! }).execute();
      await tx2.commit().execute();
    })();
    // Until it waits for the first one's locks.
    while (!(await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db)).rows[0]!.n) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Without a common first lock this is where one of the two is chosen as a deadlock victim.
    const first = tx1
      .insertInto('release_topics')
      .values({ release_id: a!, topic_id: t2! })
      .execute()
      .then(() => tx1.commit().execute());
    const outcomes = await Promise.allSettled([first.catch(async (err: unknown) => Promise.reject(await tx1.rollback().execute().then(() => err))), second.catch(async (err: unknown) => Promise.reject(await tx2.rollback().execute().then(() => err)))]);
    assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'committed')), ['committed', 'committed']);
    const counts = await db.selectFrom('published_counts').select(['scope', 'scope_id', 'n']).where('scope', '=', 'topic').orderBy('scope_id').execute();
    assert.deepEqual(counts.map((c) => [c.scope_id, c.n]), [[t1, 2], [t2, 2]]);
  },
);
