// E-mail subscriptions end to end, through a real SMTP server in the test process: sign up,
// confirm by the link in the received mail, publish, receive the instant notice, unsubscribe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';
import { encodeForm, submitForm } from '../helpers/forms.ts';

const pathOf = (url: string) => new URL(url).pathname;

const signUp = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], pageUrl: string, fields: Record<string, string | string[]>) =>
  submitForm(app, pageUrl, 'form.subscribe-form', fields);

/** Signs up, sends the confirmation mail, follows its link and confirms. Returns the confirmation mail's text. */
const subscribeAndConfirm = async (ctx: Awaited<ReturnType<typeof buildTestApp>>, sink: Awaited<ReturnType<typeof startSmtpSink>>, email: string, fields: Record<string, string | string[]>) => {
  const { app } = ctx;
  const { res } = await signUp(app, '/subscribe', { email, ...fields });
  assert.equal(res.statusCode, 303, res.body);
  await app.services.mail.sendDue();
  const mail = sink.to(email).at(-1);
  assert.ok(mail, 'confirmation mail received');
  const confirmUrl = linkIn(mail.parsed.text ?? '', '/subscribe/confirm/');
  const { res: confirmed } = await submitForm(app, pathOf(confirmUrl), 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(confirmed.statusCode, 303);
  assert.match(confirmed.headers.location as string, /^\/subscribe\/manage\/.+\?m=confirmed$/);
  return { mail, manageUrl: confirmed.headers.location as string };
};

test('sign up, confirm from the mail, publish: one instant notice with text and HTML parts and list headers', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'landkreis-musterland', name: 'Landkreis Musterland' });

  // The subscription page is prefilled from ?office=.
  const page = await app.inject({ method: 'GET', url: '/subscribe?office=landkreis-musterland' });
  assert.equal(page.statusCode, 200);
  const $page = cheerio.load(page.body);
  assert.equal($page('input[name=office][value=landkreis-musterland]').attr('checked'), 'checked');
  assert.equal($page('input[name=frequency][value=immediately]').attr('checked'), 'checked');

  const { res } = await signUp(app, '/subscribe?office=landkreis-musterland', { email: 'Leserin@Example.org ', frequency: 'immediately' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/subscribe/sent');

  // Before confirmation nothing but the confirmation mail is sent, even when a release appears.
  await createRelease(services, office.id, { title: 'Vor der Bestätigung' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.received.length, 1);
  const confirmation = sink.received[0]!;
  assert.deepEqual(confirmation.to, ['leserin@example.org']);
  assert.match(confirmation.parsed.subject ?? '', /bestätigen/);
  assert.match(confirmation.parsed.text ?? '', /Pressestelle: Landkreis Musterland/);
  assert.ok(confirmation.parsed.html, 'confirmation has an HTML part');
  assert.equal(confirmation.parsed.headers.get('list-unsubscribe'), undefined, 'no list headers before there is a subscription');

  // The link in the mail shows what would be confirmed; the button confirms.
  const confirmPath = pathOf(linkIn(confirmation.parsed.text ?? '', '/subscribe/confirm/'));
  const confirmPage = await app.inject({ method: 'GET', url: confirmPath });
  assert.equal(confirmPage.statusCode, 200);
  assert.equal(cheerio.load(confirmPage.body)('.confirm-targets li').text().trim(), 'Pressestelle: Landkreis Musterland');
  const { res: confirmed } = await submitForm(app, confirmPath, 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(confirmed.statusCode, 303);
  const manage = await app.inject({ method: 'GET', url: confirmed.headers.location as string });
  const $manage = cheerio.load(manage.body);
  assert.equal($manage('.form-notice').text().trim(), 'Vielen Dank, Ihr Abonnement ist bestätigt.');
  assert.equal($manage('input[name=keep][value="office:landkreis-musterland"]').length, 1);
  // The link is single-use.
  assert.equal((await app.inject({ method: 'GET', url: confirmPath })).statusCode, 404);

  const release = await createRelease(services, office.id, { title: 'Neue Radwege für Groß und Klein', dateline: 'Musterhausen', topics: ['verkehr'] });
  await services.mail.fanOut();
  await services.mail.sendDue();
  const notices = sink.to('leserin@example.org').slice(1);
  assert.equal(notices.length, 1);
  const notice = notices[0]!;
  assert.equal(notice.parsed.subject, 'Landkreis Musterland: Neue Radwege für Groß und Klein');
  const text = notice.parsed.text ?? '';
  assert.match(text, /^Neue Radwege für Groß und Klein/);
  assert.match(text, /Meldungsdatum: 09\.03\.2026/);
  assert.match(text, /Musterhausen\. Der Kreis baut \*\*neue Radwege\*\*/);
  assert.ok(text.includes(`http://herold.test/releases/${release.id}-${release.slug}`));
  const $html = cheerio.load(notice.parsed.html || '');
  assert.equal($html('h1').text().trim(), 'Neue Radwege für Groß und Klein');
  assert.equal($html('strong').first().text(), 'neue Radwege');
  assert.match(notice.raw, /charset=utf-8/i);
  const listUnsubscribe = (notice.raw.match(/^List-Unsubscribe:[ \t]*(.*(?:\r?\n[ \t].*)*)/m)?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ').trim();
  assert.match(listUnsubscribe, /^<http:\/\/herold\.test\/unsubscribe\/[\w.-]+>, <mailto:herold@herold\.test\?subject=unsubscribe%20[\w.-]+>$/);
  assert.match(notice.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  assert.match(notice.raw, /^List-Id: Herold <releases\.herold\.test>\r?$/im);
  // Footer: manage and unsubscribe links, sender.
  assert.match(text, /Abonnement ändern: http:\/\/herold\.test\/subscribe\/manage\//);
  assert.equal($html('a[href^="http://herold.test/unsubscribe/"]').text(), 'Abbestellen');

  // Fan-out and sending again change nothing: never twice.
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('leserin@example.org').length, 2);

  // One-click unsubscribe (RFC 8058): a POST to the header's https link, as mail clients send it.
  const unsubscribeUrl = /<(http[^>]+)>/.exec(listUnsubscribe)![1]!;
  const boundary = 'xyzzy';
  const oneClick = await app.inject({
    method: 'POST',
    url: pathOf(unsubscribeUrl),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
  });
  assert.equal(oneClick.statusCode, 200);
  assert.equal(await app.inject({ method: 'GET', url: confirmed.headers.location as string }).then((r) => r.statusCode), 404, 'manage link no longer works');
  const left = await ctx.db.db.selectFrom('subscriptions').select('id').execute();
  assert.equal(left.length, 0, 'the address is deleted');

  await createRelease(services, office.id, { title: 'Nach dem Abbestellen' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.equal(sink.to('leserin@example.org').length, 2, 'no mail after unsubscribing');
});

test('a release matching several followed items is sent once; a scheduled release is sent when it goes live, not before', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock } = ctx;
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await subscribeAndConfirm(ctx, sink, 'viel@example.org', { office: 'stadt', topic: ['verkehr', 'umwelt'], region: 'nordkreis', frequency: 'immediately' });

  await createRelease(services, office.id, { title: 'Alles passt', topics: ['verkehr', 'umwelt'], regions: ['nordkreis'] });
  const scheduled = await createRelease(services, office.id, { title: 'Später', topics: ['verkehr'] }, { status: 'scheduled', publishAt: '2026-03-10T12:00:00Z' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('viel@example.org').slice(1).map((m) => m.parsed.subject), ['Stadt Musterhausen: Alles passt']);

  clock.set('2026-03-10T12:00:05Z');
  assert.deepEqual(await services.releases.publishDue(), [scheduled.id]);
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('viel@example.org').slice(1).map((m) => m.parsed.subject), ['Stadt Musterhausen: Alles passt', 'Stadt Musterhausen: Später']);
});

test('daily digest at 07:00 Berlin: every matching release since the last digest, grouped by office; run twice, one mail; none when nothing is new', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock } = ctx;
  const { services } = app;
  await ensureTerms(services);
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const andere = await createOffice(services, { slug: 'andere', name: 'Andere Stelle' });
  await subscribeAndConfirm(ctx, sink, 'taeglich@example.org', { office: ['kreis', 'stadt'], frequency: 'daily' });
  await subscribeAndConfirm(ctx, sink, 'woechentlich@example.org', { office: ['kreis'], frequency: 'weekly' });

  // 10 March 11:00 Berlin: today's 07:00 digest period saw nothing yet.
  assert.equal(await services.mail.runDigests(), 0);
  await createRelease(services, kreis.id, { title: 'Kreis eins', dateline: 'Kassel', subtitle: 'Der Untertitel' });
  clock.advance(60_000);
  await createRelease(services, stadt.id, { title: 'Stadt eins', dateline: 'Musterhausen' });
  await createRelease(services, andere.id, { title: 'Nicht abonniert' });
  await services.mail.sendDue();
  assert.equal(sink.to('taeglich@example.org').length, 1, 'only the confirmation so far');

  // 11 March 06:59 Berlin: not yet.
  clock.set('2026-03-11T05:59:00Z');
  assert.equal(await services.mail.runDigests(), 0);
  // 07:00 Berlin (06:00 UTC): the digest is due.
  clock.set('2026-03-11T06:00:30Z');
  assert.equal(await services.mail.runDigests(), 1);
  assert.equal(await services.mail.runDigests(), 0, 'a second run of the same period queues nothing');
  await services.mail.sendDue();
  await services.mail.sendDue();
  const digests = sink.to('taeglich@example.org').slice(1);
  assert.equal(digests.length, 1);
  const digest = digests[0]!;
  assert.equal(digest.parsed.subject, 'Herold: 2 neue Pressemitteilungen (11.03.2026)');
  const $ = cheerio.load(digest.parsed.html || '');
  assert.deepEqual($('h2').map((_, el) => $(el).text()).get(), ['Landkreis Musterland', 'Stadt Musterhausen']);
  assert.deepEqual($('.digest-item h3').map((_, el) => $(el).text()).get(), ['Kreis eins', 'Stadt eins']);
  // The release date, and the time it went public (the next day), in TIME_ZONE.
  assert.match($('.digest-item').first().text(), /09\.03\.2026 · Veröffentlicht: 10\.03\.2026, 11:00 Uhr · Kassel/);
  assert.match($('.digest-item').first().text(), /Der Untertitel/);
  assert.match(digest.parsed.text ?? '', /== Landkreis Musterland ==\n\nKreis eins\n09\.03\.2026 · Veröffentlicht: 10\.03\.2026, 11:00 Uhr · Kassel\n\nDer Untertitel\n\nhttp:\/\/herold\.test\/releases\/\d+-kreis-eins/);
  assert.match(digest.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  const rows = await ctx.db.db.selectFrom('digest_deliveries').selectAll().execute();
  assert.equal(rows.length, 1);

  // Next day with nothing new: no mail.
  clock.set('2026-03-12T06:05:00Z');
  assert.equal(await services.mail.runDigests(), 0);
  await services.mail.sendDue();
  assert.equal(sink.to('taeglich@example.org').length, 2);

  // The weekly digest comes on Monday 16 March, 07:00 Berlin, with the week's release.
  clock.set('2026-03-15T20:00:00Z');
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(sink.to('woechentlich@example.org').length, 1);
  clock.set('2026-03-16T06:00:01Z');
  assert.equal(await services.mail.runDigests(), 1);
  await services.mail.sendDue();
  const weekly = sink.to('woechentlich@example.org').slice(1);
  assert.equal(weekly.length, 1);
  assert.match(weekly[0]!.parsed.subject ?? '', /1 neue Pressemitteilungen der Woche \(16\.03\.2026\)/);
});

test('a 451 is retried with backoff; a 550 is recorded, and three of them suspend the address', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock } = ctx;
  const { services } = app;
  const office = await createOffice(services, { slug: 'kreis', name: 'Landkreis' });
  await subscribeAndConfirm(ctx, sink, 'spaeter@example.org', { office: 'kreis', frequency: 'immediately' });
  await subscribeAndConfirm(ctx, sink, 'weg@example.org', { office: 'kreis', frequency: 'immediately' });

  sink.refuse((to) => (to.includes('spaeter@example.org') ? 451 : to.includes('weg@example.org') ? 550 : null));
  await createRelease(services, office.id, { title: 'Erste' });
  await services.mail.fanOut();
  const first = await services.mail.sendDue();
  assert.deepEqual({ retried: first.retried, failed: first.failed, sent: first.sent }, { retried: 1, failed: 1, sent: 0 });
  // Not due again at once.
  assert.equal((await services.mail.sendDue()).retried, 0);
  const log = await services.mail.log();
  const failed = log.rows.find((r) => r.email === 'weg@example.org')!;
  assert.equal(failed.status, 'failed');
  assert.match(failed.last_error ?? '', /550/);
  const waiting = log.rows.find((r) => r.email === 'spaeter@example.org')!;
  assert.equal(waiting.status, 'queued');
  assert.match(waiting.last_error ?? '', /451/);

  // The server accepts again; after the backoff the mail goes out, once.
  sink.refuse((to) => (to.includes('weg@example.org') ? 550 : null));
  clock.advance(61_000);
  assert.equal((await services.mail.sendDue()).sent, 1);
  assert.equal(sink.to('spaeter@example.org').length, 2);

  for (const title of ['Zweite', 'Dritte']) {
    await createRelease(services, office.id, { title });
    await services.mail.fanOut();
    await services.mail.sendDue();
  }
  const sub = await ctx.db.db.selectFrom('subscriptions').selectAll().where('email', '=', 'weg@example.org').executeTakeFirstOrThrow();
  assert.equal(sub.status, 'suspended');
  assert.equal(sub.permanent_failures, 3);
  // A suspended address gets nothing more queued.
  await createRelease(services, office.id, { title: 'Vierte' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  const statuses = (await ctx.db.db.selectFrom('mail_outbox').select(['status']).where('subscription_id', '=', sub.id).where('kind', '=', 'instant').orderBy('id').execute()).map((r) => r.status);
  assert.deepEqual(statuses, ['failed', 'failed', 'failed']);
  assert.equal(sink.to('spaeter@example.org').length, 5, 'confirmation and four notices');
});

test('no duplicates across restarts: a crash mid-send resends only what was in flight, and a new process finds nothing to do', async (t) => {
  const sink = await startSmtpSink(t);
  const first = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = first.app;
  const office = await createOffice(services, { slug: 'kreis', name: 'Landkreis' });
  for (const n of [1, 2, 3]) await subscribeAndConfirm(first, sink, `leser${n}@example.org`, { office: 'kreis', frequency: 'immediately' });
  const before = sink.received.length;
  await createRelease(services, office.id, { title: 'Absturz' });
  await services.mail.fanOut();
  await services.mail.fanOut();
  assert.equal(await first.db.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'instant').execute().then((r) => r.length), 3);

  // A sender on another machine claims all three, sends one, and dies before recording anything
  // (kill -9). (One on this machine is found gone at once: mail-sender.test.ts.)
  const { claimDue } = await import('../../src/modules/mail/outbox.repository.ts');
  const now = first.clock.now();
  const claimed = await claimDue(first.db.db, now.toISOString(), new Date(now.getTime() + 60_000).toISOString(), 10, 'another-host:1:4242:0');
  assert.equal(claimed.length, 3);
  await sink.mailer.send({ to: 'leser1@example.org', subject: 'Landkreis: Absturz', text: 'in flight' });

  // Restart: a new app on the same database. Leased rows wait for their lease to run out.
  await first.app.close();
  const second = await buildTestApp(t, { mailer: sink.mailer, db: first.db, now: now.toISOString() });
  await second.app.services.mail.fanOut();
  assert.equal((await second.app.services.mail.sendDue()).sent, 0);
  second.clock.advance(5 * 60_000);
  assert.equal((await second.app.services.mail.sendDue()).sent, 3);
  const notices = sink.received.slice(before).map((m) => m.to[0]).sort();
  // leser1 got the in-flight message and its resend: the only duplicate allowed.
  assert.deepEqual(notices, ['leser1@example.org', 'leser1@example.org', 'leser2@example.org', 'leser3@example.org']);
  await second.app.services.mail.fanOut();
  await second.app.services.mail.sendDue();
  assert.equal(sink.received.length - before, 4);
});

test('invalid addresses and header injection are form errors, with what was typed kept; the answer never reveals a known address', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis' });

  const { res, $ } = await signUp(app, '/subscribe', { email: 'kein-at-zeichen.example.org', office: 'kreis', frequency: 'weekly' });
  assert.equal(res.statusCode, 422);
  assert.match($('#field-email .field-error').text(), /keine gültige E-Mail-Adresse/);
  assert.equal($('#subscribe-email').val(), 'kein-at-zeichen.example.org');
  assert.equal($('#subscribe-email').attr('aria-invalid'), 'true');
  assert.equal($('input[name=office][value=kreis]').attr('checked'), 'checked');
  assert.equal($('input[name=frequency][value=weekly]').attr('checked'), 'checked');

  const injected = await signUp(app, '/subscribe', { email: 'opfer@example.org\r\nBcc: alle@example.org', office: 'kreis', frequency: 'daily' });
  assert.equal(injected.res.statusCode, 422);
  assert.match(injected.$('#field-email .field-error').text(), /keine gültige E-Mail-Adresse/);

  const nothing = await signUp(app, '/subscribe', { email: 'jemand@example.org', frequency: 'daily' });
  assert.equal(nothing.res.statusCode, 422);
  assert.match(nothing.$('#field-targets .field-error').text(), /mindestens eine/);
  assert.equal(nothing.$('#subscribe-email').val(), 'jemand@example.org');

  // The mail layer refuses line breaks in any header field, whatever the caller.
  await assert.rejects(sink.mailer.send({ to: 'a@example.org', subject: 'Hallo\r\nBcc: b@example.org', text: 'x' }), /Line break/);

  // Known or unknown: the same answer; repeated sign-ups send at most three confirmation mails a day.
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push((await signUp(app, '/subscribe', { email: 'oft@example.org', office: 'kreis', frequency: 'daily' })).res.headers.location);
  assert.deepEqual(new Set(answers), new Set(['/subscribe/sent']));
  await app.services.mail.sendDue();
  assert.equal(sink.to('oft@example.org').length, 3);
});

test('public forms need the CSRF token or a same-origin request; the compact form works from page-cached pages', async (t) => {
  const ctx = await buildTestApp(t);
  const { app } = ctx;
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis' });
  const form = encodeForm({ email: 'x@example.org', office: 'kreis', frequency: 'daily' });

  const forged = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, payload: form });
  assert.equal(forged.statusCode, 403);
  const $ = cheerio.load(forged.body);
  assert.match($('.form-notice').text(), /Formular war veraltet/);
  assert.equal($('#subscribe-email').val(), 'x@example.org', 'values kept');
  const noToken = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
  assert.equal(noToken.statusCode, 403);
  const wrongToken = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'herold_pcsrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, payload: `${form}&_csrf=forged` });
  assert.equal(wrongToken.statusCode, 403);

  // The compact form on the office page (cached, no token) posts same-origin.
  const officePage = cheerio.load((await app.inject({ method: 'GET', url: '/offices/kreis' })).body);
  const compact = officePage('.subscribe-box form');
  assert.equal(compact.attr('action'), '/subscribe');
  assert.equal(compact.find('input[type=hidden][name=office]').val(), 'kreis');
  const fromPage = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: encodeForm({ office: 'kreis', email: 'y@example.org', frequency: 'immediately' }) });
  assert.equal(fromPage.statusCode, 303);
  const byOrigin = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://herold.test' }, payload: encodeForm({ office: 'kreis', email: 'z@example.org', frequency: 'immediately' }) });
  assert.equal(byOrigin.statusCode, 303);

  // The home page's form subscribes to every release (test/http/subscribe-reach.test.ts); a home
  // page cached before it did posts `choose`: the choices are shown with the address kept.
  const home = cheerio.load((await app.inject({ method: 'GET', url: '/' })).body);
  assert.equal(home('.subscribe-box input[name=all]').val(), '*');
  const choose = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: encodeForm({ choose: '1', email: 'neu@example.org' }) });
  assert.equal(choose.statusCode, 200);
  const $choose = cheerio.load(choose.body);
  assert.equal($choose('#subscribe-email').val(), 'neu@example.org');
  assert.equal($choose('.form-errors').length, 0);

  // The release page's platform footer links to the office's subscription.
  const office = await app.services.offices.findBySlug('kreis');
  const release = await createRelease(app.services, office!.id, { title: 'Fußzeile' });
  const releasePage = cheerio.load((await app.inject({ method: 'GET', url: `/releases/${release.id}-${release.slug}` })).body);
  assert.equal(releasePage('.platform-footer a[href="/subscribe?office=kreis"]').length, 1);
});

