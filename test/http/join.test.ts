// Joining, as a press office and a platform admin do it, with mail through the outbox to a real SMTP
// server: the "Für Pressestellen" page → application → confirmation mail (double opt-in) → confirm →
// the admin sees it → accepts (office created, owner invited, the invitation opens) or declines it
// with a message (mailed). Rate-limited, CSRF-protected, errors keep what was typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';

const APPLICATION = { organisation: 'Stadtwerke Musterhausen', contactName: 'Erika Beispiel', email: 'presse@stadtwerke.example', website: 'https://stadtwerke.example', reason: 'Wir informieren über Strom, Wasser und Busse.' };

const apply = async (t: Parameters<typeof buildTestApp>[0]) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  await createUser(app.services, { email: 'root@example.org', isAdmin: true });
  // The footer's "Für Pressestellen" leads to the page.
  assert.equal(cheerio.load((await app.inject('/')).body)('footer a[href="/join"]').text(), 'Für Pressestellen');
  const { res } = await submitForm(app, '/join', 'form.join-form', APPLICATION);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/join/sent');
  assert.match(cheerio.load((await app.inject('/join/sent')).body)('h1').text(), /Bitte bestätigen Sie Ihre Adresse/);
  return { ...ctx, sink };
};

const confirmByMail = async (ctx: Awaited<ReturnType<typeof apply>>) => {
  const { app, sink } = ctx;
  const admin = new Browser(app);
  await admin.login('root@example.org');
  // Before confirmation the admin sees nothing but a count.
  const before = await admin.get('/admin/applications');
  assert.equal(before.$('main table').length, 0);
  assert.match(before.$('main').text(), /1 weitere Bewerbungen warten noch auf die Bestätigung/);

  assert.deepEqual(await app.services.mail.sendDue(), { sent: 1, retried: 0, failed: 0, cancelled: 0 });
  const mail = sink.to(APPLICATION.email).at(-1)!;
  assert.equal(mail.parsed.subject, 'Bitte bestätigen Sie Ihre Bewerbung bei Herold');
  const link = linkIn(mail.parsed.text ?? '', '/join/confirm/');
  assert.match(String(mail.parsed.html), /href="http:\/\/herold\.test\/datenschutz"/);
  const path = new URL(link).pathname;
  const page = await app.inject(path);
  assert.equal(page.statusCode, 200);
  assert.match(cheerio.load(page.body)('main').text(), /Stadtwerke Musterhausen.*presse@stadtwerke\.example/);
  const { res } = await submitForm(app, path, `form[action="${path}"]`, {});
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/join/confirmed');
  // Used once.
  assert.equal((await app.inject(path)).statusCode, 404);
  return admin;
};

test('a press office applies, confirms by mail; a platform admin accepts: office created, owner invited, the link opens', async (t) => {
  const ctx = await apply(t);
  const { app, sink } = ctx;
  const admin = await confirmByMail(ctx);
  const { $: home } = await admin.get('/admin');
  assert.match(home('a[href="/admin/applications"]').parent().text(), /\(1\)/);
  const { $ } = await admin.get('/admin/applications');
  const detailUrl = $('main table a').attr('href')!;
  assert.equal($('main table a').text(), 'Stadtwerke Musterhausen');

  const { $: detail } = await admin.get(detailUrl);
  assert.match(detail('.facts').text(), /Wir informieren über Strom, Wasser und Busse\./);
  assert.equal(detail('#slug').attr('value'), 'stadtwerke-musterhausen');
  // A taken or broken short name: the form says so and keeps the values.
  const bad = await admin.submitLoaded(detail, `form[action="${detailUrl}/accept"]`, { slug: 'Kaputt Name' });
  assert.equal(bad.statusCode, 422);
  assert.equal(cheerio.load(bad.body)('#slug').attr('value'), 'Kaputt Name');

  const accepted = await admin.submitLoaded(detail, `form[action="${detailUrl}/accept"]`, { slug: 'stadtwerke', name: 'Stadtwerke Musterhausen' });
  assert.equal(accepted.statusCode, 303);
  assert.equal(accepted.headers.location, '/admin/offices/stadtwerke/members');
  const office = (await app.services.offices.findBySlug('stadtwerke'))!;
  assert.equal(office.website, 'https://stadtwerke.example');
  assert.equal((await app.services.offices.contacts(office.id))[0]!.name, 'Erika Beispiel');
  const members = await admin.follow(accepted);
  assert.match(members.$('main').text(), /presse@stadtwerke\.example \(Leitung\)/);

  // The invitation is queued in the outbox; the sender sends it.
  await app.services.mail.sendDue();
  const invitation = sink.to(APPLICATION.email).at(-1)!;
  assert.equal(invitation.parsed.subject, 'Einladung: Stadtwerke Musterhausen auf Herold');
  const invite = new URL(linkIn(invitation.parsed.text ?? '', '/set-password/')).pathname;
  const owner = new Browser(app);
  const set = await owner.submitForm(invite, 'form', { password: 'ein-gutes-passwort', passwordRepeat: 'ein-gutes-passwort' });
  assert.equal(set.statusCode, 303);
  await owner.login(APPLICATION.email, 'ein-gutes-passwort');
  assert.equal((await owner.get('/admin/offices/stadtwerke/settings')).res.statusCode, 200, 'the applicant owns the new office');

  // Decided: no second acceptance, and the audit logs say who did it.
  const again = await admin.request('POST', `${detailUrl}/accept`, { form: { _csrf: detail('input[name="_csrf"]').first().attr('value')!, slug: 'zweites-amt', name: 'X' } });
  assert.equal(again.statusCode, 303);
  assert.equal(await app.services.offices.findBySlug('zweites-amt'), undefined);
  assert.match((await admin.get('/admin/audit')).$('tbody').text(), /Bewerbung angenommen[\s\S]*Stadtwerke Musterhausen/);
  assert.match((await admin.get('/admin/offices/stadtwerke/audit')).$('tbody').text(), /Mitglied eingeladen[\s\S]*presse@stadtwerke\.example/);
});

