// The press kit (`/releases/{id}/press-kit.zip`) and the photo downloads: everything at once, and
// every photo with headline, caption (with dateline), credit, notice, creator, date and city
// written into the file, read back here with a real reader (exiftool) from what was downloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { pngImage } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { pdfDocument } from '../helpers/documents.ts';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { findJob } from '../../src/jobs/schedule.ts';
import { noFileEdits } from '../../src/modules/releases/release-files.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';
import { EXIFTOOL_NICENESS } from '../../src/modules/press-kits/press-kits.metadata.ts';
import type { Services } from '../../src/services.ts';

const run = promisify(execFile);

const jpegImage = async (width: number, height: number): Promise<Buffer> => {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg({ quality: 90 }).toBuffer();
};

/** Every tag exiftool reads in `file`, by group:name (`IPTC:Headline`, `XMP-dc:Description`). */
const exiftool = async (file: string): Promise<Record<string, unknown>> => {
  const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-a', '-charset', 'iptc=UTF8', file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
};

/** The entries of a ZIP (names and contents), read with yauzl. */
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

const NOTICE = 'Abdruck honorarfrei zur Berichterstattung über die Brücke, Foto: Stadt Kassel. Weitergabe an Dritte nur mit Nennung der Quelle und des Fotografen.';

const publishedWithFiles = async (services: Services) => {
  const office = await createOffice(services, { slug: 'kassel', name: 'Stadt Kassel' });
  const draft = await createRelease(services, office.id, { title: 'Brücke über die Fulda eröffnet', dateline: 'Kassel', releaseDate: '2026-03-09', republicationNotice: NOTICE }, { status: 'draft' });
  const jpeg = await services.photos.storeUpload(draft.id, await jpegImage(1200, 800), 'bruecke.jpg');
  const jpegId = await services.releaseFiles.addPhoto(draft.id, { ...jpeg, alt: 'Die Brücke', caption: 'Die neue Brücke am Morgen.', credit: 'Foto: Max Muster' });
  const png = await services.photos.storeUpload(draft.id, await pngImage(640, 480), 'plan.png');
  const pngId = await services.releaseFiles.addPhoto(draft.id, { ...png, alt: 'Plan', caption: 'Der Plan der Brücke.', credit: '' });
  const stored = await services.attachments.storeAttachment(draft.id, pdfDocument(), 'Lageplan');
  await services.releaseFiles.addAttachment(draft.id, { ...stored, title: 'Lageplan' });
  await services.releases.publish(draft.id);
  return { office, release: (await services.releases.findById(draft.id))!, jpegId, pngId };
};

