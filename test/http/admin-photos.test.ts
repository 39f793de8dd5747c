// Photos in the editor: upload (content sniffed, size limit), alt text required, caption, credit,
// reorder, remove.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createUser, csrfOf, pngImage } from '../helpers/admin.ts';
import { Browser, multipartBody } from '../helpers/forms.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const browser = new Browser(ctx.app);
  await browser.login('anna@example.org');
  const draft = await createRelease(ctx.app.services, office.id, { title: 'Mit Bildern' }, { status: 'draft' });
  const edit = `/admin/offices/stadt/releases/${draft.id}`;
  return { ...ctx, office, browser, draft, edit };
};

const upload = async (browser: Browser, edit: string, fields: Record<string, string>, file: { filename: string; contentType: string; data: Buffer } | null) => {
  const { $ } = await browser.get(edit);
  return browser.upload($, '#photo-upload', fields, file ? { field: 'photo', ...file } : null);
};

test('a photo is uploaded with alt text, caption and credit, and shown in the editor and the preview', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  const res = await upload(browser, edit, { alt: 'Radweg am Fluss', caption: 'Der neue Radweg.', credit: 'Stadt' }, { filename: 'radweg.png', contentType: 'image/png', data: await pngImage(640, 480) });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `${edit}#photos`);
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Bild hinzugefügt.');
  const photo = (await app.services.releases.findById(draft.id))!.photos[0]!;
  assert.equal(photo.alt, 'Radweg am Fluss');
  assert.equal(photo.caption, 'Der neue Radweg.');
  assert.equal(photo.credit, 'Stadt');
  assert.equal(photo.width, 640);
  assert.equal(photo.height, 480);
  assert.equal(photo.mime, 'image/png');
  assert.match(photo.path, new RegExp(`^releases/${draft.id}/`));
  assert.ok(existsSync(path.join(config.dataDir, 'media', photo.path)));
  assert.equal($(`#photo-${photo.id} img`).attr('alt'), 'Radweg am Fluss');
  const preview = cheerio.load((await app.inject({ method: 'GET', url: $('#preview-link').attr('href')! })).body);
  assert.match(preview('figure.photo figcaption').text(), /Der neue Radweg\./);
});

test('the alt text is required and a file that is not an image is refused, by content not by name', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const noAlt = await upload(browser, edit, { alt: '', caption: 'Ohne Alt' }, { filename: 'a.png', contentType: 'image/png', data: await pngImage() });
  assert.equal(noAlt.statusCode, 422);
  assert.equal(cheerio.load(noAlt.body)('#new-alt-error').text(), 'Bitte ausfüllen.');
  const fake = await upload(browser, edit, { alt: 'Ein Bild' }, { filename: 'bild.jpg', contentType: 'image/jpeg', data: Buffer.from('<html>kein Bild</html>') });
  assert.equal(fake.statusCode, 422);
  assert.equal(cheerio.load(fake.body)('#photo-error').text(), 'Diese Datei ist kein Bild im Format JPEG, PNG oder WebP. Andere Formate (etwa SVG, GIF, HEIC) bitte vorher umwandeln.');
  const none = await upload(browser, edit, { alt: 'Ein Bild' }, null);
  assert.equal(none.statusCode, 422);
  assert.equal(cheerio.load(none.body)('#photo-error').text(), 'Bitte eine Bilddatei auswählen.');
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});

test('a file over the size limit gets a clear message', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const big = Buffer.concat([await pngImage(), Buffer.alloc(21 * 1024 * 1024)]);
  const res = await upload(browser, edit, { alt: 'Zu groß' }, { filename: 'gross.png', contentType: 'image/png', data: big });
  assert.equal(res.statusCode, 422);
  assert.equal(cheerio.load(res.body)('#photo-error').text(), 'Die Datei ist zu groß: höchstens 20 MB sind erlaubt.');
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});

test('photo words are edited, photos reordered and removed', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  for (const alt of ['Erstes', 'Zweites']) await upload(browser, edit, { alt }, { filename: `${alt}.png`, contentType: 'image/png', data: await pngImage() });
  let photos = (await app.services.releases.findById(draft.id))!.photos;
  assert.deepEqual(photos.map((p) => p.alt), ['Erstes', 'Zweites']);
  const [first, second] = photos as [typeof photos[0], typeof photos[0]];

  const words = await browser.submitForm(edit, `form[action="${edit}/photos/${second.id}"]`, { alt: 'Zweites Bild', caption: 'Neue Unterschrift', credit: 'Foto: Amt' });
  assert.equal(words.statusCode, 303);
  const emptyAlt = await browser.submitForm(edit, `form[action="${edit}/photos/${second.id}"]`, { alt: '' });
  assert.equal(emptyAlt.statusCode, 422);
  assert.equal(cheerio.load(emptyAlt.body)(`#alt-${second.id}-error`).text(), 'Bitte ausfüllen.');

  const { $ } = await browser.get(edit);
  // The first has no "up", the last no "down".
  assert.equal($(`#photo-${first.id} input[name="direction"][value="up"]`).length, 0);
  assert.equal($(`#photo-${second.id} input[name="direction"][value="down"]`).length, 0);
  const moved = await browser.submitLoaded($, `#photo-${second.id} form[action$="/move"]`);
  assert.equal(moved.statusCode, 303);
  photos = (await app.services.releases.findById(draft.id))!.photos;
  assert.deepEqual(photos.map((p) => [p.alt, p.position]), [['Zweites Bild', 0], ['Erstes', 1]]);
  assert.equal(photos[0]!.caption, 'Neue Unterschrift');

  const file = path.join(config.dataDir, 'media', first.path);
  assert.ok(existsSync(file));
  const removed = await browser.submitForm(edit, `form[action="${edit}/photos/${first.id}/delete"]`);
  assert.equal(removed.statusCode, 303);
  assert.equal((await browser.follow(removed)).$('.flash').text(), 'Bild entfernt.');
  assert.deepEqual((await app.services.releases.findById(draft.id))!.photos.map((p) => p.alt), ['Zweites Bild']);
  assert.ok(!existsSync(file));
});

test('a photo upload needs the CSRF token', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const body = multipartBody({ alt: 'x' }, { field: 'photo', filename: 'a.png', contentType: 'image/png', data: await pngImage() });
  const res = await browser.request('POST', `${edit}/photos`, { payload: body.payload, headers: { 'content-type': body.contentType } });
  assert.equal(res.statusCode, 403);
  const { $ } = await browser.get(edit);
  assert.ok(csrfOf($));
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});

test('an upload after the session expired asks to log in and upload again', async (t) => {
  const { app, browser, edit, draft, clock } = await setup(t);
  const { $ } = await browser.get(edit);
  clock.advance(3 * 60 * 60 * 1000);
  const res = await browser.upload($, '#photo-upload', { alt: 'Spät' }, { field: 'photo', filename: 'a.png', contentType: 'image/png', data: await pngImage() });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login');
  const { $: login } = await browser.follow(res);
  assert.match(login('.flash').text(), /laden Sie die Datei noch einmal hoch/);
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});
