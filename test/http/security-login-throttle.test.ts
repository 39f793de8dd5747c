// Finding 2 of the attack on a running instance (issue 20): five wrong passwords for an address,
// from anyone (also typed in other case or with spaces), made the correct password answer 429 for
// 15 minutes. Now (OWASP's "device cookie" scheme, with growing delays): attempts are throttled per
// address only for browsers the account does not know; a browser that logged in before, or that
// opened an e-mailed one-time link of the account, is throttled on its own. The state lives in the
// database, so every process sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildApp } from '../../src/app.ts';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, PASSWORD } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  return ctx;
};

const tryLogin = (browser: Browser, email: string, password: string) => browser.submitForm('/login', 'form[action="/login"]', { email, password });

test('strangers failing for an address do not lock out the owner on her known browser', async (t) => {
  const { app, clock } = await setup(t);
  const owner = new Browser(app);
  await owner.login('anna@example.org');
  await owner.submitForm('/admin/offices/stadt', 'form[action="/logout"]');

  const attacker = new Browser(app);
  for (const [i, email] of ['anna@example.org', 'ANNA@example.org', '  anna@example.org ', 'Anna@Example.org', 'anna@example.org'].entries()) {
    assert.equal((await tryLogin(attacker, email, `falsch-${i}-falsch`)).statusCode, 401, email);
  }
  const locked = await tryLogin(attacker, 'anna@example.org', 'noch-ein-versuch');
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.match(cheerio.load(locked.body)('#login-error').text(), /Zu viele fehlgeschlagene Anmeldeversuche/);

  // The owner, on her browser, gets in with her password at once.
  const res = await tryLogin(owner, 'anna@example.org', PASSWORD);
  assert.equal(res.statusCode, 303);
  assert.equal((await owner.follow(res)).res.statusCode, 200);

  assert.match(owner.cookies.get('herold_device') ?? '', /^\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{32}$/, 'a known browser');

  // The attacker waits longer after every further failure: 1, 2, 4 minutes …
  for (const wait of [1, 2, 4]) {
    clock.advance(wait * 60_000 - 1000);
    assert.equal((await tryLogin(attacker, 'anna@example.org', 'zu-frueh-versucht')).statusCode, 429, `${wait} min`);
    clock.advance(2000);
    assert.equal((await tryLogin(attacker, 'anna@example.org', `falsch-nach-${wait}`)).statusCode, 401, `${wait} min`);
  }
  // … and a device cookie made up for the account does not help.
  attacker.cookies.set('herold_device', `${owner.cookies.get('herold_device')!.split('.')[0]}.${'A'.repeat(22)}.${'B'.repeat(32)}`);
  assert.equal((await tryLogin(attacker, 'anna@example.org', PASSWORD)).statusCode, 429);
});

test('on a new browser the owner gets back in with an e-mailed link, her old password then works', async (t) => {
  const ctx = await setup(t);
  const mailer = createMemoryMailer();
  const app = await buildApp({ config: ctx.config, db: ctx.db.db, clock: ctx.clock, mailer });
  t.after(() => app.close());
  const attacker = new Browser(app);
  for (let i = 0; i < 5; i++) await tryLogin(attacker, 'anna@example.org', `falsch-${i}-falsch`);

  const fresh = new Browser(app);
  assert.equal((await tryLogin(fresh, 'anna@example.org', PASSWORD)).statusCode, 429);
  assert.equal((await fresh.submitForm('/forgot-password', 'main form', { email: 'anna@example.org' })).statusCode, 303);
  await app.services.mail.sendDue();
  const link = /http:\/\/herold\.test(\/set-password\/[A-Za-z0-9_-]+)/.exec(mailer.sent.at(-1)!.text)![1]!;
  assert.equal((await fresh.get(link)).res.statusCode, 200);
  const res = await tryLogin(fresh, 'anna@example.org', PASSWORD);
  assert.equal(res.statusCode, 303);
  // Still locked for everyone else.
  assert.equal((await tryLogin(attacker, 'anna@example.org', PASSWORD)).statusCode, 429);
});

test('the throttle is kept in the database: another process on the same data refuses too', async (t) => {
  const ctx = await setup(t);
  const first = new Browser(ctx.app);
  for (let i = 0; i < 5; i++) await tryLogin(first, 'anna@example.org', `falsch-${i}-falsch`);
  // A second server process on the same database (as when two run behind a proxy).
  const other = await buildApp({ config: ctx.config, db: ctx.db.db, clock: ctx.clock });
  t.after(() => other.close());
  const second = new Browser(other);
  assert.equal((await tryLogin(second, 'anna@example.org', PASSWORD)).statusCode, 429);
  ctx.clock.advance(61_000);
  assert.equal((await tryLogin(second, 'anna@example.org', PASSWORD)).statusCode, 303);
});
