// The mailto: in List-Unsubscribe: a message to it, piped into `herold unsubscribe --mail`, ends
// the subscription; `--email` does the same for an operator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildTestApp, dbEnv, type TestDb } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const herold = (target: Pick<TestDb, 'dataDir' | 'databaseUrl'>, args: string[], stdin = ''): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/herold.js'), ...args], {
      env: { ...process.env, ...dbEnv(target), DATA_DIR: target.dataDir, PUBLIC_URL: 'http://herold.test', LANG: 'de', SESSION_SECRET: 'test-secret-test-secret-test-secret!' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(stdin);
  });

const confirmedSubscriber = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], email: string, office: string) => {
  const { subscriptions } = app.services;
  await subscriptions.signUp({ email, frequency: 'immediately', targets: { office: [office], topic: [], region: [] }, lang: 'de', ip: '127.0.0.1' });
};

test('a mail to the List-Unsubscribe mailto address, piped into herold unsubscribe --mail, unsubscribes', async (t) => {
  const mailer = createMemoryMailer();
  const ctx = await buildTestApp(t, { mailer });
  const { app } = ctx;
  const office = await createOffice(app.services, { slug: 'kreis' });
  await confirmedSubscriber(app, 'leser@example.org', 'kreis');
  await confirmedSubscriber(app, 'zweite@example.org', 'kreis');
  for (const r of await ctx.db.db.selectFrom('subscription_requests').selectAll().execute())
    assert.ok(await app.services.subscriptions.confirm(app.services.subscriptions.confirmationToken(r), '127.0.0.1'));
  await createRelease(app.services, office.id, { title: 'Neuigkeit' });
  await app.services.mail.fanOut();
  await app.services.mail.sendDue();
  const notice = mailer.sent.find((m) => m.to === 'leser@example.org' && m.subject.includes('Neuigkeit'));
  assert.ok(notice, 'instant notice sent');
  const mailto = /<mailto:([^?>]+)\?subject=([^>]+)>/.exec(notice.headers!['List-Unsubscribe']!);
  assert.ok(mailto, 'List-Unsubscribe carries a mailto');
  const subject = decodeURIComponent(mailto[2]!);

  // What the mail server pipes in: the reader's message to that address.
  const message = `From: leser@example.org\r\nTo: ${mailto[1]}\r\nSubject: ${subject}\r\n\r\n\r\n`;
  const piped = await herold(ctx.db, ['unsubscribe', '--mail'], message);
  assert.equal(piped.code, 0, piped.out);
  const left = (await ctx.db.db.selectFrom('subscriptions').select('email').execute()).map((r) => r.email);
  assert.deepEqual(left, ['zweite@example.org']);

  const again = await herold(ctx.db, ['unsubscribe', '--mail'], message);
  assert.equal(again.code, 1);
  const noSubject = await herold(ctx.db, ['unsubscribe', '--mail'], 'Subject: hallo\r\n\r\nbitte abbestellen\r\n');
  assert.equal(noSubject.code, 1);
  assert.match(noSubject.out, /no subject "unsubscribe TOKEN"/);

  const byAddress = await herold(ctx.db, ['unsubscribe', '--email', 'Zweite@Example.org']);
  assert.equal(byAddress.code, 0, byAddress.out);
  assert.equal((await ctx.db.db.selectFrom('subscriptions').select('email').execute()).length, 0);
  assert.equal((await herold(ctx.db, ['unsubscribe'])).code, 2);
});
