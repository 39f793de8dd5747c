// Finding 6 of the attack on a running instance (issue 20): numbers that are not finite. Ajv turns
// "1e309" and "Infinity" into Infinity and then skips minimum/maximum, which gave 500s (SQLite
// "datatype mismatch") on feeds and admin pages, and a 200 on search feeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { FORMATS, feedPath } from '../helpers/feeds.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const NOT_FINITE = ['1e309', 'Infinity', '-Infinity', '-1e309'];

test('feed limit: 1e309, Infinity and their negatives are a 400 that says why, on every feed', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis', topics: ['verkehr'], regions: ['nordkreis'] });
  const listings = ['/', '/offices/landkreis', '/topics/verkehr', '/regions/nordkreis'];
  for (const format of FORMATS) {
    // The right feeds: with a whole number they answer with the release.
    for (const listing of listings) {
      const ok = await app.inject(`${feedPath(listing, format)}?limit=5`);
      assert.equal(ok.statusCode, 200, `${listing} ${format}`);
      assert.match(ok.body, /Neue Radwege im Nordkreis/);
    }
    const search = await app.inject(`/search/feed.${format}?q=radwege&limit=5`);
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /Neue Radwege im Nordkreis/);
    for (const bad of NOT_FINITE) {
      for (const listing of listings) {
        const res = await app.inject(`${feedPath(listing, format)}?limit=${bad}`);
        assert.equal(res.statusCode, 400, `${listing} ${format} limit=${bad}`);
        assert.equal(res.body, '400 limit must be a whole number from 1 to 100 (default 20)\n');
      }
      const res = await app.inject(`/search/feed.${format}?q=radwege&limit=${bad}`);
      assert.equal(res.statusCode, 400, `search ${format} limit=${bad}`);
      assert.match(res.body, /^400 limit must be a whole number from 1 to 100 \(default 20\)/);
    }
  }
});

test('a page number of 1e309 is refused like any other bad number, in the admin area too', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  await createUser(app.services, { email: 'anna@amt.example', officeId: office.id, role: 'owner' });
  const browser = new Browser(app);
  await browser.login('anna@amt.example');
  const ok = await browser.get('/admin/offices/amt/audit?page=1');
  assert.equal(ok.res.statusCode, 200);
  assert.equal(ok.$('h1').length, 1);
  for (const bad of NOT_FINITE) {
    const { res } = await browser.get(`/admin/offices/amt/audit?page=${bad}`);
    assert.equal(res.statusCode, 400, `page=${bad}`);
    assert.match(cheerio.load(res.body)('main').text(), /„page“ muss eine Zahl sein/);
  }
});
