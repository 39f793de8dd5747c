// Office settings (owners), the audit log, and invitations by e-mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser, pngImage } from '../helpers/admin.ts';
import { Browser, multipartBody } from '../helpers/forms.ts';
import { buildApp } from '../../src/app.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const base = await buildTestApp(t);
  const mailer = createMemoryMailer();
  // The same database and clock, with a mailer the test can read.
  const app = await buildApp({ config: base.config, db: base.db.db, clock: base.clock, mailer });
  t.after(() => app.close());
  const office = await createOffice(app.services, { slug: 'stadt', name: 'Stadt Musterhausen', notice: 'Alter Hinweis.' });
  await createUser(app.services, { email: 'chefin@example.org', officeId: office.id, role: 'owner' });
  const browser = new Browser(app);
  await browser.login('chefin@example.org');
  return { ...base, app, mailer, office, browser };
};

const SETTINGS = '/admin/offices/stadt/settings';

test('an owner changes the profile and the default notice, which new releases then start with', async (t) => {
  const { app, browser, office } = await setup(t);
  const res = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}"]`, { name: 'Stadt Musterhausen – Pressestelle', website: 'https://musterhausen.example', republicationNotice: 'Neuer Hinweis.' });
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Einstellungen gespeichert.');
  const updated = (await app.services.offices.findById(office.id))!;
  assert.equal(updated.name, 'Stadt Musterhausen – Pressestelle');
  assert.equal(updated.republicationNotice, 'Neuer Hinweis.');
  const { $ } = await browser.get('/admin/offices/stadt/releases/new');
  assert.equal($('#republicationNotice').text(), 'Neuer Hinweis.');

  const bad = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}"]`, { name: '', website: 'kein-link', republicationNotice: 'Behalten.' });
  assert.equal(bad.statusCode, 422);
  const b = cheerio.load(bad.body);
  assert.equal(b('#name-error').text(), 'Bitte ausfüllen.');
  assert.equal(b('#website-error').text(), 'Bitte eine Adresse beginnend mit https:// angeben.');
  assert.equal(b('#republicationNotice').text(), 'Behalten.');
  assert.equal(b('.error-summary a[href="#name"]').length, 1);
});

test('an owner uploads a logo', async (t) => {
  const { app, browser, office } = await setup(t);
  const { $ } = await browser.get(SETTINGS);
  const res = await browser.upload($, 'form[enctype="multipart/form-data"]', {}, { field: 'logo', filename: 'logo.png', contentType: 'image/png', data: await pngImage(120, 40) });
  assert.equal(res.statusCode, 303);
  const logo = (await app.services.offices.findById(office.id))!.logoPath!;
  assert.match(logo, /^offices\/stadt-logo-[0-9a-f]+\.png$/);
  assert.equal((await app.inject({ method: 'GET', url: `/media/${logo}` })).statusCode, 200);
  const refused = await browser.upload($, 'form[enctype="multipart/form-data"]', {}, { field: 'logo', filename: 'logo.png', contentType: 'image/png', data: Buffer.from('nope') });
  assert.equal(refused.statusCode, 422);
  assert.match(cheerio.load(refused.body)('#logo-error').text(), /JPEG, PNG oder WebP/);
});

test('press contacts are added, changed, made default and removed', async (t) => {
  const { app, browser, office } = await setup(t);
  const add = await browser.submitForm(SETTINGS, 'form[action="/admin/offices/stadt/contacts"]', { name: 'Max Presse', role: 'Pressesprecher', phone: '0123' });
  assert.equal(add.statusCode, 303);
  let contacts = await app.services.offices.contacts(office.id);
  assert.equal(contacts.length, 2);
  const max = contacts.find((c) => c.name === 'Max Presse')!;
  const invalid = await browser.submitForm(SETTINGS, 'form[action="/admin/offices/stadt/contacts"]', { name: '', organisation: '', phone: '999' });
  assert.equal(invalid.statusCode, 422);
  assert.equal(cheerio.load(invalid.body)('#contact-new-phone').attr('value'), '999');

  const edit = await browser.submitForm(SETTINGS, `form[action="/admin/offices/stadt/contacts/${max.id}"]`, { phone: '0456' });
  assert.equal(edit.statusCode, 303);
  const def = await browser.submitForm(SETTINGS, `form[action="/admin/offices/stadt/contacts/${max.id}/default"]`);
  assert.equal(def.statusCode, 303);
  assert.equal((await app.services.offices.findById(office.id))!.defaultContactId, max.id);
  const { $ } = await browser.get('/admin/offices/stadt/releases/new');
  assert.equal($(`input[name="contactChoice"][value="${max.id}"]`).attr('checked'), 'checked');

  const del = await browser.submitForm(SETTINGS, `form[action="/admin/offices/stadt/contacts/${max.id}/delete"]`);
  assert.equal(del.statusCode, 303);
  contacts = await app.services.offices.contacts(office.id);
  assert.deepEqual(contacts.map((c) => c.name), ['Erika Beispiel']);
});

