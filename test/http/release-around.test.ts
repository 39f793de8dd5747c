// Below a release: "Mehr von dieser Pressestelle" and related releases of other offices by topic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';

test('a release page lists more public releases of its office and related ones by topic, never itself or anything not public', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const at = (day: number) => ({ releaseDate: `2026-03-0${day}`, topics: ['verkehr'] });
  const page = await createRelease(services, stadt.id, { title: 'Der Radweg ist fertig', ...at(5) });
  await createRelease(services, stadt.id, { title: 'Stadt älter', ...at(1) }, { status: 'published', publishedAt: '2026-03-01T08:00:00.000Z' });
  await createRelease(services, stadt.id, { title: 'Stadt neuer', ...at(2) }, { status: 'published', publishedAt: '2026-03-02T08:00:00.000Z' });
  await createRelease(services, stadt.id, { title: 'Stadt Entwurf', ...at(3) }, { status: 'draft' });
  await createRelease(services, stadt.id, { title: 'Stadt geplant', ...at(3) }, { status: 'scheduled', publishAt: '2026-04-01T08:00:00.000Z' });
  const withdrawn = await createRelease(services, stadt.id, { title: 'Stadt zurückgezogen', ...at(4) });
  await services.releases.withdraw(withdrawn.id, 'Falsche Zahlen.');
  await createRelease(services, kreis.id, { title: 'Kreis Verkehr', ...at(3) });
  await createRelease(services, kreis.id, { title: 'Kreis Soziales', releaseDate: '2026-03-03', topics: ['soziales'] });
  await createRelease(services, kreis.id, { title: 'Kreis Verkehr Entwurf', ...at(3) }, { status: 'draft' });

  const res = await app.inject(`/releases/${page.id}-${page.slug}`);
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  assert.equal($('h1').first().text().trim(), 'Der Radweg ist fertig');
  const list = (selector: string) => $(`${selector} li a`).map((_, el) => $(el).text()).get();
  assert.equal($('#more-from-office-heading').text(), 'Mehr von dieser Pressestelle');
  assert.deepEqual(list('.more-from-office'), ['Stadt neuer', 'Stadt älter']);
  assert.equal($('.more-from-office p a').attr('href'), '/offices/stadt');
  assert.equal($('#related-heading').text(), 'Verwandte Mitteilungen');
  assert.deepEqual(list('.related-by-topic'), ['Kreis Verkehr']);
  // The links lead to the releases.
  const href = $('.related-by-topic li a').attr('href')!;
  assert.equal((await app.inject(href)).statusCode, 200);

  // A release without topics and alone in its office lists nothing and shows no empty headings.
  const lone = await createOffice(services, { slug: 'lone', name: 'Einzelamt' });
  const single = await createRelease(services, lone.id, { title: 'Einzige Mitteilung', releaseDate: '2026-03-05' });
  const $single = cheerio.load((await app.inject(`/releases/${single.id}-${single.slug}`)).body);
  assert.equal($single('h1').first().text().trim(), 'Einzige Mitteilung');
  assert.equal($single('.related-releases').length, 0);
});

test('the lists below a release follow each publish and scheduled time, and a release on two topics is related once', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const page = await createRelease(services, stadt.id, { title: 'Der Radweg ist fertig', releaseDate: '2026-03-05', topics: ['verkehr', 'soziales'] });
  await createRelease(services, stadt.id, { title: 'Stadt älter', releaseDate: '2026-03-01' }, { status: 'published', publishedAt: '2026-03-01T08:00:00.000Z' });
  await createRelease(services, kreis.id, { title: 'Kreis beides', releaseDate: '2026-03-02', topics: ['verkehr', 'soziales'] }, { status: 'published', publishedAt: '2026-03-02T08:00:00.000Z' });
  await createRelease(services, kreis.id, { title: 'Kreis Soziales', releaseDate: '2026-03-03', topics: ['soziales'] }, { status: 'published', publishedAt: '2026-03-03T08:00:00.000Z' });
  const scheduledAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
  await createRelease(services, kreis.id, { title: 'Kreis geplant', releaseDate: '2026-03-04', topics: ['verkehr'] }, { status: 'scheduled', publishAt: scheduledAt });

  const lists = async () => {
    const res = await app.inject(`/releases/${page.id}-${page.slug}`);
    assert.equal(res.statusCode, 200);
    const $ = cheerio.load(res.body);
    const list = (selector: string) => $(`${selector} li a`).map((_, el) => $(el).text()).get();
    return { office: list('.more-from-office'), related: list('.related-by-topic') };
  };
  assert.deepEqual(await lists(), { office: ['Stadt älter'], related: ['Kreis Soziales', 'Kreis beides'] });

  // Published after the page was first shown: on the page at once, in both lists.
  await createRelease(services, stadt.id, { title: 'Stadt neu', releaseDate: '2026-03-06' });
  await createRelease(services, kreis.id, { title: 'Kreis neu', releaseDate: '2026-03-06', topics: ['verkehr'] });
  assert.deepEqual(await lists(), { office: ['Stadt neu', 'Stadt älter'], related: ['Kreis neu', 'Kreis Soziales', 'Kreis beides'] });

  // The scheduled one shows when its time has come and the publish job has run, not before.
  clock.set(new Date(Date.parse(scheduledAt) - 1_000).toISOString());
  assert.deepEqual((await lists()).related, ['Kreis neu', 'Kreis Soziales', 'Kreis beides']);
  clock.set(new Date(Date.parse(scheduledAt) + 1_000).toISOString());
  await services.releases.publishDue();
  assert.deepEqual((await lists()).related, ['Kreis geplant', 'Kreis neu', 'Kreis Soziales', 'Kreis beides']);
});

test('related releases pass over drafts and scheduled releases newer than them, however many', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const page = await createRelease(services, stadt.id, { title: 'Der Radweg ist fertig', releaseDate: '2026-03-05', topics: ['verkehr'] });
  await createRelease(services, kreis.id, { title: 'Kreis Verkehr', releaseDate: '2026-03-04', topics: ['verkehr'] });
  // More drafts and scheduled releases on the topic than a related list looks at, all made later.
  for (let i = 0; i < 45; i++)
    await createRelease(services, kreis.id, { title: `Kreis in Arbeit ${i}`, releaseDate: '2026-03-06', topics: ['verkehr'] }, i % 2 ? { status: 'draft' } : { status: 'scheduled', publishAt: '2027-01-01T08:00:00.000Z' });

  const $ = cheerio.load((await app.inject(`/releases/${page.id}-${page.slug}`)).body);
  assert.deepEqual($('.related-by-topic li a').map((_, el) => $(el).text()).get(), ['Kreis Verkehr']);
});
