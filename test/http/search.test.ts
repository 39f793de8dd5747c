import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import type { SearchFilters } from '../../src/modules/search/search.service.ts';
import type { NewPhoto } from '../../src/modules/releases/release-files.service.ts';
import { listCandidates } from '../../src/modules/search/search.repository.ts';
import { releaseIdOfKey } from '../../src/modules/search/search.keys.ts';

const search = async (app: TestApp['app'], query: string) => {
  const res = await app.inject({ method: 'GET', url: `/search${query}` });
  const $ = cheerio.load(res.body);
  return { res, $, titles: $('.search-hit .card-title').map((_, el) => $(el).text().trim()).get() };
};

const q = (text: string, extra = '') => `?q=${encodeURIComponent(text)}${extra}`;

/** A small newsroom: two offices, terms, and releases whose words the tests look for. */
const newsroom = async (t: Parameters<typeof buildTestApp>[0], options: { buergermeisterPhotos?: NewPhoto[] } = {}) => {
  const ctx = await buildTestApp(t);
  const { services } = ctx.app;
  await ensureTerms(services);
  const kreis = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const body = (text: string) => `${text}\n\nWeitere Informationen gibt die Pressestelle.`;
  const r = {
    buergermeister: await createRelease(services, stadt.id, { title: 'Bürgermeister eröffnet Radweg', bodyMarkdown: body('Der neue Radweg an der Hauptstraße ist fertig.'), releaseDate: '2026-03-01', topics: ['verkehr'], regions: ['nordkreis'] }, { status: 'published', photos: options.buergermeisterPhotos ?? [] }),
    integration: await createRelease(services, kreis.id, { title: 'Integrationskurse starten im April', bodyMarkdown: body('Die Kurse finden im Kreishaus statt.'), releaseDate: '2026-02-15', topics: ['soziales'], regions: ['suedkreis'] }),
    strasse: await createRelease(services, kreis.id, { title: 'Sperrung der Kreisstrasse 12', bodyMarkdown: body('Wegen Bauarbeiten bleibt die Straße zwei Wochen gesperrt. Radwege bleiben offen.'), releaseDate: '2026-01-20', topics: ['verkehr'], regions: ['suedkreis'] }),
    english: await createRelease(services, stadt.id, { title: 'Twin town visit', bodyMarkdown: body('The mayor welcomes guests. Neue Radwege are shown.'), releaseDate: '2026-03-05', language: 'en' }),
  };
  return { ...ctx, kreis, stadt, r };
};

test('folding finds Bürgermeister, buergermeister, Burgermeister and Straße as strasse', async (t) => {
  const { app } = await newsroom(t);
  for (const word of ['Bürgermeister', 'buergermeister', 'Burgermeister', 'BÜRGERMEISTER']) {
    const { res, titles } = await search(app, q(word));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles, ['Bürgermeister eröffnet Radweg'], word);
  }
  // ß / ss, both ways: the body says Straße, the title Kreisstrasse.
  assert.deepEqual((await search(app, q('strasse gesperrt'))).titles, ['Sperrung der Kreisstrasse 12']);
  assert.deepEqual((await search(app, q('Kreisstraße'))).titles, ['Sperrung der Kreisstrasse 12']);
});

test('prefixes: explicit with * and automatic on the last word', async (t) => {
  const { app } = await newsroom(t);
  assert.deepEqual((await search(app, q('Integrations*'))).titles, ['Integrationskurse starten im April']);
  assert.deepEqual((await search(app, q('Integ'))).titles, ['Integrationskurse starten im April']);
  // Only the last word is a prefix: "Integ" in front of another word must match whole.
  assert.deepEqual((await search(app, q('Integ April'))).titles, []);
});

