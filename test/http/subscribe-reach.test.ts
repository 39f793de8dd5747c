// Subscribing, through a real SMTP server: the compact form signs up at once (the home page's for
// every release), "Alle Pressemitteilungen" is a target the fan-out and digests serve, topic and
// region pages say what they offer in proper German, and internationalised addresses are taken and
// sent with SMTPUTF8, or failed with a readable reason where the server does not offer it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';
import { NO_SMTPUTF8 } from '../../src/modules/mail/smtp-mailer.ts';

const pathOf = (url: string) => new URL(url).pathname;
/** The compact form is page-cached without a token: the browser's same-origin header lets it in. */
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

test('the home page form subscribes to every release at once: confirmation, instant notices and digests of every office', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, clock } = await buildTestApp(t, { mailer: sink.mailer, now: '2026-03-09T12:00:00.000Z' });
  const { services } = app;
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const stadt = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });

  const home = cheerio.load((await app.inject({ method: 'GET', url: '/' })).body);
  assert.equal(home('.subscribe-box p').first().text().trim(), 'Alle neuen Pressemitteilungen per E-Mail erhalten.');
  assert.equal(home('.subscribe-box form input[name=all]').attr('value'), '*');
  assert.equal(home('.subscribe-box form input[name=choose]').length, 0, 'no detour through the full form');

  for (const [email, frequency] of [['sofort@example.org', 'immediately'], ['taeglich@example.org', 'daily']] as const) {
    const { res } = await submitForm(app, '/', '.subscribe-box form', { email, frequency }, SAME_ORIGIN);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/subscribe/sent');
  }
  const sent = cheerio.load((await app.inject({ method: 'GET', url: '/subscribe/sent' })).body);
  assert.equal(sent('h1').text().trim(), 'Bitte bestätigen Sie Ihre Adresse', 'the page says the confirmation mail is on its way');
  await services.mail.sendDue();
  assert.equal(sink.received.length, 2);
  for (const mail of sink.received) {
    assert.match(mail.parsed.text ?? '', /Alle Pressemitteilungen/);
    const confirmPath = pathOf(linkIn(mail.parsed.text ?? '', '/subscribe/confirm/'));
    assert.equal(cheerio.load((await app.inject({ method: 'GET', url: confirmPath })).body)('.confirm-targets li').text().trim(), 'Alle Pressemitteilungen');
    const { res } = await submitForm(app, confirmPath, 'form[action^="/subscribe/confirm/"]', {});
    assert.equal(res.statusCode, 303);
    if (mail.to[0] === 'sofort@example.org') {
      const manage = cheerio.load((await app.inject({ method: 'GET', url: res.headers.location as string })).body);
      assert.equal(manage('input[name=keep]').attr('value'), 'all:*');
      assert.equal(manage('label[for="keep-all-_"]').text().trim(), 'Alle Pressemitteilungen');
    }
  }

  await createRelease(services, kreis.id, { title: 'Neue Radwege' });
  await createRelease(services, stadt.id, { title: 'Neues Freibad' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  assert.deepEqual(sink.to('sofort@example.org').slice(1).map((m) => m.parsed.subject).sort(), ['Landkreis Musterland: Neue Radwege', 'Stadt Musterhausen: Neues Freibad']);
  assert.equal(sink.to('taeglich@example.org').length, 1, 'no instant notices for a daily subscriber');

  clock.set('2026-03-10T10:00:00.000Z');
  await services.mail.runDigests();
  await services.mail.sendDue();
  const digest = sink.to('taeglich@example.org').at(-1)!;
  assert.match(digest.parsed.subject ?? '', /2 neue Pressemitteilungen/);
  assert.match(digest.parsed.text ?? '', /== Landkreis Musterland ==[\s\S]*== Stadt Musterhausen ==/);

  // The admin counts name it.
  await createUser(services, { email: 'admin@herold.test', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('admin@herold.test');
  const { $ } = await admin.get('/admin/mail');
  assert.equal($('tr[data-target="all:*"] th').text().trim(), 'Alle Pressemitteilungen');
  assert.equal($('tr[data-target="all:*"] td.num').last().text().trim(), '2');
});

test('the full form and the manage page offer "Alle Pressemitteilungen"', async (t) => {
  const sink = await startSmtpSink(t);
  const { app } = await buildTestApp(t, { mailer: sink.mailer });
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const page = cheerio.load((await app.inject({ method: 'GET', url: '/subscribe' })).body);
  assert.equal(page('label[for="all-*"]').text().trim(), 'Alle Pressemitteilungen');
  const { res } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'alle@example.org', all: '*', frequency: 'weekly' });
  assert.equal(res.statusCode, 303);
  // An unknown value is refused, with what was typed kept.
  const { res: bad, $ } = await submitForm(app, '/subscribe', 'form.subscribe-form', { email: 'alle@example.org', all: 'nichts', frequency: 'weekly' });
  assert.equal(bad.statusCode, 422);
  assert.equal($('#subscribe-email').attr('value'), 'alle@example.org');
});

