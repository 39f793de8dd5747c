// Corrections reach readers, through a real SMTP server: a subscriber who was sent the instant
// notice of a release gets one correction notice per correction and one withdrawal notice (what
// changed, the note, the link); nobody else does, and never twice. Digests mark corrected
// releases; feeds carry every correction note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { fetchFeed, FORMATS } from '../helpers/feeds.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { insertSubscribers } from '../faults/fixture.ts';
import { queueChangeNotices } from '../../src/modules/mail/outbox.repository.ts';
import type { Release } from '../../src/modules/releases/release.ts';

const inputOf = (r: Release, overrides: Partial<ReturnType<typeof releaseInput>> = {}) =>
  releaseInput({ title: r.title, subtitle: r.subtitle, releaseDate: r.releaseDate, dateline: r.dateline, bodyMarkdown: r.bodyMarkdown, contact: r.contact, republicationNotice: r.republicationNotice, ...overrides });

test('a correction and a withdrawal reach exactly the subscribers who were sent the instant notice, once each', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  // abo1 and abo2 follow the office at once; abo2's mail server refuses the instant notice.
  await insertSubscribers(db.db, { count: 2, frequency: 'immediately', officeSlug: 'landkreis' });
  sink.refuse((to) => (to.includes('abo2@leser.example') ? 550 : null));

  const release = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  sink.refuse(null);
  assert.deepEqual(sink.received.map((m) => m.to), [['abo1@leser.example']], 'the instant notice reached abo1 only');
  // abo3 subscribes after the notice went out: it was never sent the release.
  await sql`INSERT INTO subscriptions (email, frequency, lang, status, token_key, confirmed_at, consent_json, created_at, updated_at) VALUES ('abo3@leser.example', 'immediately', 'de', 'active', 'k3', ${clock.now().toISOString()}, '[]', ${clock.now().toISOString()}, ${clock.now().toISOString()})`.execute(db.db);
  await sql`INSERT INTO subscription_targets (subscription_id, kind, value) SELECT id, 'office', 'landkreis' FROM subscriptions WHERE email = 'abo3@leser.example'`.execute(db.db);

  clock.advance(60 * 60_000);
  await services.releases.correct(release.id, inputOf(release, { title: 'Neue Radwege im Nordkreis und Südkreis' }), 'Der Südkreis fehlte im Titel.');
  await services.mail.sendDue();
  const first = sink.received.slice(1);
  assert.deepEqual(first.map((m) => m.to), [['abo1@leser.example']], 'one correction notice, to abo1 only');
  const notice = first[0]!;
  assert.equal(notice.parsed.subject, 'Korrigiert: Neue Radwege im Nordkreis und Südkreis (Landkreis Musterland)');
  const text = notice.parsed.text ?? '';
  assert.match(text, /Die Pressemitteilung „Neue Radwege im Nordkreis und Südkreis“ von Landkreis Musterland vom 09\.03\.2026, die wir Ihnen geschickt haben, wurde am 10\.03\.2026, 12:00 Uhr korrigiert\./);
  assert.match(text, /Geändert: Titel\./);
  assert.match(text, /Hinweis zur Korrektur: Der Südkreis fehlte im Titel\./);
  assert.ok(text.includes(`http://herold.test/releases/${release.id}-`), 'the link to the release');
  assert.match(notice.parsed.html || '', /Korrigierte Fassung lesen/);
  assert.match(notice.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m, 'a list mail: it can be unsubscribed from');

  // Queued again (a retried transaction, a second process): nothing new.
  assert.equal(await queueChangeNotices(db.db, release.id, 'corrected', clock.now().toISOString()), 0);
  await services.mail.sendDue();
  assert.equal(sink.received.length, 2);

  // A second correction is news again; it names what it changed.
  clock.advance(60 * 60_000);
  const corrected = (await services.releases.findById(release.id))!;
  await services.releases.correct(release.id, inputOf(corrected, { bodyMarkdown: 'Der Kreis baut 14 Kilometer neue Radwege.', dateline: 'Kassel' }), 'Die Länge fehlte.');
  await services.mail.sendDue();
  const second = sink.received.slice(2);
  assert.deepEqual(second.map((m) => m.to), [['abo1@leser.example']]);
  assert.match(second[0]!.parsed.text ?? '', /Geändert: Ortsmarke, Text\./);
  assert.match(second[0]!.parsed.text ?? '', /Hinweis zur Korrektur: Die Länge fehlte\./);

  // Withdrawn, with a reason.
  clock.advance(60 * 60_000);
  await services.releases.withdraw(release.id, 'Die Förderung wurde nicht bewilligt.');
  await services.mail.sendDue();
  const third = sink.received.slice(3);
  assert.deepEqual(third.map((m) => m.to), [['abo1@leser.example']]);
  assert.equal(third[0]!.parsed.subject, 'Zurückgezogen: Neue Radwege im Nordkreis und Südkreis (Landkreis Musterland)');
  assert.match(third[0]!.parsed.text ?? '', /wurde am 10\.03\.2026, 14:00 Uhr zurückgezogen\./);
  assert.match(third[0]!.parsed.text ?? '', /Begründung: Die Förderung wurde nicht bewilligt\./);
  assert.equal(await queueChangeNotices(db.db, release.id, 'withdrawn', clock.now().toISOString()), 0, 'a withdrawal is told once');
  await services.mail.sendDue();
  assert.equal(sink.received.length, 4);

  // The mail log names them.
  const log = await services.mail.log();
  assert.deepEqual(log.rows.filter((r) => r.kind === 'correction' || r.kind === 'withdrawal').map((r) => [r.kind, r.email, r.status]), [
    ['withdrawal', 'abo1@leser.example', 'sent'],
    ['correction', 'abo1@leser.example', 'sent'],
    ['correction', 'abo1@leser.example', 'sent'],
  ]);
});

