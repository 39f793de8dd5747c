// Imprint and privacy notice: /impressum and /datenschutz show what platform admins wrote (a visible
// note while empty), or IMPRINT_URL / PRIVACY_URL point elsewhere. Every public page and every mail
// (text and HTML) links both; the subscribe forms link the privacy notice beside the consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser, submitForm } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

test('a new installation: the pages exist with a visible note, and every public page links them in its footer', async (t) => {
  const { app, routes } = await buildTestApp(t);
  await ensureTerms(app.services);
  const office = await createOffice(app.services, { slug: 'amt' });
  const release = await createRelease(app.services, office.id, { title: 'Eins', topics: ['verkehr'], regions: ['nordkreis'] });
  for (const [path, title] of [['/impressum', 'Impressum'], ['/datenschutz', 'Datenschutzerklärung']] as const) {
    const res = await app.inject(path);
    assert.equal(res.statusCode, 200);
    const $ = cheerio.load(res.body);
    assert.equal($('h1').text(), title);
    assert.match($('.legal-empty').text(), /noch leer/);
  }
  // Embeds are widgets inside another site's page, without the site's header and footer.
  const pages = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/admin') && !/[.*]|\/embed$|\/feed|\/preview|\/language|\/media|\/static|\/healthz|\/unsubscribe|\/subscribe\/|\/set-password|\/confirm/.test(r.url));
  let checked = 0;
  for (const route of pages) {
    const url = route.url.replace(':office', 'amt').replace(':ref', `${release.id}-${release.slug}`).replace(':topic', 'verkehr').replace(':region', 'nordkreis').replace(':year', '2026').replace(':month', '03');
    const res = await app.inject(url);
    if (!String(res.headers['content-type']).startsWith('text/html') || res.statusCode !== 200) continue;
    const $ = cheerio.load(res.body);
    assert.equal($('footer a[href="/impressum"]').text(), 'Impressum', url);
    assert.equal($('footer a[href="/datenschutz"]').text(), 'Datenschutz', url);
    checked++;
  }
  assert.ok(checked >= 12, `checked ${checked} pages`);
  const notFound = cheerio.load((await app.inject('/nirgends')).body);
  assert.equal(notFound('footer a[href="/impressum"]').length, 1);
});

test('a platform admin writes both pages (Markdown, sanitised); owners may not', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt' });
  await createUser(app.services, { email: 'root@example.org', isAdmin: true });
  await createUser(app.services, { email: 'owner@amt.example', officeId: office.id, role: 'owner' });
  assert.match((await app.inject('/impressum')).body, /noch leer/); // now cached
  const admin = new Browser(app);
  await admin.login('root@example.org');
  const { $ } = await admin.get('/admin/legal');
  assert.equal($('h1').text(), 'Impressum und Datenschutz');
  assert.equal($('textarea#imprintMarkdown').length, 1);
  assert.equal($('label[for="imprintMarkdown"]').text().trim(), 'Impressum');
  const res = await admin.submitForm('/admin/legal', 'form[action="/admin/legal/imprint"]', { markdown: '## Anbieter\n\nKreisamt Musterland, Marktplatz 1\n\n<script>alert(1)</script>' });
  assert.equal(res.statusCode, 303);
  assert.equal((await admin.follow(res)).$('.flash').text(), 'Gespeichert.');
  const page = await app.inject('/impressum');
  const $page = cheerio.load(page.body);
  assert.equal($page('main h2').text(), 'Anbieter');
  assert.match($page('main').text(), /Kreisamt Musterland, Marktplatz 1/);
  assert.equal($page('main script').length, 0);
  assert.equal($page('.legal-empty').length, 0);
  assert.match(cheerio.load((await app.inject('/datenschutz')).body)('.legal-empty').text(), /noch leer/, 'the other page is still empty');
  assert.match((await admin.get('/admin/audit')).$('tbody').text(), /Rechtliche Seite geändert[\s\S]*Impressum/);

  const owner = new Browser(app);
  await owner.login('owner@amt.example');
  assert.equal((await owner.get('/admin/legal')).res.statusCode, 403);
  const csrf = (await owner.get('/admin/offices/amt')).$('input[name="_csrf"]').first().attr('value')!;
  assert.equal((await owner.request('POST', '/admin/legal/privacy', { form: { _csrf: csrf, markdown: 'Gekapert' } })).statusCode, 403);
  assert.doesNotMatch((await app.inject('/datenschutz')).body, /Gekapert/);
});

test('with IMPRINT_URL and PRIVACY_URL the links lead there, and the pages send there', async (t) => {
  const { app } = await buildTestApp(t, { env: { IMPRINT_URL: 'https://landkreis.example/impressum', PRIVACY_URL: 'https://landkreis.example/datenschutz' } });
  const $ = cheerio.load((await app.inject('/')).body);
  assert.equal($('footer a[href="https://landkreis.example/impressum"]').text(), 'Impressum');
  assert.equal($('footer a[href="https://landkreis.example/datenschutz"]').text(), 'Datenschutz');
  assert.equal($('footer a[href="/impressum"]').length, 0);
  const res = await app.inject('/impressum');
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, 'https://landkreis.example/impressum');
});

test('every mail links both in its text and HTML part; the subscribe forms link the privacy notice beside the consent', async (t) => {
  const mailer = createMemoryMailer();
  const { app } = await buildTestApp(t, { mailer });
  const office = await createOffice(app.services, { slug: 'amt', name: 'Kreisamt' });
  await createUser(app.services, { email: 'owner@amt.example', officeId: office.id, role: 'owner' });

  const form = cheerio.load((await app.inject('/subscribe?office=amt')).body);
  assert.equal(form('form.subscribe-form .form-note a[href="/datenschutz"]').text(), 'Datenschutzerklärung');
  assert.equal(cheerio.load((await app.inject('/offices/amt')).body)('.subscribe-box form a[href="/datenschutz"]').length, 1);

  // Confirmation, instant notice, invitation, password reset.
  const { res } = await submitForm(app, '/subscribe?office=amt', 'form.subscribe-form', { email: 'leser@example.org', frequency: 'immediately' });
  assert.equal(res.statusCode, 303);
  await app.services.mail.sendDue();
  const owner = new Browser(app);
  await owner.login('owner@amt.example');
  await owner.submitForm('/admin/offices/amt/members', 'form[action="/admin/offices/amt/members/invite"]', { email: 'neu@amt.example' });
  await owner.submitForm('/forgot-password', 'form[action="/forgot-password"]', { email: 'owner@amt.example' });
  // Invitations and reset links are queued in the outbox like every other mail.
  await app.services.mail.sendDue();
  assert.equal(mailer.sent.length, 3);
  for (const mail of mailer.sent) {
    assert.match(mail.text, /Impressum: http:\/\/herold\.test\/impressum\nDatenschutz: http:\/\/herold\.test\/datenschutz/, mail.subject);
    const $ = cheerio.load(mail.html ?? '');
    assert.equal($('a[href="http://herold.test/impressum"]').text(), 'Impressum', mail.subject);
    assert.equal($('a[href="http://herold.test/datenschutz"]').text(), 'Datenschutz', mail.subject);
  }
  assert.match(mailer.sent[1]!.text, /owner@amt\.example lädt Sie ein, für Kreisamt/);
  assert.match(mailer.sent[1]!.text, /\/set-password\//);
  assert.match(mailer.sent[2]!.text, /neues Passwort angefordert/);
});