test('the manage page changes frequency and items; unsubscribing from everything deletes the address data', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  await ensureTerms(app.services);
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis' });
  const { manageUrl } = await subscribeAndConfirm(ctx, sink, 'verwalten@example.org', { office: 'kreis', topic: 'verkehr', frequency: 'immediately' });
  const managePath = manageUrl.split('?')[0]!;

  const { res } = await submitForm(app, managePath, 'form.manage-form', { keep: 'office:kreis', topic: 'umwelt', region: 'nordkreis', frequency: 'weekly' });
  assert.equal(res.statusCode, 303);
  const $ = cheerio.load((await app.inject({ method: 'GET', url: res.headers.location as string })).body);
  assert.equal($('.form-notice').text().trim(), 'Ihre Änderungen sind gespeichert.');
  assert.deepEqual($('input[name=keep]').map((_, el) => $(el).val()).get().sort(), ['office:kreis', 'region:nordkreis', 'topic:umwelt']);
  assert.equal($('input[name=frequency][value=weekly]').attr('checked'), 'checked');

  // A forged change (no token, cross-site) is refused.
  const forged = await app.inject({ method: 'POST', url: managePath, headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, payload: 'frequency=daily' });
  assert.equal(forged.statusCode, 403);

  const { res: removed } = await submitForm(app, managePath, `form[action="${managePath}/delete"]`, {});
  assert.equal(removed.statusCode, 303);
  assert.equal(removed.headers.location, '/subscribe/removed');
  const db = ctx.db.db;
  assert.equal((await db.selectFrom('subscriptions').select('id').execute()).length, 0);
  assert.equal((await db.selectFrom('subscription_targets').select('value').execute()).length, 0);
  assert.equal((await db.selectFrom('subscription_requests').select('id').where('email', '=', 'verwalten@example.org').execute()).length, 0);
  assert.equal((await db.selectFrom('mail_outbox').select('id').where('subscription_id', 'is not', null).execute()).length, 0);
  assert.equal((await app.inject({ method: 'GET', url: managePath })).statusCode, 404);
});