test('a platform admin declines with a message; the applicant gets it by mail through the outbox', async (t) => {
  const ctx = await apply(t);
  const { app, sink, db } = ctx;
  const admin = await confirmByMail(ctx);
  const detailUrl = (await admin.get('/admin/applications')).$('main table a').attr('href')!;
  const empty = await admin.submitForm(detailUrl, `form[action="${detailUrl}/decline"]`, { message: '  ' });
  assert.equal(empty.statusCode, 422);
  assert.equal(cheerio.load(empty.body)('#error-summary a[href="#message"]').text(), 'Bitte ausfüllen.');
  const declined = await admin.submitForm(detailUrl, `form[action="${detailUrl}/decline"]`, { message: 'Wir nehmen nur öffentliche Stellen auf.\nBitte wenden Sie sich an Ihre Stadt.' });
  assert.equal(declined.statusCode, 303);
  assert.equal((await db.db.selectFrom('mail_outbox').select('kind').where('kind', '=', 'application-declined').execute()).length, 1);
  await app.services.mail.sendDue();
  const answer = sink.to(APPLICATION.email).at(-1)!;
  assert.equal(answer.parsed.subject, 'Ihre Bewerbung bei Herold');
  assert.match(answer.parsed.text ?? '', /Wir nehmen nur öffentliche Stellen auf\.\nBitte wenden Sie sich an Ihre Stadt\./);
  assert.match(answer.parsed.text ?? '', /Impressum: http:\/\/herold\.test\/impressum/);
  assert.equal(await app.services.offices.findBySlug('stadtwerke-musterhausen'), undefined);
  const { $ } = await admin.get('/admin/applications');
  assert.match($('main').text(), /Keine offenen Bewerbungen\.[\s\S]*Stadtwerke Musterhausen – abgelehnt am/);
  // The mail log names the mails.
  assert.match((await admin.get('/admin/mail/log')).$('main').text(), /Bewerbung abgelehnt[\s\S]*Bewerbung bestätigen/);
});

test('the form: errors name each field and keep what was typed; cross-site posts are refused; rate-limited', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { res, $ } = await submitForm(app, '/join', 'form.join-form', { ...APPLICATION, email: 'kaputt', reason: '', website: 'stadtwerke' });
  assert.equal(res.statusCode, 422);
  assert.deepEqual($('#form-errors a').map((_, a) => $(a).attr('href')).get(), ['#join-email', '#join-website', '#join-reason']);
  assert.equal($('#join-organisation').attr('value'), APPLICATION.organisation);
  assert.equal($('#join-email').attr('aria-invalid'), 'true');
  assert.equal($('.join-form a[href="/datenschutz"]').length, 1, 'the privacy notice beside the consent');

  const cross = await app.inject({ method: 'POST', url: '/join', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, payload: new URLSearchParams(APPLICATION).toString() });
  assert.equal(cross.statusCode, 403);
  assert.equal((await db.db.selectFrom('office_applications').selectAll().execute()).length, 0);

  // Five posts an hour from one address (the two above count too), then 429.
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await submitForm(app, '/join', 'form.join-form', { ...APPLICATION, email: `a${i}@example.org` })).res.statusCode);
  assert.deepEqual(statuses, [303, 303, 303, 429]);
  assert.equal((await db.db.selectFrom('office_applications').selectAll().execute()).length, 3);
  // And one e-mail address gets at most three confirmation mails a day, whoever sends them.
  for (let i = 0; i < 5; i++) await app.services.applications.apply({ ...APPLICATION, email: 'viel@example.org' }, { lang: 'de', ipHash: null });
  assert.equal((await db.db.selectFrom('office_applications').selectAll().where('email', '=', 'viel@example.org').execute()).length, 3);
  assert.equal((await db.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'application-confirmation').execute()).length, 6);
});
