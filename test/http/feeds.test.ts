import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { FORMATS, RFC_3339, RFC_822, assertValidatorRules, feedPath, fetchFeed, parseFeed, parseXml, type Format } from '../helpers/feeds.ts';

const CONTENT_TYPES: Record<Format, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Two offices, terms, a release with photo, topics and regions, and one elsewhere. */
const newsroom = async ({ app, clock }: TestApp) => {
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  const other = await createOffice(services, { slug: 'stadtwerke', name: 'Stadtwerke Beispiel' });
  await services.offices.setLogo(office.id, 'offices/landkreis/logo.png');
  const radweg = await createRelease(services, office.id, {
    title: 'Neue Radwege im Nordkreis',
    subtitle: 'Zwölf Kilometer bis 2027',
    topics: ['verkehr', 'umwelt'],
    regions: ['nordkreis'],
    bodyMarkdown: 'Der Kreis baut neue Radwege.\n\nMehr auf [unserer Seite](/offices/landkreis) und [extern](https://www.musterland.example/radwege?a=1&b=2).',
  }, { status: 'published', photos: [{ path: 'releases/1/radweg.jpg', alt: 'Radweg am Fluss', caption: 'Der neue Radweg am Fluss.', credit: 'Kreis Musterland', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 250_000 }] });
  clock.advance(60_000);
  const strom = await createRelease(services, other.id, { title: 'Strompreise sinken', topics: ['soziales'], regions: ['suedkreis'] });
  return { office, other, radweg, strom };
};

