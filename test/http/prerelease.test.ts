// Embargoed pre-releases, as an office and its journalists use them, through a real SMTP server:
// the office sends a scheduled release to accredited journalists (all, or some); each gets a mail
// with the embargo, their name and a personal link; the link shows the release with the banner
// and "Exemplar für …", and its text, press kit (photos stamped with the embargo) and attachment,
// which the office sees per recipient. Guessed or another's tokens open nothing of it; another
// office sees nothing of it; moving the time mails the new time once; removing a recipient,
// taking the release back or withdrawing it ends the links and says so; after the time the link
// leads to the public page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as cheerio from 'cheerio';
import yauzl from 'yauzl';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { linkIn, startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { pdfDocument } from '../helpers/documents.ts';
import { createJournalist, jpegImage } from '../helpers/journalists.ts';
import type { Services } from '../../src/services.ts';

const run = promisify(execFile);

/** Every tag exiftool reads in `file`, by group:name. */
const exiftool = async (file: string): Promise<Record<string, unknown>> => {
  const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-a', '-charset', 'iptc=UTF8', file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
};

const unzip = (zip: Buffer): Promise<Map<string, Buffer>> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, zipfile) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zipfile.on('entry', (entry: yauzl.Entry) => {
        zipfile.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zipfile.readEntry();
          });
        });
      });
      zipfile.on('end', () => resolve(entries)).on('error', reject);
      zipfile.readEntry();
    });
  });

const TITLE = 'Weihnachtsmarkt bekommt eine Eisbahn';
/** 24.12.2026, 10:00 in Berlin. */
const EMBARGO = '2026-12-24T09:00:00.000Z';

