// Accreditation, as journalists, office owners and platform admins do it, with mail through the
// outbox to a real SMTP server: a journalist asks an office (from its public page), the owners are
// told by mail, an owner accepts with a message, the journalist sees "akkreditiert" and gets the
// decision by mail; refusing and revoking need a reason; asking again after a refusal; every step
// in the audit log; tenant isolation (another office's owner sees nothing, by URL neither); the
// platform-wide accreditation of platform admins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { JOURNALIST, loggedInJournalist } from '../helpers/journalists.ts';
import { accreditedJournalists } from '../../src/modules/journalists/journalists.repository.ts';

const setUp = async (t: Parameters<typeof buildTestApp>[0]) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = ctx.app;
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const other = await createOffice(services, { slug: 'land', name: 'Landkreis Nord' });
  await createUser(services, { email: 'chefin@stadt.example', officeId: office.id, role: 'owner' });
  await createUser(services, { email: 'redakteur@stadt.example', officeId: office.id, role: 'editor' });
  await createUser(services, { email: 'eve@land.example', officeId: other.id, role: 'owner' });
  const journalist = await loggedInJournalist(ctx, sink);
  const owner = new Browser(ctx.app);
  await owner.login('chefin@stadt.example');
  return { ...ctx, sink, office, other, journalist, owner };
};

/** The journalist asks the office, starting from its public page. */
const requestFromOfficePage = async (journalist: Browser, message: string) => {
  const { $: officePage } = await journalist.get('/offices/stadt');
  const href = officePage('.office-accreditation a').attr('href')!;
  assert.equal(officePage('.office-accreditation a').text(), 'Akkreditierung beantragen (für Journalistinnen und Journalisten)');
  const { $ } = await journalist.get(href);
  assert.equal($('#j-office option[selected]').attr('value'), 'stadt', 'the office is chosen');
  const res = await journalist.submitLoaded($, 'form[action="/journalists/accreditations"]', { message });
  assert.equal(res.statusCode, 303);
  return res;
};

const decide = async (owner: Browser, decision: 'accept' | 'refuse' | 'revoke', message: string) => {
  const { $ } = await owner.get('/admin/offices/stadt/journalists');
  const form = $(`form[action$="/${decision}"]`).first();
  assert.equal(form.length, 1, `a ${decision} form`);
  return owner.submitLoaded($, `form[action="${form.attr('action')}"]`, { message });
};

test('a journalist asks an office; its owner is told, accepts with a message; the journalist sees "akkreditiert" and gets the decision by mail', async (t) => {
  const { app, db, sink, office, journalist, owner } = await setUp(t);
  await requestFromOfficePage(journalist, 'Ich berichte für den Anzeiger über den Stadtrat.');
  const { $: account } = await journalist.get('/journalists/account');
  assert.match(account('main .form-notice').text(), /Ihr Antrag ist gestellt/);
  assert.match(account('.journalist-table').text(), /Stadt Musterhausen[\s\S]*beantragt/);
  // The office cannot be asked twice.
  assert.equal(account('#j-office option[value="stadt"]').length, 0);
  const twice = await journalist.request('POST', '/journalists/accreditations', { form: { _csrf: csrfOf(account), office: 'stadt', message: 'Nochmal' } });
  assert.equal(twice.statusCode, 422);
  assert.match(cheerio.load(twice.body)('#j-office-error').text(), /Ihr Antrag schon gestellt/);
  assert.equal(cheerio.load(twice.body)('#j-message').text(), 'Nochmal');

  // The owners (not the editors) are told by mail.
  await app.services.mail.sendDue();
  const note = sink.to('chefin@stadt.example').at(-1)!;
  assert.equal(note.parsed.subject, 'Akkreditierung beantragt: Jana Schreiber bei Stadt Musterhausen');
  assert.match(note.parsed.text ?? '', /Jana Schreiber \(Musterhausener Anzeiger, jana@anzeiger\.example\)[\s\S]*Ich berichte für den Anzeiger über den Stadtrat\.[\s\S]*http:\/\/herold\.test\/admin\/offices\/stadt\/journalists/);
  assert.equal(sink.to('redakteur@stadt.example').length, 0);

  // The owner's page: reachable from the office's navigation; the request with its message.
  const { $: dashboard } = await owner.get('/admin/offices/stadt');
  assert.equal(dashboard('.admin-nav a[href="/admin/offices/stadt/journalists"]').text(), 'Journalisten');
  const { $ } = await owner.get('/admin/offices/stadt/journalists');
  assert.match($('main').text(), /Offene Anträge \(1\)[\s\S]*Jana Schreiber – Musterhausener Anzeiger[\s\S]*DJV-12345[\s\S]*über den Stadtrat/);
  const accepted = await decide(owner, 'accept', 'Willkommen im Verteiler!');
  assert.equal(accepted.statusCode, 303);
  const { $: after } = await owner.follow(accepted);
  assert.match(after('.flash').text(), /Akkreditiert\./);
  assert.match(after('main').text(), /Offene Anträge \(0\)[\s\S]*Akkreditiert \(1\)[\s\S]*Jana Schreiber[\s\S]*entschieden am .* von chefin@stadt\.example/);

  const { $: mine } = await journalist.get('/journalists/account');
  assert.match(mine('.journalist-table').text(), /Stadt Musterhausen[\s\S]*akkreditiert[\s\S]*Willkommen im Verteiler!/);
  await app.services.mail.sendDue();
  const decision = sink.to(JOURNALIST.email).at(-1)!;
  assert.equal(decision.parsed.subject, 'Akkreditierung für Stadt Musterhausen angenommen');
  assert.match(decision.parsed.text ?? '', /Willkommen im Verteiler![\s\S]*http:\/\/herold\.test\/journalists\/account/);

  // What the pre-release builds on.
  assert.deepEqual((await accreditedJournalists(db.db, office.id)).map((j) => j.email), [JOURNALIST.email]);
  // Every step in the office's audit log, with who did it.
  const { $: audit } = await owner.get('/admin/offices/stadt/audit');
  const log = audit('tbody tr').map((_, tr) => audit(tr).find('td').map((_, td) => audit(td).text().trim()).get().join(' | ')).get();
  assert.match(log[0]!, /\| chefin@stadt\.example \| akkreditiert \| Jana Schreiber \(Musterhausener Anzeiger\) <jana@anzeiger\.example> \| Willkommen im Verteiler!$/);
  assert.match(log[1]!, /\| jana@anzeiger\.example \| Akkreditierung beantragt \| Jana Schreiber .* \| Ich berichte für den Anzeiger über den Stadtrat\.$/);
});