test('every feed of every scope and format describes its releases fully', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  const { radweg, strom } = await newsroom(ctx);
  const base = 'http://herold.test';
  const radwegUrl = `${base}/releases/${radweg.id}-${radweg.slug}`;

  const scopes = [
    { listing: '/', ids: [strom.id, radweg.id], title: 'Aktuelle Pressemitteilungen – Herold' },
    { listing: '/offices/landkreis', ids: [radweg.id], title: 'Landkreis Musterland – Herold' },
    { listing: '/offices/stadtwerke', ids: [strom.id], title: 'Stadtwerke Beispiel – Herold' },
    { listing: '/topics/verkehr', ids: [radweg.id], title: 'Thema: Verkehr – Herold' },
    { listing: '/topics/soziales', ids: [strom.id], title: 'Thema: Soziales – Herold' },
    { listing: '/regions/nordkreis', ids: [radweg.id], title: 'Region: Nordkreis – Herold' },
    { listing: '/regions/suedkreis', ids: [strom.id], title: 'Region: Südkreis – Herold' },
  ];
  for (const scope of scopes) {
    for (const format of FORMATS) {
      const label = `${scope.listing} ${format}`;
      const res = await app.inject(feedPath(scope.listing, format));
      assert.equal(res.statusCode, 200, label);
      assert.equal(res.headers['content-type'], CONTENT_TYPES[format], label);
      const feed = parseFeed(format, res.body);
      assert.equal(feed.title, scope.title, label);
      assert.equal(feed.self, `${base}${feedPath(scope.listing, format)}`, label);
      assert.equal(feed.html, `${base}${scope.listing}`, label);
      assert.equal(feed.hub, null, label);
      // Ids are the permanent URLs by id, newest first.
      assert.deepEqual(feed.items.map((i) => i.id), scope.ids.map((id) => `${base}/releases/${id}`), label);
      for (const item of feed.items) {
        if (format === 'rss') {
          assert.match(item.published, RFC_822, label);
          assert.match(item.updated!, RFC_3339, label);
        } else {
          assert.match(item.published, RFC_3339, label);
          assert.match(item.updated!, RFC_3339, label);
        }
      }
      const item = feed.items.find((i) => i.id === `${base}/releases/${radweg.id}`);
      if (!item) continue;
      assert.equal(item.title, 'Neue Radwege im Nordkreis', label);
      assert.equal(item.link, radwegUrl, label);
      assert.equal(new Date(item.published).toISOString(), radweg.publishedAt, label);
      assert.equal(item.author, 'Landkreis Musterland', label);
      assert.equal(item.summary, 'Zwölf Kilometer bis 2027', label);
      assert.deepEqual(item.categories, ['Umwelt', 'Verkehr', 'Nordkreis'], label);
      assert.deepEqual(item.enclosure, { url: `${base}/media/releases/1/radweg.jpg`, type: 'image/jpeg', length: 250_000 }, label);
      // Full content: the photo with caption and credit, the body, absolute links.
      const $ = cheerio.load(item.content);
      assert.equal($('figure img').attr('src'), `${base}/media/releases/1/radweg.jpg`, label);
      assert.equal($('figure img').attr('alt'), 'Radweg am Fluss', label);
      assert.equal($('figcaption').text(), 'Der neue Radweg am Fluss. Foto: Kreis Musterland', label);
      assert.match($('p').first().text(), /^Musterhausen\. Der Kreis baut neue Radwege\.$/, label);
      assert.equal($('a:contains("unserer Seite")').attr('href'), `${base}/offices/landkreis`, label);
      assert.equal($('a:contains("extern")').attr('href'), 'https://www.musterland.example/radwege?a=1&b=2', label);
    }
  }

  // Format specifics: RSS categories carry their listing, media:content the caption and credit;
  // Atom categories their scheme; JSON Feed 1.1 with attachments.
  const rss = parseXml((await app.inject('/offices/landkreis/feed.rss')).body).rss.channel;
  assert.equal(rss.language, 'de');
  assert.equal(rss.generator, 'Herold');
  assert.match(rss.lastBuildDate, RFC_822);
  assert.equal(rss.image.url, `${base}/media/offices/landkreis/logo.png`);
  const rssItem = rss.item[0];
  assert.equal(rssItem.guid['@isPermaLink'], 'false');
  assert.deepEqual(rssItem.category.map((c: any) => c['@domain']), [`${base}/topics/umwelt`, `${base}/topics/verkehr`, `${base}/regions/nordkreis`]);
  const media = rssItem['media:content'];
  assert.equal(media['@url'], `${base}/media/releases/1/radweg.jpg`);
  assert.equal(media['@type'], 'image/jpeg');
  assert.equal(media['@fileSize'], '250000');
  assert.equal(media['media:description']['#text'], 'Der neue Radweg am Fluss.');
  assert.equal(media['media:credit'], 'Foto: Kreis Musterland');

  const atom = parseXml((await app.inject('/offices/landkreis/feed.atom')).body).feed;
  assert.equal(atom.id, `${base}/offices/landkreis/feed.atom`);
  assert.equal(atom.logo, `${base}/media/offices/landkreis/logo.png`);
  assert.match(atom.icon, /^http:\/\/herold\.test\/static\/[0-9a-f]{12}\/img\/favicon\.svg$/);
  assert.match(atom.updated, RFC_3339);
  assert.equal(atom.entry[0].author[0].uri, `${base}/offices/landkreis`);
  assert.deepEqual(atom.entry[0].category.map((c: any) => c['@scheme']), [`${base}/topics`, `${base}/topics`, `${base}/regions`]);

  const json = JSON.parse((await app.inject('/offices/landkreis/feed.json')).body);
  assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(json.language, 'de');
  assert.equal(json.icon, `${base}/media/offices/landkreis/logo.png`);
  assert.equal(json.items[0].image, `${base}/media/releases/1/radweg.jpg`);
  assert.equal(json.items[0].attachments[0].title, 'Der neue Radweg am Fluss.');
  assert.equal(json.items[0].language, 'de');
});