test('unconfirmed sign-ups are deleted after 7 days and their link stops working', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app, clock } = ctx;
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis' });
  await signUp(app, '/subscribe', { email: 'vergesslich@example.org', office: 'kreis', frequency: 'daily' });
  await app.services.mail.sendDue();
  const link = pathOf(linkIn(sink.to('vergesslich@example.org')[0]!.parsed.text ?? '', '/subscribe/confirm/'));
  clock.advance(6 * 24 * 60 * 60 * 1000);
  assert.equal(await app.services.subscriptions.purgeUnconfirmed(), 0);
  clock.advance(24 * 60 * 60 * 1000 + 1000);
  assert.equal(await app.services.subscriptions.purgeUnconfirmed(), 1);
  assert.equal((await app.inject({ method: 'GET', url: link })).statusCode, 404);
});

test('a release withdrawn before its notices went out is not mailed', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = ctx.app;
  const office = await createOffice(services, { slug: 'kreis', name: 'Landkreis' });
  await subscribeAndConfirm(ctx, sink, 'leser@example.org', { office: 'kreis', frequency: 'immediately' });
  const release = await createRelease(services, office.id, { title: 'Voreilig' });
  await services.mail.fanOut();
  await services.releases.withdraw(release.id, 'Falsche Zahlen');
  const report = await services.mail.sendDue();
  assert.equal(report.cancelled, 1);
  assert.equal(sink.to('leser@example.org').length, 1, 'only the confirmation');
});

test('a release published by another process (herold import) is announced by the next fan-out sweep', async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = ctx.app;
  const office = await createOffice(services, { slug: 'kreis', name: 'Landkreis' });
  await subscribeAndConfirm(ctx, sink, 'leser@example.org', { office: 'kreis', frequency: 'immediately' });
  // The CLI builds its own services on the same database; no event reaches the server.
  const { createServices } = await import('../../src/services.ts');
  const cli = createServices({ db: ctx.db.db, clock: ctx.clock });
  await cli.releases.create(office.id, { title: 'Importiert', subtitle: '', releaseDate: '2026-03-10', dateline: '', bodyMarkdown: 'Text.', contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' }, { status: 'published' });
  assert.equal(await services.mail.fanOut(), 1);
  await services.mail.sendDue();
  assert.deepEqual(sink.to('leser@example.org').slice(1).map((m) => m.parsed.subject), ['Landkreis: Importiert']);
});