test('the press kit holds the text, an HTML copy, every photo with its words written in and every attachment; the page names its real size', async (t) => {
  const { app, config } = await buildTestApp(t);
  const { services } = app;
  const { release, jpegId } = await publishedWithFiles(services);
  const de = createTranslator('de', config.timeZone);

  const { $ } = await new Browser(app).get(`/releases/${release.id}-${release.slug}`);
  const kitLink = $('.press-kit a');
  assert.equal(kitLink.attr('href'), `/releases/${release.id}/press-kit.zip`);
  assert.match(kitLink.text(), /^Alle Bilder und Texte herunterladen \(ZIP, [\d,]+ (KB|MB)\)$/);
  // Each photo's download link names its pixel size and file size, and leads to the stamped original.
  const downloads = $('.photos a.download');
  assert.equal(downloads.length, 2);
  assert.match(downloads.eq(0).text(), /^Originalbild herunterladen \(1200 × 800 px, [\d,]+ KB\)$/);
  assert.match(downloads.eq(1).text(), /^Originalbild herunterladen \(640 × 480 px, [\d,]+ KB\)$/);
  const photoUrl = downloads.eq(0).attr('href')!;
  assert.equal(photoUrl, `/releases/${release.id}/photos/${release.slug}-${release.id}-foto-1.jpg`);
  // The attachment link names its size too.
  assert.match($('.attachments li').text(), /Lageplan\s*\(PDF, [\d,]+ (Bytes|KB)\)/);

  const res = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="/);
  const zip = res.rawPayload;
  assert.equal(Number(res.headers['content-length']), zip.length, 'Content-Length is the ZIP as sent');
  assert.equal(kitLink.text(), `Alle Bilder und Texte herunterladen (ZIP, ${de.bytes(zip.length)})`, 'the page prints the real size');
  // To the byte: the page's size is reckoned without making the kit's text and HTML copies.
  const found = (await services.releases.findPublic(release.id))!;
  const shown = await services.pressKits.pageDownloads(found, presentRelease(found, services.urls), { error: (_obj, msg) => assert.fail(msg) });
  assert.equal(shown.kitBytes, zip.length);

  const entries = await unzip(zip);
  const base = `${release.slug}-${release.id}`;
  assert.deepEqual([...entries.keys()], [`${base}/${base}.txt`, `${base}/${base}.html`, `${base}/${base}-foto-1.jpg`, `${base}/${base}-foto-2.png`, `${base}/Lageplan.pdf`]);
  const text = entries.get(`${base}/${base}.txt`)!.toString('utf8');
  assert.equal(text, (await app.inject(`/releases/${release.id}.txt`)).body, 'the .txt is the release text');
  const html = entries.get(`${base}/${base}.html`)!.toString('utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, new RegExp(`<img src="${base}-foto-1.jpg"`), 'the HTML copy shows the kit’s own photos');
  assert.match(html, /<a href="Lageplan.pdf">Lageplan<\/a>/);
  assert.deepEqual(entries.get(`${base}/Lageplan.pdf`), pdfDocument(), 'the attachment as uploaded');

  const dir = mkdtempSync(path.join(tmpdir(), 'herold-kit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const jpegFile = path.join(dir, 'kit.jpg');
  writeFileSync(jpegFile, entries.get(`${base}/${base}-foto-1.jpg`)!);
  const tags = await exiftool(jpegFile);
  assert.equal(tags['File:ImageWidth'], 1200, 'full resolution');
  assert.equal(tags['File:ImageHeight'], 800);
  assert.equal(tags['IPTC:Headline'], 'Brücke über die Fulda eröffnet');
  assert.equal(tags['XMP-photoshop:Headline'], 'Brücke über die Fulda eröffnet');
  assert.equal(tags['IPTC:Caption-Abstract'], 'Kassel. Die neue Brücke am Morgen.');
  assert.equal(tags['XMP-dc:Description'], 'Kassel. Die neue Brücke am Morgen.');
  assert.equal(tags['IPTC:Credit'], 'Foto: Max Muster');
  assert.equal(tags['XMP-photoshop:Credit'], 'Foto: Max Muster');
  assert.equal(tags['XMP-dc:Rights'], NOTICE, 'the whole notice in XMP');
  assert.equal(tags['XMP-xmpRights:UsageTerms'], NOTICE);
  assert.ok(NOTICE.startsWith(String(tags['IPTC:CopyrightNotice'])) && String(tags['IPTC:CopyrightNotice']).length >= 100, 'IPTC keeps what fits its 128 bytes');
  assert.equal(tags['IPTC:By-line'], 'Stadt Kassel');
  assert.equal(tags['XMP-dc:Creator'], 'Stadt Kassel');
  assert.equal(tags['IPTC:DateCreated'], '2026:03:09');
  assert.equal(tags['XMP-photoshop:DateCreated'], '2026:03:09');
  assert.equal(tags['IPTC:City'], 'Kassel');
  assert.equal(tags['XMP-photoshop:City'], 'Kassel');
  assert.equal(tags['XMP-xmpRights:WebStatement'], `${config.publicUrl}/releases/${release.id}-${release.slug}`);

  // The PNG carries the words as XMP (the place for them in a PNG); without a credit, the office's name.
  const pngFile = path.join(dir, 'kit.png');
  writeFileSync(pngFile, entries.get(`${base}/${base}-foto-2.png`)!);
  const pngTags = await exiftool(pngFile);
  assert.equal(pngTags['XMP-dc:Description'], 'Kassel. Der Plan der Brücke.');
  assert.equal(pngTags['XMP-photoshop:Credit'], 'Stadt Kassel');
  assert.equal(pngTags['XMP-photoshop:Headline'], 'Brücke über die Fulda eröffnet');

  // „Originalbild herunterladen“ gives the same file, with the same words, under its telling name.
  const single = await app.inject(photoUrl);
  assert.equal(single.statusCode, 200);
  assert.equal(single.headers['content-type'], 'image/jpeg');
  assert.match(String(single.headers['content-disposition']), new RegExp(`filename="${base}-foto-1.jpg"`));
  assert.deepEqual(single.rawPayload, entries.get(`${base}/${base}-foto-1.jpg`));
  assert.match(downloads.eq(0).text(), new RegExp(`, ${de.bytes(single.rawPayload.length).replace('.', '\\.')}\\)$`), 'the link names the size of the file it gives');
  const singleFile = path.join(dir, 'single.jpg');
  writeFileSync(singleFile, single.rawPayload);
  const singleTags = await exiftool(singleFile);
  assert.equal(singleTags['IPTC:Caption-Abstract'], 'Kassel. Die neue Brücke am Morgen.');
  assert.equal(singleTags['XMP-photoshop:Credit'], 'Foto: Max Muster');
  assert.ok(jpegId > 0);

  // The same kit again is the same bytes (nothing re-stamped), and a conditional request gets 304.
  const again = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.deepEqual(again.rawPayload, zip);
  assert.equal((await app.inject({ url: `/releases/${release.id}/press-kit.zip`, headers: { 'if-none-match': String(res.headers.etag) } })).statusCode, 304);
});

test('a correction of caption and credit reaches the kit and the download; the old stamped file goes', async (t) => {
  const { app, config, clock } = await buildTestApp(t);
  const { services } = app;
  const { release, jpegId } = await publishedWithFiles(services);
  const before = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.equal(before.statusCode, 200);
  const folder = path.join(config.dataDir, 'press-kits', String(release.id));
  const oldFiles = readdirSync(folder);
  assert.equal(oldFiles.length, 2, 'one stamped file for each photo');

  clock.advance(60 * 60 * 1000);
  const photo = release.photos.find((p) => p.id === jpegId)!;
  const edits = noFileEdits();
  edits.photos.push({ id: jpegId, alt: photo.alt, caption: 'Die neue Brücke am Abend.', credit: 'Foto: Erika Muster', position: null, remove: false, replacement: null });
  await services.releases.correct(release.id, releaseInput({ title: release.title, dateline: 'Kassel', releaseDate: '2026-03-09', republicationNotice: NOTICE }), 'Bildunterschrift berichtigt.', undefined, edits);

  const { $ } = await new Browser(app).get(`/releases/${release.id}-${release.slug}`);
  const photoUrl = $('.photos a.download').first().attr('href')!;
  const single = await app.inject(photoUrl);
  const dir = mkdtempSync(path.join(tmpdir(), 'herold-kit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'a.jpg'), single.rawPayload);
  const tags = await exiftool(path.join(dir, 'a.jpg'));
  assert.equal(tags['IPTC:Caption-Abstract'], 'Kassel. Die neue Brücke am Abend.');
  assert.equal(tags['XMP-dc:Description'], 'Kassel. Die neue Brücke am Abend.');
  assert.equal(tags['IPTC:Credit'], 'Foto: Erika Muster');

  const entries = await unzip((await app.inject(`/releases/${release.id}/press-kit.zip`)).rawPayload);
  const base = `${release.slug}-${release.id}`;
  writeFileSync(path.join(dir, 'b.jpg'), entries.get(`${base}/${base}-foto-1.jpg`)!);
  assert.equal((await exiftool(path.join(dir, 'b.jpg')))['XMP-photoshop:Credit'], 'Foto: Erika Muster');
  const newFiles = readdirSync(folder);
  assert.equal(newFiles.length, 2);
  assert.ok(!existsSync(path.join(folder, oldFiles.find((f) => f.endsWith('.jpg'))!)), 'the file with the old words is removed');
});

test('a draft, a scheduled release before its time and no release have no kit; a withdrawn one answers 410 and loses its files', async (t) => {
  const { app, db, config, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt' });
  const draft = await createRelease(services, office.id, {}, { status: 'draft' });
  const stored = await services.photos.storeUpload(draft.id, await jpegImage(400, 300), 'a.jpg');
  await services.releaseFiles.addPhoto(draft.id, { ...stored, alt: 'A', caption: 'B', credit: 'C' });
  const preview = (await services.releases.findById(draft.id))!;
  assert.equal((await app.inject(`/releases/${draft.id}/press-kit.zip`)).statusCode, 404);
  assert.equal((await app.inject(`/releases/${draft.id}/photos/${preview.slug}-${draft.id}-foto-1.jpg`)).statusCode, 404);
  assert.equal((await app.inject('/releases/999999/press-kit.zip')).statusCode, 404);
  // A scheduled release has no kit before its time, and has one from its time on.
  const scheduled = await createRelease(services, office.id, {}, { status: 'scheduled', publishAt: new Date(clock.now().getTime() + 60 * 60 * 1000).toISOString() });
  assert.equal((await app.inject(`/releases/${scheduled.id}/press-kit.zip`)).statusCode, 404);
  clock.advance(2 * 60 * 60 * 1000);
  assert.equal((await app.inject(`/releases/${scheduled.id}/press-kit.zip`)).statusCode, 200);
  assert.equal((await app.inject('/releases/abc/press-kit.zip')).statusCode, 404);

  const { release } = await publishedWithFiles(services);
  assert.equal((await app.inject(`/releases/${release.id}/press-kit.zip`)).statusCode, 200);
  const folder = path.join(config.dataDir, 'press-kits', String(release.id));
  assert.ok(existsSync(folder));
  await services.releases.withdraw(release.id, 'Zurückgezogen.');
  const gone = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.equal(gone.statusCode, 410);
  assert.ok(!existsSync(folder), 'the stamped photos of a withdrawn release are removed');
  assert.equal((await app.inject(`/releases/${release.id}/photos/${release.slug}-${release.id}-foto-1.jpg`)).statusCode, 410);
  const { $ } = await new Browser(app).get(`/releases/${release.id}-${release.slug}`);
  assert.equal($('.press-kit').length, 0, 'a withdrawn release offers no kit');

  // Withdrawn while nobody asked for its kit: the stamping job's sweep (its first run after a start, then every 15 minutes) removes its files.
  const second = await createRelease(services, office.id, { title: 'Zweite Mitteilung' }, { status: 'draft' });
  const photo = await services.photos.storeUpload(second.id, await jpegImage(400, 300), 'b.jpg');
  await services.releaseFiles.addPhoto(second.id, { ...photo, alt: 'A', caption: 'B', credit: 'C' });
  await services.releases.publish(second.id);
  const head = await app.inject({ method: 'HEAD', url: `/releases/${second.id}/press-kit.zip` });
  assert.equal(head.statusCode, 200);
  assert.ok(Number(head.headers['content-length']) > 0);
  await services.releases.withdraw(second.id, 'Zurückgezogen.');
  assert.ok(existsSync(path.join(config.dataDir, 'press-kits', String(second.id))));
  // A release still public keeps its files.
  const third = await createRelease(services, office.id, { title: 'Dritte Mitteilung' }, { status: 'draft' });
  const thirdPhoto = await services.photos.storeUpload(third.id, await jpegImage(400, 300), 'c.jpg');
  await services.releaseFiles.addPhoto(third.id, { ...thirdPhoto, alt: 'A', caption: 'B', credit: 'C' });
  await services.releases.publish(third.id);
  assert.equal((await app.inject({ method: 'HEAD', url: `/releases/${third.id}/press-kit.zip` })).statusCode, 200);
  // A draft's folder stays (a scheduled release's may hold embargoed copies being downloaded).
  const draftFolder = path.join(config.dataDir, 'press-kits', String(draft.id), 'embargo-1');
  mkdirSync(draftFolder, { recursive: true });
  assert.match(await findJob('stamp-press-kits')!.run({ db: db.db, services }), /^removed the press kit files of 1 withdrawn or deleted releases\b/);
  assert.ok(existsSync(draftFolder), 'the draft keeps its folder');
  assert.ok(!existsSync(path.join(config.dataDir, 'press-kits', String(second.id))));
  assert.ok(existsSync(path.join(config.dataDir, 'press-kits', String(third.id))), 'the public release keeps its stamped files');
});

test('without exiftool the page still shows, without the kit, and the downloads say what is missing', async (t) => {
  const { app } = await buildTestApp(t, { env: { EXIFTOOL: '/nonexistent/exiftool' } });
  const { release } = await publishedWithFiles(app.services);
  const { $, res } = await new Browser(app).get(`/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  assert.equal($('.press-kit').length, 0);
  assert.equal($('.photos a.download').length, 2);
  const kit = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.equal(kit.statusCode, 503);
  assert.match(kit.body, /exiftool/);
  assert.doesNotMatch(kit.body, /at .*\.ts:\d+/, 'no stack trace');
  await assert.rejects(app.services.pressKits.exiftoolVersion(), /apt-get install libimage-exiftool-perl/);
});

test('a photo whose file is gone: the page shows without the kit, and exiftool is not started for it', async (t) => {
  // exiftool behind a wrapper that counts what it is asked to do (its version aside).
  const dir = mkdtempSync(path.join(tmpdir(), 'herold-exiftool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const count = path.join(dir, 'runs');
  const wrapper = path.join(dir, 'exiftool');
  writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *-ver*) ;; *) echo run >> '${count}' ;; esac\nexec /usr/bin/exiftool "$@"\n`, { mode: 0o755 });
  const { app, config } = await buildTestApp(t, { env: { EXIFTOOL: wrapper } });
  const { release } = await publishedWithFiles(app.services);
  rmSync(path.join(config.mediaDir, release.photos.find((p) => p.mime === 'image/jpeg')!.path));

  const runs = () => (existsSync(count) ? readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0);
  for (let view = 0; view < 3; view++) {
    const { $, res } = await new Browser(app).get(`/releases/${release.id}-${release.slug}?view=${view}`);
    assert.equal(res.statusCode, 200);
    assert.equal($('h1').text().trim(), release.title);
    assert.equal($('.press-kit').length, 0, 'no kit without one of its photos');
    // The PNG, whose file is there, is stamped at the first view; nothing is asked of exiftool after.
    assert.equal(runs(), 1, `exiftool runs after view ${view + 1}`);
  }
  const kit = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.notEqual(kit.statusCode, 200);
  assert.equal(runs(), 1);
});

test('exiftool runs at a lower priority than the server, from the stamp-press-kits job and from a page, so that readers of other pages do not wait', async (t) => {
  // exiftool behind a wrapper that notes its own nice value (field 19 of /proc/self/stat) at each stamping run.
  const dir = mkdtempSync(path.join(tmpdir(), 'herold-exiftool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const noted = path.join(dir, 'nice');
  const wrapper = path.join(dir, 'exiftool');
  writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *-ver*) ;; *) sleep 0.2; cut -d' ' -f19 /proc/$$/stat >> '${noted}' ;; esac\nexec /usr/bin/exiftool "$@"\n`, { mode: 0o755 });
  const niceValues = () => (existsSync(noted) ? readFileSync(noted, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  const { app } = await buildTestApp(t, { env: { EXIFTOOL: wrapper } });
  const { release } = await publishedWithFiles(app.services);

  // The job (its first run sweeps).
  const run = await app.services.pressKitStamping.run();
  assert.equal(run.stamped, 1);
  assert.deepEqual(niceValues(), [Math.min(19, getPriority() + EXIFTOOL_NICENESS)]);

  // A correction's new words, stamped at the page's first view (before the job's next run).
  await app.services.releases.correct(release.id, releaseInput({ title: 'Brücke über die Fulda feierlich eröffnet', dateline: 'Kassel', releaseDate: '2026-03-09', republicationNotice: NOTICE }), 'Titel ergänzt.');
  const { $, res } = await new Browser(app).get(`/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  assert.equal($('.press-kit').length, 1, 'the kit is offered: its photos were stamped');
  assert.deepEqual(niceValues(), [Math.min(19, getPriority() + EXIFTOOL_NICENESS), Math.min(19, getPriority() + EXIFTOOL_NICENESS)]);
});

test('the size the page prints is the size of the ZIP sent, byte for byte, also after a correction and a new office name', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const { office, release } = await publishedWithFiles(services);
  const silent = { error: () => {} };
  const sizes = async () => {
    const current = (await services.releases.findPublic(release.id))!;
    const view = presentRelease(current, services.urls);
    const page = await services.pressKits.pageDownloads(current, view, silent);
    const kit = await services.pressKits.build(current, view);
    const chunks: Buffer[] = [];
    for await (const chunk of kit.stream()) chunks.push(chunk as Buffer);
    return { page: page.kitBytes, sent: Buffer.concat(chunks).length, built: kit.bytes };
  };
  const first = await sizes();
  assert.deepEqual(first, { page: first.sent, sent: first.sent, built: first.sent });
  // The same release again: the page's size comes from what it remembered of the kit; still exact.
  assert.deepEqual(await sizes(), first);
  // A longer body: the text and HTML copies grow.
  await services.releases.correct(release.id, releaseInput({ title: release.title, dateline: 'Kassel', releaseDate: '2026-03-09', republicationNotice: NOTICE, bodyMarkdown: `${release.bodyMarkdown}\n\nDie Brücke ist 120 Meter lang und trägt zwei Fahrspuren.` }), 'Länge ergänzt.');
  const corrected = await sizes();
  assert.ok(corrected.sent > first.sent);
  assert.deepEqual(corrected, { page: corrected.sent, sent: corrected.sent, built: corrected.sent });
  // A new office name changes no release row, but every copy names the office.
  await services.offices.updateProfile(office.id, { name: 'Stadtverwaltung Kassel an der Fulda', descriptionMarkdown: '', website: '', republicationNotice: '' });
  const renamed = await sizes();
  assert.notEqual(renamed.sent, corrected.sent);
  assert.deepEqual(renamed, { page: renamed.sent, sent: renamed.sent, built: renamed.sent });
});

test('a kit whose file is lost after its page remembered it is offered until a download finds out, then no more', async (t) => {
  const { app, config } = await buildTestApp(t);
  const { services } = app;
  const { release } = await publishedWithFiles(services);
  const silent = { error: () => {} };
  const pageKit = async () => {
    const current = (await services.releases.findPublic(release.id))!;
    return (await services.pressKits.pageDownloads(current, presentRelease(current, services.urls), silent)).kitBytes;
  };
  assert.ok((await pageKit())! > 0);
  rmSync(path.join(config.mediaDir, release.attachments[0]!.path));
  assert.ok((await pageKit())! > 0, 'remembered: a page does not look at the files again');
  const download = await app.inject(`/releases/${release.id}/press-kit.zip`);
  assert.equal(download.statusCode, 503, 'the download cannot be made and says so');
  assert.equal(await pageKit(), null, 'the page no longer offers it');
});