test('hostile titles and bodies give well-formed feeds that say exactly what was written', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt für „Recht & Ordnung“ <Süd>' });
  await app.services.taxonomies.create('topics', 'recht', 'Recht & <Ordnung> "Zitat"');
  const title = 'Tom & Jerry <b>„Zitat“</b> \'x\' ]]> und ]]> wieder ]]> 😀 Größe Übermaß &amp; &lt;';
  const release = await createRelease(app.services, office.id, {
    title: `${title}\u0001\u0008\u000B\u001F\uFFFE`,
    subtitle: 'Sub <script>alert(1)</script> & "mehr" ]]> \u0002',
    dateline: 'Köln & Bonn',
    topics: ['recht'],
    bodyMarkdown: 'Text mit ]]> und <script>alert(2)</script> & Emoji 🎉 \u0007 und [Abschnitt](#teil-2).\n\n`code ]]>`',
  }, { status: 'published', photos: [{ path: 'releases/9/bild & <x>.jpg', alt: 'Alt "Text" & <mehr>', caption: 'Caption ]]> & <i>', credit: 'Foto: A & B', width: 10, height: 10, mime: 'image/jpeg', bytes: 99 }] });
  const expectedTitle = title;
  for (const listing of ['/', '/offices/amt', '/topics/recht']) {
    for (const format of FORMATS) {
      const label = `${listing} ${format}`;
      const res = await app.inject(feedPath(listing, format));
      assert.equal(res.statusCode, 200, label);
      assert.doesNotMatch(res.body, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/, label);
      if (format === 'json') assert.doesNotMatch(res.body, /\\u000[0-8bB]|\\u001[0-9a-fA-F]/, label);
      const feed = parseFeed(format, res.body);
      const [item] = feed.items;
      assert.ok(item, label);
      assert.equal(item.title, expectedTitle, label);
      assert.equal(item.summary, 'Sub <script>alert(1)</script> & "mehr" ]]>', label);
      assert.equal(item.author, 'Amt für „Recht & Ordnung“ <Süd>', label);
      assert.equal(item.categories.length, 1, label);
      assert.match(item.categories[0]!, /^Recht & .Ordnung> "Zitat"$/, label);
      if (format !== 'atom') assert.equal(item.categories[0], 'Recht & <Ordnung> "Zitat"', label);
      const $ = cheerio.load(item.content);
      assert.equal($('script').length, 0, label);
      // Raw HTML in Markdown is shown as text, never run.
      assert.equal($('p').first().text(), 'Köln & Bonn. Text mit ]]> und <script>alert(2)</script> & Emoji 🎉  und Abschnitt.', label);
      assert.equal($('p a').attr('href'), `http://herold.test/releases/${release.id}-${release.slug}#teil-2`, label);
      assert.equal($('code').text(), 'code ]]>', label);
      assert.equal($('figcaption').text(), 'Caption ]]> & <i> Foto: A & B', label);
      assert.equal($('figure img').attr('alt'), 'Alt "Text" & <mehr>', label);
      assert.equal($('figure img').attr('src'), 'http://herold.test/media/releases/9/bild%20%26%20%3Cx%3E.jpg', label);
      assert.equal(item.enclosure?.url, 'http://herold.test/media/releases/9/bild%20%26%20%3Cx%3E.jpg', label);
    }
  }
});

