// The workflow: private preview, publish now, schedule in Berlin time, unschedule, correct,
// withdraw, delete a draft. Every POST answers 303 with a flash message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { buildApp } from '../../src/app.ts';
import { findJob } from '../../src/jobs/schedule.ts';
import { createServices } from '../../src/services.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const browser = new Browser(ctx.app);
  await browser.login('anna@example.org');
  const draft = await createRelease(ctx.app.services, office.id, { title: 'Der Entwurf', bodyMarkdown: 'Noch geheim.' }, { status: 'draft' });
  const edit = `/admin/offices/stadt/releases/${draft.id}`;
  const publicUrl = `/releases/${draft.id}-${draft.slug}`;
  return { ...ctx, office, browser, draft, edit, publicUrl };
};

const anonymous = (app: Browser['app'], url: string) => app.inject({ method: 'GET', url });

test('the private preview link works without login, is marked, noindex and never cached', async (t) => {
  const { app, browser, edit, publicUrl } = await setup(t);
  const { $ } = await browser.get(edit);
  const link = $('#preview-link').attr('href')!;
  assert.match(link, /^\/preview\/[A-Za-z0-9_-]{20,}$/);
  const res = await anonymous(app, link);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(String(res.headers['x-robots-tag']), /noindex/);
  const page = cheerio.load(res.body);
  assert.equal(page('meta[name="robots"]').attr('content'), 'noindex, nofollow');
  assert.equal(page('.preview-banner').text(), 'Vorschau – nicht veröffentlicht');
  assert.equal(page('h1.release-title').text(), 'Der Entwurf');
  assert.equal(page('link[rel="canonical"]').length, 0);
  // Twice, to be sure no cache answers the second time with something else.
  assert.equal((await anonymous(app, link)).headers['cache-control'], 'no-store');
  // The public URL knows nothing of it, and a wrong token is a 404.
  assert.equal((await anonymous(app, publicUrl)).statusCode, 404);
  assert.equal((await anonymous(app, '/preview/AAAAAAAAAAAAAAAAAAAAAAAA')).statusCode, 404);
});

test('publish now makes it public at once', async (t) => {
  const { app, browser, edit, publicUrl, office } = await setup(t);
  const res = await browser.submitForm(edit, `form[action="${edit}/publish"]`);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, edit);
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Veröffentlicht.');
  assert.equal($('.release-status .status').text(), 'Veröffentlicht');
  assert.equal((await anonymous(app, publicUrl)).statusCode, 200);
  const home = cheerio.load((await anonymous(app, '/')).body);
  assert.deepEqual(home('.card-title').map((_, e) => home(e).text().trim()).get(), ['Der Entwurf']);
  assert.equal((await app.services.audit.list(office.id, 1)).items[0]!.action, 'release.published');
});

test('scheduling takes Berlin time, stores UTC across the DST change, and stays hidden until then', async (t) => {
  const { app, db, config, clock, browser, edit, publicUrl, draft } = await setup(t);
  // 29 March 2026: clocks go forward at 02:00; 03:30 is summer time (UTC+2).
  const res = await browser.submitForm(edit, `form[action="${edit}/schedule"]`, { publishAt: '2026-03-29T03:30' });
  assert.equal(res.statusCode, 303);
  const stored = (await app.services.releases.findById(draft.id))!;
  assert.equal(stored.status, 'scheduled');
  assert.equal(stored.publishedAt, '2026-03-29T01:30:00.000Z');
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Eingeplant.');
  assert.match($('.release-status').text(), /29\.03\.2026, 03:30 Uhr/);
  assert.equal($('#publishAt').attr('value'), '2026-03-29T03:30');

  // Invisible everywhere until its time.
  for (const url of [publicUrl, '/', '/sitemap.xml', `/releases/${draft.id}.txt`]) assert.ok(!(await anonymous(app, url)).body.includes('Der Entwurf'), url);

  // The server restarts; after the time, the publish job (run by the scheduler) makes it public.
  await app.close();
  clock.set('2026-03-29T01:30:05Z');
  const restarted = await buildApp({ config, db: db.db, clock });
  t.after(() => restarted.close());
  const ran = await findJob('publish-scheduled')!.run({ db: db.db, services: restarted.services });
  assert.equal(ran, `published ${draft.id}`);
  assert.equal((await restarted.services.releases.findById(draft.id))!.status, 'published');
  const page = await restarted.inject({ method: 'GET', url: publicUrl });
  assert.equal(page.statusCode, 200);
  assert.equal(cheerio.load(page.body)('h1').text().trim(), 'Der Entwurf');
  // Running it again changes nothing.
  assert.equal(await findJob('publish-scheduled')!.run({ db: db.db, services: createServices({ db: db.db, clock }) }), 'nothing due');
});

