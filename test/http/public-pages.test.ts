import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock, createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

/** Every address in the sitemaps the sitemap index lists. */
const sitemapLocs = async (app: Awaited<ReturnType<typeof buildTestApp>>['app']): Promise<string[]> => {
  const locsOf = (xml: string, selector: string) => {
    const $ = cheerio.load(xml, { xml: true });
    return $(selector).map((_, el) => $(el).text()).get();
  };
  const files = locsOf((await app.inject('/sitemap.xml')).body, 'sitemapindex > sitemap > loc');
  const locs: string[] = [];
  for (const file of files) {
    const res = await app.inject(new URL(file).pathname);
    assert.equal(res.statusCode, 200, file);
    locs.push(...locsOf(res.body, 'urlset > url > loc'));
  }
  return locs;
};

const get = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], url: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url, headers });
  return { res, $: cheerio.load(res.body) };
};

test('home page lists published releases, newest first, and nothing unpublished', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { name: 'Landkreis Musterland' });
  const older = await createRelease(services, office.id, { title: 'Ältere Mitteilung' });
  clock.advance(60_000);
  const newer = await createRelease(services, office.id, { title: 'Neuere Mitteilung' });
  await createRelease(services, office.id, { title: 'Geheimer Entwurf' }, { status: 'draft' });
  await createRelease(services, office.id, { title: 'Geplante Mitteilung' }, { status: 'scheduled', publishAt: '2026-03-11T08:00:00Z' });
  const withdrawn = await createRelease(services, office.id, { title: 'Zurückgezogene Mitteilung' });
  await services.releases.withdraw(withdrawn.id, 'Falsche Zahlen');

  const { res, $ } = await get(app, '/');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html; charset=utf-8/);
  assert.equal($('html').attr('lang'), 'de');
  const titles = $('.release-list .card-title').map((_, el) => $(el).text().trim()).get();
  assert.deepEqual(titles, ['Neuere Mitteilung', 'Ältere Mitteilung']);
  assert.equal($(`.card-title a[href="/releases/${newer.id}-${newer.slug}"]`).length, 1);
  assert.equal($(`a[href^="/releases/${older.id}-"]`).length, 1);
  // Landmarks and skip link.
  assert.equal($('a.skip-link[href="#main"]').length, 1);
  assert.equal($('main#main').length, 1);
  assert.equal($('header nav[aria-label]').length, 1);
  assert.equal($('h1').length, 1);
});

test('release page shows everything a journalist needs, in order', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { name: 'Landkreis Musterland' });
  const release = await createRelease(services, office.id, {
    title: 'Neue Radwege im Nordkreis',
    subtitle: 'Zwölf Kilometer bis 2027',
    dateline: 'Musterhausen',
    topics: ['verkehr'],
    regions: ['nordkreis'],
    bodyMarkdown: 'Der Kreis baut neue Radwege.\n\n## Hintergrund\n\n- erster Punkt\n- zweiter Punkt\n\nMehr unter [der Website](https://www.musterhausen.example).',
  }, { status: 'published', photos: [{ path: 'releases/1/a.jpg', alt: 'Radweg am Fluss', caption: 'Der neue Radweg am Fluss.', credit: 'Kreis Musterland', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 250_000 }] });

  const { res, $ } = await get(app, `/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  const article = $('article.release');
  assert.equal(article.find('h1').text().trim(), 'Neue Radwege im Nordkreis');
  assert.equal(article.find('.release-subtitle').text().trim(), 'Zwölf Kilometer bis 2027');
  assert.equal(article.find('.release-date time').attr('datetime'), '2026-03-09');
  assert.equal(article.find('.release-date time').text(), '09.03.2026');
  assert.equal(article.find('.release-office').text().trim(), 'Landkreis Musterland');
  // The dateline leads into the first paragraph.
  const firstParagraph = article.find('.release-body p').first();
  assert.equal(firstParagraph.find('.dateline').text(), 'Musterhausen.');
  assert.match(firstParagraph.text(), /^Musterhausen\. Der Kreis baut neue Radwege\.$/);
  assert.equal(article.find('.release-body h2').text(), 'Hintergrund');
  assert.equal(article.find('.release-body ul li').length, 2);
  assert.equal(article.find('.release-body a[href="https://www.musterhausen.example"]').length, 1);
  const figure = article.find('figure.photo');
  assert.equal(figure.find('img').attr('alt'), 'Radweg am Fluss');
  assert.match(figure.find('figcaption').text(), /Der neue Radweg am Fluss\./);
  assert.match(figure.find('figcaption').text(), /Foto: Kreis Musterland/);
  assert.equal(figure.find('a[download]').attr('href'), `/releases/${release.id}/photos/${release.slug}-${release.id}-foto-1.jpg`);
  const address = article.find('address.contact');
  assert.match(address.text(), /STADT MUSTERHAUSEN/);
  assert.match(address.text(), /Pressesprecherin Erika Beispiel/);
  assert.match(address.text(), /Fax: 01234\/567-99/);
  assert.equal(address.find('a[href="mailto:presse@musterhausen.example"]').length, 1);
  assert.equal(article.find('.notice p').text(), 'Abdruck honorarfrei.');
  assert.match(article.find('.platform-footer').text(), /Landkreis Musterland ist Mitglied bei Herold/);
  assert.equal(article.find('a[href="/topics/verkehr"]').text(), 'Verkehr');
  assert.equal(article.find('a[href="/regions/nordkreis"]').text(), 'Nordkreis');
  // Order: head, body, photos, contact, notice, footer.
  const order = ['.release-head', '.release-body', '.photos', '.release-contact', '.notice', '.platform-footer'].map((sel) => article.find(sel).index());
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  // Interop.
  assert.equal($('link[rel=canonical]').attr('href'), `http://herold.test/releases/${release.id}-${release.slug}`);
  assert.equal($('meta[property="og:title"]').attr('content'), 'Neue Radwege im Nordkreis');
  assert.equal($('meta[property="og:image"]').attr('content'), 'http://herold.test/media/releases/1/a.jpg');
  const ld = JSON.parse($('script[type="application/ld+json"]').text());
  assert.equal(ld['@type'], 'NewsArticle');
  assert.equal(ld.headline, 'Neue Radwege im Nordkreis');
  assert.equal(ld.publisher.name, 'Landkreis Musterland');
  assert.deepEqual(ld.image, ['http://herold.test/media/releases/1/a.jpg']);
  assert.ok(ld.datePublished && ld.dateModified);
});