test('a correction before the instant notice went out sends no correction notice: the notice carries the corrected text', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  await insertSubscribers(db.db, { count: 1, frequency: 'immediately', officeSlug: 'landkreis' });
  const release = await createRelease(services, office.id, { title: 'Sperrung der Kreisstraße' });
  await services.mail.fanOut();
  clock.advance(5 * 60_000);
  await services.releases.correct(release.id, inputOf(release), 'Das Datum war falsch.');
  await services.mail.sendDue();
  assert.deepEqual(sink.received.map((m) => m.parsed.subject), ['Landkreis Musterland: Sperrung der Kreisstraße']);
  assert.match(sink.received[0]!.parsed.text ?? '', /Das Datum war falsch\./);
});

test('a withdrawal without a reason says so; a pending correction notice of a withdrawn release is not sent', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  await insertSubscribers(db.db, { count: 1, frequency: 'immediately', officeSlug: 'landkreis' });
  await sql`UPDATE subscriptions SET lang = 'en'`.execute(db.db);
  const release = await createRelease(services, office.id, { title: 'Kreistag tagt' });
  await services.mail.fanOut();
  await services.mail.sendDue();
  clock.advance(60_000);
  await services.releases.correct(release.id, inputOf(release, { title: 'Kreistag tagt öffentlich' }), 'Öffentlich.');
  clock.advance(60_000);
  await services.releases.withdraw(release.id, '');
  await services.mail.sendDue();
  assert.deepEqual(sink.received.map((m) => m.parsed.subject), ['Landkreis Musterland: Kreistag tagt', 'Withdrawn: Kreistag tagt öffentlich (Landkreis Musterland)']);
  assert.match(sink.received[1]!.parsed.text ?? '', /No reason was given\./);
  const statuses = (await services.mail.log()).rows.filter((r) => r.kind === 'correction').map((r) => [r.status, r.last_error]);
  assert.deepEqual(statuses, [['cancelled', 'release withdrawn']]);
});

