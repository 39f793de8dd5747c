// A journalist manages their own account, through a real SMTP server: changing the address sends a
// confirmation link to the new one and changes nothing until it is used; then the new address is
// the login and the old one is told. Deleting the account (a confirmation step, CSRF) ends the
// session and pending requests, keeps the pre-release recipient rows' name and medium for the
// office but drops the address and ends the links; the audit log records it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';
import { JOURNALIST, loggedInJournalist, mailedLoginPath, signUp, useLink } from '../helpers/journalists.ts';

const NEW = 'jana.neu@zeitung.example';

test('changing the address: a link to the new address; nothing changes until it is used; then the new address logs in and the old one is told', async (t) => {
  const sink = await startSmtpSink(t);
  const { app } = await buildTestApp(t, { mailer: sink.mailer });
  const jana = await loggedInJournalist({ app }, sink);

  // Bad input comes back with what was typed.
  for (const [typed, message] of [['kein-at', /gültige E-Mail-Adresse|E-Mail/], [JOURNALIST.email, /Das ist schon Ihre Adresse\./]] as const) {
    const res = await jana.submitForm('/journalists/account', 'form[action="/journalists/account/address"]', { email: typed });
    assert.equal(res.statusCode, 422, typed);
    const $ = cheerio.load(res.body);
    assert.equal($('#j-email').attr('value'), typed);
    assert.match($('#j-email-error').text(), message);
  }

  const asked = await jana.submitForm('/journalists/account', 'form[action="/journalists/account/address"]', { email: NEW });
  assert.equal(asked.statusCode, 303);
  assert.match((await jana.follow(asked)).$('.form-notice').text(), /Postfach der neuen Adresse/);
  await app.services.mail.sendDue();
  const mail = sink.to(NEW).at(-1);
  assert.ok(mail, 'a mail to the new address');
  assert.match(mail.subject, /^Neue E-Mail-Adresse bestätigen/);
  assert.match(mail.parsed.text ?? '', new RegExp(`künftig mit ${NEW.replace(/\./g, '\\.')} anmelden statt mit ${JOURNALIST.email.replace(/\./g, '\\.')}`));
  const link = new URL(linkIn(mail.parsed.text ?? '', '/journalists/address/')).pathname;
  assert.equal(sink.to(JOURNALIST.email).filter((m) => /geändert/.test(m.subject)).length, 0, 'the old address is not told before the change');

  // Not yet changed: the account still shows the old address; a login for the new one sends nothing.
  assert.match((await jana.get('/journalists/account')).$('.lead').text(), new RegExp(JOURNALIST.email.replace(/\./g, '\\.')));
  // The link's GET only shows a button (mail scanners); the POST changes it.
  const { res: shown, $ } = await jana.get(link);
  assert.equal(shown.statusCode, 200);
  assert.match($('main').text(), new RegExp(`mit ${NEW.replace(/\./g, '\\.')} an statt mit`));
  assert.match((await jana.get('/journalists/account')).$('.lead').text(), new RegExp(JOURNALIST.email.replace(/\./g, '\\.')), 'opening the page changed nothing');
  const confirmed = await jana.submitLoaded($, `form[action="${link}"]`);
  assert.equal(confirmed.statusCode, 303);
  const account = await jana.follow(confirmed);
  assert.equal(account.$('.form-notice').text().trim(), 'Ihre E-Mail-Adresse ist geändert.');
  assert.match(account.$('.lead').text(), new RegExp(`Angemeldet als ${NEW.replace(/\./g, '\\.')}`));
  // Used once.
  assert.equal((await jana.get(link)).res.statusCode, 404);

  // The old address is told; the audit log records it.
  await app.services.mail.sendDue();
  const told = sink.to(JOURNALIST.email).at(-1)!;
  assert.match(told.subject, /^Ihre E-Mail-Adresse wurde geändert/);
  assert.match(told.parsed.text ?? '', new RegExp(`jetzt ${NEW.replace(/\./g, '\\.')} statt`));
  const audit = await app.services.audit.list(null, 1);
  assert.ok(audit.items.some((e: { action: string; detail: string }) => e.action === 'journalist.address-changed' && e.detail === `${JOURNALIST.email} → ${NEW}`), JSON.stringify(audit.items));

  // The new address logs in; the old one does not any more (no mail).
  const before = sink.received.length;
  const other = await signUp(app, { email: NEW });
  assert.ok(other);
  const path = await mailedLoginPath(app, sink, NEW);
  assert.equal((await useLink(other, path)).headers.location, '/journalists/account');
  await app.services.journalists.requestLogin(JOURNALIST.email, 'de');
  await app.services.mail.sendDue();
  assert.equal(sink.received.slice(before).filter((m) => m.to.includes(JOURNALIST.email)).length, 0, 'no login link for the old address');
});

