// Photos in the editor, inside its one form: upload (content sniffed, size limit), alt text
// required, caption and credit, place, replace and remove, saved with the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { csrfOf, officeEditor, pngImage } from '../helpers/admin.ts';
import { Browser, multipartBody, type UploadFile } from '../helpers/forms.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) => {
  const ctx = await officeEditor(t, env);
  const { office } = ctx;
  const draft = await createRelease(ctx.app.services, office.id, { title: 'Mit Bildern' }, { status: 'draft' });
  const edit = `/admin/offices/stadt/releases/${draft.id}`;
  return { ...ctx, draft, edit };
};

const png = async (name = 'radweg.png', width = 640, height = 480): Promise<UploadFile> => ({ field: 'photo', filename: name, contentType: 'image/png', data: await pngImage(width, height) });

/** Saves the editor of `edit` with `fields` changed and `files` chosen, as the "upload and save" button does. */
const save = async (browser: Browser, edit: string, fields: Record<string, string | string[]>, files: UploadFile[] = []) => {
  const { $ } = await browser.get(edit);
  return browser.submitWithFiles($, '#release-form', fields, files, { button: 'upload' });
};

test('a photo is uploaded with alt text, caption and credit, and shown in the editor and the preview', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  const res = await save(browser, edit, { 'new-alt': 'Radweg am Fluss', 'new-caption': 'Der neue Radweg.', 'new-credit': 'Stadt' }, [await png()]);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `${edit}#files`);
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Gespeichert.');
  const photo = (await app.services.releases.findById(draft.id))!.photos[0]!;
  assert.deepEqual([photo.alt, photo.caption, photo.credit, photo.width, photo.height, photo.mime], ['Radweg am Fluss', 'Der neue Radweg.', 'Stadt', 640, 480, 'image/png']);
  assert.match(photo.path, new RegExp(`^releases/${draft.id}/`));
  assert.ok(existsSync(path.join(config.dataDir, 'media', photo.path)));
  assert.equal($(`#photo-${photo.id} img`).attr('alt'), 'Radweg am Fluss');
  assert.equal($(`#alt-${photo.id}`).val(), 'Radweg am Fluss');
  const preview = cheerio.load((await app.inject({ method: 'GET', url: $('#preview-link').attr('href')! })).body);
  assert.match(preview('figure.photo figcaption').text(), /Der neue Radweg\./);
});

test('with MEDIA_DIR, uploads are stored in that folder and served from it', async (t) => {
  const shared = await mkdtemp(path.join(tmpdir(), 'herold-media-'));
  t.after(() => rm(shared, { recursive: true, force: true }));
  const { app, browser, edit, draft, config } = await setup(t, { MEDIA_DIR: shared });
  const res = await save(browser, edit, { 'new-alt': 'Radweg am Fluss' }, [await png()]);
  assert.equal(res.statusCode, 303);
  const photo = (await app.services.releases.findById(draft.id))!.photos[0]!;
  assert.ok(existsSync(path.join(shared, photo.path)));
  assert.ok(!existsSync(path.join(config.dataDir, 'media', photo.path)));
  const { $ } = await browser.follow(res);
  const src = $(`#photo-${photo.id} img`).attr('src')!;
  const image = await browser.get(src);
  assert.equal(image.res.statusCode, 200);
  assert.match(String(image.res.headers['content-type']), /^image\//);
});

test('the alt text is required and a file that is not an image is refused, by content not by name; what was typed stays', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const noAlt = await save(browser, edit, { 'new-alt': '', 'new-caption': 'Ohne Alt', bodyMarkdown: 'Neuer Text, noch nicht gespeichert.' }, [await png('a.png')]);
  assert.equal(noAlt.statusCode, 422);
  const $noAlt = cheerio.load(noAlt.body);
  assert.equal($noAlt('#new-alt-error').text(), 'Bitte ausfüllen.');
  assert.equal($noAlt('#new-caption').val(), 'Ohne Alt');
  assert.equal($noAlt('#bodyMarkdown').text(), 'Neuer Text, noch nicht gespeichert.');
  // The file must be chosen again: the page says so.
  assert.match($noAlt('#files-not-kept').text(), /erneut aus/);
  // The error summary names the field and links to it.
  assert.equal($noAlt('.error-summary a[href="#new-alt"]').text(), 'Alternativtext: Bitte ausfüllen.');

  const fake = await save(browser, edit, { 'new-alt': 'Ein Bild' }, [{ field: 'photo', filename: 'bild.jpg', contentType: 'image/jpeg', data: Buffer.from('<html>kein Bild</html>') }]);
  assert.equal(fake.statusCode, 422);
  assert.equal(cheerio.load(fake.body)('#photo-error').text(), 'Diese Datei ist kein Bild im Format JPEG, PNG oder WebP. Andere Formate (etwa SVG, GIF, HEIC) bitte vorher umwandeln.');
  const none = await save(browser, edit, { 'new-alt': 'Ein Bild' });
  assert.equal(none.statusCode, 422);
  assert.equal(cheerio.load(none.body)('#photo-error').text(), 'Bitte eine Bilddatei auswählen.');
  const release = (await app.services.releases.findById(draft.id))!;
  assert.equal(release.photos.length, 0);
  assert.equal(release.title, 'Mit Bildern');
});

