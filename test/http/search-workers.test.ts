// Searches in worker threads (SEARCH_WORKERS): the same answers as in the main thread, changes seen at
// once, the test clock obeyed, and a pool whose threads cannot start falls back to the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createSearchPool } from '../../src/modules/search/search.pool.ts';
import { fixedClock } from '../../src/lib/clock.ts';

const titles = async (app: TestApp['app'], query: string) => {
  const res = await app.inject({ method: 'GET', url: `/search${query}` });
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  return { titles: $('.search-hit .card-title').map((_, el) => $(el).text().trim()).get(), count: $('#search-count').text().trim(), snippets: $('.search-hit mark').length };
};

test('search threads answer as the main thread does, see every change at once and follow the clock', async (t) => {
  const withThreads = await buildTestApp(t, { env: { SEARCH_WORKERS: '2' } });
  const { app, clock } = withThreads;
  // The same database searched in the main thread, for comparison.
  const inMain = await buildTestApp(t, { db: withThreads.db, env: { SEARCH_WORKERS: '0' } });
  const { services } = app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Müllheim' });
  await createRelease(services, stadt.id, { title: 'Bürgermeister eröffnet Radweg', bodyMarkdown: 'Der Radweg an der Hauptstraße ist fertig.', releaseDate: '2026-03-01', topics: ['verkehr'] });
  await createRelease(services, stadt.id, { title: 'Straßensperrung am Markt', bodyMarkdown: 'Radwege bleiben offen.', releaseDate: '2026-02-10' });

  for (const query of ['?q=Buergermeister', '?q=Radweg', '?q=Radweg&sort=date', '?q=%22Radwege%20bleiben%22', '?q=Strasse', '?topic=verkehr', '?q=Radweg&from=2026-02-01&to=2026-02-28', '?q=%22%20NEAR(']) {
    const threaded = await titles(app, query);
    assert.deepEqual(threaded, await titles(inMain.app, query), query);
  }
  assert.deepEqual((await titles(app, '?q=Radweg')).titles, ['Bürgermeister eröffnet Radweg', 'Straßensperrung am Markt']);

  // A release published a moment ago is found, also through a prefix the thread expanded before.
  await createRelease(services, stadt.id, { title: 'Radwegenetz wächst', bodyMarkdown: 'Neue Strecken.', releaseDate: '2026-03-05' });
  assert.deepEqual((await titles(app, '?q=Radweg&sort=date')).titles, ['Radwegenetz wächst', 'Bürgermeister eröffnet Radweg', 'Straßensperrung am Markt']);

  // The thread uses the app's clock: a scheduled release is found once published at its time.
  const scheduled = await createRelease(services, stadt.id, { title: 'Haushalt beschlossen', bodyMarkdown: 'Sperrfrist.' }, { status: 'scheduled', publishAt: '2026-03-11T08:00:00Z' });
  assert.deepEqual((await titles(app, '?q=Haushalt')).titles, []);
  clock.set('2026-03-11T08:00:01Z');
  assert.deepEqual(await services.releases.publishDue(), [scheduled.id]);
  assert.deepEqual((await titles(app, '?q=Haushalt')).titles, ['Haushalt beschlossen']);
});

test('a pool whose threads cannot start reports it and searches in the main thread', async () => {
  const errors: Error[] = [];
  const answered: string[] = [];
  const pool = createSearchPool({
    file: path.join('/nonexistent', 'herold.sqlite'),
    size: 1,
    clock: fixedClock('2026-03-10T10:00:00Z'),
    contentVersion: async () => 1,
    fallback: async (query) => {
      answered.push(query);
      return { query, filters: { offices: [], topic: null, region: null, from: null, to: null, language: null }, sort: 'relevance', searched: true, items: [], total: 0, totalIsCapped: false, page: 1, pages: 1, perPage: 20, hints: [], suggestion: null };
    },
    onError: (error) => errors.push(error),
  });
  try {
    // Every search is answered, whether its thread failed under it or the pool had given up.
    for (const query of ['eins', 'zwei', 'drei', 'vier']) assert.equal((await pool.search(query)).query, query);
    assert.deepEqual(answered, ['eins', 'zwei', 'drei', 'vier']);
    // Three failed starts are reported; then the pool stops starting threads.
    while (errors.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(errors[0]!.message, /cannot open database|unable to open/i);
  } finally {
    await pool.close();
  }
});
