// The feeds of one office in every format, and the OPML, compared byte for byte with
// test/fixtures/feeds/ (fixed clock). After an intended change: UPDATE_GOLDEN=1 node --test test/http/feeds-golden.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/feeds');

/** The favicon's content hash changes with the icon, which is not what these files are about. */
const normalise = (body: string) => body.replace(/\/static\/[0-9a-f]{12}\//g, '/static/HASH/');

test('feeds and OPML match the golden files', async (t) => {
  const { app, clock } = await buildTestApp(t, { env: { WEBSUB_HUB: 'https://hub.example/' } });
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'landkreis-musterland', name: 'Landkreis Musterland' });
  await createOffice(services, { slug: 'stadtwerke', name: 'Stadtwerke „Strom & Wasser“' });
  await services.offices.setLogo(office.id, 'offices/landkreis-musterland/logo.png');
  const first = await createRelease(services, office.id, {
    title: 'Kreistag beschließt Haushalt 2026',
    subtitle: '',
    dateline: 'Musterhausen',
    topics: ['soziales'],
    regions: ['nordkreis', 'suedkreis'],
    bodyMarkdown: 'Der Kreistag hat den Haushalt beschlossen. Details im [Haushaltsplan](/media/haushalt.pdf).\n\n## Schwerpunkte\n\n- Schulen\n- Radwege',
  });
  clock.advance(3_600_000);
  await createRelease(services, office.id, {
    title: 'Radweg „Am Fluss“ eröffnet & freigegeben',
    subtitle: 'Zwölf Kilometer für Pendler',
    dateline: 'Nordheim',
    topics: ['verkehr', 'umwelt'],
    regions: ['nordkreis'],
    bodyMarkdown: 'Der Radweg ist offen. Er führt von Nordheim nach Musterhausen.',
  }, { status: 'published', photos: [{ path: 'releases/2/1-original.jpg', alt: 'Radfahrer auf dem neuen Weg', caption: 'Die ersten Radfahrer auf dem neuen Weg.', credit: 'Landkreis Musterland', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 312_456 }] });
  clock.advance(7_200_000);
  await services.releases.correct(first.id, releaseInput({ title: 'Kreistag beschließt Haushalt 2026', dateline: 'Musterhausen', topics: ['soziales'], regions: ['nordkreis', 'suedkreis'], bodyMarkdown: 'Der Kreistag hat den Haushalt mit großer Mehrheit beschlossen.' }), 'Das Abstimmungsergebnis wurde ergänzt.');

  const files = [
    ['/offices/landkreis-musterland/feed.rss', 'office.rss'],
    ['/offices/landkreis-musterland/feed.atom', 'office.atom'],
    ['/offices/landkreis-musterland/feed.json', 'office.json'],
    ['/feeds.opml', 'offices.opml'],
  ] as const;
  for (const [url, file] of files) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, url);
    const body = normalise(res.body);
    const golden = path.join(FIXTURES, file);
    if (process.env.UPDATE_GOLDEN) await writeFile(golden, body);
    assert.equal(body, await readFile(golden, 'utf8'), `${url} differs from test/fixtures/feeds/${file}`);
  }
});
