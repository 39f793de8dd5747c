// Accounts, sessions, CSRF, login throttling and one-time links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, PASSWORD } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { buildApp } from '../../src/app.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) => {
  const ctx = await buildTestApp(t, { env });
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const user = await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  return { ...ctx, office, user, browser: new Browser(ctx.app) };
};

test('the admin area sends visitors without a session to the login page', async (t) => {
  const { browser } = await setup(t);
  const { res } = await browser.get('/admin/offices/stadt');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login?next=%2Fadmin%2Foffices%2Fstadt');
  const login = await browser.get('/login');
  assert.equal(login.res.statusCode, 200);
  assert.equal(login.res.headers['cache-control'], 'no-store');
  assert.equal(login.$('meta[name="robots"]').attr('content'), 'noindex, nofollow');
  assert.equal(login.$('label[for="email"]').length, 1);
  assert.equal(login.$('label[for="password"]').length, 1);
  assert.equal(login.$('input#password').attr('autocomplete'), 'current-password');
});

test('login opens a server-side session with a safe cookie and follows next', async (t) => {
  const { browser, db } = await setup(t);
  const res = await browser.submitForm('/login?next=%2Fadmin%2Foffices%2Fstadt%2Faudit', 'form[action="/login"]', { email: 'Anna@Example.org', password: PASSWORD });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/offices/stadt/audit');
  const cookie = String((res.headers['set-cookie'] as string[]).find((c) => c.startsWith('herold_session=')));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);
  // Only a hash of the token is stored.
  const token = browser.cookies.get('herold_session')!;
  const rows = await db.db.selectFrom('sessions').select('id_hash').execute();
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0]!.id_hash, token);
  assert.ok(!rows[0]!.id_hash.includes(token));
  const { res: page, $ } = await browser.get('/admin/offices/stadt');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match($('.admin-user').text(), /anna@example\.org/);
});

test('next never leads outside the admin area', async (t) => {
  const { browser } = await setup(t);
  const res = await browser.submitForm('/login?next=https%3A%2F%2Fevil.example%2F', 'form[action="/login"]', { email: 'anna@example.org', password: PASSWORD });
  assert.equal(res.headers.location, '/admin');
  const browser2 = new Browser(browser.app);
  const res2 = await browser2.submitForm('/login?next=%2F%2Fevil.example', 'form[action="/login"]', { email: 'anna@example.org', password: PASSWORD });
  assert.equal(res2.headers.location, '/admin');
});

test('the session cookie is Secure when PUBLIC_URL is https', async (t) => {
  const { browser } = await setup(t, { PUBLIC_URL: 'https://herold.example' });
  const res = await browser.login('anna@example.org');
  const cookie = String((res.headers['set-cookie'] as string[]).find((c) => c.startsWith('herold_session=')));
  assert.match(cookie, /Secure/);
});

test('a wrong password and an unknown address get the same answer', async (t) => {
  const { browser } = await setup(t);
  const wrong = await browser.submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: 'falsch-falsch-falsch' });
  const unknown = await browser.submitForm('/login', 'form[action="/login"]', { email: 'niemand@example.org', password: 'falsch-falsch-falsch' });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  const a = cheerio.load(wrong.body);
  const b = cheerio.load(unknown.body);
  assert.equal(a('#login-error').text(), 'E-Mail-Adresse oder Passwort ist falsch.');
  assert.equal(b('#login-error').text(), a('#login-error').text());
  // What was typed stays (the address), the password does not.
  assert.equal(a('input#email').attr('value'), 'anna@example.org');
  assert.equal(a('input#password').attr('value'), '');
  assert.equal(browser.cookies.has('herold_session'), false);
});

test('login is refused without a CSRF token', async (t) => {
  const { browser } = await setup(t);
  await browser.get('/login');
  const res = await browser.request('POST', '/login', { form: { email: 'anna@example.org', password: PASSWORD } });
  assert.equal(res.statusCode, 403);
  assert.equal(cheerio.load(res.body)('h1').text(), 'Nicht erlaubt');
  assert.equal(browser.cookies.has('herold_session'), false);
});