test('office, topic and region pages say in proper German what their form subscribes to', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  const text = async (url: string) => cheerio.load((await app.inject({ method: 'GET', url })).body)('.subscribe-box p').first().text().trim();
  assert.equal(await text('/offices/kreis'), 'Neue Mitteilungen von „Landkreis Musterland“ per E-Mail erhalten.');
  assert.equal(await text('/topics/verkehr'), 'Neue Mitteilungen zum Thema „Verkehr“ per E-Mail erhalten.');
  assert.equal(await text('/regions/nordkreis'), 'Neue Mitteilungen aus der Region „Nordkreis“ per E-Mail erhalten.');
  const topic = cheerio.load((await app.inject({ method: 'GET', url: '/topics/verkehr' })).body);
  assert.equal(topic('.subscribe-box input[name=topic]').attr('value'), 'verkehr');
  assert.equal(topic('.subscribe-box select[name=frequency]').length, 1);
});

test('an internationalised address is taken and sent with SMTPUTF8 where the server offers it', async (t) => {
  const sink = await startSmtpSink(t);
  const { app } = await buildTestApp(t, { mailer: sink.mailer });
  await createOffice(app.services, { slug: 'kreis', name: 'Landkreis Musterland' });
  // The form does not let the browser refuse it: no type="email" (browsers take ASCII addresses only).
  assert.equal(cheerio.load((await app.inject({ method: 'GET', url: '/' })).body)('#subscribe-box-email').attr('type'), 'text');
  for (const email of ['Täglich@Example.net', 'leser@bücher.example']) {
    const { res } = await submitForm(app, '/offices/kreis', '.subscribe-box form', { email, frequency: 'immediately' }, SAME_ORIGIN);
    assert.equal(res.statusCode, 303, res.body);
  }
  await app.services.mail.sendDue();
  const utf8 = sink.to('täglich@example.net');
  assert.equal(utf8.length, 1, 'the confirmation reached the internationalised address');
  assert.equal(utf8[0]!.smtpUtf8, true, 'MAIL FROM declared SMTPUTF8');
  // A domain alone needs no SMTPUTF8: it goes as punycode (smtp-server shows it decoded).
  const idn = sink.to('leser@bücher.example');
  assert.equal(idn.length, 1);
  assert.equal(idn[0]!.smtpUtf8, false);
  // Confirming works with it.
  const confirmPath = pathOf(linkIn(utf8[0]!.parsed.text ?? '', '/subscribe/confirm/'));
  const { res } = await submitForm(app, confirmPath, 'form[action^="/subscribe/confirm/"]', {});
  assert.equal(res.statusCode, 303);
  assert.match(cheerio.load((await app.inject({ method: 'GET', url: res.headers.location as string })).body)('.lead').text(), /täglich@example\.net/);
});

test('where the server does not offer SMTPUTF8, the mail fails at once with a readable reason in the mail log', async (t) => {
  const sink = await startSmtpSink(t, undefined, { smtpUtf8: false });
  const { app } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  for (const email of ['täglich@example.net', 'leser@bücher.example']) {
    const { res } = await submitForm(app, '/offices/kreis', '.subscribe-box form', { email, frequency: 'immediately' }, SAME_ORIGIN);
    assert.equal(res.statusCode, 303);
  }
  const report = await services.mail.sendDue();
  assert.deepEqual({ sent: report.sent, failed: report.failed, retried: report.retried }, { sent: 1, failed: 1, retried: 0 });
  assert.deepEqual(sink.received.map((m) => m.to), [['leser@bücher.example']], 'an internationalised domain alone goes as punycode, without SMTPUTF8');
  assert.equal((await services.mail.sendDue()).failed, 0, 'not tried again');

  await createUser(services, { email: 'admin@herold.test', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('admin@herold.test');
  const { $ } = await admin.get('/admin/mail/log?status=failed');
  const row = $('table.mail-log tbody tr');
  assert.equal(row.length, 1);
  assert.equal(row.find('td').eq(2).text().trim(), 'täglich@example.net');
  assert.equal(row.find('td.status').text().trim(), 'fehlgeschlagen');
  assert.equal(row.find('td.num').text().trim(), '1');
  assert.equal(row.find('td.reason').text().trim(), NO_SMTPUTF8);
});
