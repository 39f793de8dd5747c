// Copy-ready text (issue 14, item 3): what a journalist copies from the page, the .txt and the mail
// says each label once, and links read as `text (URL)`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';

test('credits and corrections carry their label once; links in the text are `text (URL)`', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'stadtwerke', name: 'Stadtwerke Musterstadt' });
  const body = 'Alles zum Programm unter [www.stadtwerke.example/solar](https://www.stadtwerke.example/solar) und im [Antrag](https://www.stadtwerke.example/antrag).';
  const draft = await createRelease(services, office.id, { title: 'Solarprogramm', bodyMarkdown: body }, { status: 'draft' });
  const photo = { width: 10, height: 10, mime: 'image/jpeg', bytes: 100 };
  await services.releaseFiles.addPhoto(draft.id, { ...photo, path: `releases/${draft.id}/a.jpg`, alt: 'Dach', caption: 'Das Dach.', credit: 'Grafik: Stadtwerke Musterstadt' });
  await services.releaseFiles.addPhoto(draft.id, { ...photo, path: `releases/${draft.id}/b.jpg`, alt: 'Halle', caption: 'Die Halle.', credit: 'Foto: Stadtwerke Musterstadt' });
  await services.releaseFiles.addPhoto(draft.id, { ...photo, path: `releases/${draft.id}/c.jpg`, alt: 'Hof', caption: 'Der Hof.', credit: 'Jörg Müller' });
  await services.releases.publish(draft.id);
  clock.advance(60 * 60_000);
  await services.releases.correct(draft.id, releaseInput({ title: 'Solarprogramm', bodyMarkdown: body }), 'Korrigiert: Der Antrag ist bis Mai möglich.');
  const release = (await services.releases.findById(draft.id))!;

  const $ = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  assert.deepEqual($('.photo .credit').map((_, el) => $(el).text()).get(), ['Grafik: Stadtwerke Musterstadt', 'Foto: Stadtwerke Musterstadt', 'Foto: Jörg Müller']);
  assert.match($('.corrections li').text(), /^Korrigiert am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr: Der Antrag ist bis Mai möglich\.$/);

  const text = (await app.inject(`/releases/${release.id}.txt`)).body;
  assert.doesNotMatch(text, /Foto: (?:Foto|Grafik):|Korrigiert:|\]\(/);
  assert.match(text, /\(Grafik: Stadtwerke Musterstadt\)/);
  assert.match(text, /\(Foto: Stadtwerke Musterstadt\)/);
  assert.match(text, /: Der Antrag ist bis Mai möglich\./);
  const flat = text.replace(/\s+/g, ' ');
  assert.ok(flat.includes('unter https://www.stadtwerke.example/solar und im Antrag (https://www.stadtwerke.example/antrag).'), flat);

  // The feed item's HTML says it once too.
  const feed = (await app.inject('/offices/stadtwerke/feed.json')).json();
  assert.doesNotMatch(feed.items[0].content_html, /Foto: (?:Foto|Grafik):|: Korrigiert:/);
});