test('an account is throttled after five failed logins, even for the right password then', async (t) => {
  const { browser, clock } = await setup(t);
  for (let i = 0; i < 5; i++) {
    const res = await browser.submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: `falsch-${i}-falsch` });
    assert.equal(res.statusCode, 401);
  }
  const blocked = await browser.submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: PASSWORD });
  assert.equal(blocked.statusCode, 429);
  assert.match(cheerio.load(blocked.body)('#login-error').text(), /Zu viele fehlgeschlagene Anmeldeversuche/);
  // An unknown address is throttled alike, so throttling reveals nothing either.
  for (let i = 0; i < 5; i++) await browser.submitForm('/login', 'form[action="/login"]', { email: 'niemand@example.org', password: `falsch-${i}-falsch` });
  const unknown = await browser.submitForm('/login', 'form[action="/login"]', { email: 'niemand@example.org', password: 'x' });
  assert.equal(unknown.statusCode, 429);
  clock.advance(16 * 60 * 1000);
  const later = await browser.submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: PASSWORD });
  assert.equal(later.statusCode, 303);
});

test('logins are limited per IP address', async (t) => {
  const { browser } = await setup(t);
  const { $ } = await browser.get('/login');
  const csrf = csrfOf($);
  let last = 0;
  for (let i = 0; i < 21; i++) {
    const res = await browser.request('POST', '/login', { form: { _csrf: csrf, email: `person${i}@example.org`, password: 'falsch-falsch' } });
    last = res.statusCode;
    if (i < 20) assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
  }
  assert.equal(last, 429);
});

test('logout deletes the session; the old cookie opens nothing', async (t) => {
  const { browser, db } = await setup(t);
  await browser.login('anna@example.org');
  const token = browser.cookies.get('herold_session')!;
  const res = await browser.submitForm('/admin/offices/stadt', 'form[action="/logout"]');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login');
  assert.equal((await db.db.selectFrom('sessions').selectAll().execute()).length, 0);
  const replay = await browser.app.inject({ method: 'GET', url: '/admin/offices/stadt', headers: { cookie: `herold_session=${token}` } });
  assert.equal(replay.statusCode, 303);
  assert.match(String(replay.headers.location), /^\/login/);
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Sie sind abgemeldet.');
});

test('logout needs a CSRF token', async (t) => {
  const { browser, db } = await setup(t);
  await browser.login('anna@example.org');
  const res = await browser.request('POST', '/logout', { form: {} });
  assert.equal(res.statusCode, 403);
  assert.equal((await db.db.selectFrom('sessions').selectAll().execute()).length, 1);
});

test('a session ends after two idle hours and after twelve hours in all', async (t) => {
  const { browser, clock } = await setup(t);
  await browser.login('anna@example.org');
  clock.advance(2 * 60 * 60 * 1000 + 1000);
  const idle = await browser.get('/admin/offices/stadt');
  assert.equal(idle.res.statusCode, 303);
  const { $ } = await browser.follow(idle.res);
  assert.match($('.flash').text(), /Sitzung ist abgelaufen/);

  await browser.login('anna@example.org');
  for (let hour = 1; hour <= 11; hour++) {
    clock.advance(60 * 60 * 1000);
    assert.equal((await browser.get('/admin/offices/stadt')).res.statusCode, 200, `hour ${hour}`);
  }
  clock.advance(60 * 60 * 1000);
  assert.equal((await browser.get('/admin/offices/stadt')).res.statusCode, 303);
});