test('a file over the size limit gets a clear message', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const big = Buffer.concat([await pngImage(), Buffer.alloc(21 * 1024 * 1024)]);
  const res = await save(browser, edit, { 'new-alt': 'Zu groß' }, [{ field: 'photo', filename: 'gross.png', contentType: 'image/png', data: big }]);
  assert.equal(res.statusCode, 422);
  assert.equal(cheerio.load(res.body)('#photo-error').text(), 'Das Bild ist zu groß: höchstens 20 MB sind erlaubt.');
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});

test('photo words are edited, photos reordered, replaced and removed, with the text in one save', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  for (const alt of ['Erstes', 'Zweites']) assert.equal((await save(browser, edit, { 'new-alt': alt }, [await png(`${alt}.png`)])).statusCode, 303);
  let photos = (await app.services.releases.findById(draft.id))!.photos;
  assert.deepEqual(photos.map((p) => p.alt), ['Erstes', 'Zweites']);
  const [first, second] = photos as [(typeof photos)[0], (typeof photos)[0]];

  const emptyAlt = await save(browser, edit, { [`alt-${second.id}`]: '' });
  assert.equal(emptyAlt.statusCode, 422);
  assert.equal(cheerio.load(emptyAlt.body)(`#alt-${second.id}-error`).text(), 'Bitte ausfüllen.');
  assert.equal(cheerio.load(emptyAlt.body)(`.error-summary a[href="#alt-${second.id}"]`).text(), 'Bild 2, Alternativtext: Bitte ausfüllen.');

  const words = await save(browser, edit, { title: 'Mit Bildern, neu', [`alt-${second.id}`]: 'Zweites Bild', [`caption-${second.id}`]: 'Neue Unterschrift', [`credit-${second.id}`]: 'Foto: Amt', [`position-${second.id}`]: '1', [`position-${first.id}`]: '2' });
  assert.equal(words.statusCode, 303);
  let release = (await app.services.releases.findById(draft.id))!;
  assert.equal(release.title, 'Mit Bildern, neu');
  assert.deepEqual(release.photos.map((p) => [p.alt, p.caption, p.position]), [['Zweites Bild', 'Neue Unterschrift', 0], ['Erstes', '', 1]]);

  // Replace the (now second) first photo with a larger picture: the same photo, a new file; the old one is gone.
  const oldFile = path.join(config.dataDir, 'media', first.path);
  assert.ok(existsSync(oldFile));
  const replaced = await save(browser, edit, {}, [{ ...(await png('neu.png', 800, 600)), field: `file-${first.id}` }]);
  assert.equal(replaced.statusCode, 303);
  release = (await app.services.releases.findById(draft.id))!;
  const renewed = release.photos.find((p) => p.id === first.id)!;
  assert.deepEqual([renewed.width, renewed.alt], [800, 'Erstes']);
  assert.ok(!existsSync(oldFile));

  const removed = await save(browser, edit, { [`remove-${first.id}`]: '1' });
  assert.equal(removed.statusCode, 303);
  assert.deepEqual((await app.services.releases.findById(draft.id))!.photos.map((p) => p.alt), ['Zweites Bild']);
  assert.ok(!existsSync(path.join(config.dataDir, 'media', renewed.path)));
});

test('a photo can be added before the first save: with the new release', async (t) => {
  const { app, browser, office } = await setup(t);
  const { $ } = await browser.get('/admin/offices/stadt/releases/new');
  const res = await browser.submitWithFiles($, '#release-form', { title: 'Neu mit Bild', bodyMarkdown: 'Text.', 'new-alt': 'Das Bild' }, [await png()], { button: 'upload' });
  assert.equal(res.statusCode, 303);
  const id = Number(/releases\/(\d+)#files$/.exec(String(res.headers.location))![1]);
  const release = (await app.services.releases.findById(id))!;
  assert.equal(release.office.id, office.id);
  assert.deepEqual([release.title, release.photos[0]?.alt], ['Neu mit Bild', 'Das Bild']);
});

test('the editor needs the CSRF token, also as multipart', async (t) => {
  const { app, browser, edit, draft } = await setup(t);
  const body = multipartBody({ title: 'x', 'new-alt': 'x' }, await png());
  const res = await browser.request('POST', edit, { payload: body.payload, headers: { 'content-type': body.contentType } });
  assert.equal(res.statusCode, 403);
  const { $ } = await browser.get(edit);
  assert.ok(csrfOf($));
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});

test('a save with a file after the session expired keeps what was typed and asks to choose the file again', async (t) => {
  const { app, browser, edit, draft, clock } = await setup(t);
  const { $ } = await browser.get(edit);
  clock.advance(3 * 60 * 60 * 1000);
  const res = await browser.submitWithFiles($, '#release-form', { title: 'Spät geändert', 'new-alt': 'Spät' }, [await png()]);
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /^\/login\?resume=/);
  const { $: login } = await browser.follow(res);
  assert.match(login('.flash').text(), /Dateien wählen Sie bitte noch einmal aus/);
  await browser.login('anna@example.org');
  const resume = new URL(String(res.headers.location), 'http://herold.test').searchParams.get('resume')!;
  const { $: resumed } = await browser.get(`/admin/resume/${resume}`);
  assert.equal(resumed('#title').val(), 'Spät geändert');
  assert.equal(resumed('#new-alt').val(), 'Spät');
  assert.equal((await app.services.releases.findById(draft.id))!.photos.length, 0);
});