test('a word followed by many different words still opens as a prefix (word pairs are no words)', async (t) => {
  const { app, kreis } = await newsroom(t);
  // 80 different words after "Radweg": 80 pairs radweg_… sort between radweg and radwegenetz.
  const body = Array.from({ length: 80 }, (_, i) => `Radweg ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x.`).join(' ');
  await createRelease(app.services, kreis.id, { title: 'Viele Wege', bodyMarkdown: body, releaseDate: '2026-01-05' });
  await createRelease(app.services, kreis.id, { title: 'Das Radwegenetz wächst', bodyMarkdown: 'Neue Strecken.', releaseDate: '2026-01-06' });
  const titles = (await search(app, q('Radweg', '&sort=date'))).titles;
  assert.ok(titles.includes('Das Radwegenetz wächst'), titles.join(' | '));
  assert.ok(titles.includes('Viele Wege'));
});

test('phrases, AND, exclusion and OR', async (t) => {
  const { app } = await newsroom(t);
  // AND: every word must occur.
  assert.deepEqual((await search(app, q('Radweg Hauptstraße'))).titles, ['Bürgermeister eröffnet Radweg']);
  // A phrase finds the exact sequence only.
  assert.deepEqual((await search(app, q('"neue Radwege"'))).titles, ['Twin town visit']);
  assert.deepEqual((await search(app, q('"Radwege neue"'))).titles, []);
  // Longer phrases; a phrase never runs from one field into the next (title "… Radweg", body "Der …").
  assert.deepEqual((await search(app, q('"der neue Radweg an"'))).titles, ['Bürgermeister eröffnet Radweg']);
  assert.deepEqual((await search(app, q('"der Radweg an"'))).titles, []);
  assert.deepEqual((await search(app, q('"Radweg Der"'))).titles, []);
  // Exclusion.
  const radwege = (await search(app, q('Radwege', '&sort=date'))).titles;
  assert.deepEqual(radwege, ['Twin town visit', 'Sperrung der Kreisstrasse 12']);
  assert.deepEqual((await search(app, q('Radwege -Sperrung'))).titles, ['Twin town visit']);
  // OR.
  assert.deepEqual((await search(app, q('Integrationskurse OR Bürgermeister', '&sort=date'))).titles, ['Bürgermeister eröffnet Radweg', 'Integrationskurse starten im April']);
});

test('filters: office, topic, region, date range and language, with text or alone', async (t) => {
  const { app } = await newsroom(t);
  const pressestelle = 'Pressestelle';
  assert.equal((await search(app, q(pressestelle))).titles.length, 4);
  assert.deepEqual((await search(app, q(pressestelle, '&office=landkreis&sort=date'))).titles, ['Integrationskurse starten im April', 'Sperrung der Kreisstrasse 12']);
  assert.equal((await search(app, q(pressestelle, '&office=landkreis&office=stadt'))).titles.length, 4);
  assert.deepEqual((await search(app, q(pressestelle, '&topic=verkehr&region=nordkreis'))).titles, ['Bürgermeister eröffnet Radweg']);
  assert.deepEqual((await search(app, q(pressestelle, '&from=2026-02-01&to=2026-03-01&sort=date'))).titles, ['Bürgermeister eröffnet Radweg', 'Integrationskurse starten im April']);
  assert.deepEqual((await search(app, q(pressestelle, '&lang=en'))).titles, ['Twin town visit']);
  // Filters alone list by date, newest first.
  const alone = await search(app, '?topic=verkehr');
  assert.deepEqual(alone.titles, ['Bürgermeister eröffnet Radweg', 'Sperrung der Kreisstrasse 12']);
  assert.equal(alone.$('#search-count').text().trim(), '2 Treffer');
  assert.equal(alone.$('#search-topic option[selected]').attr('value'), 'verkehr');
  // The form shows what was asked.
  const filled = await search(app, q('Radweg', '&office=stadt&from=2026-01-01&lang=de'));
  assert.equal(filled.$('#search-q').val(), 'Radweg');
  assert.equal(filled.$('#search-office option[selected]').attr('value'), 'stadt');
  assert.deepEqual(filled.$('#search-office option').map((_, o) => filled.$(o).text()).get(), ['Alle Pressestellen', 'Landkreis Musterland', 'Stadt Musterhausen']);
  const both = await search(app, q('Radweg', '&office=stadt&office=landkreis'));
  assert.equal(both.$('#search-office').attr('multiple'), 'multiple');
  assert.deepEqual(both.$('#search-office option[selected]').map((_, o) => both.$(o).attr('value')).get(), ['landkreis', 'stadt']);
  assert.equal(alone.$('#search-office option[selected]').attr('value'), '');
  assert.equal(filled.$('#search-from').val(), '2026-01-01');
  assert.equal(filled.$('#search-lang option[selected]').attr('value'), 'de');
  assert.equal(filled.$('label[for="search-q"]').length, 1);
});