test('the set-password link from the CLI works once, and not after it expires', async (t) => {
  const { app, clock } = await setup(t);
  const { user } = await app.services.auth.addUser({ email: 'neu@example.org', officeId: (await app.services.offices.findBySlug('stadt'))!.id, role: 'editor' });
  const token = await app.services.auth.issueToken('set-password', { email: user.email, userId: user.id });
  const browser = new Browser(app);
  const { res: page, $ } = await browser.get(`/set-password/${token}`);
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match($('main').text(), /neu@example\.org/);

  const mismatch = await browser.submitForm(`/set-password/${token}`, 'main form', { password: 'ein-neues-passwort', passwordRepeat: 'ein-anderes-passwort' });
  assert.equal(mismatch.statusCode, 422);
  const m = cheerio.load(mismatch.body);
  assert.equal(m('.error-summary a[href="#passwordRepeat"]').length, 1);
  assert.equal(m('#passwordRepeat-error').text(), 'Die beiden Passwörter stimmen nicht überein.');
  const short = await browser.submitForm(`/set-password/${token}`, 'main form', { password: 'kurz', passwordRepeat: 'kurz' });
  assert.equal(short.statusCode, 422);

  const ok = await browser.submitForm(`/set-password/${token}`, 'main form', { password: 'ein-neues-passwort', passwordRepeat: 'ein-neues-passwort' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/login');
  await browser.login('neu@example.org', 'ein-neues-passwort');
  // Used once: the link is dead now.
  assert.equal((await browser.get(`/set-password/${token}`)).res.statusCode, 404);

  const later = await app.services.auth.issueToken('set-password', { email: user.email, userId: user.id });
  clock.advance(73 * 60 * 60 * 1000);
  const expired = await new Browser(app).get(`/set-password/${later}`);
  assert.equal(expired.res.statusCode, 404);
  assert.match(expired.$('h1').text(), /Link ungültig/);
  // Tokens are stored hashed.
  const stored = await app.services.auth.findToken(later);
  assert.equal(stored, undefined);
});

test('password reset: the same answer for every address, a mail only for a known one, single use', async (t) => {
  const { db, config, clock } = await setup(t);
  const mailer = createMemoryMailer();
  const app = await buildApp({ config, db: db.db, clock, mailer });
  t.after(() => app.close());
  const browser = new Browser(app);
  const known = await browser.submitForm('/forgot-password', 'main form', { email: 'anna@example.org' });
  const unknown = await browser.submitForm('/forgot-password', 'main form', { email: 'niemand@example.org' });
  assert.equal(known.statusCode, 303);
  assert.equal(unknown.statusCode, 303);
  assert.equal(known.headers.location, unknown.headers.location);
  // Queued, sent by the sender: a mail only for the known address.
  assert.equal(mailer.sent.length, 0);
  await app.services.mail.sendDue();
  assert.equal(mailer.sent.length, 1);
  assert.equal(mailer.sent[0]!.to, 'anna@example.org');
  const link = /http:\/\/herold\.test(\/set-password\/[A-Za-z0-9_-]+)/.exec(mailer.sent[0]!.text)![1]!;
  const res = await browser.submitForm(link, 'main form', { password: 'ganz-neues-passwort', passwordRepeat: 'ganz-neues-passwort' });
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.get(link)).res.statusCode, 404);
  await browser.login('anna@example.org', 'ganz-neues-passwort');
  const old = await new Browser(app).submitForm('/login', 'form[action="/login"]', { email: 'anna@example.org', password: PASSWORD });
  assert.equal(old.statusCode, 401);
});

test('admin POSTs without a valid CSRF token are refused and change nothing', async (t) => {
  const { browser, app, office } = await setup(t);
  await browser.login('anna@example.org');
  const res = await browser.request('POST', '/admin/offices/stadt/releases', { form: { title: 'Ohne Token', bodyMarkdown: 'Text', releaseDate: '2026-03-10' } });
  assert.equal(res.statusCode, 403);
  const forged = await browser.request('POST', '/admin/offices/stadt/releases', { form: { _csrf: 'forged-token', title: 'Gefälscht', bodyMarkdown: 'Text', releaseDate: '2026-03-10' } });
  assert.equal(forged.statusCode, 403);
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 0);
});
