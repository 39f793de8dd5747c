// Journalist accounts, as a journalist uses them, with mail through the outbox to a real SMTP server:
// sign up → login link by mail → the link's page (a button; the GET uses nothing up) → logged in
// with a session cookie of their own, which never opens /admin. Existing addresses get the same
// answer; used, expired and guessed links are refused; forms keep what was typed; `herold
// journalist add` accredits and prints a link that works like a mailed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp, createTestDb, type TestApp, dbEnv } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';
import { JOURNALIST, loggedInJournalist, mailedLoginPath, signUp, useLink } from '../helpers/journalists.ts';
import { capture } from '../helpers/cli.ts';
import { createServices } from '../../src/services.ts';
import { accreditedJournalists } from '../../src/modules/journalists/journalists.repository.ts';

test('a journalist signs up, logs in through the mailed link (once), and has a session of their own that never opens /admin', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const { $: signupPage } = await new Browser(app).get('/journalists/signup');
  assert.equal(signupPage('h1').text(), 'Als Journalistin oder Journalist registrieren');
  const browser = await signUp(app);
  assert.match((await browser.get('/journalists/sent')).$('h1').text(), /Bitte sehen Sie in Ihr Postfach/);
  const row = (await db.db.selectFrom('journalists').selectAll().execute())[0]!;
  assert.deepEqual([row.name, row.medium, row.press_card, row.email, row.confirmed_at], [JOURNALIST.name, JOURNALIST.medium, JOURNALIST.pressCard, JOURNALIST.email, null]);
  // Not in the database: the link is made when the mail is sent.
  assert.equal((await db.db.selectFrom('journalist_tokens').selectAll().execute()).length, 0);

  await app.services.mail.sendDue();
  const mail = sink.to(JOURNALIST.email).at(-1)!;
  assert.equal(mail.parsed.subject, 'Ihr Anmeldelink für Herold');
  assert.match(mail.parsed.text ?? '', /Er gilt 60 Minuten und nur einmal\./);
  const path = new URL(linkIn(mail.parsed.text ?? '', '/journalists/login/')).pathname;
  const token = path.split('/').at(-1)!;
  assert.ok((await db.db.selectFrom('journalist_tokens').select('token_hash').execute()).every((r) => r.token_hash !== token), 'only the hash is stored');

  // A mail scanner's GET uses nothing up.
  assert.equal((await new Browser(app).get(path)).res.statusCode, 200);
  const page = await browser.get(path);
  assert.match(page.$('main').text(), /Mit diesem Link melden Sie sich als jana@anzeiger\.example an\./);
  const login = await browser.submitLoaded(page.$, `form[action="${path}"]`);
  assert.equal(login.statusCode, 303);
  assert.equal(login.headers.location, '/journalists/account');
  const cookie = (login.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[]).find((c) => c.name === 'herold_journalist');
  assert.ok(cookie?.httpOnly, 'HttpOnly');
  assert.equal(cookie?.sameSite, 'Lax');
  assert.equal(browser.cookies.has('herold_session'), false, 'not a press officer session');
  assert.match(String((await db.db.selectFrom('journalists').select('confirmed_at').executeTakeFirstOrThrow()).confirmed_at), /^2026-03-10T10:00/);

  const { $ } = await browser.get('/journalists/account');
  assert.match($('main').text(), /Angemeldet als jana@anzeiger\.example/);
  assert.match($('main .form-notice').text(), /Sie sind angemeldet\./);
  assert.equal($('#j-name').attr('value'), JOURNALIST.name);
  assert.equal($('#j-pressCard').attr('value'), JOURNALIST.pressCard);

  // Used once.
  const again = await new Browser(app).request('POST', path, { headers: { 'sec-fetch-site': 'same-origin' } });
  assert.equal(again.statusCode, 404);
  assert.match(cheerio.load(again.body)('h1').text(), /Dieser Link gilt nicht/);
  assert.equal((await new Browser(app).get(path)).res.statusCode, 404);

  // The journalist's session opens nothing under /admin: every page asks a press officer to log in.
  await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  for (const url of ['/admin', '/admin/offices/amt', '/admin/offices/amt/journalists', '/admin/journalists', '/admin/audit']) {
    const res = await browser.request('GET', url);
    assert.equal(res.statusCode, 303, url);
    assert.match(String(res.headers.location), /^\/login/, url);
  }
  const post = await browser.request('POST', '/admin/offices', { form: { slug: 'neu', name: 'Neu' } });
  assert.ok(post.statusCode === 303 || post.statusCode === 403, `POST /admin/offices: ${post.statusCode}`);
  assert.equal(await app.services.offices.findBySlug('neu'), undefined);
  // Nor is a press officer's session a journalist's.
  await createUser(app.services, { email: 'owner@amt.example', isAdmin: true });
  const officer = new Browser(app);
  await officer.login('owner@amt.example');
  assert.equal((await officer.request('GET', '/journalists/account')).headers.location, '/journalists/login');

  // Log out ends the session.
  const { $: account } = await browser.get('/journalists/account');
  const out = await browser.submitLoaded(account, 'form.journalist-logout');
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/journalists/login');
  assert.equal((await browser.request('GET', '/journalists/account')).headers.location, '/journalists/login');
  assert.equal((await db.db.selectFrom('journalist_sessions').selectAll().execute()).length, 0);
  // A session ends after 14 days without a request.
  clock.advance(3 * 60_000);
  await browser.submitForm('/journalists/login', 'form.journalist-form', { email: JOURNALIST.email });
  assert.equal((await useLink(browser, await mailedLoginPath(app, sink))).statusCode, 303);
  clock.advance(13 * 24 * 60 * 60_000);
  assert.equal((await browser.request('GET', '/journalists/account')).statusCode, 200);
  clock.advance(14 * 24 * 60 * 60_000 + 1000);
  assert.equal((await browser.request('GET', '/journalists/account')).headers.location, '/journalists/login');
});

