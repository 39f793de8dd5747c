// Finding 7 of the attack on a running instance (issue 20), and item 5 of issue 12: POST
// /forgot-password took longer for known addresses (the reset mail was sent inside the request),
// and resets and invitations were sent by routes calling the mailer directly, so a failed send was
// lost. Every message now goes through the outbox: the request does the same work for any address
// (one outbox row, nothing looked up, nothing sent), the sender decides and sends, retries, and
// the mail log shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp, SQLITE_ONLY } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';

const TABLES = ['users', 'sessions', 'user_tokens', 'mail_outbox', 'form_stashes', 'audit_events', 'subscriptions', 'subscription_requests'] as const;

/** Every row of the tables a reset could touch, the outbox rows without what must differ (id, address). */
const snapshot = async ({ db }: TestApp) => {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = (await db.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    out[table] = table === 'mail_outbox' ? rows.map(({ id: _id, email: _email, ...rest }) => rest) : rows;
  }
  return out;
};

const changes = (ctx: TestApp): number => (ctx.db.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

// SQLite counts every row written (total_changes); PostgreSQL has no such count of its own.
test('forgot-password: the same writes for a known and an unknown address, no mail inside the request, one mail after', { skip: SQLITE_ONLY }, async (t) => {
  const sink = await startSmtpSink(t);
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { app } = ctx;
  const office = await createOffice(app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  const browser = new Browser(app);

  const ask = async (email: string) => {
    const { $ } = await browser.get('/forgot-password');
    const before = { rows: await snapshot(ctx), changes: changes(ctx) };
    const res = await browser.submitLoaded($, 'main form', { email });
    const after = { rows: await snapshot(ctx), changes: changes(ctx) };
    return { res, written: after.changes - before.changes, before: before.rows, after: after.rows };
  };
  const known = await ask('anna@example.org');
  const unknown = await ask('niemand@example.org');
  for (const r of [known, unknown]) {
    assert.equal(r.res.statusCode, 303);
    assert.equal(r.res.headers.location, '/login');
  }
  assert.equal(known.written, 1);
  assert.equal(unknown.written, known.written);
  // Each request added one queued outbox row, the same but for its address, and changed nothing else.
  const added = (r: typeof known) => r.after.mail_outbox!.slice(r.before.mail_outbox!.length);
  // Every column not named here is null: a column added to the outbox later needs no change here.
  const named = { kind: 'password-reset', status: 'queued', attempts: 0, next_attempt_at: '2026-03-10T10:00:00.000Z', created_at: '2026-03-10T10:00:00.000Z', lang: 'de' };
  const rows = added(known);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], { ...Object.fromEntries(Object.keys(rows[0]!).map((column) => [column, null])), ...named });
  assert.deepEqual(added(unknown), added(known));
  for (const table of TABLES.filter((x) => x !== 'mail_outbox')) {
    assert.deepEqual(known.after[table], known.before[table], table);
    assert.deepEqual(unknown.after[table], unknown.before[table], table);
  }
  // Nothing was sent inside the requests.
  assert.equal(sink.received.length, 0);

  // The sender sends one mail, to the known address; its link sets the password.
  const report = await app.services.mail.sendDue();
  assert.deepEqual(report, { sent: 1, retried: 0, failed: 0, cancelled: 1 });
  assert.equal(sink.received.length, 1);
  assert.deepEqual(sink.received[0]!.to, ['anna@example.org']);
  const link = new URL(linkIn(sink.received[0]!.parsed.text!, '/set-password/')).pathname;
  const set = await new Browser(app).submitForm(link, 'main form', { password: 'ganz-neues-passwort', passwordRepeat: 'ganz-neues-passwort' });
  assert.equal(set.statusCode, 303);
  await new Browser(app).login('anna@example.org', 'ganz-neues-passwort');
  // Mail leaves only through the outbox: the services routes see hold no mailer.
  assert.equal('mailer' in app.services, false);
});

test('reset and invitation mails are retried after a failure, show in the mail log, and one reset mail per account goes out in five minutes', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const office = await createOffice(app.services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await createUser(app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  await createUser(app.services, { email: 'root@example.org', isAdmin: true });
  const owner = new Browser(app);
  await owner.login('anna@example.org');

  sink.refuse(() => 451);
  const invited = await owner.submitForm('/admin/offices/stadt/members', 'form[action$="/members/invite"]', { email: 'neu@example.org', role: 'editor' });
  assert.equal(invited.statusCode, 303);
  assert.equal((await app.services.mail.sendDue()).retried, 1);
  assert.equal(sink.received.length, 0);
  // The mail server is back: the retry goes out, and its link works.
  sink.refuse(null);
  clock.advance(2 * 60 * 1000);
  assert.equal((await app.services.mail.sendDue()).sent, 1);
  const invitation = sink.to('neu@example.org')[0]!;
  assert.match(invitation.parsed.subject!, /Stadt Musterhausen/);
  const invitePage = await new Browser(app).get(new URL(linkIn(invitation.parsed.text!, '/set-password/')).pathname);
  assert.equal(invitePage.res.statusCode, 200);
  assert.match(invitePage.$('main').text(), /Stadt Musterhausen als Redaktion/);

  // Two reset requests within five minutes: one mail, and its link stays the one that works.
  const anonymous = new Browser(app);
  for (let i = 0; i < 2; i++) await anonymous.submitForm('/forgot-password', 'main form', { email: 'anna@example.org' });
  await app.services.mail.sendDue();
  assert.equal(sink.to('anna@example.org').length, 1);
  const first = new URL(linkIn(sink.to('anna@example.org')[0]!.parsed.text!, '/set-password/')).pathname;
  assert.equal((await anonymous.get(first)).res.statusCode, 200);
  clock.advance(5 * 60 * 1000 + 1000);
  await anonymous.submitForm('/forgot-password', 'main form', { email: 'anna@example.org' });
  await app.services.mail.sendDue();
  assert.equal(sink.to('anna@example.org').length, 2);
  assert.equal((await anonymous.get(first)).res.statusCode, 404, 'the newer link ends the older');

  // The mail log shows all of it.
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const log = cheerio.load((await admin.get('/admin/mail/log')).res.body);
  const rows = log('table.mail-log tbody tr').toArray().map((tr) => log(tr).find('td').toArray().map((td) => log(td).text().trim()));
  assert.deepEqual(
    rows.map((r) => [r[1], r[2], r[3], r[5]]),
    [
      ['Passwort-Link', 'anna@example.org', 'gesendet', ''],
      ['Passwort-Link', 'anna@example.org', 'verworfen', 'a reset link was sent minutes ago'],
      ['Passwort-Link', 'anna@example.org', 'gesendet', ''],
      ['Einladung', 'neu@example.org', 'gesendet', ''],
    ],
  );
});
