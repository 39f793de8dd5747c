// Machine-readable markup of a release page (issue 14, item 6): NewsArticle JSON-LD with the office
// logo as publisher.logo and as image where there is no photo, dateModified, article:* times; a
// withdrawn page is not indexed and carries neither NewsArticle markup nor og:image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';

test('NewsArticle JSON-LD and article times; a withdrawn page without them and noindex', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  await services.offices.setLogo(office.id, 'offices/amt/logo.png');
  const release = await createRelease(services, office.id, { title: 'Ohne Foto' });
  clock.advance(30 * 60_000);
  await services.releases.correct(release.id, releaseInput({ title: 'Ohne Foto' }), 'Zahl berichtigt.');
  const corrected = (await services.releases.findById(release.id))!;

  const $ = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  const ld = JSON.parse($('script[type="application/ld+json"]').text());
  assert.equal(ld['@type'], 'NewsArticle');
  assert.deepEqual(ld.publisher.logo, { '@type': 'ImageObject', url: 'http://herold.test/media/offices/amt/logo.png' });
  assert.deepEqual(ld.image, ['http://herold.test/media/offices/amt/logo.png']);
  assert.equal(ld.datePublished, corrected.publishedAt);
  assert.equal(ld.dateModified, corrected.corrections[0]!.at);
  assert.equal($('meta[property="article:published_time"]').attr('content'), corrected.publishedAt);
  assert.equal($('meta[property="article:modified_time"]').attr('content'), corrected.corrections[0]!.at);
  assert.equal($('meta[name=robots]').length, 0);

  await services.releases.withdraw(release.id, 'Falsche Zahlen.');
  const w = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  assert.equal(w('meta[name=robots]').attr('content'), 'noindex');
  assert.equal(w('script[type="application/ld+json"]').length, 0);
  assert.equal(w('meta[property="og:image"]').length, 0);
  assert.match(w('.withdrawn-notice').text(), /zurückgezogen/);
});

test('an office without a logo: JSON-LD names no logo and, without photos, no image', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  const release = await createRelease(app.services, office.id, { title: 'Schlicht' });
  const $ = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  const ld = JSON.parse($('script[type="application/ld+json"]').text());
  assert.equal(ld.publisher.logo, undefined);
  assert.equal(ld.image, undefined);
});