test('signing up with a known address answers the same and only sends a login link; login for an unknown address sends nothing', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer });
  await signUp(app);
  await app.services.mail.sendDue();
  clock.advance(3 * 60_000);
  // Someone else signs up with the same address (another case): the same answer, the details stay.
  await signUp(app, { name: 'Mallory', medium: 'Fake News', email: 'JANA@anzeiger.example' });
  const rows = await db.db.selectFrom('journalists').select(['name', 'medium']).execute();
  assert.deepEqual(rows, [{ name: JOURNALIST.name, medium: JOURNALIST.medium }]);
  assert.deepEqual(await app.services.mail.sendDue(), { sent: 1, retried: 0, failed: 0, cancelled: 0 });
  assert.equal(sink.to(JOURNALIST.email).length, 2);
  assert.match(sink.to(JOURNALIST.email).at(-1)!.parsed.subject ?? '', /Ihr Anmeldelink/);

  // The login form: the same answer for every address; for an unknown one nothing is sent and the address is forgotten.
  for (const email of ['niemand@example.org', JOURNALIST.email]) {
    const res = await new Browser(app).submitForm('/journalists/login', 'form.journalist-form', { email });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/journalists/sent');
  }
  clock.advance(60_000);
  // Within two minutes of the last link, no second mail (the link sent still works).
  assert.deepEqual(await app.services.mail.sendDue(), { sent: 0, retried: 0, failed: 0, cancelled: 2 });
  const cancelled = await db.db.selectFrom('mail_outbox').select(['email', 'last_error']).where('kind', '=', 'journalist-login').where('status', '=', 'cancelled').orderBy('id').execute();
  assert.deepEqual(cancelled, [
    { email: null, last_error: 'no account' },
    { email: JOURNALIST.email, last_error: 'a login link was sent minutes ago' },
  ]);
  assert.equal(sink.to('niemand@example.org').length, 0);
});

