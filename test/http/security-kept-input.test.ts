// Finding 12 of the attack on a running instance (issue 20), the 413 and 429 pages: a form refused
// as too large or as too frequent came back as an error page, and what had been typed was lost. Now
// the form is shown again with the message and everything typed, as a 422 is: the release editor
// reads bodies far beyond what a release may hold (the service says what is too long), and the
// login, reset and subscription forms answer their per-IP limit with the form (429).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, ensureTerms } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';

const RATE_LIMITED = 'Zu viele Versuche von dieser Adresse aus. Bitte warten Sie ein paar Minuten und senden Sie das Formular dann noch einmal.';

test('a release text too long for the site is answered by the editor with everything kept, not a 413 page', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  await createUser(app.services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  const browser = new Browser(app);
  await browser.login('anna@amt.example');
  // 200,000 umlauts: 1.2 MB as a form, more than the site's 1 MB body limit.
  const body = 'ä'.repeat(200_000);
  const res = await browser.submitForm('/admin/offices/amt/releases/new', '#release-form', { title: 'Sehr lange Mitteilung', bodyMarkdown: body }, { button: 'save' });
  assert.equal(res.statusCode, 422);
  const $ = cheerio.load(res.body);
  assert.equal($('#title').attr('value'), 'Sehr lange Mitteilung');
  assert.equal($('#bodyMarkdown').text(), body);
  assert.equal($('#bodyMarkdown-error').text(), 'Der Text ist zu lang.');
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 0);
});

test('over the per-IP limit the login and reset forms come back with the address typed (429)', async (t) => {
  const { app } = await buildTestApp(t);
  const browser = new Browser(app);
  const csrf = csrfOf((await browser.get('/login')).$);
  let last;
  for (let i = 0; i < 21; i++) last = await browser.request('POST', '/login', { form: { _csrf: csrf, email: `person${i}@example.org`, password: 'falsch-falsch' } });
  assert.equal(last!.statusCode, 429);
  assert.ok(Number(last!.headers['retry-after']) > 0);
  const login = cheerio.load(last!.body);
  assert.equal(login('#login-error').text(), RATE_LIMITED);
  assert.equal(login('form[action="/login"] input#email').attr('value'), 'person20@example.org');

  for (let i = 0; i < 21; i++) last = await browser.request('POST', '/forgot-password', { form: { _csrf: csrf, email: `vergessen${i}@example.org` } });
  assert.equal(last!.statusCode, 429);
  const forgot = cheerio.load(last!.body);
  assert.equal(forgot('#form-error').text(), RATE_LIMITED);
  assert.equal(forgot('form[action="/forgot-password"] input#email').attr('value'), 'vergessen20@example.org');
});

test('over the per-IP limit the subscription form comes back with the address and choices (429)', async (t) => {
  const { app } = await buildTestApp(t);
  await ensureTerms(app.services);
  await createOffice(app.services, { slug: 'amt', name: 'Kreisamt' });
  let last;
  for (let i = 0; i < 11; i++) last = (await submitForm(app, '/subscribe', 'form.subscribe-form', { email: `leser${i}@example.org`, office: 'amt', topic: 'verkehr', frequency: 'daily' })).res;
  assert.equal(last!.statusCode, 429);
  const $ = cheerio.load(last!.body);
  assert.equal($('.form-notice').text(), RATE_LIMITED);
  assert.equal($('form.subscribe-form input[name="email"]').attr('value'), 'leser10@example.org');
  assert.equal($('form.subscribe-form input[name="office"][value="amt"]').attr('checked'), 'checked');
  assert.equal($('form.subscribe-form input[name="topic"][value="verkehr"]').attr('checked'), 'checked');
  assert.equal($('form.subscribe-form input[name="frequency"][value="daily"]').attr('checked'), 'checked');
});