test('conditional GET: ETag and Last-Modified give 304 until the content changes; compressed and cached', async (t) => {
  const ctx = await buildTestApp(t);
  const { app, clock, db } = ctx;
  const { office } = await newsroom(ctx);
  clock.advance(5_000);
  for (const format of FORMATS) {
    const url = feedPath('/offices/landkreis', format);
    const first = await app.inject(url);
    assert.equal(first.statusCode, 200);
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(new Date(lastModified).toISOString(), '2026-03-10T10:01:00.000Z');
    assert.equal(first.headers['cache-control'], 'public, max-age=300');
    assert.equal(first.headers.vary, 'accept-encoding');

    for (const headers of [{ 'if-none-match': etag }, { 'if-none-match': `W/${etag}, "other"` }, { 'if-modified-since': lastModified }, { 'if-modified-since': new Date(Date.parse(lastModified) + 60_000).toUTCString() }]) {
      const again = await app.inject({ url, headers });
      assert.equal(again.statusCode, 304, JSON.stringify(headers));
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['last-modified'], lastModified);
    }
    for (const headers of [{ 'if-none-match': '"stale"' }, { 'if-none-match': '"stale"', 'if-modified-since': lastModified }, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() }, { 'if-modified-since': 'gestern' }]) {
      assert.equal((await app.inject({ url, headers })).statusCode, 200, JSON.stringify(headers));
    }

    // Compressed answers decode to the same body.
    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), first.body);
    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzip.rawPayload).toString(), first.body);
    assert.equal((await app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } })).headers['content-encoding'], undefined);
  }

  // The rendered feed is kept: a change behind the services' back (no content version bump) does not show…
  await db.db.updateTable('releases').set({ title: 'Heimlich geändert' }).execute();
  const cached = await fetchFeed(app, '/offices/landkreis', 'rss');
  assert.equal(cached.items[0]!.title, 'Neue Radwege im Nordkreis');

  // …a publication does, with new validators.
  const before = await app.inject('/offices/landkreis/feed.atom');
  clock.advance(10_000);
  await createRelease(app.services, office.id, { title: 'Neue Mitteilung' });
  const after = await app.inject({ url: '/offices/landkreis/feed.atom', headers: { 'if-none-match': before.headers.etag as string } });
  assert.equal(after.statusCode, 200);
  assert.notEqual(after.headers.etag, before.headers.etag);
  assert.equal(new Date(after.headers['last-modified'] as string).toISOString(), '2026-03-10T10:01:15.000Z');
  assert.deepEqual(parseFeed('atom', after.body).items.map((i) => i.title), ['Neue Mitteilung', 'Heimlich geändert']);
  const sinceBefore = await app.inject({ url: '/offices/landkreis/feed.atom', headers: { 'if-modified-since': before.headers['last-modified'] as string } });
  assert.equal(sinceBefore.statusCode, 200);
});

test('pages carry Last-Modified too and answer If-Modified-Since', async (t) => {
  const ctx = await buildTestApp(t);
  await newsroom(ctx);
  const first = await ctx.app.inject('/offices/landkreis');
  assert.equal(first.statusCode, 200);
  assert.ok(first.headers.etag);
  assert.equal(first.headers['cache-control'], 'public, max-age=60');
  const again = await ctx.app.inject({ url: '/offices/landkreis', headers: { 'if-modified-since': first.headers['last-modified'] as string } });
  assert.equal(again.statusCode, 304);
});