test('used, expired, replaced and guessed login links are refused', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const browser = await signUp(app);
  const first = await mailedLoginPath(app, sink);
  // Guessed: nothing opens, in any shape.
  for (const guess of ['/journalists/login/' + 'A'.repeat(43), '/journalists/login/kurz', '/journalists/login/' + first.split('/').at(-1)!.slice(0, -1) + 'x']) {
    assert.equal((await browser.get(guess)).res.statusCode, 404, guess);
    assert.equal((await browser.request('POST', guess, { headers: { 'sec-fetch-site': 'same-origin' } })).statusCode, 404, guess);
  }
  // A newer link ends the older one.
  clock.advance(3 * 60_000);
  await new Browser(app).submitForm('/journalists/login', 'form.journalist-form', { email: JOURNALIST.email });
  const second = await mailedLoginPath(app, sink);
  assert.notEqual(second, first);
  assert.equal((await browser.get(first)).res.statusCode, 404);
  // Expired after an hour.
  clock.advance(61 * 60_000);
  assert.equal((await browser.get(second)).res.statusCode, 404);
  assert.equal((await browser.request('POST', second, { headers: { 'sec-fetch-site': 'same-origin' } })).statusCode, 404);
  assert.equal(browser.cookies.has('herold_journalist'), false);
  // A cross-site POST of a valid link is refused.
  await new Browser(app).submitForm('/journalists/login', 'form.journalist-form', { email: JOURNALIST.email });
  const third = await mailedLoginPath(app, sink);
  assert.equal((await new Browser(app).request('POST', third, { headers: { 'sec-fetch-site': 'cross-site' } })).statusCode, 403);
  assert.equal((await useLink(new Browser(app), third)).statusCode, 303, 'still valid after the refused attempt');
});

test('forms keep what was typed: sign-up errors, a forged sign-up, profile errors; settings are saved', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db } = await buildTestApp(t, { mailer: sink.mailer });
  const visitor = new Browser(app);
  const bad = await visitor.submitForm('/journalists/signup', 'form.journalist-form', { name: '  ', medium: 'Radio Nord', email: 'kein-at-zeichen', pressCard: 'P-1' });
  assert.equal(bad.statusCode, 422);
  const $ = cheerio.load(bad.body);
  assert.deepEqual($('#form-errors a').map((_, a) => $(a).attr('href')).get(), ['#j-name', '#j-email']);
  assert.equal($('#j-medium').attr('value'), 'Radio Nord');
  assert.equal($('#j-email').attr('value'), 'kein-at-zeichen');
  assert.equal($('#j-pressCard').attr('value'), 'P-1');
  assert.equal($('#j-email').attr('aria-invalid'), 'true');
  // Without a token and from another site: refused, what was typed kept.
  const forged = await new Browser(app).request('POST', '/journalists/signup', { form: { name: 'X', medium: 'Y', email: 'x@example.org' }, headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(forged.statusCode, 403);
  assert.equal(cheerio.load(forged.body)('#j-email').attr('value'), 'x@example.org');
  assert.equal((await db.db.selectFrom('journalists').selectAll().execute()).length, 0);

  const browser = await loggedInJournalist({ app }, sink);
  const empty = await browser.submitForm('/journalists/account', 'form[action="/journalists/account"]', { name: '', medium: 'Neues Medium' });
  assert.equal(empty.statusCode, 422);
  assert.equal(cheerio.load(empty.body)('#j-medium').attr('value'), 'Neues Medium');
  assert.match(cheerio.load(empty.body)('#form-errors').text(), /Name: Bitte ausfüllen\./);
  const { $: account } = await browser.get('/journalists/account');
  const values = browser.formValues(account, 'form[action="/journalists/account"]');
  delete values.decisionMail;
  const saved = await browser.request('POST', '/journalists/account', { form: { ...values, name: 'Jana S.', lang: 'en' } });
  assert.equal(saved.statusCode, 303);
  const row = await db.db.selectFrom('journalists').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([row.name, row.lang, row.decision_mail, row.prerelease_mail], ['Jana S.', 'en', 0, 1]);
  const { $: after } = await browser.get('/journalists/account');
  assert.equal(after('input[name="decisionMail"]').attr('checked'), undefined);
  assert.equal(after('input[name="prereleaseMail"]').attr('checked'), 'checked');
});

