// The dashboard and the release editor: every field, validation that keeps what was typed, the
// server-rendered preview, and a session that expires while someone writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  await ensureTerms(ctx.app.services);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt Musterhausen', notice: 'Abdruck frei, Beleg erbeten.' });
  await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const browser = new Browser(ctx.app);
  await browser.login('anna@example.org');
  return { ...ctx, office, browser };
};

const NEW = '/admin/offices/stadt/releases/new';

test('the dashboard lists the office’s drafts, scheduled and published releases, and only its own', async (t) => {
  const { app, office, browser } = await setup(t);
  const other = await createOffice(app.services, { slug: 'andere', name: 'Andere Stelle' });
  await createRelease(app.services, office.id, { title: 'Mein Entwurf' }, { status: 'draft' });
  await createRelease(app.services, office.id, { title: 'Mein Termin' }, { status: 'scheduled', publishAt: '2026-03-12T08:00:00Z' });
  await createRelease(app.services, office.id, { title: 'Meine Meldung' });
  await createRelease(app.services, other.id, { title: 'Fremde Meldung' }, { status: 'draft' });
  const { res, $ } = await browser.get('/admin/offices/stadt');
  assert.equal(res.statusCode, 200);
  const titles = (group: string) => $(`#${group} .release-edit`).map((_, a) => $(a).text()).get();
  assert.deepEqual(titles('drafts'), ['Mein Entwurf']);
  assert.deepEqual(titles('scheduled'), ['Mein Termin']);
  assert.match($('#scheduled .when').text(), /12\.03\.2026, 09:00 Uhr/);
  assert.deepEqual(titles('published'), ['Meine Meldung']);
  assert.ok(!res.body.includes('Fremde Meldung'));
  assert.equal($('h1').length, 1);
  // One office: no switcher.
  assert.equal($('form.office-switch').length, 0);
});

test('someone in two offices gets an office switcher that works without JavaScript', async (t) => {
  const { app, browser } = await setup(t);
  const second = await createOffice(app.services, { slug: 'zweite', name: 'Zweite Stelle' });
  const user = await app.services.auth.findUserByEmail('anna@example.org');
  await app.services.auth.addUser({ email: user!.email, officeId: second.id, role: 'owner' });
  const { $ } = await browser.get('/admin/offices/stadt');
  assert.equal($('form.office-switch[method="get"] select[name="office"] option').length, 2);
  assert.equal($('label[for="office-switch"]').length, 1);
  const res = await browser.request('GET', '/admin/switch?office=zweite');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/offices/zweite');
  const home = await browser.get('/admin');
  assert.equal(home.res.statusCode, 200);
  assert.equal(home.$('.office-list a').length, 2);
});