test('embargo: a scheduled release is in no feed before its time and in every matching feed after', async (t) => {
  const ctx = await buildTestApp(t);
  const { app, clock } = ctx;
  await newsroom(ctx);
  const office = await app.services.offices.findBySlug('landkreis');
  const scheduled = await createRelease(app.services, office!.id, { title: 'Sperrfrist bis Mittag', topics: ['verkehr'], regions: ['suedkreis'] }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  const listings = ['/', '/offices/landkreis', '/topics/verkehr', '/regions/suedkreis'];
  const permanent = `http://herold.test/releases/${scheduled.id}`;
  for (const listing of listings) {
    for (const format of FORMATS) {
      const feed = await fetchFeed(app, listing, format);
      assert.ok(!feed.items.some((i) => i.id === permanent), `${listing} ${format} before`);
      assert.doesNotMatch(JSON.stringify(feed.raw), /Sperrfrist/);
    }
  }
  clock.set('2026-03-10T11:59:59Z');
  assert.deepEqual(await app.services.releases.publishDue(), []);
  assert.ok(!(await fetchFeed(app, '/', 'rss')).items.some((i) => i.id === permanent));

  clock.set('2026-03-10T12:00:01Z');
  assert.deepEqual(await app.services.releases.publishDue(), [scheduled.id]);
  for (const listing of listings) {
    for (const format of FORMATS) {
      const feed = await fetchFeed(app, listing, format);
      assert.equal(feed.items[0]?.id, permanent, `${listing} ${format} after`);
      assert.equal(new Date(feed.items[0]!.published).toISOString(), '2026-03-10T12:00:00.000Z');
    }
  }
  assert.ok(!(await fetchFeed(app, '/offices/stadtwerke', 'json')).items.some((i) => i.id === permanent));
});

test('a correction shows its date and note; a new title keeps the id; a withdrawal leaves every feed', async (t) => {
  const ctx = await buildTestApp(t);
  const { app, clock } = ctx;
  const { radweg } = await newsroom(ctx);
  for (const format of FORMATS) await fetchFeed(app, '/topics/verkehr', format);

  clock.set('2026-03-10T14:30:00Z');
  await app.services.releases.correct(radweg.id, releaseInput({ title: 'Neue Radwege im Nordkreis und Südkreis', topics: ['verkehr'], regions: ['nordkreis'], bodyMarkdown: 'Der Kreis baut 14 Kilometer.' }), 'Die Länge war falsch angegeben.');
  for (const format of FORMATS) {
    const feed = await fetchFeed(app, '/topics/verkehr', format);
    const [item] = feed.items;
    assert.equal(item!.id, `http://herold.test/releases/${radweg.id}`, format);
    assert.equal(item!.title, 'Neue Radwege im Nordkreis und Südkreis', format);
    const current = await app.services.releases.findById(radweg.id);
    assert.equal(item!.link, `http://herold.test/releases/${radweg.id}-${current!.slug}`, format);
    assert.equal(new Date(item!.updated!).toISOString(), '2026-03-10T14:30:00.000Z', format);
    assert.equal(new Date(item!.published).toISOString(), radweg.publishedAt, format);
    const $ = cheerio.load(item!.content);
    assert.equal($('p').first().text(), 'Korrigiert am 10.03.2026, 15:30 Uhr: Die Länge war falsch angegeben.', format);
    assert.match(item!.content, /14 Kilometer/, format);
  }
  const rss = parseXml((await app.inject('/topics/verkehr/feed.rss')).body).rss.channel;
  assert.equal(rss.item[0]['atom:updated'], '2026-03-10T14:30:00.000Z');

  clock.advance(60_000);
  await app.services.releases.withdraw(radweg.id, 'Zurückgezogen.');
  for (const listing of ['/', '/offices/landkreis', '/topics/verkehr', '/topics/umwelt', '/regions/nordkreis']) {
    for (const format of FORMATS) {
      const feed = await fetchFeed(app, listing, format);
      assert.ok(!feed.items.some((i) => i.id === `http://herold.test/releases/${radweg.id}`), `${listing} ${format}`);
    }
  }
});

test('limit: default 20, at most 100; a bad limit is a 400 that says why; unknown listings are 404', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'viel' });
  for (let i = 1; i <= 105; i++) {
    await createRelease(app.services, office.id, { title: `Mitteilung ${i}` });
    clock.advance(1000);
  }
  for (const format of FORMATS) {
    assert.equal((await fetchFeed(app, '/', format)).items.length, 20, format);
    assert.equal((await fetchFeed(app, '/offices/viel', format, '?limit=1')).items[0]?.title, 'Mitteilung 105', format);
    assert.equal((await fetchFeed(app, '/', format, '?limit=100')).items.length, 100, format);
    assert.equal((await fetchFeed(app, '/', format, '?limit=5&utm_source=x')).items.length, 5, format);
    for (const bad of ['0', '101', '-1', 'abc', '1.5', '', '99999999999999']) {
      const res = await app.inject(`${feedPath('/', format)}?limit=${bad}`);
      assert.equal(res.statusCode, 400, `${format} ${bad}`);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.equal(res.body, '400 limit must be a whole number from 1 to 100 (default 20)\n');
    }
    for (const listing of ['/offices/unbekannt', '/topics/unbekannt', '/regions/unbekannt', `/offices/${'x'.repeat(150)}`, '/offices/%3Cscript%3E']) {
      const res = await app.inject(feedPath(listing, format));
      assert.equal(res.statusCode, 404, `${listing} ${format}`);
      assert.equal(res.body, '404 Not found\n');
    }
  }
});

