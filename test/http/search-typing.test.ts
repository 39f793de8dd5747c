// Search for people who type fast: compatibility forms (CO₂, ½, ligatures), names of press
// contacts and offices, and "Meinten Sie …?" for a misspelt query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { contactBlock, createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

const search = async (app: TestApp['app'], query: string) => {
  const res = await app.inject({ method: 'GET', url: `/search${query}` });
  assert.equal(res.statusCode, 200, query);
  const $ = cheerio.load(res.body);
  return {
    $,
    titles: $('.search-hit .card-title').map((_, el) => $(el).text().trim()).get(),
    suggestion: $('#search-suggestion').text().replace(/\s+/g, ' ').trim(),
    suggestionUrl: $('#search-suggestion a').attr('href') ?? null,
  };
};

const q = (text: string, extra = '') => `?q=${encodeURIComponent(text)}${extra}`;

const newsroom = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const { services } = ctx.app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadtwerke Musterhausen' });
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Beispielland' });
  const r = {
    co2: await createRelease(services, stadt.id, { title: 'CO₂-Bilanz der Stadtwerke', bodyMarkdown: 'Der Ausstoß sank um ½ Prozent.', releaseDate: '2026-03-01', contact: contactBlock({ name: 'Jörg Übermann' }) }),
    ascii: await createRelease(services, kreis.id, { title: 'Weniger CO2 im Landkreis', bodyMarkdown: 'Die Finanzierung steht.', releaseDate: '2026-03-02', contact: contactBlock({ name: 'Anna Schmidt' }), topics: ['umwelt'] }),
    ligature: await createRelease(services, kreis.id, { title: 'Neue ﬁnanzielle Hilfen', bodyMarkdown: 'Anträge ab Mai.', releaseDate: '2026-03-03', contact: contactBlock({ name: 'Anna Schmidt' }) }),
    solar: await createRelease(services, kreis.id, { title: 'Solaranlage auf dem Kreishaus', bodyMarkdown: 'Die Solaranlage liefert Strom für das Kreishaus.', releaseDate: '2026-03-04', topics: ['umwelt'] }),
    solar2: await createRelease(services, stadt.id, { title: 'Zweite Solaranlage am Wasserwerk', bodyMarkdown: 'Auch das Wasserwerk bekommt eine Solaranlage.', releaseDate: '2026-03-05' }),
  };
  return { ...ctx, stadt, kreis, r };
};

test('compatibility forms are folded: CO₂ and CO2 find each other, ½ is 1/2, the ligature ﬁ is fi', async (t) => {
  const { app } = await newsroom(t);
  const both = ['Weniger CO2 im Landkreis', 'CO₂-Bilanz der Stadtwerke'];
  assert.deepEqual((await search(app, q('CO2', '&sort=date'))).titles, both);
  assert.deepEqual((await search(app, q('CO₂', '&sort=date'))).titles, both);
  assert.deepEqual((await search(app, q('co₂ Stadtwerke'))).titles, ['CO₂-Bilanz der Stadtwerke']);
  // ½ is the words 1 and 2, as typed "1/2".
  assert.deepEqual((await search(app, q('"1/2 Prozent"'))).titles, ['CO₂-Bilanz der Stadtwerke']);
  assert.deepEqual((await search(app, q('"½ Prozent"'))).titles, ['CO₂-Bilanz der Stadtwerke']);
  // The ligature in the title is found by plain letters, and plain letters by the ligature.
  assert.deepEqual((await search(app, q('finanzielle'))).titles, ['Neue ﬁnanzielle Hilfen']);
  assert.deepEqual((await search(app, q('ﬁnanzierung'))).titles, ['Weniger CO2 im Landkreis']);
  // The match is highlighted in its original form.
  const { $ } = await search(app, q('co2 bilanz'));
  assert.equal($('.search-hit .card-title mark').first().text(), 'CO₂');
});

test('press contacts and offices are found by name', async (t) => {
  const { app } = await newsroom(t);
  assert.deepEqual((await search(app, q('Übermann'))).titles, ['CO₂-Bilanz der Stadtwerke']);
  assert.deepEqual((await search(app, q('Joerg Uebermann'))).titles, ['CO₂-Bilanz der Stadtwerke']);
  assert.deepEqual((await search(app, q('Anna Schmidt', '&sort=date'))).titles, ['Neue ﬁnanzielle Hilfen', 'Weniger CO2 im Landkreis']);
  assert.deepEqual((await search(app, q('Beispielland', '&sort=date'))).titles, ['Solaranlage auf dem Kreishaus', 'Neue ﬁnanzielle Hilfen', 'Weniger CO2 im Landkreis']);
  assert.deepEqual((await search(app, q('Stadtwerke Musterhausen', '&sort=date'))).titles, ['Zweite Solaranlage am Wasserwerk', 'CO₂-Bilanz der Stadtwerke']);
});