test('an address change whose new address got an account meanwhile changes nothing', async (t) => {
  const sink = await startSmtpSink(t);
  const { app } = await buildTestApp(t, { mailer: sink.mailer });
  const jana = await loggedInJournalist({ app }, sink);
  assert.equal((await jana.submitForm('/journalists/account', 'form[action="/journalists/account/address"]', { email: NEW })).statusCode, 303);
  await app.services.mail.sendDue();
  const link = new URL(linkIn(sink.to(NEW).at(-1)!.parsed.text ?? '', '/journalists/address/')).pathname;
  await loggedInJournalist({ app }, sink, { email: NEW, name: 'Jemand Anderes' });
  const { $ } = await jana.get(link);
  const refused = await jana.submitLoaded($, `form[action="${link}"]`);
  assert.equal(refused.statusCode, 409);
  assert.equal(cheerio.load(refused.body)('h1').text(), 'Adresse nicht geändert');
  assert.match((await jana.get('/journalists/account')).$('.lead').text(), new RegExp(JOURNALIST.email.replace(/\./g, '\\.')));
});

test('deleting the account: a confirmation step with CSRF; the session and pending requests end; pre-release rows keep name and medium but not the address; the audit log records it', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const other = await createOffice(services, { slug: 'nachbar', name: 'Nachbaramt' });
  await createUser(services, { email: 'olga@amt.example', officeId: office.id, role: 'owner' });
  const jana = await loggedInJournalist({ app }, sink);
  const journalist = (await services.journalists.findByEmail(JOURNALIST.email))!;
  // Accredited by the office (through its service), a request pending with the neighbour.
  await services.journalists.accredit(journalist.id, office.id, '', null, 'CLI');
  await services.journalists.requestAccreditation(journalist, other.id, 'Bitte.');
  const release = await services.releases.create(office.id, releaseInput({ title: 'Eisbahn' }), { status: 'scheduled', publishAt: '2026-12-24T09:00:00.000Z' });
  await services.prereleases.send(release, 'all');
  await services.mail.sendDue();
  const personal = new URL(linkIn(sink.to(JOURNALIST.email).find((m) => /^SPERRFRIST/.test(m.subject))!.parsed.text ?? '', '/embargo/')).pathname;
  assert.equal((await app.inject(personal)).statusCode, 200);

  // The account links the confirmation page; without the box nothing happens; a cross-site post is refused.
  const { $: account } = await jana.get('/journalists/account');
  assert.equal(account('#delete a').attr('href'), '/journalists/account/delete');
  const { res: page, $ } = await jana.get('/journalists/account/delete');
  assert.equal(page.statusCode, 200);
  assert.match($('main').text(), /Name und Medium/);
  const unconfirmed = await jana.submitLoaded($, 'form[action="/journalists/account/delete"]');
  assert.equal(unconfirmed.statusCode, 422);
  assert.equal(cheerio.load(unconfirmed.body)('#j-confirm-error').text(), 'Bitte bestätigen Sie das Löschen.');
  const forged = await jana.request('POST', '/journalists/account/delete', { form: { confirm: 'yes' } });
  assert.equal(forged.statusCode, 403);
  assert.ok(await services.journalists.findById(journalist.id), 'still there');

  const deleted = await jana.submitLoaded($, 'form[action="/journalists/account/delete"]', { confirm: 'yes' });
  assert.equal(deleted.statusCode, 303);
  assert.equal(deleted.headers.location, '/journalists/signup');
  assert.equal((await jana.follow(deleted)).$('.form-notice').text().trim(), 'Ihr Konto ist gelöscht.');

  // Gone: the account, its session (the cookie no longer opens the account), its accreditations and the pending request.
  assert.equal(await services.journalists.findById(journalist.id), undefined);
  const after = await jana.request('GET', '/journalists/account');
  assert.equal(after.statusCode, 303);
  assert.equal(after.headers.location, '/journalists/login');
  assert.equal((await db.db.selectFrom('accreditations').select('id').execute()).length, 0);
  assert.equal((await db.db.selectFrom('journalist_sessions').select('id_hash').execute()).length, 0);
  assert.equal((await services.journalists.officeOverview(other.id)).open.length, 0, 'the pending request ended');
  // The recipient row keeps name and medium for the office, not the address; the link ends (410).
  const rows = await db.db.selectFrom('prerelease_recipients').select(['name', 'medium', 'email', 'journalist_id', 'revoked_reason']).execute();
  assert.deepEqual(rows, [{ name: JOURNALIST.name, medium: JOURNALIST.medium, email: '', journalist_id: null, revoked_reason: 'removed' }]);
  assert.equal((await app.inject(personal)).statusCode, 410);
  const olga = new (await import('../helpers/forms.ts')).Browser(app);
  await olga.login('olga@amt.example');
  const { $: panel } = await olga.get(`/admin/offices/amt/releases/${release.id}/prerelease`);
  assert.match(panel('#recipients').text(), new RegExp(`${JOURNALIST.name} \\(${JOURNALIST.medium}\\)`));
  assert.ok(!panel('#recipients').text().includes(JOURNALIST.email), 'the address is gone');
  // Nothing more is mailed to the address.
  const count = sink.to(JOURNALIST.email).length;
  await services.mail.sendDue();
  assert.equal(sink.to(JOURNALIST.email).length, count);
  // The audit log of the office (and the platform) names them, without the address.
  const log = await services.audit.list(office.id, 1);
  const entry = log.items.find((e: { action: string }) => e.action === 'journalist.deleted') as { subject: string } | undefined;
  assert.equal(entry?.subject, `${JOURNALIST.name} (${JOURNALIST.medium})`);
  assert.ok((await services.audit.list(null, 1)).items.some((e: { action: string }) => e.action === 'journalist.deleted'));
});