test('refusing and revoking need a reason; asking again after a refusal; without decision mail nothing is mailed', async (t) => {
  const { app, db, sink, office, journalist, owner } = await setUp(t);
  await requestFromOfficePage(journalist, '');
  const empty = await decide(owner, 'refuse', '   ');
  assert.equal(empty.statusCode, 422);
  const $empty = cheerio.load(empty.body);
  assert.match($empty('#error-summary').text(), /Nachricht: Bitte ausfüllen\./);
  const errorTarget = $empty('#error-summary a').attr('href')!;
  assert.equal($empty(errorTarget).attr('aria-invalid'), 'true', 'the summary links to the field');
  assert.equal((await decide(owner, 'refuse', 'Bitte legen Sie einen Presseausweis vor.')).statusCode, 303);
  const { $: refused } = await journalist.get('/journalists/account');
  assert.match(refused('.journalist-table').text(), /abgelehnt[\s\S]*Bitte legen Sie einen Presseausweis vor\./);
  await app.services.mail.sendDue();
  assert.equal(sink.to(JOURNALIST.email).at(-1)!.parsed.subject, 'Akkreditierung für Stadt Musterhausen abgelehnt');
  const { $: history } = await owner.get('/admin/offices/stadt/journalists');
  assert.match(history('#history-heading').parent().text(), /Jana Schreiber[\s\S]*abgelehnt[\s\S]*Presseausweis/);

  // Asking again: the same row, back to requested.
  const again = await journalist.submitForm('/journalists/account?office=stadt', 'form[action="/journalists/accreditations"]', { message: 'Ausweis: DJV-12345' });
  assert.equal(again.statusCode, 303);
  assert.equal((await db.db.selectFrom('accreditations').selectAll().execute()).length, 1);
  assert.match((await journalist.get('/journalists/account')).$('.journalist-table').text(), /beantragt/);
  assert.equal((await decide(owner, 'accept', '')).statusCode, 303);

  // Without decision mail: the journalist switched it off.
  await db.db.updateTable('journalists').set({ decision_mail: 0 }).execute();
  const sentBefore = sink.to(JOURNALIST.email).length;
  assert.equal((await decide(owner, 'revoke', '')).statusCode, 422);
  assert.equal((await decide(owner, 'revoke', 'Sperrfrist gebrochen.')).statusCode, 303);
  assert.match((await journalist.get('/journalists/account')).$('.journalist-table').text(), /entzogen[\s\S]*Sperrfrist gebrochen\./);
  await app.services.mail.sendDue();
  // The accept's mail (queued before) was still cancelled by the revocation: only the last word counts, and it is not wanted.
  assert.equal(sink.to(JOURNALIST.email).length, sentBefore);
  assert.deepEqual(await accreditedJournalists(db.db, office.id), []);
  // A decision made already cannot be made again.
  const { $ } = await owner.get('/admin/offices/stadt/journalists');
  assert.equal($('form[action$="/revoke"]').length, 0);
  const id = (await db.db.selectFrom('accreditations').select('id').executeTakeFirstOrThrow()).id;
  const late = await owner.request('POST', `/admin/offices/stadt/journalists/${id}/accept`, { form: { _csrf: csrfOf($), message: '' } });
  assert.equal(late.statusCode, 303);
  assert.match((await owner.follow(late)).$('.flash').text(), /schon entschieden/);
  const actions = (await app.services.audit.list(office.id, 1)).items.map((e) => e.action).reverse();
  assert.deepEqual(actions, ['accreditation.requested', 'accreditation.refused', 'accreditation.requested', 'accreditation.accepted', 'accreditation.revoked']);
});