test('herold journalist add accredits and prints a login link that works like a mailed one; journalist list', async (t) => {
  const db = await createTestDb(t);
  const services = createServices({ db: db.db });
  const office = await services.offices.create({ slug: 'stadt', name: 'Stadt' });
  await services.offices.create({ slug: 'land', name: 'Land' });
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'https://presse.example', SESSION_SECRET: 'x'.repeat(40) };

  const added = await capture(['journalist', 'add', '--email', 'Rita@Radio.example', '--name', 'Rita Reporter', '--medium', 'Radio Nord', '--press-card', 'RN-7', '--office', 'stadt'], env);
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /Created rita@radio\.example \(Rita Reporter\), accredited with stadt\./);
  const link = /https:\/\/presse\.example(\/journalists\/login\/[A-Za-z0-9_-]+)/.exec(added.out)![1]!;
  // Accredited and vouched for: the pre-release may send to her before she ever logs in.
  assert.deepEqual((await accreditedJournalists(db.db, office.id)).map((j) => [j.email, j.name, j.medium, j.prereleaseMail]), [['rita@radio.example', 'Rita Reporter', 'Radio Nord', true]]);
  assert.deepEqual(await accreditedJournalists(db.db, (await services.offices.findBySlug('land'))!.id), []);
  // The pre-release offers exactly those (one rule): she is offered before she ever logs in.
  assert.deepEqual((await services.prereleases.candidates(office.id, 0)).map((j) => j.email), ['rita@radio.example']);
  const log = await services.audit.list(office.id, 1);
  assert.deepEqual(log.items.map((e) => [e.action, e.userEmail, e.subject]), [['accreditation.accepted', 'CLI', 'Rita Reporter (Radio Nord) <rita@radio.example>']]);

  // The link logs her in, as a mailed one does.
  const { app } = await buildTestApp(t, { db, env: { PUBLIC_URL: 'https://presse.example' } });
  const browser = new Browser(app);
  const res = await useLink(browser, link);
  assert.equal(res.statusCode, 303);
  const { $ } = await browser.get('/journalists/account');
  assert.match($('.journalist-table').text(), /Stadt[\s\S]*akkreditiert/);

  // Again, platform-wide: found, not created; a new link.
  const platform = await capture(['journalist', 'add', '--email', 'rita@radio.example', '--name', 'Rita Reporter', '--platform'], env);
  assert.equal(platform.code, 0, platform.err);
  assert.match(platform.out, /Found rita@radio\.example \(Rita Reporter\), accredited platform-wide\./);
  assert.equal((await accreditedJournalists(db.db, (await services.offices.findBySlug('land'))!.id)).length, 1);
  const list = await capture(['journalist', 'list'], env);
  assert.match(list.out, /rita@radio\.example\tRita Reporter\tRadio Nord\tconfirmed\t1 office\(s\), platform-wide/);
  assert.match((await capture(['journalist', 'list', '--office', 'land'], env)).out, /rita@radio\.example/);

  for (const [argv, message] of [
    [['journalist', 'add', '--email', 'x@example.org', '--office', 'stadt'], /--name N is required/],
    [['journalist', 'add', '--email', 'x@example.org', '--name', 'X'], /give --office SLUG or --platform/],
    [['journalist', 'add', '--email', 'x@example.org', '--name', 'X', '--office', 'stadt', '--platform'], /give --office SLUG or --platform/],
    [['journalist', 'add', '--email', 'x@example.org', '--name', 'X', '--office', 'nirgends'], /there is no office "nirgends"/],
    [['journalist', 'add', '--email', 'kaputt', '--name', 'X', '--office', 'stadt'], /--email is not a valid e-mail address/],
    [['journalist', 'remove'], /the subcommands are/],
  ] as const) {
    const result = await capture([...argv], env);
    assert.notEqual(result.code, 0, argv.join(' '));
    assert.match(result.err, message);
  }
});