test('release URLs: other forms redirect to the canonical one; unknown ids are 404', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Ein Titel' });
  for (const url of [`/releases/${release.id}`, `/releases/${release.id}-alter-titel`]) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/releases/${release.id}-ein-titel`);
  }
  for (const url of ['/releases/999999', '/releases/abc', '/releases/1x', '/releases/99999999999999999999']) {
    const { res, $ } = await get(app, url);
    assert.equal(res.statusCode, 404, url);
    assert.equal($('h1').text(), 'Seite nicht gefunden');
  }
});

test('drafts and scheduled releases are invisible until their time; then visible', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const draft = await createRelease(app.services, office.id, { title: 'Entwurf' }, { status: 'draft' });
  const scheduled = await createRelease(app.services, office.id, { title: 'Sperrfrist' }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  for (const id of [draft.id, scheduled.id]) {
    assert.equal((await app.inject(`/releases/${id}`)).statusCode, 404);
    assert.equal((await app.inject(`/releases/${id}.txt`)).statusCode, 404);
  }
  const before = await get(app, `/offices/${office.slug}`);
  assert.equal(before.$('.card-title').length, 0);
  assert.ok(!(await sitemapLocs(app)).some((loc) => /sperrfrist|releases\/2-/.test(loc)));

  clock.set('2026-03-10T12:00:01Z');
  await app.services.releases.publishDue();
  assert.equal((await app.inject(`/releases/${scheduled.id}-sperrfrist`)).statusCode, 200);
  const after = await get(app, `/offices/${office.slug}`);
  assert.deepEqual(after.$('.card-title').map((_, el) => after.$(el).text().trim()).get(), ['Sperrfrist']);
  assert.ok((await sitemapLocs(app)).includes(`http://herold.test/releases/${scheduled.id}-sperrfrist`));
});

