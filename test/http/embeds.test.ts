// Embeds: an office's (topic's, region's) latest releases as a page for other sites' iframes:
// framable by any site (these routes only), no script, light/dark/compact, count, topic and
// language; the office settings page shows the code to paste and a live preview of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

test('an office embed: latest releases, framable anywhere, no script, with its options', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  for (let i = 1; i <= 7; i++) {
    await createRelease(services, office.id, { title: `Mitteilung ${i}`, subtitle: `Worum es in ${i} geht`, topics: i % 2 ? ['verkehr'] : [], language: i === 7 ? 'en' : 'de' });
    clock.advance(60_000);
  }
  await createRelease(services, office.id, { title: 'Noch geheim' }, { status: 'scheduled', publishAt: '2026-03-12T08:00:00.000Z' });

  const res = await app.inject('/offices/amt/embed');
  assert.equal(res.statusCode, 200);
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /frame-ancestors \*/);
  assert.match(csp, /script-src 'self'/);
  assert.equal(res.headers['x-frame-options'], undefined);
  const $ = cheerio.load(res.body);
  assert.equal($('html').attr('lang'), 'de');
  assert.equal($('h1').text(), 'Pressemitteilungen: Kreisamt');
  assert.deepEqual($('.embed-title a').map((_, a) => $(a).text()).get(), ['Mitteilung 7', 'Mitteilung 6', 'Mitteilung 5', 'Mitteilung 4', 'Mitteilung 3']);
  assert.equal($('.embed-title a').first().attr('target'), '_top');
  assert.match(String($('.embed-title a').first().attr('href')), /^http:\/\/herold\.test\/releases\/\d+-mitteilung-7$/);
  assert.equal($('.embed-summary').first().text(), 'Worum es in 7 geht');
  assert.equal($('script').length, 0);
  assert.equal($('body').attr('class'), 'embed theme-auto');
  assert.ok(!res.body.includes('Noch geheim'));
  assert.equal($('.embed-more a').first().attr('href'), 'http://herold.test/offices/amt');

  // The rest of the site may not be framed.
  const page = await app.inject('/offices/amt');
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');

  // Options: count, topic, language (labels and releases), theme, compact.
  const options = cheerio.load((await app.inject('/offices/amt/embed?count=2&topic=verkehr&theme=dark&compact=1')).body);
  assert.deepEqual(options('.embed-title a').map((_, a) => options(a).text()).get(), ['Mitteilung 7', 'Mitteilung 5']);
  assert.equal(options('body').attr('class'), 'embed theme-dark compact');
  assert.equal(options('.embed-summary').length, 0, 'compact: no summaries');
  const english = cheerio.load((await app.inject('/offices/amt/embed?lang=en')).body);
  assert.equal(english('html').attr('lang'), 'en');
  assert.equal(english('h1').text(), 'Press releases: Kreisamt');
  assert.deepEqual(english('.embed-title a').map((_, a) => english(a).text()).get(), ['Mitteilung 7']);

  // Bad options are a clear 400; unknown offices 404; a renamed topic's embed moved.
  for (const query of ['count=50', 'count=0', 'theme=neon', 'lang=fr', 'topic=nirgends']) {
    const bad = await app.inject(`/offices/amt/embed?${query}`);
    assert.equal(bad.statusCode, 400, query);
    assert.ok(cheerio.load(bad.body)('main').text().length > 0);
  }
  assert.equal((await app.inject('/offices/nirgends/embed')).statusCode, 404);
  assert.equal((await app.inject('/topics/verkehr/embed')).statusCode, 200);
  await services.taxonomies.rename('topics', 'verkehr', { slug: 'mobilitaet', name: 'Mobilität' });
  const moved = await app.inject('/topics/verkehr/embed?count=3');
  assert.equal(moved.statusCode, 301);
  assert.equal(moved.headers.location, '/topics/mobilitaet/embed?count=3');
  const region = cheerio.load((await app.inject('/regions/nordkreis/embed')).body);
  assert.equal(region('.embed-empty').text(), 'Noch keine Pressemitteilungen.');

  // Cached like every public page.
  const first = await app.inject('/offices/amt/embed?count=3');
  const again = await app.inject({ url: '/offices/amt/embed?count=3', headers: { 'if-none-match': String(first.headers.etag) } });
  assert.equal(again.statusCode, 304);
  assert.match(String(again.headers['content-security-policy']), /frame-ancestors \*/);
});

test('the office settings page shows the code to paste and a live preview, for the options chosen', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await createRelease(services, office.id, { title: 'Zum Einbetten' });
  await createUser(services, { email: 'chefin@amt.example', officeId: office.id, role: 'owner' });
  const owner = new Browser(app);
  await owner.login('chefin@amt.example');

  const { $ } = await owner.get('/admin/offices/amt/settings');
  const code = $('#embed-code').text();
  assert.equal(code, '<iframe src="http://herold.test/offices/amt/embed" title="Neueste Pressemitteilungen von Kreisamt" width="100%" height="560" style="border:0" loading="lazy"></iframe>');
  assert.equal($('iframe.embed-preview').attr('src'), '/offices/amt/embed');
  assert.equal($('iframe.embed-preview').attr('title'), 'Neueste Pressemitteilungen von Kreisamt');
  assert.equal($('.embed-json').text(), 'http://herold.test/api/v1/releases?office=amt&limit=5');
  // The preview is the real embed.
  const preview = cheerio.load((await app.inject('/offices/amt/embed')).body);
  assert.equal(preview('.embed-title a').text(), 'Zum Einbetten');

  // The options form (GET, no script) changes both.
  const chosen = await owner.get('/admin/offices/amt/settings?count=3&topic=verkehr&lang=en&theme=dark&compact=1');
  assert.equal(chosen.$('#embed-count option[selected]').attr('value'), '3');
  assert.equal(chosen.$('iframe.embed-preview').attr('src'), '/offices/amt/embed?count=3&topic=verkehr&lang=en&theme=dark&compact=1');
  assert.match(chosen.$('#embed-code').text(), /src="http:\/\/herold\.test\/offices\/amt\/embed\?count=3&amp;topic=verkehr&amp;lang=en&amp;theme=dark&amp;compact=1"/);
  // Odd values fall back to the defaults rather than failing.
  const odd = await owner.get('/admin/offices/amt/settings?count=999&theme=neon&topic=%3Cx%3E');
  assert.equal(odd.res.statusCode, 200);
  assert.equal(odd.$('iframe.embed-preview').attr('src'), '/offices/amt/embed');
});
