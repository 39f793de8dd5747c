// The directories of offices, topics and regions show how many releases of each are public now:
// drafts, scheduled releases before their time and withdrawn ones are not counted; a scheduled one
// is, once its time has come. The counts come from the kept counts (releases repository
// `countPublicReleasesPer`), not from counting the releases at every view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

test('offices, topics and regions list the number of their public releases, and a scheduled one counts from its time', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await createOffice(services, { slug: 'leer', name: 'Amt ohne Meldungen' });
  const terms = { topics: ['verkehr'], regions: ['nordkreis'] };
  await createRelease(services, stadt.id, { title: 'Eins', ...terms });
  await createRelease(services, stadt.id, { title: 'Zwei', topics: ['verkehr'] });
  await createRelease(services, stadt.id, { title: 'Entwurf', ...terms }, { status: 'draft' });
  const withdrawn = await createRelease(services, stadt.id, { title: 'Zurückgezogen', ...terms });
  await services.releases.withdraw(withdrawn.id, 'Falsche Zahlen.');
  const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
  await createRelease(services, stadt.id, { title: 'Geplant', ...terms }, { status: 'scheduled', publishAt: at });

  const counts = async () => {
    const directory = async (url: string, item: string, name: string) => {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 200, url);
      const $ = cheerio.load(res.body);
      return Object.fromEntries($(item).map((_, el) => [[$(el).find(name).first().text().trim(), $(el).find('.count').text().replace(/\D/g, '')]]).get());
    };
    return {
      offices: await directory('/offices', 'li:has(.count), article:has(.count)', 'h2, h3, a'),
      topics: await directory('/topics', 'li:has(.count)', 'a'),
      regions: await directory('/regions', 'li:has(.count)', 'a'),
    };
  };
  const before = await counts();
  assert.equal(before.offices['Stadt Musterhausen'], '2');
  assert.equal(before.offices['Amt ohne Meldungen'], '0');
  assert.equal(before.topics['Verkehr'], '2');
  assert.equal(before.regions['Nordkreis'], '1');

  clock.set(new Date(Date.parse(at) + 1_000).toISOString());
  await services.releases.publishDue();
  const after = await counts();
  assert.equal(after.offices['Stadt Musterhausen'], '3');
  assert.equal(after.topics['Verkehr'], '3');
  assert.equal(after.regions['Nordkreis'], '2');
});
