// The mail admin pages (counts, log, .eml files) inside the /admin scope: platform admins only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { createFileMailer } from '../../src/modules/mail/file-mailer.ts';
import { MailSendError, type Mailer } from '../../src/modules/mail/mailer.ts';
import type { Services } from '../../src/services.ts';

const subscribe = (services: Services, email: string, targets: { office?: string[]; topic?: string[]; region?: string[] }, frequency: string) =>
  services.subscriptions.signUp({ email, frequency, targets: { office: [], topic: [], region: [], ...targets }, lang: 'de', ip: '127.0.0.1' });

test('admin mail pages: subscriber counts per item and frequency, the mail log with reasons, the stored .eml files', async (t) => {
  let file: Mailer | undefined;
  const failing: Mailer = {
    kind: 'file',
    async send(message) {
      if (message.to === 'kaputt@example.org') throw new MailSendError('550 5.1.1 User unknown', false, 550);
      return file!.send(message);
    },
    async close() {},
  };
  const ctx = await buildTestApp(t, { mailer: failing });
  file = createFileMailer({ dataDir: ctx.config.dataDir, from: ctx.config.mailFrom });
  const { app, db } = ctx;
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  await createUser(services, { email: 'admin@herold.test', isAdmin: true });
  await createUser(services, { email: 'redaktion@kreis.test', officeId: office.id, role: 'owner' });
  const anonymous = await app.inject({ method: 'GET', url: '/admin/mail' });
  assert.equal(anonymous.statusCode, 303, 'not logged in: to the login page');
  const owner = new Browser(app);
  await owner.login('redaktion@kreis.test');
  for (const url of ['/admin/mail', '/admin/mail/log', '/admin/mail/files']) assert.equal((await owner.get(url)).res.statusCode, 403, url);
  const admin = new Browser(app);
  await admin.login('admin@herold.test');
  const inject = async ({ url }: { method: 'GET'; url: string }) => (await admin.get(url)).res;

  for (const [email, frequency, targets] of [
    ['a@example.org', 'immediately', { office: ['kreis'], topic: ['verkehr'] }],
    ['b@example.org', 'daily', { office: ['kreis'] }],
    ['kaputt@example.org', 'immediately', { office: ['kreis'] }],
  ] as const) {
    await subscribe(services, email, targets as never, frequency);
  }
  await services.mail.sendDue();
  // Confirm all three through their requests' tokens (as the links in the mails would).
  const requests = await db.db.selectFrom('subscription_requests').selectAll().execute();
  for (const r of requests) assert.ok(await services.subscriptions.confirm(services.subscriptions.confirmationToken(r), '127.0.0.1'));
  await services.subscriptions.signUp({ email: 'offen@example.org', frequency: 'weekly', targets: { office: ['kreis'], topic: [], region: [] }, lang: 'de', ip: '' });

  const index = cheerio.load((await inject({ method: 'GET', url: '/admin/mail' })).body);
  assert.equal(index('#subscription-totals').text(), '3 aktiv (2 sofort, 1 täglich, 0 wöchentlich), 0 ausgesetzt, 1 unbestätigt');
  const kreis = index('tr[data-target="office:kreis"] td').map((_, el) => index(el).text()).get();
  assert.deepEqual(kreis, ['Pressestelle', '2', '1', '0', '3']);
  assert.deepEqual(index('tr[data-target="topic:verkehr"] td').map((_, el) => index(el).text()).get(), ['Thema', '1', '0', '0', '1']);

  await createRelease(services, office.id, { title: 'Für das Protokoll' });
  await services.mail.fanOut();
  await services.mail.sendDue();

  const log = await inject({ method: 'GET', url: '/admin/mail/log?status=failed' });
  assert.equal(log.statusCode, 200);
  const $log = cheerio.load(log.body);
  // The confirmation mail and the instant notice to the unknown mailbox, newest first.
  assert.equal($log('table.mail-log tbody tr').length, 2);
  const failed = $log('table.mail-log tbody tr').first();
  assert.match(failed.find('td').eq(1).text(), /Sofortmeldung: Für das Protokoll/);
  assert.equal(failed.find('td').eq(2).text(), 'kaputt@example.org');
  assert.match(failed.find('td.reason').text(), /550 5\.1\.1 User unknown/);
  const all = cheerio.load((await inject({ method: 'GET', url: '/admin/mail/log' })).body);
  assert.equal(all('table.mail-log tbody tr.status-sent').length, 4, 'three confirmations and one notice');

  const files = cheerio.load((await inject({ method: 'GET', url: '/admin/mail/files' })).body);
  const links = files('ul.mail-files a');
  assert.equal(links.length, 4);
  const one = await inject({ method: 'GET', url: links.first().attr('href')! });
  assert.equal(one.statusCode, 200);
  assert.match(cheerio.load(one.body)('pre.eml').text(), /^From: Herold <herold@herold\.test>/m);
  assert.equal((await inject({ method: 'GET', url: '/admin/mail/files/..%2Fherold.sqlite' })).statusCode, 400);
  assert.equal((await inject({ method: 'GET', url: '/admin/mail/files/nope.eml' })).statusCode, 404);
});
