// Following a search by e-mail, through a real SMTP server in the test process: the search page's
// "alert me" link → the prefilled sign-up form → confirmation mail → confirm → a matching release
// sends one instant notice (also when it matches an office the person follows too), a
// non-matching one nothing; daily digests list matching releases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { linkIn, startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { submitForm } from '../helpers/forms.ts';

const pathOf = (url: string) => new URL(url).pathname;

/** From the search page: follows the alert link, signs up, confirms by the mailed link. */
const followSearch = async (ctx: TestApp, sink: SmtpSink, searchUrl: string, email: string, fields: Record<string, string | string[]> = {}) => {
  const { app } = ctx;
  const $search = cheerio.load((await app.inject(searchUrl)).body);
  const alertUrl = $search('.search-alert a').attr('href');
  assert.ok(alertUrl, `alert link on ${searchUrl}`);
  const { res } = await submitForm(app, alertUrl, 'form.subscribe-form', { email, frequency: 'immediately', ...fields });
  assert.equal(res.statusCode, 303, res.body);
  await app.services.mail.sendDue();
  const confirmation = sink.to(email).at(-1);
  assert.ok(confirmation, 'confirmation mail received');
  const confirmPath = pathOf(linkIn(confirmation.parsed.text ?? '', '/subscribe/confirm/'));
  const confirmPage = cheerio.load((await app.inject(confirmPath)).body);
  const { res: confirmed } = await submitForm(app, confirmPath, 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(confirmed.statusCode, 303);
  return { alertUrl, confirmation, confirmTargets: confirmPage('.confirm-targets li').map((_, el) => confirmPage(el).text().trim()).get(), manageUrl: confirmed.headers.location as string };
};

const newsroom = async ({ app }: TestApp) => {
  await ensureTerms(app.services);
  const stadt = await createOffice(app.services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const kreis = await createOffice(app.services, { slug: 'kreis', name: 'Landkreis Musterland' });
  return { stadt, kreis };
};

test('follow a search by e-mail: prefilled form, readable confirmation, one notice per matching release, none otherwise', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  const { services } = app;
  const { stadt, kreis } = await newsroom(ctx);

  // The form is prefilled with the search, ticked and named readably.
  const form = cheerio.load((await app.inject(`/subscribe?search=${encodeURIComponent('q=Radweg&topic=verkehr')}`)).body);
  const box = form('form.subscribe-form input[name=search]');
  assert.equal(box.attr('value'), 'q=Radweg&topic=verkehr');
  assert.equal(box.attr('checked'), 'checked');
  assert.equal(form(`label[for="${box.attr('id')}"]`).text(), '„Radweg“ · Verkehr');

  const { alertUrl, confirmation, confirmTargets, manageUrl } = await followSearch(ctx, sink, '/search?q=Radweg&topic=verkehr', 'suche@example.org');
  assert.equal(alertUrl, `/subscribe?search=${encodeURIComponent('q=Radweg&topic=verkehr')}`);
  assert.match(confirmation.parsed.text ?? '', /Suche: „Radweg“ · Verkehr/);
  assert.deepEqual(confirmTargets, ['Suche: „Radweg“ · Verkehr']);
  const $manage = cheerio.load((await app.inject(manageUrl)).body);
  const kept = $manage('input[name=keep]');
  assert.equal(kept.length, 1);
  assert.equal(kept.attr('value'), 'search:{"q":"Radweg","filters":{"topic":"verkehr"}}');
  assert.equal($manage(`label[for="${kept.attr('id')}"]`).text(), 'Suche: „Radweg“ · Verkehr');

  // Matching (German folding and the automatic prefix, as on the search page): one notice each.
  await createRelease(services, stadt.id, { title: 'Neue Radwege am Markt', topics: ['verkehr'] });
  await services.mail.fanOut();
  await services.mail.sendDue();
  await createRelease(services, kreis.id, { title: 'Breitere Radwegbrücke', bodyMarkdown: 'Die Brücke wird breiter.', topics: ['verkehr', 'umwelt'] });
  await services.mail.fanOut();
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('suche@example.org').slice(1).map((m) => m.parsed.subject), ['Stadt Musterhausen: Neue Radwege am Markt', 'Landkreis Musterland: Breitere Radwegbrücke']);

  // Not matching: the word without the topic, the topic without the word.
  await createRelease(services, stadt.id, { title: 'Radweg-Fest im Park', topics: ['soziales'] });
  await createRelease(services, stadt.id, { title: 'Busfahrplan geändert', bodyMarkdown: 'Neue Zeiten ab Montag.', topics: ['verkehr'] });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('suche@example.org').length, 3, 'nothing for releases the search does not find');

  // A scheduled matching release is mailed when it goes live, not before.
  const scheduled = await createRelease(services, stadt.id, { title: 'Radwegenetz wächst', topics: ['verkehr'] }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('suche@example.org').length, 3, 'nothing before the embargo lifts');
  ctx.clock.set('2026-03-10T12:00:05Z');
  assert.deepEqual(await services.releases.publishDue(), [scheduled.id]);
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('suche@example.org').at(-1)!.parsed.subject, 'Stadt Musterhausen: Radwegenetz wächst');
});