test('listing and release pages announce their feeds and link them visibly', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  const { radweg } = await newsroom(ctx);
  const pages = [
    { url: '/', listing: '/', title: 'Aktuelle Pressemitteilungen – Herold' },
    { url: '/offices/landkreis', listing: '/offices/landkreis', title: 'Landkreis Musterland – Herold' },
    { url: '/topics/verkehr', listing: '/topics/verkehr', title: 'Thema: Verkehr – Herold' },
    { url: '/regions/nordkreis', listing: '/regions/nordkreis', title: 'Region: Nordkreis – Herold' },
    { url: `/releases/${radweg.id}-${radweg.slug}`, listing: '/offices/landkreis', title: 'Landkreis Musterland – Herold' },
  ];
  for (const page of pages) {
    const res = await app.inject(page.url);
    assert.equal(res.statusCode, 200, page.url);
    const $ = cheerio.load(res.body);
    // Feeds; the ActivityPub alternate (office and release pages) is checked below.
    const alternates = $('head link[rel=alternate]:not([type="application/activity+json"])').map((_, el) => ({ type: $(el).attr('type'), title: $(el).attr('title'), href: $(el).attr('href') })).get();
    assert.deepEqual(alternates, [
      { type: 'application/rss+xml', title: `${page.title} (RSS)`, href: `http://herold.test${feedPath(page.listing, 'rss')}` },
      { type: 'application/atom+xml', title: `${page.title} (Atom)`, href: `http://herold.test${feedPath(page.listing, 'atom')}` },
      { type: 'application/feed+json', title: `${page.title} (JSON Feed)`, href: `http://herold.test${feedPath(page.listing, 'json')}` },
    ], page.url);
    const visible = $('.feed-links a[type]').map((_, el) => `${$(el).text()} ${$(el).attr('href')}`).get();
    assert.deepEqual(visible, FORMATS.map((f, i) => `${['RSS', 'Atom', 'JSON Feed'][i]} http://herold.test${feedPath(page.listing, f)}`), page.url);
    assert.equal($('.feed-links a.feed-help').attr('href'), '/feeds');
    for (const { href } of alternates) assert.equal((await app.inject(href!.replace('http://herold.test', ''))).statusCode, 200, href);
  }
  const release = cheerio.load((await app.inject(`/releases/${radweg.id}-${radweg.slug}`)).body);
  // Fediverse software that is given a page finds its ActivityPub object.
  const activity = release('head link[rel=alternate][type="application/activity+json"]').attr('href');
  assert.equal(activity, `http://herold.test/ap/releases/${radweg.id}`);
  assert.equal((await app.inject({ url: `/ap/releases/${radweg.id}`, headers: { accept: 'application/activity+json' } })).statusCode, 200);
  const officeActor = cheerio.load((await app.inject('/offices/landkreis')).body)('head link[rel=alternate][type="application/activity+json"]').attr('href');
  assert.equal(officeActor, 'http://herold.test/ap/offices/landkreis');
  assert.equal(release('.platform-footer a[href="/offices/landkreis/feed.rss"]').text(), 'Feed dieser Pressestelle');
  // An archive month has no feed.
  const archive = cheerio.load((await app.inject('/archive/2026/03')).body);
  assert.equal(archive('link[rel=alternate]').length, 0);
  assert.equal(archive('.feed-links').length, 0);
  assert.equal(cheerio.load((await app.inject('/')).body)('footer a[href="/feeds"]').text(), 'Feeds');
});