test('a digest marks a release corrected before it went out; feeds carry every correction note', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer, now: '2026-03-09T12:00:00.000Z' });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  await insertSubscribers(db.db, { count: 1, frequency: 'daily', officeSlug: 'landkreis' });
  const release = await createRelease(services, office.id, { title: 'Neue Buslinie' });
  const plain = await createRelease(services, office.id, { title: 'Neuer Kreisbrandmeister' });
  clock.advance(60 * 60_000);
  await services.releases.correct(release.id, inputOf(release), 'Die Abfahrtszeit war falsch.');
  clock.advance(60 * 60_000);
  await services.releases.correct(release.id, inputOf(release, { bodyMarkdown: 'Die Linie 12 fährt ab Mai.' }), 'Der Starttermin fehlte.');
  clock.set('2026-03-10T10:00:00.000Z');
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(sink.received.length, 1);
  const digest = sink.received[0]!;
  const text = digest.parsed.text ?? '';
  assert.match(text, /Neue Buslinie\n09\.03\.2026, 13:00 Uhr · Musterhausen · Korrigiert am 09\.03\.2026, 15:00 Uhr\n/);
  assert.match(text, /Neuer Kreisbrandmeister\n09\.03\.2026, 13:00 Uhr · Musterhausen\n/, 'an uncorrected release is not marked');
  assert.match(digest.parsed.html || '', /<strong class="digest-corrected">Korrigiert am 09\.03\.2026, 15:00 Uhr<\/strong>/);
  assert.ok(plain);

  for (const format of FORMATS) {
    const feed = await fetchFeed(app, '/', format);
    const item = feed.items.find((i) => i.title === 'Neue Buslinie');
    assert.ok(item, `${format}: the corrected release is in the feed`);
    const all = JSON.stringify(item);
    assert.ok(all.includes('Die Abfahrtszeit war falsch.') && all.includes('Der Starttermin fehlte.'), `${format}: both correction notes`);
  }
});

test('the next digest tells its readers of releases of earlier digests corrected or withdrawn since', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, db, clock } = await buildTestApp(t, { mailer: sink.mailer, now: '2026-03-09T12:00:00.000Z' });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis', name: 'Landkreis Musterland' });
  const other = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await insertSubscribers(db.db, { count: 1, frequency: 'daily', officeSlug: 'landkreis' });
  const bus = await createRelease(services, office.id, { title: 'Neue Buslinie' });
  const fest = await createRelease(services, office.id, { title: 'Stadtfest am Samstag' });
  const elsewhere = await createRelease(services, other.id, { title: 'Neues Freibad' });
  clock.set('2026-03-10T10:00:00.000Z');
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(sink.received.length, 1, 'the first digest');

  // During the next day: one corrected, one withdrawn, one of an office not followed corrected.
  clock.set('2026-03-10T12:00:00.000Z');
  await services.releases.correct(bus.id, inputOf(bus), 'Die Linie fährt erst ab Mai.');
  await services.releases.withdraw(fest.id, 'Das Fest fällt aus.');
  await services.releases.correct(elsewhere.id, inputOf(elsewhere), 'Nicht gefolgt.');
  clock.set('2026-03-11T10:00:00.000Z');
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(sink.received.length, 2, 'a digest with nothing new but the corrections');
  const digest = sink.received[1]!;
  assert.match(digest.parsed.subject ?? '', /Korrekturen \(11\.03\.2026\)/);
  const text = digest.parsed.text ?? '';
  assert.match(text, /== Korrigiert oder zurückgezogen seit der letzten Zusammenfassung ==/);
  assert.match(text, /Neue Buslinie \(Landkreis Musterland\)\nKorrigiert am 10\.03\.2026, 13:00 Uhr: Die Linie fährt erst ab Mai\.\n/);
  assert.match(text, /Stadtfest am Samstag \(Landkreis Musterland\)\nZurückgezogen am 10\.03\.2026, 13:00 Uhr: Das Fest fällt aus\.\n/);
  assert.ok(!text.includes('Neues Freibad'), 'a release of an office not followed is not named');
  assert.match(digest.parsed.html || '', /class="digest-change"/);
});
