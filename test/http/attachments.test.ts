// Attachments as a press officer adds them and as the public gets them: PDF, ODT and DOCX added in
// the editor (checked by content, with a size limit and a required title), listed with title and
// size on the page, in the .txt, as enclosures in every feed format and in the exports, downloadable
// without login under a good name; like photos, unpublished releases' attachments are answered as
// missing files (but through the preview link), withdrawn ones 410.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { officeEditor } from '../helpers/admin.ts';
import { Browser, type UploadFile } from '../helpers/forms.ts';
import { FORMATS, fetchFeed } from '../helpers/feeds.ts';
import { docxDocument, odfDocument, pdfDocument } from '../helpers/documents.ts';
import { renderReleaseMarkdown } from '../../src/content/release-markdown.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';
import { releaseToJson } from '../../src/modules/transfer/release-json.ts';
import { removeMediaLeftovers } from '../../src/modules/media/media.leftovers.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) => {
  const ctx = await officeEditor(t, env);
  const { office } = ctx;
  const draft = await createRelease(ctx.app.services, office.id, { title: 'Haushalt 2026' }, { status: 'draft' });
  const edit = `/admin/offices/stadt/releases/${draft.id}`;
  return { ...ctx, draft, edit };
};

const file = (data: Buffer, filename: string, field = 'attachment'): UploadFile => ({ field, filename, contentType: 'application/octet-stream', data });

const save = async (browser: Browser, edit: string, fields: Record<string, string>, files: UploadFile[] = []) => {
  const { $ } = await browser.get(edit);
  return browser.submitWithFiles($, '#release-form', fields, files, { button: 'upload' });
};