test('the audit log shows who did what, newest first', async (t) => {
  const { browser } = await setup(t);
  const created = await browser.submitForm('/admin/offices/stadt/releases/new', '#release-form', { title: 'Protokollierte Mitteilung', bodyMarkdown: 'Text.' }, { button: 'save' });
  const edit = String(created.headers.location);
  await browser.submitForm(edit, `form[action="${edit}/publish"]`);
  await browser.submitForm(edit, 'form.withdraw-form', { note: 'Falsch.', confirm: 'yes' });
  const { res, $ } = await browser.get('/admin/offices/stadt/audit');
  assert.equal(res.statusCode, 200);
  const rows = $('.audit-table tbody tr').map((_, tr) => [$(tr).find('td').map((__, td) => $(td).text().trim()).get()]).get() as unknown as string[][];
  assert.deepEqual(rows.map((r) => [r[1], r[2], r[3]]), [
    ['chefin@example.org', 'zurückgezogen', 'Protokollierte Mitteilung'],
    ['chefin@example.org', 'veröffentlicht', 'Protokollierte Mitteilung'],
    ['chefin@example.org', 'angelegt', 'Protokollierte Mitteilung'],
  ]);
  assert.equal(rows[0]![4], 'Falsch.');
  assert.equal($('.audit-table th[scope="col"]').length, 5);
});

