// Following a search as a feed: /search/feed.rss|atom|json with the search's parameters, parsed
// with real parsers; embargo and withdrawal; links on the search page; hostile query strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { FORMATS, parseFeed, type Format, type ParsedFeed } from '../helpers/feeds.ts';

const BASE = 'http://herold.test';

const newsroom = async ({ app }: TestApp) => {
  const { services } = app;
  await ensureTerms(services);
  const landkreis = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const radweg = await createRelease(services, landkreis.id, { title: 'Neue Radwege im Nordkreis', releaseDate: '2026-03-08', topics: ['verkehr'], regions: ['nordkreis'] });
  const stadtRadweg = await createRelease(services, stadt.id, { title: 'Radweg am Markt wird breiter', releaseDate: '2026-03-09', topics: ['verkehr'] });
  const kita = await createRelease(services, landkreis.id, { title: 'Kita öffnet', bodyMarkdown: 'Eine neue Kita für den Nordkreis.', releaseDate: '2026-03-09', topics: ['soziales'] });
  return { landkreis, stadt, radweg, stadtRadweg, kita };
};

const searchFeed = async (app: TestApp['app'], format: Format, query: string): Promise<ParsedFeed> => {
  const res = await app.inject(`/search/feed.${format}?${query}`);
  assert.equal(res.statusCode, 200, `${format} ${query}: ${res.body}`);
  return parseFeed(format, res.body);
};

test('every search has RSS, Atom and JSON Feed: ids, links and a canonical self link', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  const { radweg, stadtRadweg } = await newsroom(ctx);

  for (const format of FORMATS) {
    const res = await app.inject(`/search/feed.${format}?q=radweg&topic=verkehr`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], { rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml; charset=utf-8', json: 'application/feed+json; charset=utf-8' }[format]);
    const feed = parseFeed(format, res.body);
    // Newest release date first, both offices, each item's id the release's permanent URL.
    assert.deepEqual(feed.items.map((i) => i.id), [`${BASE}/releases/${stadtRadweg.id}`, `${BASE}/releases/${radweg.id}`], format);
    assert.equal(feed.items[1]!.link, `${BASE}/releases/${radweg.id}-${radweg.slug}`, format);
    assert.equal(feed.items[1]!.title, 'Neue Radwege im Nordkreis', format);
    assert.equal(feed.self, `${BASE}/search/feed.${format}?q=radweg&topic=verkehr`, format);
    assert.equal(feed.html, `${BASE}/search?q=radweg&topic=verkehr`, format);
    assert.match(feed.title, /^Suche: „radweg“ · Verkehr – Herold$/, format);
  }

  // The parameters in any order, with sort and page, give the same feed with the canonical self link.
  const shuffled = await searchFeed(app, 'atom', 'office=stadt&sort=relevance&page=3&office=landkreis&q=%20radweg%20&lang=de');
  assert.equal(shuffled.self, `${BASE}/search/feed.atom?q=radweg&office=stadt&office=landkreis&lang=de`);
  assert.equal(shuffled.items.length, 2);

  // Filters alone, and ?limit=.
  const office = await searchFeed(app, 'json', 'office=landkreis&limit=1');
  assert.equal(office.items.length, 1);
  // The self link repeats the limit asked for: it is the feed's own address.
  assert.equal(office.self, `${BASE}/search/feed.json?office=landkreis&limit=1`);
  assert.equal((await app.inject('/search/feed.rss?q=radweg&limit=0')).statusCode, 400);
  assert.equal((await app.inject('/search/feed.rss?q=radweg&limit=101')).statusCode, 400);
  assert.match((await app.inject('/search/feed.rss?q=radweg&limit=abc')).headers['content-type'] as string, /^text\/plain/);

  // Unknown filters are left out, as on the page; the self link says what was searched.
  const unknown = await searchFeed(app, 'rss', 'q=radweg&office=gibtsnicht&from=gestern');
  assert.equal(unknown.self, `${BASE}/search/feed.rss?q=radweg`);
});

test('search feeds are cached with ETag and Last-Modified and answer 304', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  const { landkreis } = await newsroom(ctx);
  const first = await app.inject('/search/feed.rss?q=radweg');
  const etag = first.headers.etag as string;
  assert.ok(etag);
  assert.ok(first.headers['last-modified']);
  assert.match(first.headers['cache-control'] as string, /max-age=300/);
  assert.equal((await app.inject({ url: '/search/feed.rss?q=radweg', headers: { 'if-none-match': etag } })).statusCode, 304);
  // Another parameter order is the same feed.
  assert.equal((await app.inject({ url: '/search/feed.rss?sort=date&q=radweg', headers: { 'if-none-match': etag } })).statusCode, 304);
  // A new matching release changes it.
  ctx.clock.advance(60_000);
  await createRelease(app.services, landkreis.id, { title: 'Radweg nach Süden', releaseDate: '2026-03-10' });
  const after = await app.inject({ url: '/search/feed.rss?q=radweg', headers: { 'if-none-match': etag } });
  assert.equal(after.statusCode, 200);
  assert.equal(parseFeed('rss', after.body).items[0]!.title, 'Radweg nach Süden');
});