test('withdrawn release shows the notice instead of the body and leaves listings', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Falsche Zahlen', bodyMarkdown: 'Geheimer Inhalt, der weg muss.' });
  await app.services.releases.withdraw(release.id, 'Die Zahlen waren falsch.');
  const { res, $ } = await get(app, `/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  assert.equal($('.withdrawn-notice h2').text(), 'Diese Pressemitteilung wurde zurückgezogen');
  assert.match($('.withdrawn-notice').text(), /Die Zahlen waren falsch\./);
  assert.equal($('.release-body').length, 0);
  assert.doesNotMatch(res.body, /Geheimer Inhalt/);
  assert.equal((await get(app, '/')).$('.card-title').length, 0);
});

test('corrected release shows its correction notes', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Konzert', bodyMarkdown: 'Beginn 19 Uhr.' });
  clock.advance(3_600_000);
  await app.services.releases.correct(release.id, { ...(await import('../helpers/factories.ts')).releaseInput({ title: 'Konzert', bodyMarkdown: 'Beginn 18 Uhr.' }) }, 'Beginn ist 18 Uhr, nicht 19 Uhr.');
  const { $ } = await get(app, `/releases/${release.id}-konzert`);
  assert.equal($('.corrections li').length, 1);
  assert.match($('.corrections li').text(), /Beginn ist 18 Uhr, nicht 19 Uhr\./);
  assert.match($('.corrections li time').text(), /10\.03\.2026, 12:00 Uhr/);
  assert.match($('.release-body').text(), /Beginn 18 Uhr/);
});

test('hostile Markdown is sanitised', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, {
    title: '<script>alert("t")</script>',
    bodyMarkdown: 'Hallo <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[klick](javascript:alert(3)) [data](data:text/html;base64,xx)\n\n<a href="#" onclick="alert(4)">x</a>',
  });
  const { res, $ } = await get(app, `/releases/${release.id}`);
  const page = await app.inject(res.headers.location as string);
  const doc = cheerio.load(page.body);
  assert.equal(doc('.release-body script').length, 0);
  assert.equal(doc('.release-body img').length, 0);
  assert.equal(doc('[onerror], [onclick]').length, 0);
  assert.equal(doc('.release-body a[href^="javascript:"]').length, 0);
  assert.equal(doc('.release-body a[href^="data:"]').length, 0);
  assert.equal(doc('h1.release-title').text(), '<script>alert("t")</script>');
  // Only the site's own scripts (the print date) and structured data: nothing from the text.
  assert.deepEqual(doc('script:not([type="application/ld+json"])').map((_, el) => doc(el).attr('src') ?? 'inline').get().filter((src) => !/^\/static\/[0-9a-f]+\/js\/print\.js$/.test(src)), []);
  assert.ok($);
});

test('office, topic, region, directory and archive pages', async (t) => {
  const { app } = await buildTestApp(t);
  await ensureTerms(app.services);
  const office = await createOffice(app.services, { slug: 'stadt-musterhausen', name: 'Stadt Musterhausen' });
  const other = await createOffice(app.services, { slug: 'kreis-beispiel', name: 'Kreis Beispiel' });
  await createRelease(app.services, office.id, { title: 'Umweltpreis', topics: ['umwelt'], regions: ['nordkreis'], releaseDate: '2026-02-14' });
  await createRelease(app.services, other.id, { title: 'Baustelle', topics: ['verkehr'], regions: ['suedkreis'] });

  const directory = await get(app, '/offices');
  assert.deepEqual(directory.$('.office-card h2').map((_, el) => directory.$(el).text()).get(), ['Kreis Beispiel', 'Stadt Musterhausen']);

  const officePage = await get(app, '/offices/stadt-musterhausen');
  assert.equal(officePage.$('h1').text(), 'Stadt Musterhausen');
  assert.match(officePage.$('.office-description').html() ?? '', /<strong>alles Wichtige<\/strong>/);
  assert.equal(officePage.$('.office-contacts address').length, 1);
  assert.deepEqual(officePage.$('.card-title').map((_, el) => officePage.$(el).text().trim()).get(), ['Umweltpreis']);

  const topic = await get(app, '/topics/verkehr');
  assert.equal(topic.$('h1').text(), 'Thema: Verkehr');
  assert.deepEqual(topic.$('.card-title').map((_, el) => topic.$(el).text().trim()).get(), ['Baustelle']);
  const region = await get(app, '/regions/nordkreis');
  assert.deepEqual(region.$('.card-title').map((_, el) => region.$(el).text().trim()).get(), ['Umweltpreis']);

  const archive = await get(app, '/archive');
  assert.deepEqual(archive.$('.archive-months a').map((_, el) => archive.$(el).attr('href')).get(), ['/archive/2026/03', '/archive/2026/02']);
  const month = await get(app, '/archive/2026/02');
  assert.equal(month.$('h1').text(), 'Archiv Februar 2026');
  assert.deepEqual(month.$('.card-title').map((_, el) => month.$(el).text().trim()).get(), ['Umweltpreis']);

  for (const url of ['/offices/unbekannt', '/topics/nix', '/regions/nix', '/offices/%3Cscript%3E']) {
    assert.equal((await app.inject(url)).statusCode, 404, url);
  }
  for (const url of ['/archive/2026/13', '/archive/abc/01', '/archive/2026/00']) {
    assert.equal((await app.inject(url)).statusCode, 400, url);
  }
});

test('pagination: stable URLs, bad page numbers give 400, pages past the end the nearest page', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  for (let i = 1; i <= 45; i++) {
    await createRelease(app.services, office.id, { title: `Mitteilung Nummer ${i}` });
    clock.advance(1000);
  }
  const first = await get(app, '/');
  assert.equal(first.$('.card-title').length, 20);
  assert.equal(first.$('.card-title').first().text().trim(), 'Mitteilung Nummer 45');
  assert.equal(first.$('.pagination a[rel=next]').attr('href'), '/?page=2');
  const third = await get(app, '/?page=3');
  assert.equal(third.$('.card-title').length, 5);
  assert.equal(third.$('.pagination a[rel=prev]').attr('href'), '/?page=2');
  assert.equal(third.$('.pagination a[rel=next]').length, 0);
  const past = await app.inject('/?page=99');
  assert.equal(past.statusCode, 302);
  assert.equal(past.headers.location, '/?page=3');
  for (const bad of ['0', '-1', 'abc', '1.5', '99999999999']) {
    const res = await get(app, `/?page=${bad}`);
    assert.equal(res.res.statusCode, 400, bad);
    assert.equal(res.$('h1').text(), 'Ungültige Anfrage');
  }
});

test('English UI with LANG=en and by the language switch', async (t) => {
  const { app } = await buildTestApp(t, { env: { LANG: 'en' } });
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Titel' });
  const { $ } = await get(app, `/releases/${release.id}-titel`);
  assert.equal($('html').attr('lang'), 'en');
  assert.equal($('.release-date time').text(), '9 Mar 2026');
  assert.match($('.release-date').text(), /Release date/);
  const sw = await app.inject('/language/de?next=/offices');
  assert.equal(sw.statusCode, 303);
  assert.equal(sw.headers.location, '/offices');
  const cookie = String(sw.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const german = await get(app, '/offices', { cookie: cookie.split(';')[0]! });
  assert.equal(german.$('html').attr('lang'), 'de');
  assert.equal(german.$('h1').text(), 'Pressestellen');
  const evil = await app.inject('/language/de?next=//evil.example');
  assert.equal(evil.headers.location, '/');
});

test('sitemap, robots, 404 page, static assets and cache validators', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Im Sitemap' });
  const index = await app.inject('/sitemap.xml');
  assert.equal(index.statusCode, 200);
  assert.match(index.headers['content-type'] as string, /application\/xml/);
  // An index of sitemaps: the listing pages, and the releases of each month with releases.
  const files = cheerio.load(index.body, { xml: true })('sitemapindex > sitemap > loc').map((_, el) => cheerio.load(index.body, { xml: true })(el).text()).get();
  const month = release.releaseDate.slice(0, 7);
  assert.deepEqual(files, ['http://herold.test/sitemaps/pages.xml', `http://herold.test/sitemaps/releases-${month}.xml`]);
  const locs = await sitemapLocs(app);
  assert.ok(locs.includes(`http://herold.test/releases/${release.id}-im-sitemap`));
  assert.ok(locs.includes(`http://herold.test/offices/${office.slug}`));
  const monthly = cheerio.load((await app.inject(`/sitemaps/releases-${month}.xml`)).body, { xml: true });
  assert.match(monthly('url > lastmod').first().text(), /^\d{4}-\d{2}-\d{2}T/);
  // A month without releases, a part beyond the last, and any other name are not found.
  for (const url of ['/sitemaps/releases-1999-01.xml', `/sitemaps/releases-${month}-2.xml`, '/sitemaps/releases-2026-13.xml', '/sitemaps/etwas.xml']) assert.equal((await app.inject(url)).statusCode, 404, url);
  const robots = await app.inject('/robots.txt');
  assert.match(robots.body, /Sitemap: http:\/\/herold\.test\/sitemap\.xml/);
  assert.match(robots.body, /Disallow: \/admin/);

  const notFound = await get(app, '/gibt-es-nicht');
  assert.equal(notFound.res.statusCode, 404);
  assert.equal(notFound.$('h1').text(), 'Seite nicht gefunden');
  assert.equal(notFound.$('main').length, 1);

  const home = await get(app, '/');
  const css = home.$('link[rel=stylesheet]').attr('href')!;
  assert.match(css, /^\/static\/[0-9a-f]{12}\/css\/site\.css$/);
  const cssRes = await app.inject(css);
  assert.equal(cssRes.statusCode, 200);
  assert.match(cssRes.headers['cache-control'] as string, /immutable/);
  assert.match(home.res.headers['content-security-policy'] as string, /default-src 'self'/);

  const etag = home.res.headers.etag as string;
  assert.ok(etag);
  const again = await app.inject({ url: '/', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
  await createRelease(app.services, office.id, { title: 'Neu' });
  const changed = await app.inject({ url: '/', headers: { 'if-none-match': etag } });
  assert.equal(changed.statusCode, 200);
  assert.match(changed.body, /Neu/);
});

test('contact parts are optional but name or organisation', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Ohne Fax', contact: contactBlock({ fax: '', street: '', role: '' }) });
  const { $ } = await get(app, `/releases/${release.id}-ohne-fax`);
  assert.doesNotMatch($('address').text(), /Fax/);
  assert.match($('address').text(), /Erika Beispiel/);
  await assert.rejects(createRelease(app.services, office.id, { contact: contactBlock({ name: '', organisation: '' }) }), /incomplete or invalid/);
});