test('an owner invites an editor by e-mail; the link sets a password and grants the role, once', async (t) => {
  const { app, mailer, browser, office, clock } = await setup(t);
  const bad = await browser.submitForm('/admin/offices/stadt/members', 'form[action$="/members/invite"]', { email: 'kein-mail' });
  assert.equal(bad.statusCode, 422);
  assert.equal(cheerio.load(bad.body)('#email-error').text(), 'Bitte eine gültige E-Mail-Adresse angeben.');
  const res = await browser.submitForm('/admin/offices/stadt/members', 'form[action$="/members/invite"]', { email: 'Neu@Example.org', role: 'editor' });
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Einladung verschickt.');
  // The invitation goes through the outbox: nothing is sent inside the request.
  assert.equal(mailer.sent.length, 0);
  await app.services.mail.sendDue();
  assert.equal(mailer.sent.length, 1);
  const mail = mailer.sent[0]!;
  assert.equal(mail.to, 'neu@example.org');
  assert.match(mail.subject, /Stadt Musterhausen/);
  const link = /http:\/\/herold\.test(\/set-password\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  const { $ } = await browser.get('/admin/offices/stadt/members');
  assert.match($('main').text(), /neu@example\.org \(Redaktion\)/);

  const invitee = new Browser(app);
  const page = await invitee.get(link);
  assert.match(page.$('main').text(), /Stadt Musterhausen als Redaktion/);
  const accepted = await invitee.submitForm(link, 'main form', { password: 'mein-eigenes-passwort', passwordRepeat: 'mein-eigenes-passwort' });
  assert.equal(accepted.statusCode, 303);
  await invitee.login('neu@example.org', 'mein-eigenes-passwort');
  assert.equal((await invitee.get('/admin/offices/stadt')).res.statusCode, 200);
  assert.equal((await invitee.get('/admin/offices/stadt/settings')).res.statusCode, 403);
  assert.equal((await invitee.get(link)).res.statusCode, 404);
  const members = await app.services.auth.listMembers(office.id);
  assert.deepEqual(members.map((m) => [m.email, m.role]).sort(), [['chefin@example.org', 'owner'], ['neu@example.org', 'editor']]);

  // An invitation expires after seven days.
  await browser.submitForm('/admin/offices/stadt/members', 'form[action$="/members/invite"]', { email: 'spaet@example.org' });
  await app.services.mail.sendDue();
  const late = /http:\/\/herold\.test(\/set-password\/[A-Za-z0-9_-]+)/.exec(mailer.sent[1]!.text)![1]!;
  clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
  assert.equal((await new Browser(app).get(late)).res.statusCode, 404);
});

test('someone with an account accepts an invitation to a second office without a new password', async (t) => {
  const { app, mailer, browser } = await setup(t);
  const other = await createOffice(app.services, { slug: 'kreis', name: 'Kreis' });
  await createUser(app.services, { email: 'bob@example.org', officeId: other.id, role: 'owner' });
  await browser.submitForm('/admin/offices/stadt/members', 'form[action$="/members/invite"]', { email: 'bob@example.org' });
  await app.services.mail.sendDue();
  const link = /http:\/\/herold\.test(\/set-password\/[A-Za-z0-9_-]+)/.exec(mailer.sent[0]!.text)![1]!;
  const bob = new Browser(app);
  const { $ } = await bob.get(link);
  assert.equal($('input[type="password"]').length, 0);
  const res = await bob.submitLoaded($, 'main form');
  assert.equal(res.statusCode, 303);
  await bob.login('bob@example.org');
  assert.equal((await bob.get('/admin/offices/stadt')).res.statusCode, 200);
  assert.equal((await bob.get('/admin/offices/kreis/settings')).res.statusCode, 200);
});

test('the settings page shows the fediverse handle and followers, turns federation off and on, and replaces the signing key', async (t) => {
  const { app, browser, office } = await setup(t);
  const { $ } = await browser.get(SETTINGS);
  assert.equal($('#fediverse .fediverse-handle').text(), '@stadt@herold.test');
  assert.equal($('#fediverse .fediverse-followers').text(), '0');
  assert.equal($('#federation-enabled').attr('checked'), 'checked');
  assert.match($('#signing').text(), /Noch kein Schlüssel/);
  // The public office page names the handle, for fediverse users to search.
  const page = cheerio.load((await app.inject('/offices/stadt')).body);
  assert.equal(page('.fediverse code').text(), '@stadt@herold.test');

  const off = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}/federation"]`, { enabled: '0' });
  assert.equal(off.statusCode, 303);
  assert.equal((await browser.follow(off)).$('.flash').text(), 'Die Fediverse-Einstellung ist gespeichert.');
  assert.equal((await app.services.federation.officeStatus(office)).enabled, false);
  const offPage = await browser.get(SETTINGS);
  assert.equal(offPage.$('#federation-enabled').attr('checked'), undefined);
  assert.match(offPage.$('#fediverse').text(), /Ausgeschaltet/);
  const publicOff = cheerio.load((await app.inject('/offices/stadt')).body);
  assert.equal(publicOff('.fediverse').length, 0);
  assert.equal(publicOff('h1').text().trim(), 'Stadt Musterhausen');
  const on = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}/federation"]`, { enabled: ['0', '1'] });
  assert.equal(on.statusCode, 303);
  assert.equal((await app.services.federation.officeStatus(office)).enabled, true);

  // The key: made with the first publication, replaced only with the box ticked.
  await app.services.releases.create(office.id, { title: 'Erste', subtitle: '', releaseDate: '2026-03-10', dateline: '', bodyMarkdown: 'Text.', contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' }, { status: 'published' });
  const [first] = await app.services.signing.officeKeys(office.id);
  assert.ok(first);
  assert.match((await browser.get(SETTINGS)).$('#signing').text(), new RegExp(`Aktueller Schlüssel: ${first.id}`));
  const unconfirmed = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}/signing-key"]`, {});
  assert.equal((await browser.follow(unconfirmed)).$('.flash').text(), 'Bitte bestätigen Sie die Erneuerung mit dem Häkchen.');
  assert.equal((await app.services.signing.officeKeys(office.id)).length, 1);
  const rotated = await browser.submitForm(SETTINGS, `form[action="${SETTINGS}/signing-key"]`, { confirm: 'yes' });
  assert.equal(rotated.statusCode, 303, rotated.body.slice(0, 500));
  assert.equal((await browser.follow(rotated)).$('.flash').text(), 'Der Signaturschlüssel ist erneuert.');
  const keys = await app.services.signing.officeKeys(office.id);
  assert.equal(keys.length, 2);
  const text = (await browser.get(SETTINGS)).$('#signing').text();
  assert.match(text, new RegExp(`Früherer Schlüssel: ${first.id}`));
  assert.match(text, /Aktueller Schlüssel/);
  const audit = (await browser.get('/admin/offices/stadt/audit')).$('main').text();
  assert.match(audit, /Signaturschlüssel erneuert/);
  assert.match(audit, /Fediverse ein- oder ausgeschaltet/);
});