test('embargo and withdrawal: a scheduled release appears in a search feed only after its time, a withdrawn one leaves it', async (t) => {
  const ctx = await buildTestApp(t);
  const { app, clock } = ctx;
  const { landkreis, radweg } = await newsroom(ctx);
  const scheduled = await createRelease(app.services, landkreis.id, { title: 'Radweg-Sperrfrist bis Mittag', releaseDate: '2026-03-10' }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  const permanent = `${BASE}/releases/${scheduled.id}`;
  for (const format of FORMATS) {
    const feed = await searchFeed(app, format, 'q=radweg');
    assert.ok(!feed.items.some((i) => i.id === permanent), `${format} before`);
    assert.doesNotMatch(JSON.stringify(feed.raw), /Sperrfrist/);
  }
  clock.set('2026-03-10T11:59:59Z');
  await app.services.releases.publishDue();
  assert.ok(!(await searchFeed(app, 'rss', 'q=sperrfrist')).items.some((i) => i.id === permanent));

  clock.set('2026-03-10T12:00:01Z');
  assert.deepEqual(await app.services.releases.publishDue(), [scheduled.id]);
  for (const format of FORMATS) assert.equal((await searchFeed(app, format, 'q=radweg')).items[0]?.id, permanent, `${format} after`);

  await app.services.releases.withdraw(radweg.id, 'Zurückgezogen.');
  for (const format of FORMATS) {
    const feed = await searchFeed(app, format, 'q=radweg');
    assert.ok(!feed.items.some((i) => i.id === `${BASE}/releases/${radweg.id}`), `${format} withdrawn`);
  }
});

test('the search page announces its feeds and links to them and to e-mail alerts', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  await newsroom(ctx);

  const res = await app.inject('/search?q=radweg&topic=verkehr&sort=date');
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  const alternates = $('link[rel=alternate]').toArray().map((el) => [$(el).attr('type'), $(el).attr('href')]);
  assert.deepEqual(alternates, [
    ['application/rss+xml', `${BASE}/search/feed.rss?q=radweg&topic=verkehr`],
    ['application/atom+xml', `${BASE}/search/feed.atom?q=radweg&topic=verkehr`],
    ['application/feed+json', `${BASE}/search/feed.json?q=radweg&topic=verkehr`],
  ]);
  assert.equal($('link[rel=alternate]').first().attr('title'), 'Suche: „radweg“ · Verkehr – Herold (RSS)');
  const visible = $('.search-follow .feed-links a[type]').toArray().map((el) => [$(el).text(), $(el).attr('href')]);
  assert.deepEqual(visible, [
    ['RSS', `${BASE}/search/feed.rss?q=radweg&topic=verkehr`],
    ['Atom', `${BASE}/search/feed.atom?q=radweg&topic=verkehr`],
    ['JSON Feed', `${BASE}/search/feed.json?q=radweg&topic=verkehr`],
  ]);
  const alert = $('.search-alert a');
  assert.equal(alert.text(), 'Bei neuen Treffern per E-Mail benachrichtigen');
  assert.equal(alert.attr('href'), `/subscribe?search=${encodeURIComponent('q=radweg&topic=verkehr')}`);

  // Every visible feed link works.
  for (const [, href] of visible) assert.equal((await app.inject(href!.slice(BASE.length))).statusCode, 200);

  // Without a query or filter there is nothing to follow.
  const empty = cheerio.load((await app.inject('/search')).body);
  assert.equal(empty('link[rel=alternate]').length, 0);
  assert.equal(empty('.search-follow').length, 0);

  // The feeds page explains search feeds.
  const feedsPage = cheerio.load((await app.inject('/feeds')).body);
  assert.equal(feedsPage('#feeds-search').text(), 'Feeds von Suchen');
});

test('hostile query strings on a search feed never cause a 500 and always give well-formed feeds', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  await newsroom(ctx);
  const hostile = [
    'q=%22unbalanced',
    'q=NEAR(radweg',
    'q=*',
    'q=%22',
    'q=-',
    'q=-radweg',
    `q=${'a'.repeat(10_000)}`,
    "q=radweg'%3B%20DROP%20TABLE%20releases%3B--",
    'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    'q=]]%3E%26amp%3B%3C',
    'q=%00%01%FF',
    'q=radweg&office=../../etc&topic=%3C&region=x%22y&from=2026-02-30&to=morgen&lang=xx',
    'q[]=1&office[x]=2',
    'office=' + 'x'.repeat(300),
    Array.from({ length: 60 }, () => 'office=stadt').join('&'),
    'limit=-1',
    'limit=1e3',
    '%E0%A4%A',
    'q=%E0%A4%A',
    'q=radweg&q=kita',
  ];
  for (const query of hostile) {
    for (const format of FORMATS) {
      const res = await app.inject(`/search/feed.${format}?${query}`);
      assert.ok(res.statusCode === 200 || res.statusCode === 400, `${format} ${query.slice(0, 60)}: ${res.statusCode}`);
      if (res.statusCode === 200) parseFeed(format, res.body);
      else assert.match(res.headers['content-type'] as string, /^text\/plain/);
    }
  }
  assert.equal((await app.inject('/search/feed.rss')).statusCode, 200);
});