test('a time in the past or inside the DST gap is refused beside the field', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  // The field starts one hour ahead, on the full hour, in Berlin time (now: 11:00 CET).
  assert.equal((await browser.get(edit)).$('#publishAt').attr('value'), '2026-03-10T12:00');
  for (const [value, message] of [
    ['2026-03-01T10:00', 'Der Zeitpunkt muss in der Zukunft liegen.'],
    ['2026-03-29T02:30', /gibt es an diesem Tag nicht/],
    ['', /Bitte Datum und Uhrzeit/],
  ] as const) {
    const res = await browser.submitForm(edit, `form[action="${edit}/schedule"]`, { publishAt: value });
    assert.equal(res.statusCode, 422, value);
    const $ = cheerio.load(res.body);
    if (typeof message === 'string') assert.equal($('#publishAt-error').text(), message);
    else assert.match($('#publishAt-error').text(), message);
    assert.equal($('#publishAt').attr('value'), value);
  }
  assert.equal((await app.services.releases.findById(draft.id))!.status, 'draft');
});

test('unscheduling turns it back into a draft', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  await browser.submitForm(edit, `form[action="${edit}/schedule"]`, { publishAt: '2026-04-01T09:00' });
  const res = await browser.submitForm(edit, `form[action="${edit}/unschedule"]`);
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Planung aufgehoben; die Mitteilung ist wieder ein Entwurf.');
  const r = (await app.services.releases.findById(draft.id))!;
  assert.equal(r.status, 'draft');
  assert.equal(r.publishedAt, null);
});

test('a correction needs a note; then the public page shows the new text and the note', async (t) => {
  const { app, browser, edit, publicUrl, draft, office } = await setup(t);
  await app.services.releases.publish(draft.id);
  const missing = await browser.submitForm(`${edit}/correct`, '#release-form', { bodyMarkdown: 'Korrigierter Text.', note: '' }, { button: 'save' });
  assert.equal(missing.statusCode, 422);
  const m = cheerio.load(missing.body);
  assert.equal(m('#note-error').text(), 'Bitte ausfüllen.');
  assert.equal(m('#bodyMarkdown').text(), 'Korrigierter Text.');
  assert.equal((await app.services.releases.findById(draft.id))!.bodyMarkdown, 'Noch geheim.');

  const res = await browser.submitForm(`${edit}/correct`, '#release-form', { bodyMarkdown: 'Korrigierter Text.', note: 'Zahl im zweiten Absatz berichtigt.' }, { button: 'save' });
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Korrektur veröffentlicht.');
  const page = cheerio.load((await anonymous(app, publicUrl)).body);
  assert.match(page('.release-body').text(), /Korrigierter Text\./);
  assert.match(page('.corrections').text(), /Zahl im zweiten Absatz berichtigt\./);
  const log = await app.services.audit.list(office.id, 1);
  assert.equal(log.items[0]!.action, 'release.corrected');
  assert.equal(log.items[0]!.detail, 'Zahl im zweiten Absatz berichtigt.');
});

test('withdrawing needs a reason; then the public page shows the withdrawn notice', async (t) => {
  const { app, browser, edit, publicUrl, draft } = await setup(t);
  await app.services.releases.publish(draft.id);
  const missing = await browser.submitForm(edit, 'form.withdraw-form', { note: ' ' });
  assert.equal(missing.statusCode, 422);
  assert.equal(cheerio.load(missing.body)('#withdraw-note-error').text(), 'Bitte ausfüllen.');
  const res = await browser.submitForm(edit, 'form.withdraw-form', { note: 'Termin abgesagt.' });
  assert.equal(res.statusCode, 303);
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Zurückgezogen.');
  const page = cheerio.load((await anonymous(app, publicUrl)).body);
  assert.match(page('.withdrawn-notice').text(), /zurückgezogen/);
  assert.match(page('.withdrawn-notice').text(), /Termin abgesagt\./);
  const home = cheerio.load((await anonymous(app, '/')).body);
  assert.equal(home('.card-title').length, 0);
});

test('a draft can be deleted; a published release cannot', async (t) => {
  const { app, browser, edit, draft, office } = await setup(t);
  const res = await browser.submitForm(edit, `form[action="${edit}/delete"]`);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/offices/stadt');
  assert.equal((await browser.follow(res)).$('.flash').text(), 'Entwurf gelöscht.');
  assert.equal(await app.services.releases.findById(draft.id), undefined);
  const published = await createRelease(app.services, office.id, { title: 'Bleibt' });
  const { $ } = await browser.get(`/admin/offices/stadt/releases/${published.id}`);
  const refused = await browser.request('POST', `/admin/offices/stadt/releases/${published.id}/delete`, { form: { _csrf: $('input[name="_csrf"]').attr('value')! } });
  assert.equal(refused.statusCode, 303);
  assert.equal((await browser.follow(refused)).$('.flash-error').length, 1);
  assert.ok(await app.services.releases.findById(published.id));
  // The audit event is written in the change's transaction: the refused delete left none.
  const actions = (await app.services.audit.list(office.id, 1)).items.map((e) => [e.action, e.subject]);
  assert.deepEqual(actions, [['release.deleted', 'Der Entwurf']]);
});

test('editing a draft saves it and keeps it a draft', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const res = await browser.submitForm(edit, '#release-form', { title: 'Neuer Titel' }, { button: 'save' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, edit);
  const r = (await app.services.releases.findById(draft.id))!;
  assert.equal(r.title, 'Neuer Titel');
  assert.equal(r.status, 'draft');
});