test('a new release starts with the office’s notice, contact and today’s date, and saves every field', async (t) => {
  const { app, office, browser } = await setup(t);
  const { $ } = await browser.get(NEW);
  assert.equal($('#republicationNotice').text(), 'Abdruck frei, Beleg erbeten.');
  assert.equal($('#releaseDate').attr('value'), '2026-03-10');
  const contact = (await app.services.offices.contacts(office.id))[0]!;
  assert.equal($(`input[name="contactChoice"][value="${contact.id}"]`).attr('checked'), 'checked');
  // Every field has a label.
  $('#release-form input:not([type=hidden]), #release-form textarea, #release-form select').each((_, el) => {
    const id = $(el).attr('id');
    const labelled = (id && $(`label[for="${id}"]`).length > 0) || $(el).parent('label').length > 0;
    assert.ok(labelled, `field ${$(el).attr('name')} has a label`);
  });

  const res = await browser.submitForm(NEW, '#release-form', {
    title: 'Neue Radwege im Nordkreis',
    subtitle: 'Zwölf Kilometer bis 2027',
    releaseDate: '2026-03-11',
    dateline: 'Musterhausen',
    bodyMarkdown: 'Der Kreis baut **neue Radwege**.',
    topics: ['verkehr', 'umwelt'],
    regions: ['nordkreis'],
    republicationNotice: 'Nur für diese Mitteilung.',
    language: 'de',
  }, { button: 'save' });
  assert.equal(res.statusCode, 303);
  const id = Number(/\/releases\/(\d+)$/.exec(String(res.headers.location))![1]);
  const saved = (await app.services.releases.findById(id))!;
  assert.equal(saved.status, 'draft');
  assert.equal(saved.title, 'Neue Radwege im Nordkreis');
  assert.equal(saved.subtitle, 'Zwölf Kilometer bis 2027');
  assert.equal(saved.releaseDate, '2026-03-11');
  assert.equal(saved.dateline, 'Musterhausen');
  assert.deepEqual(saved.topics.map((x) => x.slug).sort(), ['umwelt', 'verkehr']);
  assert.deepEqual(saved.regions.map((x) => x.slug), ['nordkreis']);
  assert.equal(saved.contact?.name, contact.name);
  assert.equal(saved.republicationNotice, 'Nur für diese Mitteilung.');
  const { $: page } = await browser.follow(res);
  assert.equal(page('.flash').text(), 'Gespeichert.');
  assert.equal(page('#title').attr('value'), 'Neue Radwege im Nordkreis');
  assert.equal(page('input[name="topics"][value="verkehr"]').attr('checked'), 'checked');
  assert.equal(page('input[name="regions"][value="suedkreis"]').attr('checked'), undefined);
  // The audit log knows who created it.
  const log = await app.services.audit.list(office.id, 1);
  assert.equal(log.items[0]!.action, 'release.created');
  assert.equal(log.items[0]!.userEmail, 'anna@example.org');
});

test('a contact written by hand is saved with the release', async (t) => {
  const { app, browser } = await setup(t);
  const res = await browser.submitForm(NEW, '#release-form', {
    title: 'Mit eigenem Kontakt',
    bodyMarkdown: 'Text.',
    contactChoice: 'custom',
    contact_name: 'Max Muster',
    contact_phone: '0123 456',
    contact_email: 'max@example.org',
  });
  assert.equal(res.statusCode, 303);
  const id = Number(/\/releases\/(\d+)$/.exec(String(res.headers.location))![1]);
  const saved = (await app.services.releases.findById(id))!;
  assert.equal(saved.contact?.name, 'Max Muster');
  assert.equal(saved.contact?.phone, '0123 456');
  const { $ } = await browser.get(`/admin/offices/stadt/releases/${id}`);
  assert.equal($('input[name="contactChoice"][value="custom"]').attr('checked'), 'checked');
  assert.equal($('#contact_name').attr('value'), 'Max Muster');
});

test('a failed save shows the errors beside the fields, linked from a summary, with everything kept', async (t) => {
  const { app, office, browser } = await setup(t);
  const res = await browser.submitForm(NEW, '#release-form', {
    title: '',
    subtitle: 'Ein Untertitel, der bleibt',
    bodyMarkdown: '',
    releaseDate: '2026-02-30',
    topics: ['verkehr'],
    contactChoice: 'custom',
    contact_phone: '0123',
  });
  assert.equal(res.statusCode, 422);
  const $ = cheerio.load(res.body);
  assert.deepEqual($('.error-summary a').map((_, a) => $(a).attr('href')).get().sort(), ['#bodyMarkdown', '#contact', '#releaseDate', '#title']);
  assert.equal($('#title-error').text(), 'Bitte ausfüllen.');
  assert.equal($('#title').attr('aria-invalid'), 'true');
  assert.match($('#title').attr('aria-describedby') ?? '', /title-error/);
  assert.equal($('#releaseDate-error').text(), 'Bitte ein gültiges Datum angeben.');
  assert.equal($('#subtitle').attr('value'), 'Ein Untertitel, der bleibt');
  assert.equal($('#releaseDate').attr('value'), '2026-02-30');
  assert.equal($('input[name="topics"][value="verkehr"]').attr('checked'), 'checked');
  assert.equal($('#contact_phone').attr('value'), '0123');
  assert.match($('title').text(), /^Fehler:/);
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 0);
});