test('a PDF, an ODT and a DOCX are attached with titles, listed on the page and downloaded without login under their title', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  for (const [title, data, name] of [
    ['Haushaltsplan 2026 (Entwurf)', pdfDocument(), 'scan0001.pdf'],
    ['Rede des Landrats', odfDocument(), 'rede.odt'],
    ['Stellenplan', docxDocument(), 'x.docx'],
  ] as const) {
    const res = await save(browser, edit, { 'new-attachment-title': title }, [file(data, name)]);
    assert.equal(res.statusCode, 303, title);
  }
  let release = (await app.services.releases.findById(draft.id))!;
  assert.deepEqual(release.attachments.map((a) => [a.title, a.mime]), [
    ['Haushaltsplan 2026 (Entwurf)', 'application/pdf'],
    ['Rede des Landrats', 'application/vnd.oasis.opendocument.text'],
    ['Stellenplan', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ]);
  const pdf = release.attachments[0]!;
  assert.match(pdf.path, new RegExp(`^releases/${draft.id}/[A-Za-z0-9_-]{16}/haushaltsplan-2026-entwurf\\.pdf$`));
  assert.ok(existsSync(path.join(config.dataDir, 'media', pdf.path)));

  // Reorder: the DOCX first; rename the ODT.
  const [, odt, docx] = release.attachments as [typeof pdf, typeof pdf, typeof pdf];
  assert.equal((await save(browser, edit, { [`attachment-position-${docx.id}`]: '1', [`attachment-position-${pdf.id}`]: '2', [`attachment-position-${odt.id}`]: '3', [`attachment-title-${odt.id}`]: 'Rede des Landrats im Kreistag' })).statusCode, 303);
  release = (await app.services.releases.findById(draft.id))!;
  assert.deepEqual(release.attachments.map((a) => a.title), ['Stellenplan', 'Haushaltsplan 2026 (Entwurf)', 'Rede des Landrats im Kreistag']);

  // Not public yet: the file answers like a missing one to everyone but the office and the preview link.
  const url = `/media/${pdf.path}`;
  const missingUrl = `/media/releases/${draft.id}/AAAAAAAAAAAAAAAA/nichts.pdf`;
  const missing = await app.inject(missingUrl);
  const hidden = await app.inject(url);
  assert.equal(hidden.statusCode, 404);
  assert.equal(hidden.body.replace(encodeURIComponent(url), 'URL'), missing.body.replace(encodeURIComponent(missingUrl), 'URL'));
  assert.equal(hidden.headers['content-disposition'], undefined);
  assert.equal((await browser.request('GET', url)).statusCode, 200);
  const preview = new Browser(app);
  const { $: previewPage } = await preview.get((await browser.get(edit)).$('#preview-link').attr('href')!);
  assert.equal(previewPage('.attachments li').length, 3);
  assert.equal((await preview.request('GET', url)).statusCode, 200);

  // Published: the page lists them with title, format and size; the download needs no login.
  await app.services.releases.publish(draft.id);
  const { $ } = await new Browser(app).get(`/releases/${draft.id}-${release.slug}`);
  assert.deepEqual($('.attachments li').map((_, li) => $(li).text().replace(/\s+/g, ' ').trim()).get(), ['Stellenplan (DOCX, 1 KB)', 'Haushaltsplan 2026 (Entwurf) (PDF, 1 KB)', 'Rede des Landrats im Kreistag (ODT, 1 KB)']);
  assert.equal($('.attachments a').eq(1).attr('href'), url);
  assert.equal($('.attachments a').eq(1).attr('download'), 'Haushaltsplan 2026 (Entwurf).pdf');
  const download = await app.inject(url);
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.equal(download.headers['content-disposition'], `attachment; filename="haushaltsplan-2026-entwurf.pdf"; filename*=UTF-8''Haushaltsplan%202026%20%28Entwurf%29.pdf`);
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
  assert.ok(download.rawPayload.equals(pdfDocument()));

  // The plain text lists every attachment with its address.
  const text = (await app.inject(`/releases/${draft.id}.txt`)).body;
  assert.match(text, new RegExp(`^Anhang: Haushaltsplan 2026 \\(Entwurf\\) \\(PDF, 1 KB\\):\\nhttp://herold\\.test${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(text, /^Anhang: Stellenplan \(DOCX, 1 KB\):/m);

  // Feeds: an enclosure per document, in every format, with type and size.
  for (const format of FORMATS) {
    const item = (await fetchFeed(app, '/offices/stadt', format)).items.find((i) => i.id === `http://herold.test/releases/${draft.id}`)!;
    assert.deepEqual(item.enclosures.map((e) => e.type), [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/pdf',
      'application/vnd.oasis.opendocument.text',
    ], format);
    assert.deepEqual(item.enclosures[1], { url: `http://herold.test${url}`, type: 'application/pdf', length: pdf.bytes }, format);
    assert.match(item.content, /Haushaltsplan 2026 \(Entwurf\)<\/a> \(PDF, 1 KB\)/, format);
  }

  // The exports: Markdown lists them, JSON carries title, type, size and address.
  const view = presentRelease((await app.services.releases.findById(draft.id))!, app.services.urls, { audience: 'office' });
  assert.match(renderReleaseMarkdown(view, { timeZone: 'Europe/Berlin', siteUrl: 'http://herold.test' }), /^- \[Haushaltsplan 2026 \(Entwurf\)\]\(<http:\/\/herold\.test\/media\/.+\.pdf>\) \(PDF, 1 KB\)$/m);
  assert.deepEqual(releaseToJson(view).attachments[1], { name: 'Haushaltsplan 2026 (Entwurf)', url: `http://herold.test${url}`, mime: 'application/pdf', bytes: pdf.bytes });

  // Withdrawn: the page names no attachment, the file answers 410.
  await app.services.releases.withdraw(draft.id, 'Zurückgezogen.');
  const gone = await app.inject(url);
  assert.equal(gone.statusCode, 410);
  assert.equal(gone.headers['content-disposition'], undefined);
  const { $: withdrawn } = await new Browser(app).get(`/releases/${draft.id}-${release.slug}`);
  assert.ok(withdrawn('.withdrawn-notice').length === 1 && withdrawn('.attachments').length === 0);
});

test('a document that is not a PDF, ODT or DOCX is refused by content, a broken one and one over ATTACHMENT_MAX_MB too; a title is required', async (t) => {
  const { app, browser, edit, draft } = await setup(t, { ATTACHMENT_MAX_MB: '1' });
  const refused = async (data: Buffer, name: string, title = 'Ein Anhang') => {
    const res = await save(browser, edit, { 'new-attachment-title': title }, [file(data, name)]);
    assert.equal(res.statusCode, 422, name);
    return cheerio.load(res.body);
  };
  assert.equal((await refused(Buffer.from('<html>kein PDF</html>'), 'bericht.pdf'))('#attachment-error').text(), 'Diese Datei ist kein Dokument im Format PDF, ODT oder DOCX. Andere Formate (etwa DOC, XLSX, ZIP oder Bilder) bitte vorher als PDF speichern.');
  assert.equal((await refused(odfDocument('spreadsheet'), 'tabelle.odt'))('#attachment-error').text(), 'Diese Datei ist kein Dokument im Format PDF, ODT oder DOCX. Andere Formate (etwa DOC, XLSX, ZIP oder Bilder) bitte vorher als PDF speichern.');
  assert.equal((await refused(pdfDocument().subarray(0, 200), 'halb.pdf'))('#attachment-error').text(), 'Das Dokument ist beschädigt oder unvollständig und kann nicht gelesen werden. Bitte laden Sie es erneut hoch.');
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 + 10), Buffer.from('\n%%EOF\n')]);
  assert.equal((await refused(big, 'gross.pdf'))('#attachment-error').text(), 'Das Dokument ist zu groß: höchstens 1 MB sind erlaubt.');
  const $noTitle = await refused(pdfDocument(), 'ohne-titel.pdf', '');
  assert.equal($noTitle('#new-attachment-title-error').text(), 'Bitte ausfüllen.');
  assert.equal($noTitle('.error-summary a[href="#new-attachment-title"]').text(), 'Titel des Anhangs: Bitte ausfüllen.');
  // The limit is printed beside the field.
  assert.equal($noTitle('#attachment-hint').text(), 'PDF, ODT oder DOCX, höchstens 1 MB.');
  assert.equal((await app.services.releases.findById(draft.id))!.attachments.length, 0);
});