test('a scheduled release whose time came is found by a followed search even when the fan-out runs before the publish job', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock, db } = ctx;
  const { services } = app;
  const { stadt } = await newsroom(ctx);
  await followSearch(ctx, sink, '/search?q=Sperrfrist', 'suche@example.org');
  const scheduled = await createRelease(services, stadt.id, { title: 'Sperrfrist für den Haushalt' }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  clock.set('2026-03-10T12:00:05Z');
  // The release is public from its time on, though the publish job has not run: the order a
  // crowded scheduler (or `herold job mail-fanout` from the command line) may take.
  const before = await db.db.selectFrom('releases').select('status').where('id', '=', scheduled.id).executeTakeFirstOrThrow();
  assert.equal(before.status, 'scheduled');
  assert.equal((await app.inject(`/releases/${scheduled.id}-${scheduled.slug}`)).statusCode, 200);

  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('suche@example.org').slice(1).map((m) => m.parsed.subject), ['Stadt Musterhausen: Sperrfrist für den Haushalt']);
  const fanout = await db.db.selectFrom('release_fanouts').select(['done_at', 'queued']).where('release_id', '=', scheduled.id).executeTakeFirstOrThrow();
  assert.ok(fanout.done_at, 'the fan-out of the release finished');
  assert.equal(fanout.queued, 1);
  // The publish job finds nothing left to do, and another sweep sends nothing twice.
  assert.deepEqual(await services.releases.publishDue(), []);
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('suche@example.org').length, 2);
});

test('a release matching both a followed office and a followed search is sent once', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  const { services } = app;
  const { stadt } = await newsroom(ctx);
  // The office is ticked on the same form as the search.
  const { confirmTargets } = await followSearch(ctx, sink, '/search?q=Kita', 'beides@example.org', { office: 'stadt' });
  assert.deepEqual(confirmTargets, ['Pressestelle: Stadt Musterhausen', 'Suche: „Kita“']);

  await createRelease(services, stadt.id, { title: 'Neue Kita in der Altstadt' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('beides@example.org').slice(1).map((m) => m.parsed.subject), ['Stadt Musterhausen: Neue Kita in der Altstadt']);
  const outbox = await ctx.db.db.selectFrom('mail_outbox').select(['kind']).where('kind', '=', 'instant').execute();
  assert.equal(outbox.length, 1);
});

test('a daily digest lists the releases a followed search finds', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock } = ctx;
  const { services } = app;
  const { stadt, kreis } = await newsroom(ctx);
  await followSearch(ctx, sink, '/search?q=Radweg&office=kreis', 'digest@example.org', { frequency: 'daily' });

  await createRelease(services, kreis.id, { title: 'Radweg im Kreis' });
  await createRelease(services, stadt.id, { title: 'Radweg in der Stadt' });
  await createRelease(services, kreis.id, { title: 'Kita im Kreis', bodyMarkdown: 'Eine neue Kita öffnet.' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('digest@example.org').length, 1, 'no instant notices for a daily subscriber');

  clock.set('2026-03-11T06:00:30Z');
  assert.equal(await services.mail.runDigests(), 1);
  await services.mail.sendDue();
  const digest = sink.to('digest@example.org').at(-1)!;
  const $ = cheerio.load(digest.parsed.html || '');
  assert.deepEqual($('.digest-item h3').map((_, el) => $(el).text()).get(), ['Radweg im Kreis']);
});

test('a search that cannot be followed is a form error, with what was typed kept', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  await newsroom(ctx);
  for (const search of ['office=gibtsnicht', 'q=-nur-ausgeschlossen', '', 'from=2026-02-30&q=x', `q=${'wort '.repeat(200)}`, '%E0%A4%A']) {
    const page = cheerio.load((await app.inject(`/subscribe?search=${encodeURIComponent(search)}`)).body);
    assert.equal(page('form.subscribe-form input[name=search]').length, 0, search);
    assert.match(page('#field-targets .field-error').text(), /Dieser Suche kann nicht gefolgt werden/, search);
  }
  // Posted directly (a forged form): 422, the address kept, nothing queued.
  const { res, $ } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'x@example.org', frequency: 'immediately', search: 'office=gibtsnicht' });
  assert.equal(res.statusCode, 422);
  assert.equal($('input[name=email]').attr('value'), 'x@example.org');
  assert.match($('#field-targets .field-error').text(), /Dieser Suche kann nicht gefolgt werden/);
  assert.equal((await ctx.db.db.selectFrom('subscription_requests').select('id').execute()).length, 0);
  // Too many searches at once.
  const many = Array.from({ length: 6 }, (_, i) => `q=wort${i}`);
  assert.equal((await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'x@example.org', frequency: 'immediately', search: many })).res.statusCode, 422);
  // Odd input never causes a 500.
  for (const url of ['/subscribe?search[]=1', `/subscribe?search=${'x'.repeat(5000)}`, '/subscribe?search=%7B%22q%22%3A1%7D']) {
    assert.ok([200, 400].includes((await app.inject(url)).statusCode), url);
  }
});