test('“Vorschau” renders the Markdown on the server, keeps the form and saves nothing', async (t) => {
  const { app, office, browser } = await setup(t);
  const res = await browser.submitForm(NEW, '#release-form', { title: 'Vorschau-Titel', dateline: 'Kassel', bodyMarkdown: 'Erster Absatz mit **Fett**.\n\n## Zwischentitel\n\n<script>alert(1)</script>' }, { button: 'preview' });
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  assert.equal($('#preview h1').text(), 'Vorschau-Titel');
  assert.equal($('#preview .release-body strong').text(), 'Fett');
  assert.equal($('#preview .release-body h2').text(), 'Zwischentitel');
  assert.equal($('#preview .release-body .dateline').text(), 'Kassel.');
  assert.equal($('#preview script').length, 0);
  assert.equal($('#bodyMarkdown').text(), 'Erster Absatz mit **Fett**.\n\n## Zwischentitel\n\n<script>alert(1)</script>');
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 0);
  // The page loads only our own script; no inline script anywhere (CSP script-src 'self').
  assert.equal($('script:not([src])').length, 0);
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
});

test('a session that expired while writing keeps the form; after login it comes back to be saved', async (t) => {
  const { app, office, browser, clock } = await setup(t);
  const { $ } = await browser.get(NEW);
  const csrf = $('input[name="_csrf"]').attr('value')!;
  clock.advance(3 * 60 * 60 * 1000);
  const res = await browser.request('POST', '/admin/offices/stadt/releases', {
    form: { _csrf: csrf, title: 'Lange geschrieben', bodyMarkdown: 'Ein sehr langer Text, der nicht verloren gehen darf.', releaseDate: '2026-03-10', topics: ['umwelt'], contactChoice: 'none', action: 'save' },
  });
  assert.equal(res.statusCode, 303);
  const location = String(res.headers.location);
  assert.match(location, /^\/login\?resume=[A-Za-z0-9_-]+$/);
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 0);

  const { $: login } = await browser.follow(res);
  assert.match(login('.flash').text(), /nicht verloren/);
  assert.equal(login('input[name="resume"]').length, 1);
  const back = await browser.submitForm(location, 'form[action="/login"]', { email: 'anna@example.org', password: 'richtig-langes-passwort' });
  assert.equal(back.statusCode, 303);
  assert.match(String(back.headers.location), /^\/admin\/resume\//);
  const { res: form, $: page } = await browser.follow(back);
  assert.equal(form.statusCode, 200);
  assert.equal(page('#resumed-notice').length, 1);
  assert.equal(page('#title').attr('value'), 'Lange geschrieben');
  assert.equal(page('#bodyMarkdown').text(), 'Ein sehr langer Text, der nicht verloren gehen darf.');
  assert.equal(page('input[name="topics"][value="umwelt"]').attr('checked'), 'checked');
  assert.equal(page('#release-form').attr('action'), '/admin/offices/stadt/releases');
  // Saving now works, and the kept form is gone.
  const saved = await browser.submitLoaded(page, '#release-form', {}, { button: 'save' });
  assert.equal(saved.statusCode, 303);
  const list = await app.services.releases.listForOffice(office.id);
  assert.equal(list.length, 1);
  const release = (await app.services.releases.findById(list[0]!.id))!;
  assert.equal(release.bodyMarkdown, 'Ein sehr langer Text, der nicht verloren gehen darf.');
  assert.deepEqual(release.topics.map((x) => x.slug), ['umwelt']);
  assert.equal((await browser.get(String(back.headers.location))).res.statusCode, 303);
});

test('a form posted after the session expired is kept only with a valid CSRF token', async (t) => {
  const { db, browser, clock } = await setup(t);
  await browser.get(NEW);
  clock.advance(3 * 60 * 60 * 1000);
  const res = await browser.request('POST', '/admin/offices/stadt/releases', { form: { _csrf: 'forged', title: 'Untergeschoben', bodyMarkdown: 'x' } });
  assert.equal(res.statusCode, 403);
  assert.equal((await db.db.selectFrom('form_stashes').selectAll().execute()).length, 0);
});

