// A correction changes photos and attachments too, as one open change: caption, credit and alt
// text, replace, add and remove. The note gets a sentence for each change, in the release's
// language; the revision history keeps the old values; removed and replaced files are deleted (the
// revision records what they were); the public page lists the correction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createUser, pngImage } from '../helpers/admin.ts';
import { Browser, type UploadFile } from '../helpers/forms.ts';
import { docxDocument, pdfDocument } from '../helpers/documents.ts';

test('a correction changes captions, replaces, adds and removes photos and attachments, and says so', async (t) => {
  const { app, config, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt' });
  await createUser(services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const draft = await createRelease(services, office.id, { title: 'Brücke eröffnet' }, { status: 'draft' });
  const addPhoto = async (alt: string) => services.releaseFiles.addPhoto(draft.id, { ...(await services.photos.storeUpload(draft.id, await pngImage(640, 480), 'a.png')), alt, caption: `${alt}: Unterschrift`, credit: 'Stadt' });
  const [first, second] = [await addPhoto('Erstes'), await addPhoto('Zweites')];
  const stored = await services.attachments.storeAttachment(draft.id, pdfDocument(), 'Lageplan');
  const attachment = await services.releaseFiles.addAttachment(draft.id, { ...stored, title: 'Lageplan' });
  await services.releases.publish(draft.id);
  const before = (await services.releases.findById(draft.id))!;
  const firstFile = path.join(config.dataDir, 'media', before.photos[0]!.path);
  const pdfFile = path.join(config.dataDir, 'media', stored.path);
  clock.advance(60 * 60 * 1000);

  const anna = new Browser(app);
  await anna.login('anna@example.org');
  const url = `/admin/offices/stadt/releases/${draft.id}/correct`;
  const { $ } = await anna.get(url);
  // The correction form shows the files with their words, and no place to reorder them.
  assert.equal($(`#caption-${second}`).val(), 'Zweites: Unterschrift');
  assert.equal($(`#position-${second}`).length, 0);
  assert.match($('#files .hint').first().text(), /im Korrekturhinweis genannt/);

  const files: UploadFile[] = [
    { field: `file-${first}`, filename: 'neu.png', contentType: 'image/png', data: await pngImage(800, 600) },
    { field: 'attachment', filename: 'plan.docx', contentType: 'application/octet-stream', data: docxDocument() },
  ];
  // Without a note nothing happens, and the form says why, keeping what was typed.
  const noNote = await anna.submitWithFiles($, '#release-form', { note: '', [`caption-${second}`]: 'Die Brücke am Abend.' }, files);
  assert.equal(noNote.statusCode, 422);
  const $noNote = cheerio.load(noNote.body);
  assert.equal($noNote('.error-summary a[href="#note"]').text(), 'Korrekturhinweis: Bitte ausfüllen.');
  assert.equal($noNote(`#caption-${second}`).val(), 'Die Brücke am Abend.');
  assert.equal((await services.releases.findById(draft.id))!.corrections.length, 0);

  const res = await anna.submitWithFiles(
    $,
    '#release-form',
    { note: 'Bildunterschrift berichtigt', [`caption-${second}`]: 'Die Brücke am Abend.', [`credit-${second}`]: 'Stadt, Presseamt', [`attachment-remove-${attachment}`]: '1', 'new-attachment-title': 'Lageplan (neu)' },
    files,
  );
  assert.equal(res.statusCode, 303);
  const after = (await services.releases.findById(draft.id))!;
  const note = 'Bildunterschrift berichtigt. Foto 1 ersetzt. Bildunterschrift zu Foto 2 geändert. Bildnachweis zu Foto 2 geändert. Anhang „Lageplan“ entfernt. Anhang „Lageplan (neu)“ hinzugefügt.';
  assert.equal(after.corrections[0]!.note, note);
  assert.deepEqual(after.photos.map((p) => [p.id, p.width, p.caption, p.credit]), [[first, 800, 'Erstes: Unterschrift', 'Stadt'], [second, 640, 'Die Brücke am Abend.', 'Stadt, Presseamt']]);
  assert.deepEqual(after.attachments.map((a) => a.title), ['Lageplan (neu)']);

  // The revision history keeps the old values, also of the deleted files.
  const changes = after.corrections[0]!.fileChanges;
  assert.deepEqual(changes.find((c) => c.change === 'caption'), { kind: 'photo', change: 'caption', number: 2, before: 'Zweites: Unterschrift', after: 'Die Brücke am Abend.' });
  const removed = changes.find((c) => c.kind === 'attachment' && c.change === 'removed')!;
  assert.deepEqual(removed.before, { path: stored.path, mime: 'application/pdf', bytes: stored.bytes, sha256: stored.sha256, title: 'Lageplan' });
  const replaced = changes.find((c) => c.change === 'replaced')!;
  assert.equal((replaced.before as { width: number }).width, 640);
  assert.ok(!existsSync(firstFile), 'the replaced photo file is deleted');
  assert.ok(!existsSync(pdfFile), 'the removed attachment file is deleted');
  assert.equal((await app.inject(`/media/${stored.path}`)).statusCode, 404);

  // The public page lists the correction with its note, and shows the new state.
  const { $: page } = await new Browser(app).get(`/releases/${draft.id}-${after.slug}`);
  assert.equal(page('.corrections li').text().replace(/\s+/g, ' ').includes(note), true);
  assert.equal(page('.attachments a').text(), 'Lageplan (neu)');
  assert.match(page('figure.photo figcaption').eq(1).text(), /Die Brücke am Abend\./);
  // The editor's history shows what was there before.
  const { $: edit } = await anna.get(`/admin/offices/stadt/releases/${draft.id}`);
  assert.match(edit('.corrections-list').text(), /Zweites: Unterschrift/);
  assert.match(edit('.corrections-list').text(), /Lageplan/);
});

test('an English release gets the sentences in English; a correction of text alone keeps the note as written', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'city', name: 'City' });
  const release = await createRelease(services, office.id, { title: 'Bridge opened', language: 'en' }, { status: 'draft' });
  const photo = await services.releaseFiles.addPhoto(release.id, { path: null, alt: 'Bridge', caption: 'The bridge', credit: 'City' });
  await services.releases.publish(release.id);
  clock.advance(60_000);
  const current = (await services.releases.findById(release.id))!;
  const input = { title: current.title, subtitle: '', releaseDate: current.releaseDate, dateline: current.dateline, bodyMarkdown: current.bodyMarkdown, contact: current.contact, republicationNotice: '', topics: [], regions: [], language: 'en' as const };
  const corrected = await services.releases.correct(release.id, input, 'Caption fixed!', undefined, { photos: [{ id: photo, alt: 'Bridge', caption: 'The new bridge', credit: 'City', position: null, remove: false, replacement: null }], attachments: [], newPhoto: null, newAttachment: null });
  assert.equal(corrected.corrections[0]!.note, 'Caption fixed! Caption of photo 1 changed.');
  clock.advance(60_000);
  const textOnly = await services.releases.correct(release.id, { ...input, bodyMarkdown: `${input.bodyMarkdown} More.` }, 'Text extended');
  assert.equal(textOnly.corrections[1]!.note, 'Text extended');
  assert.deepEqual(textOnly.corrections[1]!.fileChanges, []);
});
