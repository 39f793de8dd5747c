// Errors speak the visitor's language: a schema check's message comes from the catalogue, never
// Ajv's English; the 404 page links the search and the office directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

const EN = { cookie: 'herold_lang=en' };

test('/?page=0 says what is wrong in German on a German page, and in English on an English one', async (t) => {
  const { app } = await buildTestApp(t);
  const de = await app.inject('/?page=0');
  assert.equal(de.statusCode, 400);
  const $ = cheerio.load(de.body);
  assert.equal($('html').attr('lang'), 'de');
  assert.equal($('h1').text(), 'Ungültige Anfrage');
  assert.equal($('.error-page p').eq(1).text(), 'Die Anfrage enthält ungültige Angaben: „page“ muss mindestens 1 sein');
  assert.doesNotMatch(de.body, /must be/);

  const en = await app.inject({ url: '/?page=0', headers: EN });
  const $en = cheerio.load(en.body);
  assert.equal($en('html').attr('lang'), 'en');
  assert.equal($en('h1').text(), 'Bad request');
  assert.equal($en('.error-page p').eq(1).text(), 'The request holds invalid values: "page" must be at least 1');

  const text = await app.inject('/archive/2026/03?page=x');
  assert.equal(text.statusCode, 400);
  assert.match(cheerio.load(text.body)('.error-page').text(), /„page“ muss eine Zahl sein/);
});

test('no public page shows a library’s English message for bad parameters', async (t) => {
  const { app, routes: allRoutes } = await buildTestApp(t);
  await ensureTerms(app.services);
  const office = await createOffice(app.services, { slug: 'amt' });
  const release = await createRelease(app.services, office.id, { title: 'Eins' });
  const routes = allRoutes.filter((r) => r.method === 'GET' && !r.url.startsWith('/admin') && !r.url.includes('*'));
  assert.ok(routes.length > 20);
  let checked = 0;
  for (const route of routes) {
    const url = route.url
      .replace(':office', 'amt')
      .replace(':ref', `${release.id}-${release.slug}`)
      .replace(':topic', 'verkehr')
      .replace(':region', 'nordkreis')
      .replace(':year', '2026')
      .replace(':month', '13')
      .replace(':lang', 'fr')
      .replace(':token', 'x');
    for (const query of ['page=0', 'page=abc', 'page=1&page=2', 'limit=-1']) {
      const res = await app.inject(`${url}?${query}`);
      if (res.statusCode !== 400 || !String(res.headers['content-type']).startsWith('text/html')) continue;
      checked++;
      const body = cheerio.load(res.body)('main').text();
      assert.doesNotMatch(body, /\bmust\b|\bshould\b|querystring|params\//, `${url}?${query}: ${body.trim().slice(0, 200)}`);
      assert.match(body, /Ungültige Anfrage/);
    }
  }
  assert.ok(checked >= 10, `checked ${checked} error pages`);
});

test('the 404 page links the search (with a search field) and the office directory, in both languages', async (t) => {
  const { app } = await buildTestApp(t);
  for (const [headers, search, offices] of [[{}, 'Pressemitteilungen durchsuchen', 'Alle Pressestellen'], [EN, 'Search press releases', 'All press offices']] as const) {
    const res = await app.inject({ url: '/gibt-es-nicht', headers });
    assert.equal(res.statusCode, 404);
    const $ = cheerio.load(res.body);
    assert.equal($('main a[href="/search"]').text(), search);
    assert.equal($('main a[href="/offices"]').text(), offices);
    const form = $('main form[role="search"][action="/search"]');
    assert.equal(form.find('input[name="q"]').attr('id'), form.find('label').attr('for'));
  }
});