test('feeds page explains feeds and lists every feed; OPML lists every feed, and each office has its own', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  await newsroom(ctx);
  const res = await app.inject('/feeds');
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  assert.equal($('h1').text(), 'Feeds abonnieren');
  assert.deepEqual($('main h2').map((_, el) => $(el).text()).get(), ['Was ist ein Feed?', 'So abonnieren Sie einen Feed', 'Welches Format?', 'Feeds von Suchen', 'Alle Feeds auf einmal', 'Alle Feeds']);
  assert.equal($('.feeds-steps li').length, 3);
  assert.deepEqual($('main h3').map((_, el) => $(el).text()).get(), ['Pressestellen', 'Themen', 'Regionen']);
  const listings = $('.feeds-list a.feeds-listing').map((_, el) => $(el).attr('href')).get();
  assert.deepEqual(listings, ['/', '/offices/landkreis', '/offices/stadtwerke', '/topics/soziales', '/topics/umwelt', '/topics/verkehr', '/regions/nordkreis', '/regions/suedkreis']);
  const feedHrefs = $('.feeds-list a[type]:not([type="text/x-opml"])').map((_, el) => $(el).attr('href')!.replace('http://herold.test', '')).get();
  assert.equal(feedHrefs.length, listings.length * 3);
  for (const href of feedHrefs) assert.equal((await app.inject(href)).statusCode, 200, href);
  // The name a screen reader gives a feed link starts with what is seen (WCAG 2.5.3), then says whose.
  const rss = $('.feeds-list a[type="application/rss+xml"]');
  assert.equal(rss.first().attr('aria-label'), undefined);
  assert.equal(rss.first().text(), `RSS: ${$('.feeds-list a.feeds-listing').first().text()}`);
  assert.equal(rss.eq(1).text(), 'RSS: Landkreis Musterland');
  assert.equal(rss.eq(1).find('.visually-hidden').text(), ': Landkreis Musterland');
  assert.equal($('a.opml-link').attr('href'), '/feeds.opml');
  assert.equal($('link[rel=alternate]').length, 3);

  const opml = await app.inject('/feeds.opml');
  assert.equal(opml.statusCode, 200);
  assert.equal(opml.headers['content-type'], 'text/x-opml; charset=utf-8');
  const doc = parseXml(opml.body).opml;
  assert.equal(doc['@version'], '2.0');
  assert.equal(doc.head.title, 'Alle Feeds auf Herold');
  const row = (o: any) => [o['@text'], o['@type'], o['@xmlUrl'], o['@htmlUrl']];
  assert.deepEqual(row(doc.body.outline[0]), ['Alle Pressemitteilungen', 'rss', 'http://herold.test/feed.rss', 'http://herold.test/']);
  assert.deepEqual(doc.body.outline.slice(1).map((g: any) => [g['@text'], g.outline.map(row)]), [
    ['Pressestellen', [
      ['Landkreis Musterland', 'rss', 'http://herold.test/offices/landkreis/feed.rss', 'http://herold.test/offices/landkreis'],
      ['Stadtwerke Beispiel', 'rss', 'http://herold.test/offices/stadtwerke/feed.rss', 'http://herold.test/offices/stadtwerke'],
    ]],
    ['Themen', [['soziales', 'Soziales'], ['umwelt', 'Umwelt'], ['verkehr', 'Verkehr']].map(([slug, name]) => [`Thema: ${name}`, 'rss', `http://herold.test/topics/${slug}/feed.rss`, `http://herold.test/topics/${slug}`])],
    ['Regionen', [['nordkreis', 'Nordkreis'], ['suedkreis', 'Südkreis']].map(([slug, name]) => [`Region: ${name}`, 'rss', `http://herold.test/regions/${slug}/feed.rss`, `http://herold.test/regions/${slug}`])],
  ]);
  // Every feed it names answers.
  const xmlUrls = opml.body.match(/xmlUrl="[^"]+"/g)!.map((x) => x.slice(8, -1).replace('http://herold.test', ''));
  assert.equal(xmlUrls.length, 8);
  for (const href of xmlUrls) assert.equal((await app.inject(href)).statusCode, 200, href);

  // Each office's own OPML, linked from /feeds and from the office's page.
  assert.equal($('.feeds-list a[type="text/x-opml"]').first().attr('href'), '/offices/landkreis/feeds.opml');
  const officePage = cheerio.load((await app.inject('/offices/landkreis')).body);
  assert.equal(officePage('a.opml-link').attr('href'), '/offices/landkreis/feeds.opml');
  const own = await app.inject('/offices/landkreis/feeds.opml');
  assert.equal(own.statusCode, 200);
  assert.equal(own.headers['content-type'], 'text/x-opml; charset=utf-8');
  const ownDoc = parseXml(own.body).opml;
  assert.equal(ownDoc.head.title, 'Feeds von Landkreis Musterland auf Herold');
  assert.deepEqual(ownDoc.body.outline.map(row), [['Landkreis Musterland', 'rss', 'http://herold.test/offices/landkreis/feed.rss', 'http://herold.test/offices/landkreis']]);
  assert.equal((await app.inject('/offices/gibt-es-nicht/feeds.opml')).statusCode, 404);

  const english = cheerio.load((await app.inject({ url: '/feeds', headers: { cookie: 'herold_lang=en' } })).body);
  assert.equal(english('h1').text(), 'Subscribe to feeds');
});

