// Changes outside releases (office profile, contacts, logo, new topics) reach cached pages at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock, createOffice, createRelease } from '../helpers/factories.ts';

test('office, contact and topic changes invalidate cached pages and feeds; a renamed office is found by its new name', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'kreis', name: 'Kreis Alt' });
  await createRelease(services, office.id, { title: 'Radweg eröffnet' });
  const titles = async (url: string) => {
    const $ = cheerio.load((await app.inject(url)).body);
    return $('h1').first().text().trim();
  };
  assert.equal(await titles('/offices/kreis'), 'Kreis Alt');
  const feedBefore = (await app.inject('/offices/kreis/feed.rss')).body;
  assert.match(feedBefore, /Kreis Alt/);

  await services.offices.updateProfile(office.id, { name: 'Kreis Neu', descriptionMarkdown: 'Neu.', website: '', republicationNotice: '' });
  assert.equal(await titles('/offices/kreis'), 'Kreis Neu');
  assert.match((await app.inject('/offices')).body, /Kreis Neu/);
  assert.match((await app.inject('/offices/kreis/feed.rss')).body, /Kreis Neu/);
  const found = cheerio.load((await app.inject('/search?q=Neu')).body);
  assert.ok(found('main').text().includes('Radweg eröffnet'), 'search finds the release by the office’s new name');

  await services.offices.saveContact(office.id, null, contactBlock({ name: 'Neue Sprecherin', organisation: '' }));
  assert.match(cheerio.load((await app.inject('/offices/kreis')).body)('.office-contacts').text(), /Neue Sprecherin/);

  await services.taxonomies.create('topics', 'kultur', 'Kultur');
  assert.match(cheerio.load((await app.inject('/topics')).body)('main').text(), /Kultur/);
});