test('bad filter values are left out with a hint, never an error', async (t) => {
  const { app } = await newsroom(t);
  const { res, $, titles } = await search(app, q('Hauptstraße', '&office=nope&topic=%3Cscript%3E&region=x&from=2026-13-45&to=gestern&lang=fr&sort=random'));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(titles, ['Bürgermeister eröffnet Radweg']);
  const hints = $('.search-hints li').map((_, el) => $(el).text()).get();
  assert.equal(hints.length, 7);
  assert.ok(hints.some((h) => /Pressestelle gibt es nicht/.test(h)));
  // Swapped dates are put in order.
  const swapped = await search(app, q('Pressestelle', '&from=2026-03-01&to=2026-02-01&sort=date'));
  assert.deepEqual(swapped.titles, ['Bürgermeister eröffnet Radweg', 'Integrationskurse starten im April']);
  assert.equal(swapped.$('#search-from').val(), '2026-02-01');
  // A page that is not a number is a bad request, answered with the error page.
  const badPage = await app.inject({ method: 'GET', url: '/search?q=Radweg&page=abc' });
  assert.equal(badPage.statusCode, 400);
});

test('words never match the filter tokens of the index', async (t) => {
  const { app, kreis } = await newsroom(t);
  // The index answers: a word of a release is found, and the same facets work as filters.
  assert.deepEqual((await search(app, q('Integrationskurse'))).titles, ['Integrationskurse starten im April']);
  assert.deepEqual((await search(app, q('Radweg', `&office=${kreis.slug}`))).titles, ['Sperrung der Kreisstrasse 12']);
  assert.deepEqual((await search(app, '?topic=soziales&lang=de')).titles, ['Integrationskurse starten im April']);
  // Every release carries _all, _o{office}, _t{topic}, _g{region} and _l{language} as filters.
  for (const word of ['all', '_all', 'lde', '_lde', `o${kreis.id}`, `_o${kreis.id}`, 't1', '_t1*', 'facets', 'facets:all']) {
    assert.deepEqual((await search(app, q(word))).titles, [], word);
  }
});

test('hostile query strings give a result page, at worst empty with a hint', async (t) => {
  const { app } = await newsroom(t);
  const hostile = [
    '"unbalanced quote',
    'NEAR(Radweg Bürgermeister',
    'NEAR(',
    '*',
    '"',
    '-',
    '""',
    '(((',
    ')',
    '^Radweg',
    'title:Radweg',
    '{title subtitle}: Radweg',
    'Radweg AND OR NOT',
    'OR',
    "'; DROP TABLE releases; --",
    "1' OR '1'='1",
    'Radweg" OR "1"="1',
    '%00\u0000\u0001',
    'x'.repeat(10_000),
    'Radweg '.repeat(2_000),
  ];
  for (const text of hostile) {
    const { res, $ } = await search(app, q(text));
    assert.equal(res.statusCode, 200, text.slice(0, 40));
    assert.equal($('h1').text().trim(), 'Pressemitteilungen durchsuchen');
  }
  const only = await search(app, q('***'));
  assert.match(only.$('.search-hints').text(), /kein Wort/);
  const excluded = await search(app, q('-Radweg'));
  assert.match(excluded.$('.search-hints').text(), /mindestens einen Suchbegriff/);
  const long = await search(app, q('x'.repeat(10_000)));
  assert.match(long.$('.search-hints').text(), /gekürzt|Anfang/);
  // The words inside hostile text are still searched.
  assert.deepEqual((await search(app, q('(Hauptstraße) "eröffnet'))).titles, ['Bürgermeister eröffnet Radweg']);
  // The database is still there.
  assert.equal((await search(app, q('Radweg'))).titles.length, 3);
});