test('every feed kind keeps the W3C feed validator\'s rules: all, office, topic, region, searches with spaces and umlauts', async (t) => {
  const ctx = await buildTestApp(t);
  const { app, clock } = ctx;
  const { office } = await newsroom(ctx);
  clock.advance(60_000);
  // Markup-like text and control characters that came in before the input rule: plain titles, nothing raw.
  await createRelease(app.services, office.id, { title: 'Brücke <b>Bau</b> & Co\u0001\u001B', subtitle: 'Zeile\u000B zwei', topics: ['verkehr'], regions: ['nordkreis'], bodyMarkdown: 'Die Brücke\u0085 wird gebaut.' });
  const paths = [
    '/feed.FORMAT',
    '/offices/landkreis/feed.FORMAT',
    '/topics/verkehr/feed.FORMAT',
    '/regions/nordkreis/feed.FORMAT',
    '/offices/landkreis/feed.FORMAT?limit=5',
    '/search/feed.FORMAT?q=Br%C3%BCcke%20Bau',
    '/search/feed.FORMAT?q=Br%C3%BCcke%20Bau&office=landkreis&topic=verkehr&limit=3',
    '/search/feed.FORMAT?q=%22Neue%20Radwege%22%20Nordkreis',
    '/search/feed.FORMAT?office=landkreis',
  ];
  for (const path of paths) {
    for (const format of FORMATS) {
      const url = path.replace('FORMAT', format);
      const res = await app.inject(url);
      assert.equal(res.statusCode, 200, url);
      assertValidatorRules(format, res.body, `http://herold.test${url}`);
    }
  }
  const rss = parseFeed('rss', (await app.inject('/search/feed.rss?q=Br%C3%BCcke%20Bau')).body);
  assert.equal(rss.items[0]!.title, 'Brücke <b>Bau</b> & Co');
  // A search without words or filters describes itself without repeating „Suche“.
  const empty = parseXml((await app.inject('/search/feed.rss')).body);
  assert.equal(empty.rss.channel.description, 'Neue Pressemitteilungen auf Herold, neueste zuerst.');
  assert.doesNotMatch((await app.inject('/search/feed.rss?q=Radweg')).body, /die die|Suche Suche/);
});