test('a kept form is only given back to the user whose session expired', async (t) => {
  const { app, office, browser, clock } = await setup(t);
  await createUser(app.services, { email: 'bob@example.org', officeId: office.id, role: 'editor' });
  const { $ } = await browser.get(NEW);
  clock.advance(3 * 60 * 60 * 1000);
  const res = await browser.request('POST', '/admin/offices/stadt/releases', { form: { _csrf: $('input[name="_csrf"]').attr('value')!, title: 'Annas Text', bodyMarkdown: 'Privat' } });
  const location = String(res.headers.location);
  assert.match(location, /^\/login\?resume=/);
  const bob = new Browser(app);
  for (const [k, v] of browser.cookies) if (k === 'herold_csrf') bob.cookies.set(k, v);
  const back = await bob.submitForm(location, 'form[action="/login"]', { email: 'bob@example.org', password: 'richtig-langes-passwort' });
  // Bob is logged in and sent on to the kept form's link, which refuses him.
  assert.equal(back.statusCode, 303);
  assert.match(String(back.headers.location), /^\/admin\/resume\//);
  const { res: page, $: bobs } = await bob.follow(back);
  assert.equal(page.statusCode, 200);
  assert.equal(bobs('.flash').text(), 'Die gespeicherten Eingaben sind nicht mehr verfügbar.');
  assert.equal(bobs('#resumed-notice').length, 0);
  assert.ok(!page.body.includes('Annas Text'));
  // The writer herself still gets it back: it was refused to Bob, not spent on him.
  const anna = await browser.submitForm(location, 'form[action="/login"]', { email: 'anna@example.org', password: 'richtig-langes-passwort' });
  const { $: mine } = await browser.follow(anna);
  assert.equal(mine('#resumed-notice').length, 1);
  assert.equal(mine('#title').attr('value'), 'Annas Text');
});

test('a published release is not edited in place: the page offers a correction', async (t) => {
  const { app, office, browser } = await setup(t);
  const release = await createRelease(app.services, office.id, { title: 'Schon draußen' });
  const { $ } = await browser.get(`/admin/offices/stadt/releases/${release.id}`);
  assert.equal($('#release-form').length, 0);
  assert.equal($(`a[href="/admin/offices/stadt/releases/${release.id}/correct"]`).length, 1);
  const res = await browser.request('POST', `/admin/offices/stadt/releases/${release.id}`, { form: { _csrf: $('input[name="_csrf"]').attr('value')!, title: 'Heimlich geändert', bodyMarkdown: 'x', releaseDate: '2026-03-10' } });
  assert.equal(res.statusCode, 303);
  assert.equal((await app.services.releases.findById(release.id))!.title, 'Schon draußen');
});

test('the live preview endpoint renders and sanitises the Markdown; without a session it answers 401 and keeps nothing', async (t) => {
  const { db, browser, clock } = await setup(t);
  const { $ } = await browser.get(NEW);
  assert.equal($('#live-preview[data-url="/admin/offices/stadt/releases/preview"][hidden]').length, 1);
  const csrf = $('input[name="_csrf"]').attr('value')!;
  const res = await browser.request('POST', '/admin/offices/stadt/releases/preview', { form: { _csrf: csrf, bodyMarkdown: 'Ein **Test** <img src=x onerror=alert(1)>', dateline: 'Kassel' }, headers: { 'x-requested-with': 'fetch' } });
  assert.equal(res.statusCode, 200);
  const html = cheerio.load(res.body);
  assert.equal(html('strong').text(), 'Test');
  assert.equal(html('.dateline').text(), 'Kassel.');
  assert.equal(html('img').length, 0);
  assert.equal(res.headers['cache-control'], 'no-store');
  clock.advance(3 * 60 * 60 * 1000);
  const expired = await browser.request('POST', '/admin/offices/stadt/releases/preview', { form: { _csrf: csrf, bodyMarkdown: 'x' }, headers: { 'x-requested-with': 'fetch' } });
  assert.equal(expired.statusCode, 401);
  assert.equal((await db.db.selectFrom('form_stashes').selectAll().execute()).length, 0);
});
