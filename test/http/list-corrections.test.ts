// A corrected release says so wherever it is listed, as its page does (content/release-when.ts):
// home, office page, topic page, archive month, search results and the lists below another release
// show „aktualisiert am … um …“ from `releases.corrected_at`; an uncorrected release does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';

test('lists and search results show when a release was corrected, and only for a corrected one', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Amt Musterhausen' });
  const input = { title: 'Brückensanierung beginnt', releaseDate: '2026-03-10', topics: ['verkehr'], bodyMarkdown: 'Die Brückensanierung beginnt im April.' };
  // Published at 10:00 UTC (11:00 in Berlin), the plain one a minute later.
  const corrected = await createRelease(services, office.id, input);
  clock.advance(60_000);
  const plain = await createRelease(services, office.id, { title: 'Brückenfest fällt aus', releaseDate: '2026-03-10', topics: ['verkehr'], bodyMarkdown: 'Das Brückenfest fällt aus.' });
  const around = await createRelease(services, office.id, { title: 'Noch eine Mitteilung', releaseDate: '2026-03-10' });

  // Fill the page cache before the correction: the correction must reach the cached pages.
  const cardsOf = async (url: string) => {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, url);
    const $ = cheerio.load(res.body);
    return new Map(
      $('.release-card, .search-hit')
        .map((_, el) => [[$(el).find('h2, h3').first().text().trim(), $(el).find('.when-updated')]] as const)
        .get()
        .map(([title, updated]) => [title, updated.length > 0 ? { text: updated.text(), iso: updated.attr('datetime') } : null] as const),
    );
  };
  const pages = ['/', '/offices/amt', '/topics/verkehr', '/archive/2026/03', '/search?q=Br%C3%BCcke'];
  for (const url of pages) {
    const cards = await cardsOf(url);
    assert.equal(cards.get('Brückensanierung beginnt'), null, url);
  }

  // Corrected at 11:30 UTC: 12:30 in Berlin.
  clock.advance(89 * 60_000);
  await services.releases.correct(corrected.id, releaseInput({ ...input, bodyMarkdown: 'Die Brückensanierung beginnt im Mai.' }), 'Monat korrigiert.');

  for (const url of pages) {
    const cards = await cardsOf(url);
    assert.deepEqual(cards.get('Brückensanierung beginnt'), { text: 'aktualisiert am 10.03.2026 um 12:30 Uhr', iso: '2026-03-10T11:30:00.000Z' }, url);
    // The uncorrected one is on the same list, without the line.
    assert.ok(cards.has(plain.title), `${url} lists ${plain.title}`);
    assert.equal(cards.get(plain.title), null, url);
  }

  // "Mehr von dieser Pressestelle" below another release of the office.
  const $ = cheerio.load((await app.inject(`/releases/${around.id}-${around.slug}`)).body);
  const item = (title: string) => $('.more-from-office li').filter((_, el) => $(el).find('a').first().text() === title);
  assert.equal(item('Brückensanierung beginnt').find('.when-updated').text(), 'aktualisiert am 10.03.2026 um 12:30 Uhr');
  assert.equal(item(plain.title).length, 1);
  assert.equal(item(plain.title).find('.when-updated').length, 0);
  assert.equal(item(plain.title).find('time').first().text(), '10.03.2026, 11:01 Uhr');
});
