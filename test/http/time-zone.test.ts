// TIME_ZONE is honoured everywhere a time is shown or entered (lib/zoned-time.ts): the release page,
// its plain text, feeds, the admin's schedule form and dashboard, and the digest schedule. Here the
// installation runs on New York time; on 10 March 2026 that is UTC−4 (US daylight saving time began
// on 8 March), while Berlin is still UTC+1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const NEW_YORK = { TIME_ZONE: 'America/New_York' };

test('pages, plain text and feeds write times in TIME_ZONE', async (t) => {
  const { app, clock } = await buildTestApp(t, { env: NEW_YORK });
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  // Published at 10:00 UTC (06:00 in New York), corrected at 11:30 UTC (07:30).
  const release = await createRelease(services, office.id, { title: 'Zeitzone', releaseDate: '2026-03-10' });
  clock.advance(90 * 60_000);
  await services.releases.correct(release.id, releaseInput({ title: 'Zeitzone', releaseDate: '2026-03-10' }), 'Uhrzeit ergänzt.');

  const page = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  // Published on its release date: the date line has the time of day; the correction says when.
  assert.equal(page('.release-date time').text(), '10.03.2026, 06:00 Uhr');
  assert.equal(page('.release-date time').attr('datetime'), '2026-03-10T10:00:00.000Z');
  assert.equal(page('.release-published').length, 0);
  assert.equal(page('.release-updated time').text(), 'aktualisiert am 10.03.2026 um 07:30 Uhr');
  assert.equal(page('.release-updated time').attr('datetime'), '2026-03-10T11:30:00.000Z');
  assert.match(page('.corrections li').text(), /^Korrigiert am 10\.03\.2026, 07:30 Uhr: Uhrzeit ergänzt\.$/);

  const text = (await app.inject(`/releases/${release.id}.txt`)).body;
  assert.match(text, /^Meldungsdatum: 10\.03\.2026, 06:00 Uhr$/m);
  // Wrapped at 72 columns like every paragraph of the text.
  assert.match(text.replace(/\n(?=\S)/g, ' '), /Veröffentlicht: 10\.03\.2026, 06:00 Uhr, aktualisiert am 10\.03\.2026 um 07:30 Uhr\n/);
  assert.match(text, /^Korrektur vom 10\.03\.2026, 07:30 Uhr: Uhrzeit ergänzt\.$/m);
  // Berlin's wall time appears nowhere.
  assert.doesNotMatch(text, /11:00 Uhr|12:30 Uhr/);

  const feed = (await app.inject('/offices/amt/feed.json')).json();
  assert.equal(feed.items[0].date_published, '2026-03-10T10:00:00.000Z');
  assert.match(feed.items[0].content_html, /Korrigiert am 10\.03\.2026, 07:30 Uhr/);
  assert.match(feed.items[0].content_html, /Meldungsdatum: <time datetime="2026-03-10T10:00:00.000Z">10\.03\.2026, 06:00 Uhr<\/time> · <time datetime="2026-03-10T11:30:00.000Z">aktualisiert am 10\.03\.2026 um 07:30 Uhr<\/time>/);

  // Lists and search results show the time too.
  const list = cheerio.load((await app.inject('/offices/amt')).body);
  assert.equal(list('.release-card .meta time').first().text(), '10.03.2026, 06:00 Uhr');

  // In English the zone is named.
  const sw = await app.inject('/language/en?next=/');
  const cookie = String(sw.headers['set-cookie']).split(';')[0]!;
  const en = cheerio.load((await app.inject({ url: `/releases/${release.id}-${release.slug}`, headers: { cookie } })).body);
  assert.equal(en('.release-updated time').text(), 'updated on 10 Mar 2026 at 07:30 GMT-4');
});

test('a release that went public after its release date shows both days, with the time', async (t) => {
  const { app } = await buildTestApp(t, { env: NEW_YORK });
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  const release = await createRelease(app.services, office.id, { title: 'Nachgereicht', releaseDate: '2026-03-09' });
  const page = cheerio.load((await app.inject(`/releases/${release.id}-${release.slug}`)).body);
  assert.equal(page('.release-date time').text(), '09.03.2026');
  assert.equal(page('.release-published time').text(), 'Veröffentlicht: 10.03.2026, 06:00 Uhr');
  assert.equal(page('.release-updated').length, 0);
  const text = (await app.inject(`/releases/${release.id}.txt`)).body;
  assert.match(text, /^Meldungsdatum: 09\.03\.2026$/m);
  assert.match(text, /^Veröffentlicht: 10\.03\.2026, 06:00 Uhr$/m);
});

test('the admin schedules in TIME_ZONE and shows its wall time back', async (t) => {
  const { app } = await buildTestApp(t, { env: NEW_YORK });
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  await createUser(services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const browser = new Browser(app);
  await browser.login('anna@example.org');
  const draft = await createRelease(services, office.id, { title: 'Geplant' }, { status: 'draft' });
  const edit = `/admin/offices/amt/releases/${draft.id}`;
  // Today in New York is 10 March: a new release starts with that date.
  assert.equal((await browser.get('/admin/offices/amt/releases/new')).$('#releaseDate').attr('value'), '2026-03-10');

  const res = await browser.submitForm(edit, `form[action="${edit}/schedule"]`, { publishAt: '2026-03-10T09:00' });
  assert.equal(res.statusCode, 303);
  const stored = (await services.releases.findById(draft.id))!;
  assert.equal(stored.publishedAt, '2026-03-10T13:00:00.000Z');
  assert.equal((await browser.get(edit)).$('#publishAt').attr('value'), '2026-03-10T09:00');
  const dashboard = await browser.get('/admin/offices/amt');
  assert.match(dashboard.$('#scheduled .when').text(), /10\.03\.2026, 09:00 Uhr/);
});

test('digests fall due at DIGEST_TIME in TIME_ZONE', async (t) => {
  const { app, clock, db } = await buildTestApp(t, { env: { ...NEW_YORK, DIGEST_TIME: '07:00' } });
  const runs = async () => (await db.db.selectFrom('digest_runs').select('period_key').orderBy('period_key').execute()).map((r) => r.period_key);
  // 10:59 UTC is 06:59 in New York: today's daily digest is not due yet, yesterday's is.
  clock.set('2026-03-10T10:59:00Z');
  await app.services.mail.runDigests();
  assert.ok((await runs()).includes('daily:2026-03-09'));
  assert.ok(!(await runs()).includes('daily:2026-03-10'));
  // 11:00 UTC is 07:00 in New York (in Berlin it has been noon for an hour).
  clock.set('2026-03-10T11:00:30Z');
  await app.services.mail.runDigests();
  assert.ok((await runs()).includes('daily:2026-03-10'));
});