test('a scheduled release is found only once its time has come; a withdrawn one never', async (t) => {
  const { app, clock, kreis } = await newsroom(t);
  const { services } = app;
  const embargoed = await createRelease(services, kreis.id, { title: 'Haushalt 2027 beschlossen', bodyMarkdown: 'Der Kreistag beschließt den Haushalt.' }, { status: 'scheduled', publishAt: '2026-03-11T08:00:00Z' });
  const draft = await createRelease(services, kreis.id, { title: 'Haushaltsentwurf intern', bodyMarkdown: 'Entwurf.' }, { status: 'draft' });
  assert.deepEqual((await search(app, q('Haushalt'))).titles, []);
  assert.deepEqual((await search(app, `?office=landkreis&sort=date`)).titles.includes('Haushalt 2027 beschlossen'), false);
  clock.set('2026-03-11T08:00:01Z');
  await services.releases.publishDue();
  assert.deepEqual((await search(app, q('Haushalt'))).titles, ['Haushalt 2027 beschlossen']);
  await services.releases.withdraw(embargoed.id, 'Zahlen falsch');
  assert.deepEqual((await search(app, q('Haushalt'))).titles, []);
  await services.releases.publish(draft.id);
  assert.deepEqual((await search(app, q('Haushaltsentwurf'))).titles, ['Haushaltsentwurf intern']);
});

test('a scheduled release is not even in the index before the publish job publishes it at its time', async (t) => {
  const { app, clock, kreis, db } = await newsroom(t);
  const { services } = app;
  const scheduled = await createRelease(services, kreis.id, { title: 'Sperrfrist bis Mittwoch' }, { status: 'scheduled', publishAt: '2026-03-11T08:00:00Z' });
  const indexed = async () => (await db.db.selectFrom('releases_fts_keys').select('key').where('release_id', '=', scheduled.id).execute()).length === 1;
  assert.equal(await indexed(), false);
  // Edited while scheduled: still out.
  await services.releases.update(scheduled.id, { ...(await services.releases.findById(scheduled.id))!, contact: null, topics: [], regions: [], title: 'Sperrfrist bis Mittwoch, 8 Uhr' });
  assert.equal(await indexed(), false);
  clock.set('2026-03-11T08:00:00Z');
  assert.deepEqual((await search(app, q('Sperrfrist'))).titles, []);
  // The scheduler runs publish-scheduled at that second; it publishes and indexes in one transaction.
  assert.deepEqual(await services.releases.publishDue(), [scheduled.id]);
  assert.equal(await indexed(), true);
  assert.deepEqual((await search(app, q('Sperrfrist'))).titles, ['Sperrfrist bis Mittwoch, 8 Uhr']);
});