/** Office `amt` with editor anna, a neighbour office `nachbar` with owner eve, journalists, and a scheduled release with a photo and an attachment. */
const setup = async (t: import('node:test').TestContext, sink: SmtpSink) => {
  const ctx = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = ctx.app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const other = await createOffice(services, { slug: 'nachbar', name: 'Nachbaramt' });
  await createUser(services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  await createUser(services, { email: 'eve@nachbar.example', officeId: other.id, role: 'owner' });
  const db = ctx.db.db;
  const jana = await createJournalist(db, { name: 'Jana Reporter', medium: 'Kasseler Tagblatt', email: 'jana@tagblatt.example', officeId: office.id });
  const paul = await createJournalist(db, { name: 'Paul Platt', medium: 'Radio Nord', email: 'paul@radio.example', officeId: null });
  const nachbarOnly = await createJournalist(db, { name: 'Nina Nachbar', email: 'nina@nachbar.example', officeId: other.id });
  const asked = await createJournalist(db, { name: 'Rita Requested', email: 'rita@example.org', officeId: office.id, status: 'requested' });
  const refused = await createJournalist(db, { name: 'Ronja Refused', email: 'ronja@example.org', officeId: office.id, status: 'refused' });
  const noMail = await createJournalist(db, { name: 'Otto Optout', email: 'otto@example.org', officeId: office.id, prereleaseMail: 0 });
  const draft = await services.releases.create(office.id, releaseInput({ title: TITLE, subtitle: 'Eröffnung am Heiligabend', releaseDate: '2026-12-24' }), { status: 'draft' });
  const photo = await services.photos.storeUpload(draft.id, await jpegImage(1200, 800), 'eisbahn.jpg');
  await services.releaseFiles.addPhoto(draft.id, { ...photo, alt: 'Die Eisbahn', caption: 'Die Eisbahn im Aufbau.', credit: 'Foto: Kreisamt' });
  const stored = await services.attachments.storeAttachment(draft.id, pdfDocument(), 'Lageplan');
  await services.releaseFiles.addAttachment(draft.id, { ...stored, title: 'Lageplan Eisbahn' });
  const release = await services.releases.schedule(draft.id, EMBARGO);
  const anna = new Browser(ctx.app);
  await anna.login('anna@amt.example');
  return { ...ctx, services, office, other, release, anna, jana, paul, others: [nachbarOnly, asked, refused, noMail] };
};

const page = (id: number) => `/admin/offices/amt/releases/${id}/prerelease`;

const mailsTo = (sink: SmtpSink, address: string) => sink.received.filter((m) => m.to.includes(address));

const sendAndDeliver = async (services: Services) => {
  await services.mail.sendDue();
};

test('an office sends a scheduled release under embargo; the journalist gets a personal copy naming them, with its downloads tracked', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, services, release, anna, jana, paul, clock, db } = await setup(t, sink);

  // The editor offers it on a scheduled release.
  const { $: editor } = await anna.get(`/admin/offices/amt/releases/${release.id}`);
  assert.equal(editor('#prerelease-link').attr('href'), page(release.id));

  // Only the office's accredited journalists (and the platform-wide one) who want mail are offered.
  const { res: form, $ } = await anna.get(page(release.id));
  assert.equal(form.statusCode, 200);
  assert.equal($('#embargo-time').text().trim(), 'SPERRFRIST bis 24.12.2026, 10:00 Uhr');
  const offered = $('#prerelease-form input[name="journalist"]').map((_, el) => $(el).parent().text().trim()).get();
  assert.deepEqual(offered, ['Jana Reporter (Kasseler Tagblatt) <jana@tagblatt.example>', 'Paul Platt (Radio Nord) <paul@radio.example>']);

  // Without the confirmation nothing is sent, and the choice is kept.
  const unconfirmed = await anna.submitLoaded($, '#prerelease-form', { who: 'chosen', journalist: [String(jana.id)] });
  assert.equal(unconfirmed.statusCode, 422);
  const $unconfirmed = cheerio.load(unconfirmed.body);
  assert.equal($unconfirmed('#confirm-error').text(), 'Bitte bestätigen Sie das Senden.');
  assert.equal($unconfirmed(`input[name="journalist"][value="${jana.id}"]`).attr('checked'), 'checked');
  assert.equal($unconfirmed('input[name="who"][value="chosen"]').attr('checked'), 'checked');
  // A journalist who is not accredited with the office cannot be slipped in.
  const slipped = await anna.submitLoaded($, '#prerelease-form', { who: 'chosen', journalist: [String(jana.id), '999'], confirm: 'yes' });
  assert.equal(slipped.statusCode, 422);
  await services.mail.sendDue();
  assert.equal(sink.received.length, 0, 'nothing sent yet');

  // Sent to Jana only.
  const sent = await anna.submitLoaded($, '#prerelease-form', { who: 'chosen', journalist: [String(jana.id)], confirm: 'yes' });
  assert.equal(sent.statusCode, 303);
  assert.equal((await anna.follow(sent)).$('.flash').text().trim(), 'Vorab unter Sperrfrist gesendet.');
  await sendAndDeliver(services);
  await sendAndDeliver(services);
  assert.deepEqual(sink.received.map((m) => m.to), [['jana@tagblatt.example']], 'one mail, to Jana');
  const mail = sink.received[0]!;
  assert.equal(mail.parsed.subject, `SPERRFRIST 24.12.2026, 10:00 Uhr: ${TITLE}`);
  const text = mail.parsed.text ?? '';
  assert.match(text, /^SPERRFRIST bis 24\.12\.2026, 10:00 Uhr Veröffentlichung nicht vor diesem Zeitpunkt\.$/m);
  assert.match(text, /^Exemplar für Jana Reporter \(Kasseler Tagblatt\)$/m);
  assert.match(text, new RegExp(`^${TITLE}$`, 'm'));
  assert.match(text, /^Eröffnung am Heiligabend$/m, 'the summary');
  const link = linkIn(text, '/embargo/');
  const $mail = cheerio.load(mail.parsed.html || '');
  assert.match($mail('p').first().text(), /^SPERRFRIST bis 24\.12\.2026, 10:00 Uhr/);
  assert.ok($mail('p').toArray().some((p) => $mail(p).text() === 'Exemplar für Jana Reporter (Kasseler Tagblatt)'));
  assert.equal($mail(`a[href="${link}"]`).first().text(), 'Mitteilung unter Sperrfrist öffnen');
  // Only the link's hash is stored.
  const token = new URL(link).pathname.split('/')[2]!;
  const stored = await db.db.selectFrom('prerelease_recipients').select(['token_hash']).execute();
  assert.ok(stored.every((r) => r.token_hash !== token) && stored.some((r) => r.token_hash !== null));

  // The personal page: banner, recipient, the text; private, not indexed, no referrer.
  const personal = new URL(link).pathname;
  const opened = await app.inject({ method: 'GET', url: personal });
  assert.equal(opened.statusCode, 200);
  assert.equal(opened.headers['cache-control'], 'no-store');
  assert.equal(opened.headers['x-robots-tag'], 'noindex, nofollow');
  assert.equal(opened.headers['referrer-policy'], 'no-referrer');
  const $page = cheerio.load(opened.body);
  assert.equal($page('.embargo-banner strong').text(), 'SPERRFRIST bis 24.12.2026, 10:00 Uhr');
  assert.equal($page('.embargo-banner .embargo-copy').text(), 'Exemplar für Jana Reporter (Kasseler Tagblatt)');
  assert.equal($page('h1.release-title').text(), TITLE);
  assert.equal($page('script[type="application/ld+json"]').length, 0);
  // Every file of the copy lies below the personal link; the media folder is named nowhere.
  const links = $page('img[src], a[href], source[srcset]').map((_, el) => $page(el).attr('src') ?? $page(el).attr('href') ?? $page(el).attr('srcset')).get();
  const fileLinks = links.filter((l) => /\.(?:jpe?g|png|webp|pdf|zip|txt)\b/.test(l));
  assert.ok(fileLinks.length >= 4, `files linked: ${fileLinks.join(' ')}`);
  for (const l of fileLinks) assert.ok(l.startsWith(`${personal}/`), `${l} is below the personal link`);
  assert.ok(!/["\s,]\/media\/releases\//.test(opened.body), "no public media path");

  // The files: the public URLs refuse, the personal ones serve and are counted.
  const r = (await services.releases.findById(release.id))!;
  for (const url of [`/media/${r.photos[0]!.path}`, `/media/${r.attachments[0]!.path}`, `/releases/${r.id}/press-kit.zip`, `/releases/${r.id}.txt`, `/releases/${r.id}/photos/${encodeURIComponent('x.jpg')}`]) {
    assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
  }
  const txt = await app.inject({ method: 'GET', url: `${personal}/text.txt` });
  assert.equal(txt.statusCode, 200);
  assert.match(txt.body, /^SPERRFRIST bis 24\.12\.2026, 10:00 Uhr\nVeröffentlichung nicht vor diesem Zeitpunkt\.\nExemplar für Jana Reporter \(Kasseler Tagblatt\)\n\nWeihnachtsmarkt/);
  const kit = await app.inject({ method: 'GET', url: $page('a[href$="press-kit.zip"]').attr('href')! });
  assert.equal(kit.statusCode, 200);
  assert.equal(kit.headers['cache-control'], 'no-store');
  const entries = await unzip(kit.rawPayload);
  const names = [...entries.keys()];
  const kitText = entries.get(names.find((n) => n.endsWith('.txt'))!)!.toString('utf8');
  assert.match(kitText, /Exemplar für Jana Reporter \(Kasseler Tagblatt\)/);
  const $kitHtml = cheerio.load(entries.get(names.find((n) => n.endsWith('.html'))!)!.toString('utf8'));
  assert.equal($kitHtml('.embargo-banner strong').text(), 'SPERRFRIST bis 24.12.2026, 10:00 Uhr');
  assert.equal($kitHtml('.embargo-copy').text(), 'Exemplar für Jana Reporter (Kasseler Tagblatt)');
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-prerelease-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const kitPhoto = path.join(dir, 'kit.jpg');
  await writeFile(kitPhoto, entries.get(names.find((n) => n.endsWith('.jpg'))!)!);
  const tags = await exiftool(kitPhoto);
  assert.equal(tags['IPTC:SpecialInstructions'], 'SPERRFRIST bis 2026-12-24T09:00Z (UTC). Exemplar für Jana Reporter (Kasseler Tagblatt)');
  assert.equal(tags['XMP-photoshop:Instructions'], 'SPERRFRIST bis 2026-12-24T09:00Z (UTC). Exemplar für Jana Reporter (Kasseler Tagblatt)');
  const photoDownload = await app.inject({ method: 'GET', url: $page('a[href*="/photos/"]').first().attr('href')! });
  assert.equal(photoDownload.statusCode, 200);
  await writeFile(path.join(dir, 'single.jpg'), photoDownload.rawPayload);
  assert.match(String((await exiftool(path.join(dir, 'single.jpg')))['IPTC:SpecialInstructions']), /Exemplar für Jana Reporter/);
  const pdf = await app.inject({ method: 'GET', url: $page('a[href$=".pdf"]').first().attr('href')! });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');

  // The office sees it: sent, opened, what was downloaded.
  clock.advance(60_000);
  await app.inject({ method: 'GET', url: personal });
  const { $: table } = await anna.get(page(release.id));
  const row = table(`#recipients tr`).filter((_, el) => table(el).text().includes('Jana Reporter'));
  const cells = row.find('td').map((_, el) => table(el).text().trim()).get();
  assert.match(cells[0]!, /^Jana Reporter \(Kasseler Tagblatt\)/);
  assert.equal(cells[1], '10.03.2026, 11:00 Uhr', 'sent');
  assert.equal(cells[2], '10.03.2026, 11:00 Uhr', 'first opened');
  assert.equal(cells[3], '10.03.2026, 11:01 Uhr', 'last opened');
  assert.equal(cells[4], '2', 'opens');
  const downloads = row.find('td').eq(5).find('li').map((_, el) => table(el).text()).get();
  assert.deepEqual(downloads.map((d) => d.split(/[:(]/)[0]!.trim()), ['Text', 'Pressemappe', 'Foto', 'Anhang']);
  assert.match(downloads[3]!, /^Anhang: Lageplan Eisbahn \(10\.03\.2026, 11:00 Uhr\)$/);

  // Guessed tokens, and Paul's page (sent to all later) is his, not Jana's.
  for (const guess of [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, token.slice(0, 20), String(release.id), 'x'.repeat(43)]) {
    const res = await app.inject({ method: 'GET', url: `/embargo/${guess}` });
    assert.equal(res.statusCode, 404, guess);
    assert.ok(!res.body.includes('Eisbahn'));
    assert.equal((await app.inject({ method: 'GET', url: `/embargo/${guess}/press-kit.zip` })).statusCode, 404);
  }
  // A token opens only its release's files, not other paths below the media folder.
  assert.equal((await app.inject({ method: 'GET', url: `${personal}/media/offices/x-logo-1.png` })).statusCode, 404);
  const { $: again } = await anna.get(page(release.id));
  assert.equal((await anna.submitLoaded(again, '#prerelease-form', { who: 'all', confirm: 'yes' })).statusCode, 303);
  await sendAndDeliver(services);
  assert.equal(mailsTo(sink, 'jana@tagblatt.example').length, 1, 'Jana is not sent it twice');
  const paulLink = new URL(linkIn(mailsTo(sink, 'paul@radio.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;
  const paulPage = cheerio.load((await app.inject({ method: 'GET', url: paulLink })).body);
  assert.equal(paulPage('.embargo-copy').text(), 'Exemplar für Paul Platt (Radio Nord)');
  assert.notEqual(paulLink, personal);

  // Another office: 404 for the page and every action, like a release that does not exist.
  const eve = new Browser(app);
  await eve.login('eve@nachbar.example');
  for (const url of [page(release.id), `/admin/offices/nachbar/releases/${release.id}/prerelease`]) {
    const res = await eve.request('GET', url);
    assert.equal(res.statusCode, 404, url);
    assert.ok(!res.body.includes('Jana'));
  }
  const { $: eveHome } = await eve.get('/admin/offices/nachbar');
  const csrf = eveHome('input[name="_csrf"]').first().attr('value') ?? '';
  for (const url of [page(release.id), `/admin/offices/nachbar/releases/${release.id}/prerelease`, `${page(release.id)}/withdraw`]) {
    const res = await eve.request('POST', url, { form: { _csrf: csrf, who: 'all', confirm: 'yes' } });
    assert.equal(res.statusCode, 404, `POST ${url}`);
  }
  // eve's own office has Nina, but eve cannot send another office's release to her.
  assert.equal((await db.db.selectFrom('prerelease_recipients').select('id').execute()).length, 2);

  // Audit log.
  const audit = await db.db.selectFrom('audit_events').select(['action', 'detail']).where('action', 'like', 'prerelease.%').orderBy('id').execute();
  assert.deepEqual(audit, [{ action: 'prerelease.sent', detail: '1' }, { action: 'prerelease.sent', detail: '1' }]);
  assert.ok(paul);
});

test('moving the embargo mails the new time once; removing a recipient and taking the release back end the links and say so; after the time the link leads to the public page', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, services, release, anna, jana, paul, clock, db } = await setup(t, sink);
  await services.prereleases.send(release, [jana.id, paul.id]);
  await services.mail.sendDue();
  const janaLink = new URL(linkIn(mailsTo(sink, 'jana@tagblatt.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;
  const paulLink = new URL(linkIn(mailsTo(sink, 'paul@radio.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;

  // Moved to 12:00 Berlin through the editor: both are told the new time, once.
  const moved = await anna.submitForm(`/admin/offices/amt/releases/${release.id}`, `form[action="/admin/offices/amt/releases/${release.id}/schedule"]`, { publishAt: '2026-12-24T12:00' });
  assert.equal(moved.statusCode, 303);
  await services.prereleases.reconcile(db.db, release.id, clock.now().toISOString());
  await services.mail.sendDue();
  for (const address of ['jana@tagblatt.example', 'paul@radio.example']) {
    const mails = mailsTo(sink, address);
    assert.equal(mails.length, 2, `${address}: the pre-release and one change`);
    assert.equal(mails[1]!.parsed.subject, `Sperrfrist verschoben: ${TITLE}`);
    assert.match(mails[1]!.parsed.text ?? '', /Sie gilt jetzt bis 24\.12\.2026, 12:00 Uhr\./);
    assert.match(mails[1]!.parsed.text ?? '', /^SPERRFRIST bis 24\.12\.2026, 12:00 Uhr/m);
  }
  const $page = cheerio.load((await app.inject({ method: 'GET', url: janaLink })).body);
  assert.equal($page('.embargo-banner strong').text(), 'SPERRFRIST bis 24.12.2026, 12:00 Uhr', 'the page shows the new time');

  // Paul is removed: his link ends, with a page saying so, and he is told.
  const { $ } = await anna.get(page(release.id));
  const paulRow = $('#recipients tr').filter((_, el) => $(el).text().includes('Paul Platt'));
  const paulRecipient = paulRow.find('input[name="recipient"]').attr('value')!;
  const removed = await anna.request('POST', `${page(release.id)}/remove`, { form: { _csrf: $('input[name="_csrf"]').first().attr('value')!, recipient: paulRecipient } });
  assert.equal(removed.statusCode, 303);
  const gone = await app.inject({ method: 'GET', url: paulLink });
  assert.equal(gone.statusCode, 410);
  assert.equal(cheerio.load(gone.body)('h1').text(), 'Dieser Link gilt nicht mehr');
  assert.ok(!gone.body.includes('Eisbahn'), 'not the content');
  assert.equal((await app.inject({ method: 'GET', url: `${paulLink}/press-kit.zip` })).statusCode, 410);
  await services.mail.sendDue();
  assert.equal(mailsTo(sink, 'paul@radio.example').at(-1)!.parsed.subject, `Zurückgezogen: ${TITLE}`);
  assert.equal((await app.inject({ method: 'GET', url: janaLink })).statusCode, 200, 'Jana keeps hers');

  // After the time, Jana's link and its files lead to the public ones.
  clock.set('2026-12-24T11:00:01.000Z');
  const after = await app.inject({ method: 'GET', url: janaLink });
  assert.equal(after.statusCode, 303);
  const r = (await services.releases.findById(release.id))!;
  assert.equal(after.headers.location, `/releases/${r.id}-${r.slug}`);
  assert.equal((await app.inject({ method: 'GET', url: `${janaLink}/press-kit.zip` })).headers.location, `/releases/${r.id}/press-kit.zip`);
  assert.equal((await app.inject({ method: 'GET', url: String(after.headers.location) })).statusCode, 200, 'public now');
  assert.equal(mailsTo(sink, 'jana@tagblatt.example').length, 2, 'no mail for reaching the time');
});

test('taking a release back to draft cancels its pre-release; a withdrawal after publication ends the links', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, services, release, jana, paul, clock } = await setup(t, sink);
  await services.prereleases.send(release, [jana.id]);
  await services.mail.sendDue();
  const janaLink = new URL(linkIn(mailsTo(sink, 'jana@tagblatt.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;
  // Paul's mail is still queued when the release is taken back: it is never sent.
  await services.prereleases.send(release, [paul.id]);
  await services.releases.unschedule(release.id);
  await services.mail.sendDue();
  assert.equal(mailsTo(sink, 'paul@radio.example').length, 0, 'a queued pre-release is not sent once cancelled');
  assert.equal((await app.inject({ method: 'GET', url: janaLink })).statusCode, 410);
  const cancelled = mailsTo(sink, 'jana@tagblatt.example');
  assert.equal(cancelled.length, 2);
  assert.equal(cancelled[1]!.parsed.subject, `Abgesagt: ${TITLE}`);
  assert.match(cancelled[1]!.parsed.text ?? '', /^Bitte verwenden Sie die Fassung unter Sperrfrist nicht\.$/m);
  // Scheduled again and sent again: a new link; then public, then withdrawn: the link ends.
  const again = await services.releases.schedule(release.id, EMBARGO);
  assert.equal(await services.prereleases.send(again, 'all'), 2);
  await services.mail.sendDue();
  const newLink = new URL(linkIn(mailsTo(sink, 'jana@tagblatt.example')[2]!.parsed.text ?? '', '/embargo/')).pathname;
  assert.notEqual(newLink, janaLink);
  assert.equal((await app.inject({ method: 'GET', url: janaLink })).statusCode, 410, 'the old link stays ended');
  assert.equal((await app.inject({ method: 'GET', url: newLink })).statusCode, 200);
  clock.set('2026-12-24T09:00:01.000Z');
  await services.releases.publishDue();
  await services.releases.withdraw(release.id, 'Fehlerhafte Angaben.');
  assert.equal((await app.inject({ method: 'GET', url: newLink })).statusCode, 410);
  await services.mail.sendDue();
  assert.equal(mailsTo(sink, 'jana@tagblatt.example').at(-1)!.parsed.subject, `Zurückgezogen: ${TITLE}`);
});

test('publishing before the embargo ends it early: each recipient whose pre-release went out is mailed once, with the public page; a queued pre-release is not sent', async (t) => {
  const sink = await startSmtpSink(t);
  const { app, services, release, anna, jana, paul, db, clock } = await setup(t, sink);
  await services.prereleases.send(release, [jana.id]);
  await services.mail.sendDue();
  const janaLink = new URL(linkIn(mailsTo(sink, 'jana@tagblatt.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;
  // Paul's pre-release is still queued when the office publishes.
  await services.prereleases.send(release, [paul.id]);

  // "Publish now" in the editor, long before 24.12.
  const published = await anna.submitForm(`/admin/offices/amt/releases/${release.id}`, `form[action="/admin/offices/amt/releases/${release.id}/publish"]`, {});
  assert.equal(published.statusCode, 303);
  const r = (await services.releases.findById(release.id))!;
  assert.equal(r.status, 'published');
  // Queued in the publish's transaction: one change mail for Jana, none for Paul (his pre-release never went out).
  const queued = await db.db.selectFrom('mail_outbox').select(['kind', 'change_key', 'prerelease_recipient_id']).where('kind', '=', 'prerelease-changed').execute();
  assert.deepEqual(queued.map((q) => q.change_key), ['published']);

  // Idempotent: the publish job, another reconcile and a second sending run mail nothing more.
  await services.releases.publishDue();
  await services.prereleases.reconcile(db.db, release.id, clock.now().toISOString());
  await services.mail.sendDue();
  await services.mail.sendDue();
  assert.equal(mailsTo(sink, 'paul@radio.example').length, 0, 'a queued pre-release is not sent once public');
  const mails = mailsTo(sink, 'jana@tagblatt.example');
  assert.equal(mails.length, 2, 'the pre-release and one "lifted" mail');
  const lifted = mails[1]!;
  assert.equal(lifted.parsed.subject, `Sperrfrist aufgehoben — ${TITLE} ist jetzt veröffentlicht`);
  const text = lifted.parsed.text ?? '';
  assert.match(text, /^Exemplar für Jana Reporter \(Kasseler Tagblatt\)$/m);
  assert.match(text, /vor dem Ende der Sperrfrist veröffentlicht \(am 10\.03\.2026, 11:00 Uhr\)/);
  const publicUrl = `http://herold.test/releases/${r.id}-${r.slug}`;
  assert.equal(linkIn(text, '/releases/'), publicUrl);
  const $mail = cheerio.load(lifted.parsed.html || '');
  assert.equal($mail(`a[href="${publicUrl}"]`).first().text(), 'Öffentliche Seite öffnen');

  // The personal link leads to the public page, which is public.
  const after = await app.inject({ method: 'GET', url: janaLink });
  assert.equal(after.statusCode, 303);
  assert.equal(after.headers.location, `/releases/${r.id}-${r.slug}`);
  assert.equal((await app.inject({ method: 'GET', url: String(after.headers.location) })).statusCode, 200);
});

test('a release published at its embargo time mails nobody', async (t) => {
  const sink = await startSmtpSink(t);
  const { services, release, jana, clock } = await setup(t, sink);
  await services.prereleases.send(release, [jana.id]);
  await services.mail.sendDue();
  clock.set('2026-12-24T09:00:00.000Z');
  assert.deepEqual(await services.releases.publishDue(), [release.id]);
  await services.mail.sendDue();
  assert.deepEqual(mailsTo(sink, 'jana@tagblatt.example').map((m) => m.parsed.subject), [`SPERRFRIST 24.12.2026, 10:00 Uhr: ${TITLE}`]);
});