test('an attachment is replaced and removed; its old file is deleted', async (t) => {
  const { app, browser, edit, draft, config } = await setup(t);
  assert.equal((await save(browser, edit, { 'new-attachment-title': 'Bericht' }, [file(pdfDocument('alt'), 'a.pdf')])).statusCode, 303);
  const first = (await app.services.releases.findById(draft.id))!.attachments[0]!;
  assert.equal((await save(browser, edit, {}, [file(docxDocument(), 'b.docx', `attachment-file-${first.id}`)])).statusCode, 303);
  const replaced = (await app.services.releases.findById(draft.id))!.attachments[0]!;
  assert.deepEqual([replaced.id, replaced.title, replaced.mime.endsWith('document')], [first.id, 'Bericht', true]);
  assert.ok(!existsSync(path.join(config.dataDir, 'media', first.path)));
  assert.equal((await save(browser, edit, { [`attachment-remove-${first.id}`]: '1' })).statusCode, 303);
  assert.equal((await app.services.releases.findById(draft.id))!.attachments.length, 0);
  assert.ok(!existsSync(path.join(config.dataDir, 'media', replaced.path)));
});

test('the sweep for unfinished uploads at start keeps stored attachments and removes a folder nothing refers to', async (t) => {
  const { app, db, browser, edit, draft, config } = await setup(t);
  assert.equal((await save(browser, edit, { 'new-attachment-title': 'Haushaltsplan' }, [file(pdfDocument(), 'plan.pdf')])).statusCode, 303);
  const [stored] = (await app.services.releases.findById(draft.id))!.attachments;
  const mediaDir = path.join(config.dataDir, 'media');
  const stray = `releases/${draft.id}/BBBBBBBBBBBBBBBB`;
  await mkdir(path.join(mediaDir, stray), { recursive: true });
  await writeFile(path.join(mediaDir, stray, 'halb.pdf'), pdfDocument());

  assert.deepEqual(await removeMediaLeftovers(db.db, mediaDir), [stray]);
  assert.ok(existsSync(path.join(mediaDir, stored!.path)));
  assert.equal(existsSync(path.join(mediaDir, stray)), false);
  assert.equal((await browser.request('GET', `/media/${stored!.path}`)).statusCode, 200);
});

test('the sweep, run while the server takes uploads, removes only what was written before the server started', async (t) => {
  const { db, draft, config } = await setup(t);
  const mediaDir = path.join(config.dataDir, 'media');
  // The server started a minute ago.
  const startedAt = Date.now() - 60 * 1000;
  // Left by the process before: written an hour before this one started.
  const old = [`releases/${draft.id}/.AAAAAAAAAAAAAAAA.tmp`, `releases/${draft.id}/CCCCCCCCCCCCCCCC`];
  // Being written by an upload of this process, not yet recorded.
  const fresh = [`releases/${draft.id}/.DDDDDDDDDDDDDDDD.tmp`, `releases/${draft.id}/EEEEEEEEEEEEEEEE`];
  for (const folder of [...old, ...fresh]) {
    await mkdir(path.join(mediaDir, folder), { recursive: true });
    await writeFile(path.join(mediaDir, folder, 'original.jpg'), 'x');
  }
  const anHourBefore = new Date(startedAt - 60 * 60 * 1000);
  for (const folder of old) await utimes(path.join(mediaDir, folder), anHourBefore, anHourBefore);

  assert.deepEqual((await removeMediaLeftovers(db.db, mediaDir, { writtenBefore: startedAt })).sort(), [...old].sort());
  for (const folder of old) assert.equal(existsSync(path.join(mediaDir, folder)), false);
  for (const folder of fresh) assert.ok(existsSync(path.join(mediaDir, folder)), `${folder} is kept`);
  // Stopped (a shutdown) before it is through: nothing is removed.
  const stopped = new AbortController();
  stopped.abort();
  assert.deepEqual(await removeMediaLeftovers(db.db, mediaDir, { signal: stopped.signal }), []);
  for (const folder of fresh) assert.ok(existsSync(path.join(mediaDir, folder)));
});