test('corrections, photos captions, topics and office names are searchable and kept current', async (t) => {
  // A caption is written with the release (a published release changes its photos only by a correction).
  const { app, stadt, r } = await newsroom(t, { buergermeisterPhotos: [{ path: null, alt: 'Band', caption: 'Das Eröffnungsband am Stadtpark', credit: '' }] });
  const { services } = app;
  assert.deepEqual((await search(app, q('Stadtpark'))).titles, ['Bürgermeister eröffnet Radweg']);
  // The office name is searchable (the dateline of every release is Musterhausen, the office Musterland).
  assert.deepEqual((await search(app, q('Musterland Integrationskurse'))).titles, ['Integrationskurse starten im April']);
  assert.deepEqual((await search(app, q('Musterland Bürgermeister'))).titles, []);
  assert.deepEqual((await search(app, q('Soziales'))).titles, ['Integrationskurse starten im April']);
  const release = (await services.releases.findById(r.buergermeister.id))!;
  await services.releases.correct(release.id, { title: 'Oberbürgermeisterin eröffnet Radweg', subtitle: '', releaseDate: release.releaseDate, dateline: '', bodyMarkdown: 'Der Radweg ist fertig.', contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' }, 'Titel korrigiert');
  assert.deepEqual((await search(app, q('Hauptstraße'))).titles, []);
  assert.deepEqual((await search(app, q('Oberbürgermeisterin'))).titles, ['Oberbürgermeisterin eröffnet Radweg']);
  assert.ok(stadt);
});

test('a corrected release date moves the release in date filters and in date order', async (t) => {
  const { app, r } = await newsroom(t);
  const { services } = app;
  const march = '&from=2026-03-01&to=2026-03-31';
  assert.deepEqual((await search(app, q('Radweg', `${march}&sort=date`))).titles, ['Twin town visit', 'Bürgermeister eröffnet Radweg']);
  const release = (await services.releases.findById(r.buergermeister.id))!;
  await services.releases.correct(release.id, { title: release.title, subtitle: release.subtitle, releaseDate: '2026-02-10', dateline: release.dateline, bodyMarkdown: release.bodyMarkdown, contact: null, republicationNotice: '', topics: ['verkehr'], regions: ['nordkreis'], language: 'de' }, 'Datum korrigiert');
  // Found once, under its new date only: in February, no longer in March.
  assert.deepEqual((await search(app, q('Radweg', `${march}&sort=date`))).titles, ['Twin town visit']);
  assert.deepEqual((await search(app, q('Bürgermeister', '&from=2026-02-01&to=2026-02-28'))).titles, ['Bürgermeister eröffnet Radweg']);
  assert.deepEqual((await search(app, q('Radweg', '&sort=date'))).titles, ['Twin town visit', 'Bürgermeister eröffnet Radweg', 'Sperrung der Kreisstrasse 12']);
  assert.equal((await search(app, q('Bürgermeister'))).titles.length, 1);
});

test('the tier ranking of a query broad in titles (read only as far as the page) equals the full one', async (t) => {
  const { app, clock, kreis, stadt } = await newsroom(t);
  const { services } = app;
  // Windkraft in eight titles and two bodies; some in the topic Umwelt, one with an excluded word in its body.
  for (let i = 1; i <= 10; i++) {
    await createRelease(services, i % 2 ? kreis.id : stadt.id, {
      title: i <= 8 ? `Windkraft Nummer ${i}` : `Bericht Nummer ${i}`,
      bodyMarkdown: i === 4 ? 'Windkraft und Sonderabfall.' : 'Windkraft im Landkreis.',
      releaseDate: `2026-04-${String(i).padStart(2, '0')}`,
      topics: i % 3 === 0 ? ['umwelt'] : [],
    });
    clock.advance(60_000);
  }
  const ranked = async (query: string, filters: SearchFilters, probe: number) => {
    const titles: string[] = [];
    for (let page = 1; page <= 4; page++) titles.push(...(await services.search.search(query, filters, { bm25Budget: 0, titleProbe: probe, limit: 3, page })).items.map((i) => i.title));
    return titles;
  };
  const cases: [string, SearchFilters][] = [['Windkraft', {}], ['Windkraft', { topic: 'umwelt' }], ['Windkraft -Sonderabfall', {}], ['Windkraft -Sonderabfall', { offices: [kreis.slug] }]];
  for (const [query, filters] of cases) {
    const full = await ranked(query, filters, 1000);
    assert.deepEqual(await ranked(query, filters, 1), full, `${query} ${JSON.stringify(filters)}`);
    assert.deepEqual(await ranked(query, filters, 2), full, `${query} ${JSON.stringify(filters)}`);
  }
  assert.deepEqual(await ranked('Windkraft -Sonderabfall', {}, 1), ['Windkraft Nummer 8', 'Windkraft Nummer 7', 'Windkraft Nummer 6', 'Windkraft Nummer 5', 'Windkraft Nummer 3', 'Windkraft Nummer 2', 'Windkraft Nummer 1', 'Bericht Nummer 10', 'Bericht Nummer 9']);
});

test('ranking: title above body, newer first among equals; sort by date on request', async (t) => {
  const { app, clock, kreis } = await newsroom(t);
  const { services } = app;
  await createRelease(services, kreis.id, { title: 'Ein Bericht aus dem Kreishaus', bodyMarkdown: 'Auch der Kreistag hat über Windkraft gesprochen, neben vielem anderen Thema.', releaseDate: '2026-03-08' });
  clock.advance(60_000);
  await createRelease(services, kreis.id, { title: 'Windkraft im Nordkreis', bodyMarkdown: 'Gleicher Text.', releaseDate: '2026-03-01' });
  clock.advance(60_000);
  await createRelease(services, kreis.id, { title: 'Windkraft im Südkreis', bodyMarkdown: 'Gleicher Text.', releaseDate: '2026-03-02' });
  const relevance = await search(app, q('Windkraft'));
  assert.deepEqual(relevance.titles, ['Windkraft im Südkreis', 'Windkraft im Nordkreis', 'Ein Bericht aus dem Kreishaus']);
  assert.equal(relevance.$('#search-sort option[selected]').attr('value'), 'relevance');
  // A broad query (too costly for bm25) ranks in tiers: text in title or subtitle first, each newest first.
  const tiers = await app.services.search.search('Windkraft', {}, { bm25Budget: 0 });
  assert.deepEqual(tiers.items.map((i) => i.title), ['Windkraft im Südkreis', 'Windkraft im Nordkreis', 'Ein Bericht aus dem Kreishaus']);
  assert.equal(tiers.total, 3);
  const byDate = await search(app, q('Windkraft', '&sort=date'));
  assert.deepEqual(byDate.titles, ['Ein Bericht aus dem Kreishaus', 'Windkraft im Südkreis', 'Windkraft im Nordkreis']);
});

test('results show title, office, date, dateline and a snippet with escaped highlights', async (t) => {
  const { app, kreis } = await newsroom(t);
  const filler = 'Lorem ipsum dolor sit amet. '.repeat(20);
  const release = await createRelease(app.services, kreis.id, {
    title: 'Neue <script>alert(1)</script> Regeln für Hunde',
    dateline: 'Kassel',
    releaseDate: '2026-03-09',
    bodyMarkdown: `${filler}\n\nAb Mai gilt die Leinenpflicht für Hunde & Katzen <img src=x onerror=alert(2)> im Park.\n\n${filler}`,
  });
  const { $ } = await search(app, q('Hunde script'));
  const hit = $('.search-hit').first();
  assert.equal(hit.find('.card-title a').attr('href'), `/releases/${release.id}-${release.slug}`);
  assert.equal(hit.find('.card-title a script').length, 0);
  assert.equal(hit.find('.card-title').text().trim(), 'Neue <script>alert(1)</script> Regeln für Hunde');
  assert.deepEqual(hit.find('.card-title mark').map((_, el) => $(el).text()).get(), ['script', 'script', 'Hunde']);
  assert.equal(hit.find('time').first().attr('datetime'), '2026-03-09');
  assert.equal(hit.find('time').first().text(), '09.03.2026');
  // It went public the day after its release date: that day and time are shown too (TIME_ZONE).
  assert.equal(hit.find('time.when-published').attr('datetime'), release.publishedAt);
  assert.match(hit.find('time.when-published').text(), /^Veröffentlicht: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr$/);
  assert.equal(hit.find('.meta a').text(), 'Landkreis Musterland');
  assert.equal(hit.find('.dateline').text(), 'Kassel');
  const snippet = hit.find('.snippet');
  assert.deepEqual(snippet.find('mark').map((_, el) => $(el).text()).get(), ['Hunde']);
  assert.equal(snippet.find('img').length, 0);
  assert.match(snippet.text(), /^… .*Leinenpflicht für Hunde & Katzen.* …$/s);
});

test('counts, pagination with stable URLs, and the short URL of a submitted form', async (t) => {
  const { app, kreis } = await newsroom(t);
  for (let i = 1; i <= 25; i++) await createRelease(app.services, kreis.id, { title: `Baustelle Nummer ${i}` });
  const first = await search(app, q('Baustelle'));
  assert.equal(first.$('#search-count').text().trim(), '25 Treffer');
  assert.equal(first.titles.length, 20);
  const next = first.$('.pagination a[rel="next"]').attr('href');
  assert.equal(next, '/search?q=Baustelle&page=2');
  assert.equal(first.$('link[rel="canonical"]').attr('href'), 'http://herold.test/search?q=Baustelle');
  assert.equal(first.$('meta[name="robots"]').attr('content'), 'noindex, follow');
  const second = await search(app, '?q=Baustelle&page=2');
  assert.equal(second.titles.length, 5);
  assert.equal(second.$('.pagination a[rel="prev"]').attr('href'), '/search?q=Baustelle');
  const beyond = await app.inject({ method: 'GET', url: '/search?q=Baustelle&page=9' });
  assert.equal(beyond.statusCode, 302);
  assert.equal(beyond.headers.location, '/search?q=Baustelle&page=2');
  // The form sends its empty fields; the answer is the short URL.
  const form = await app.inject({ method: 'GET', url: '/search?q=Baustelle&office=&topic=&region=&from=&to=&lang=&sort=relevance' });
  assert.equal(form.statusCode, 302);
  assert.equal(form.headers.location, '/search?q=Baustelle&sort=relevance');
  // Filters travel with the pages.
  const filtered = await search(app, q('Baustelle', '&office=landkreis&lang=de'));
  assert.equal(filtered.$('.pagination a[rel="next"]').attr('href'), '/search?q=Baustelle&office=landkreis&lang=de&page=2');
  // The header search box keeps the query.
  assert.equal(first.$('#site-search').val(), 'Baustelle');
});

test('the search page without a query shows the form only; English works too', async (t) => {
  const { app } = await newsroom(t);
  const { res, $ } = await search(app, '');
  assert.equal(res.statusCode, 200);
  assert.equal($('form.search-form').attr('method'), 'get');
  assert.equal($('.search-hit').length, 0);
  assert.equal($('#search-count').length, 0);
  const en = await app.inject({ method: 'GET', url: '/search?q=Hauptstra%C3%9Fe', headers: { cookie: 'herold_lang=en' } });
  const $en = cheerio.load(en.body);
  assert.equal($en('#search-count').text().trim(), '1 result');
  assert.equal($en('label[for="search-office"]').text(), 'Press office');
});

test('the newest matches come first across years of releases, within a date range too, and every match is counted', async (t) => {
  const { app, db } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'kreis', name: 'Landkreis Musterland' });
  // 25 releases about dikes, 75 days apart from 2021 to 2026: far more days than the first window
  // of days a search reads on PostgreSQL, so the matches lie in several windows.
  const dates = Array.from({ length: 25 }, (_, i) => new Date(Date.UTC(2021, 0, 10) + i * 75 * 86_400_000).toISOString().slice(0, 10));
  for (const [i, date] of dates.entries()) await createRelease(app.services, office.id, { title: `Deichbau Abschnitt ${i + 1}`, bodyMarkdown: 'Der Deich wird erhöht.', releaseDate: date });
  await createRelease(app.services, office.id, { title: 'Etwas anderes', bodyMarkdown: 'Kein Deich hier.', releaseDate: dates.at(-1)! });
  const newestFirst = dates.map((_, i) => `Deichbau Abschnitt ${i + 1}`).reverse();

  const all = await app.services.search.search('Deichbau', {}, { sort: 'date', limit: 30 });
  assert.equal(all.total, 25);
  assert.deepEqual(all.items.map((i) => i.title), newestFirst);
  // Asked for the newest five, the index answers those five, newest first.
  const five = await listCandidates(db.db, '"deichbau"', {}, 5);
  assert.deepEqual((await app.services.releases.publicCardsByIds(five.map(releaseIdOfKey))).map((c) => c.title), newestFirst.slice(0, 5));
  // A date range in the middle: only its releases, newest first.
  const ranged = await app.services.search.search('Deichbau', { from: dates[5], to: dates[14] }, { sort: 'date', limit: 30 });
  assert.deepEqual(ranged.items.map((i) => i.title), newestFirst.slice(10, 20));
  // Ranked by relevance (all titles match alike): the same 25, each once.
  const ranked = await app.services.search.search('Deichbau', {}, { limit: 30 });
  assert.deepEqual([...ranked.items.map((i) => i.title)].sort(), [...newestFirst].sort());
});