test("tenant isolation: another office's owner never sees this office's journalists or requests, by URL neither; editors are not let in", async (t) => {
  const { app, db, journalist } = await setUp(t);
  await requestFromOfficePage(journalist, 'Geheimer Antrag XYZZY');
  const id = (await db.db.selectFrom('accreditations').select('id').executeTakeFirstOrThrow()).id;
  const eve = new Browser(app);
  await eve.login('eve@land.example');
  const { $: own } = await eve.get('/admin/offices/land/journalists');
  assert.equal(own('main').text().includes('Jana'), false);
  const csrf = csrfOf(own);
  for (const url of ['/admin/offices/stadt/journalists', `/admin/offices/stadt/journalists/${id}/accept`]) assert.equal((await eve.request('GET', url)).statusCode, 404, url);
  for (const decision of ['accept', 'refuse', 'revoke']) {
    for (const url of [`/admin/offices/stadt/journalists/${id}/${decision}`, `/admin/offices/land/journalists/${id}/${decision}`]) {
      const res = await eve.request('POST', url, { form: { _csrf: csrf, message: 'Übernommen' } });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.body.includes('Jana'), false);
    }
  }
  assert.equal((await db.db.selectFrom('accreditations').select('status').executeTakeFirstOrThrow()).status, 'requested');
  // The platform's page is for platform admins.
  assert.equal((await eve.request('GET', '/admin/journalists')).statusCode, 403);
  // Editors of the office: neither the page nor the navigation link nor a decision.
  const editor = new Browser(app);
  await editor.login('redakteur@stadt.example');
  const { $ } = await editor.get('/admin/offices/stadt');
  assert.equal($('.admin-nav a[href="/admin/offices/stadt/journalists"]').length, 0);
  assert.equal((await editor.request('GET', '/admin/offices/stadt/journalists')).statusCode, 403);
  assert.equal((await editor.request('POST', `/admin/offices/stadt/journalists/${id}/accept`, { form: { _csrf: csrfOf($), message: '' } })).statusCode, 403);
  assert.equal((await db.db.selectFrom('accreditations').select('status').executeTakeFirstOrThrow()).status, 'requested');
});

test('platform admins accredit a journalist platform-wide and revoke it; the platform log records it', async (t) => {
  const { app, db, sink, office, other } = await setUp(t);
  await createUser(app.services, { email: 'root@example.org', isAdmin: true });
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const { $ } = await admin.get('/admin/journalists');
  assert.equal($('.admin-nav a[href="/admin/journalists"]').attr('aria-current'), 'page');
  assert.match($('main').text(), /Jana Schreiber – Musterhausener Anzeiger[\s\S]*bestätigt am/);
  const form = $('form[action$="/accredit"]');
  const res = await admin.submitLoaded($, `form[action="${form.attr('action')}"]`, { message: 'Für alle.' });
  assert.equal(res.statusCode, 303);
  for (const o of [office, other]) assert.deepEqual((await accreditedJournalists(db.db, o.id)).map((j) => j.email), [JOURNALIST.email]);
  await app.services.mail.sendDue();
  assert.equal(sink.to(JOURNALIST.email).at(-1)!.parsed.subject, 'Akkreditierung für alle Pressestellen auf Herold angenommen');

  const { $: listed } = await admin.get('/admin/journalists');
  assert.match(listed('main').text(), /akkreditiert\s*Für alle\./);
  const revokeAction = listed('form[action$="/revoke"]').attr('action')!;
  const empty = await admin.submitLoaded(listed, `form[action="${revokeAction}"]`, { message: '' });
  assert.equal(empty.statusCode, 422);
  assert.equal((await admin.submitLoaded(listed, `form[action="${revokeAction}"]`, { message: 'Nicht mehr tätig.' })).statusCode, 303);
  assert.deepEqual(await accreditedJournalists(db.db, office.id), []);
  const log = (await app.services.audit.list(null, 1)).items.map((e) => [e.action, e.userEmail, e.detail]);
  assert.deepEqual(log, [
    ['accreditation.revoked', 'root@example.org', 'Nicht mehr tätig.'],
    ['accreditation.accepted', 'root@example.org', 'Für alle.'],
  ]);
  // Unknown journalists are a 404.
  assert.equal((await admin.request('POST', '/admin/journalists/999999/accredit', { form: { _csrf: csrfOf(listed), message: '' } })).statusCode, 404);
  assert.equal((await admin.request('POST', '/admin/journalists/999999/revoke', { form: { _csrf: csrfOf(listed), message: 'x' } })).statusCode, 404);
  // Office owners have no say over the platform-wide accreditation: it is not on their page.
  const owner = new Browser(app);
  await owner.login('chefin@stadt.example');
  assert.equal((await owner.get('/admin/offices/stadt/journalists')).$('main').text().includes('Nicht mehr tätig'), false);
});
