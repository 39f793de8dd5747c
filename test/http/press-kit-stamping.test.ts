// Stamping off the request path (modules/press-kits/press-kits.stamping.ts): the stamp-press-kits
// job writes the words into a release's photos once it is public and again after a correction, so
// the release page and the download find the files stamped; its sweep stamps again what is gone.
// The words are read back with exiftool from what was downloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { findJob } from '../../src/jobs/schedule.ts';
import { noFileEdits } from '../../src/modules/releases/release-files.ts';

const run = promisify(execFile);

const jpegImage = async (width: number, height: number): Promise<Buffer> => {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg({ quality: 90 }).toBuffer();
};

const captionOf = async (bytes: Buffer): Promise<unknown> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'herold-stamp-'));
  try {
    writeFileSync(path.join(dir, 'a.jpg'), bytes);
    const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-charset', 'iptc=UTF8', path.join(dir, 'a.jpg')]);
    return (JSON.parse(stdout) as Record<string, unknown>[])[0]!['IPTC:Caption-Abstract'];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('the job stamps a release’s photos after publishing and after a correction; the page and download serve those files; the sweep restamps lost ones', async (t) => {
  const { app, db, config, clock } = await buildTestApp(t);
  const { services } = app;
  const job = findJob('stamp-press-kits')!;
  const runJob = () => job.run({ db: db.db, services });

  const office = await createOffice(services, { slug: 'kassel', name: 'Stadt Kassel' });
  const input = { title: 'Brücke über die Fulda eröffnet', dateline: 'Kassel', releaseDate: '2026-03-09' };
  const draft = await createRelease(services, office.id, input, { status: 'draft' });
  const jpeg = await services.photos.storeUpload(draft.id, await jpegImage(800, 600), 'bruecke.jpg');
  const photoId = await services.releaseFiles.addPhoto(draft.id, { ...jpeg, alt: 'Die Brücke', caption: 'Die neue Brücke am Morgen.', credit: 'Foto: Max Muster' });
  // A release without photos has nothing to stamp.
  await createRelease(services, office.id, { title: 'Ohne Bilder', releaseDate: '2026-03-09' });
  const folder = path.join(config.dataDir, 'press-kits', String(draft.id));
  assert.equal(await runJob(), 'nothing due', 'a draft is not stamped');
  assert.equal(existsSync(folder), false);

  await services.releases.publish(draft.id);
  const release = (await services.releases.findById(draft.id))!;
  assert.equal(await runJob(), 'stamped the photos of 1 releases');
  const [stampedName] = readdirSync(folder);
  assert.match(stampedName!, /^[A-Za-z0-9_-]{32}\.jpg$/);
  const stampedFile = path.join(folder, stampedName!);
  const stampedAt = statSync(stampedFile).mtimeMs;
  assert.equal(await captionOf(readFileSync(stampedFile)), 'Kassel. Die neue Brücke am Morgen.');
  // Stamped for its present version: the next run has nothing to do.
  assert.equal(await runJob(), 'nothing due');

  // The first view of the page and the download use the stamped file as it is.
  const page = await app.inject(`/releases/${release.id}-${release.slug}`);
  assert.equal(page.statusCode, 200);
  const $ = cheerio.load(page.body);
  assert.equal($('h1').first().text().trim(), input.title);
  const download = $('.photos a.download').first().attr('href')!;
  assert.ok(download, 'the page offers the stamped original');
  const photo = await app.inject(download);
  assert.equal(photo.statusCode, 200);
  assert.ok(photo.rawPayload.equals(readFileSync(stampedFile)), 'the download is the file the job stamped');
  assert.deepEqual(readdirSync(folder), [stampedName]);
  assert.equal(statSync(stampedFile).mtimeMs, stampedAt, 'the request did not stamp again');

  // A correction of the caption: the job stamps the new words and removes the old file, before any view.
  clock.advance(60 * 60 * 1000);
  const edits = noFileEdits();
  edits.photos.push({ id: photoId, alt: 'Die Brücke', caption: 'Die neue Brücke am Abend.', credit: 'Foto: Erika Muster', position: null, remove: false, replacement: null });
  await services.releases.correct(release.id, releaseInput(input), 'Bildunterschrift berichtigt.', undefined, edits);
  assert.equal(await runJob(), 'stamped the photos of 1 releases');
  const [correctedName] = readdirSync(folder);
  assert.notEqual(correctedName, stampedName);
  assert.equal(readdirSync(folder).length, 1, 'the file with the old words is gone');
  const correctedFile = path.join(folder, correctedName!);
  const correctedAt = statSync(correctedFile).mtimeMs;
  const again = await app.inject(download);
  assert.equal(await captionOf(again.rawPayload), 'Kassel. Die neue Brücke am Abend.');
  assert.ok(again.rawPayload.equals(readFileSync(correctedFile)));
  assert.equal(statSync(correctedFile).mtimeMs, correctedAt);

  // Stamped files lost (the folder removed): the sweep stamps them again.
  rmSync(path.join(config.dataDir, 'press-kits'), { recursive: true, force: true });
  clock.advance(16 * 60 * 1000);
  assert.equal(await runJob(), 'stamped the photos of 1 releases');
  assert.deepEqual(readdirSync(folder), [correctedName]);

  // Not stamped yet (the job has not run): the download stamps on demand, as before; never the bare original.
  const fresh = await createRelease(services, office.id, { title: 'Neue Brücke', dateline: 'Kassel', releaseDate: '2026-03-09' }, { status: 'draft' });
  const upload = await services.photos.storeUpload(fresh.id, await jpegImage(640, 480), 'neu.jpg');
  await services.releaseFiles.addPhoto(fresh.id, { ...upload, alt: 'Neu', caption: 'Die Brücke von oben.', credit: 'Foto: Max Muster' });
  await services.releases.publish(fresh.id);
  const freshRelease = (await services.releases.findById(fresh.id))!;
  const freshPage = cheerio.load((await app.inject(`/releases/${freshRelease.id}-${freshRelease.slug}`)).body);
  const freshPhoto = await app.inject(freshPage('.photos a.download').first().attr('href')!);
  assert.equal(freshPhoto.statusCode, 200);
  assert.equal(await captionOf(freshPhoto.rawPayload), 'Kassel. Die Brücke von oben.');
});

test('the sweep stamps many releases at once; a photo exiftool cannot read fails only its own release', async (t) => {
  const { app, db, config, clock } = await buildTestApp(t);
  const { services } = app;
  const job = findJob('stamp-press-kits')!;
  const runJob = () => job.run({ db: db.db, services });
  const office = await createOffice(services, { slug: 'kassel', name: 'Stadt Kassel' });
  const made: { id: number; folder: string; caption: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const draft = await createRelease(services, office.id, { title: `Brücke ${i}`, dateline: 'Kassel', releaseDate: '2026-03-09' }, { status: 'draft' });
    const upload = await services.photos.storeUpload(draft.id, await jpegImage(320 + i, 240), `b${i}.jpg`);
    await services.releaseFiles.addPhoto(draft.id, { ...upload, alt: `Brücke ${i}`, caption: `Die Brücke Nummer ${i}.`, credit: 'Foto: Max Muster' });
    await services.releases.publish(draft.id);
    made.push({ id: draft.id, folder: path.join(config.dataDir, 'press-kits', String(draft.id)), caption: `Kassel. Die Brücke Nummer ${i}.` });
  }
  assert.equal(await runJob(), 'stamped the photos of 6 releases');

  // A restore without the press-kit folder, and one original damaged on disk.
  rmSync(path.join(config.dataDir, 'press-kits'), { recursive: true, force: true });
  const damaged = made[3]!;
  const original = (await services.releases.findById(damaged.id))!.photos[0]!.path!;
  writeFileSync(path.join(config.dataDir, 'media', original), 'not a picture');
  clock.advance(16 * 60 * 1000);
  assert.equal(await runJob(), 'stamped the photos of 5 releases');
  for (const release of made) {
    const files = existsSync(release.folder) ? readdirSync(release.folder).filter((name) => !name.startsWith('.')) : [];
    if (release === damaged) {
      assert.deepEqual(files, [], 'nothing stamped from a damaged original');
      continue;
    }
    assert.equal(files.length, 1, `release ${release.id} stamped`);
    assert.equal(await captionOf(readFileSync(path.join(release.folder, files[0]!))), release.caption);
  }
});
