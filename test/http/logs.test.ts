// Secrets never reach the log: passwords, session cookies, CSRF tokens and every one-time link
// (set-password, preview, subscription confirm/manage/unsubscribe) are dropped or masked, with the
// server's own logger options at debug level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/app.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { logRedaction } from '../../src/lib/redact.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { createTestDb, testConfig, TEST_NOW } from '../helpers/app.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, PASSWORD, submitForm } from '../helpers/forms.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { linkIn } from '../helpers/smtp.ts';

test('passwords, session cookies, CSRF tokens and one-time links never appear in the log', async (t) => {
  const lines: string[] = [];
  const db = await createTestDb(t);
  const mailer = createMemoryMailer();
  const app = await buildApp({ config: testConfig(db.dataDir), db: db.db, clock: fixedClock(TEST_NOW), mailer, scryptParams: { N: 1024, r: 8, p: 1 }, logger: { level: 'debug', ...logRedaction, stream: { write: (line: string) => void lines.push(line) } } });
  t.after(() => app.close());
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt' });
  const draft = await createRelease(services, office.id, { title: 'Entwurf' }, { status: 'draft' });
  await createUser(services, { email: 'ed@amt.example', officeId: office.id, role: 'owner' });

  const secrets: string[] = [PASSWORD];
  const ed = new Browser(app);
  await ed.submitForm('/login', 'form[action="/login"]', { email: 'ed@amt.example', password: 'falsches-passwort-123' });
  secrets.push('falsches-passwort-123');
  await ed.login('ed@amt.example');
  secrets.push(ed.cookies.get('herold_session')!);
  const { $ } = await ed.get('/admin/offices/amt');
  secrets.push(csrfOf($));
  const preview = (await services.releases.findPreviewToken(draft.id))!;
  secrets.push(preview);
  await app.inject({ method: 'GET', url: `/preview/${preview}` });
  // A request that puts the CSRF token in the query string (refused: the token belongs in the body).
  await ed.request('POST', `/admin/offices/amt/releases/${draft.id}/photos?_csrf=${encodeURIComponent(csrfOf($))}`, { payload: 'x', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
  await ed.submitForm('/admin/offices/amt/members', 'form[action="/admin/offices/amt/members/invite"]', { email: 'neu@amt.example' });
  await services.mail.sendDue();
  const invite = linkIn(mailer.sent.at(-1)!.text, '/set-password/');
  const inviteToken = invite.split('/').at(-1)!;
  secrets.push(inviteToken);
  await app.inject({ method: 'GET', url: new URL(invite).pathname });

  // A reader subscribes, confirms, manages, unsubscribes.
  const { res } = await submitForm(app, '/subscribe?email=leserin%40example.org', 'form.subscribe-form', { email: 'leserin@example.org', office: 'amt', frequency: 'immediately' });
  assert.equal(res.statusCode, 303);
  await services.mail.sendDue();
  const confirm = new URL(linkIn(mailer.sent.at(-1)!.text, '/subscribe/confirm/')).pathname;
  secrets.push(confirm.split('/').at(-1)!);
  const { res: confirmed } = await submitForm(app, confirm, 'form[action^="/subscribe/confirm/"]', {});
  const manage = String(confirmed.headers.location).split('?')[0]!;
  secrets.push(manage.split('/').at(-1)!);
  await app.inject({ method: 'GET', url: confirmed.headers.location as string });
  await createRelease(services, office.id, { title: 'Neu' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  const unsubscribe = new URL(linkIn(mailer.sent.at(-1)!.text, '/unsubscribe/')).pathname;
  secrets.push(unsubscribe.split('/').at(-1)!);
  await app.inject({ method: 'GET', url: unsubscribe });
  await app.inject({ method: 'POST', url: unsubscribe, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });

  const log = lines.join('');
  assert.ok(lines.filter((l) => l.includes('"msg":"request"')).length >= 15, 'the requests were logged, one line each');
  assert.ok(log.includes('[redacted]'), 'masked URLs are in the log');
  for (const secret of secrets) {
    assert.ok(secret && secret.length >= 8, 'a real secret');
    assert.ok(!log.includes(secret), `the log holds a secret: ${secret.slice(0, 6)}…`);
    assert.ok(!log.includes(encodeURIComponent(secret)), `the log holds a secret (encoded): ${secret.slice(0, 6)}…`);
  }
  assert.ok(!log.includes('leserin%40example.org') && !log.includes('leserin@example.org'), 'the reader’s address');
});