test('a misspelt word gets "Meinten Sie …?" with a link to the corrected search, filters kept', async (t) => {
  const { app } = await newsroom(t);
  const typo = await search(app, q('Solaranlgae'));
  assert.deepEqual(typo.titles, []);
  assert.equal(typo.suggestion, 'Meinten Sie Solaranlage?');
  assert.equal(typo.suggestionUrl, '/search?q=Solaranlage');
  const followed = await search(app, typo.suggestionUrl!.slice('/search'.length));
  assert.equal(followed.titles.length, 2);
  assert.equal(followed.suggestion, '');

  // Filters and the other words stay as typed; the link finds what the filters allow.
  const filtered = await search(app, q('Kreishaus Solaranlgae', '&topic=umwelt&sort=date'));
  assert.equal(filtered.suggestion, 'Meinten Sie Kreishaus Solaranlage?');
  assert.equal(filtered.suggestionUrl, '/search?q=Kreishaus+Solaranlage&topic=umwelt&sort=date');
  assert.deepEqual((await search(app, filtered.suggestionUrl!.slice('/search'.length))).titles, ['Solaranlage auf dem Kreishaus']);

  // Shown as written in the releases (with its umlauts), in the user's case.
  await createRelease(app.services, (await app.services.offices.findBySlug('kreis'))!.id, { title: 'Bürgermeister lädt ein', bodyMarkdown: 'Text.', releaseDate: '2026-03-06' });
  assert.equal((await search(app, q('Burgermiester'))).suggestion, 'Meinten Sie Bürgermeister?');

  // A swapped and a missing letter, in English too.
  const en = await app.inject({ method: 'GET', url: `/search${q('wasserwrek')}`, headers: { cookie: 'herold_lang=en' } });
  const $en = cheerio.load(en.body);
  assert.equal($en('html').attr('lang'), 'en');
  assert.equal($en('#search-suggestion').text().replace(/\s+/g, ' ').trim(), 'Did you mean wasserwerk?');
});

test('no suggestion where the words are right or nothing near exists', async (t) => {
  const { app } = await newsroom(t);
  const right = await search(app, q('Solaranlage'));
  assert.equal(right.titles.length, 2);
  assert.equal(right.suggestion, '');
  const nothing = await search(app, q('Xylophonorchester'));
  assert.deepEqual(nothing.titles, []);
  assert.equal(nothing.$('.search-results .empty').length, 1);
  assert.equal(nothing.suggestion, '');
  // The near word exists, but not with this filter: no link to an empty search.
  const filtered = await search(app, q('Solaranlgae', '&office=stadt&topic=umwelt'));
  assert.deepEqual(filtered.titles, []);
  assert.equal(filtered.suggestion, '');
});

test('a word of a release that left the index is not suggested', async (t) => {
  const { app, kreis } = await newsroom(t);
  const gone = await createRelease(app.services, kreis.id, { title: 'Windkraftanlage genehmigt', bodyMarkdown: 'Text.', releaseDate: '2026-03-06' });
  assert.equal((await search(app, q('Windkraftanlgae'))).suggestion, 'Meinten Sie Windkraftanlage?');
  await app.services.releases.withdraw(gone.id, 'Falsche Zahlen.');
  assert.equal((await search(app, q('Windkraftanlgae'))).suggestion, '');
});

test('"Meinten Sie …?" shows a word as the releases write it, with its umlauts, and its link finds the release', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt Musterhausen' });
  await createRelease(app.services, office.id, { title: 'Neuer Bürgermeister vereidigt', bodyMarkdown: 'Der Bürgermeister legte den Amtseid ab.', releaseDate: '2026-03-06' });
  for (const typed of ['Bürgermeistr', 'Burgermeistr', 'bürgermeistr']) {
    const typo = await search(app, q(typed));
    assert.deepEqual(typo.titles, [], typed);
    const expected = typed[0] === 'b' ? 'bürgermeister' : 'Bürgermeister';
    assert.equal(typo.suggestion, `Meinten Sie ${expected}?`, typed);
    assert.equal(typo.suggestionUrl, `/search${q(expected).replace(/%20/g, '+')}`, typed);
    assert.deepEqual((await search(app, typo.suggestionUrl!.slice('/search'.length))).titles, ['Neuer Bürgermeister vereidigt'], typed);
  }
});
