// The editor that loses nothing (issue 13, item 7), as far as it holds without a browser: limits
// printed beside the fields, an error summary that names each field and links to it, the slug
// editable until the first publication (checked, unique in the office), "copy as a new draft".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { officeEditor } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const setup = officeEditor;

test('every limited field prints its limit; a title too long says the limit and keeps the text; the summary names and links each field', async (t) => {
  const { browser } = await setup(t);
  const { $ } = await browser.get('/admin/offices/stadt/releases/new');
  assert.equal($('#title-limit').text(), 'Höchstens 250 Zeichen.');
  assert.equal($('#bodyMarkdown-limit').text(), 'Höchstens 100.000 Zeichen.');
  assert.equal($('#title').attr('aria-describedby'), 'title-limit');
  assert.equal($('#title').attr('data-limit'), '250');
  const long = 'Ü'.repeat(288);
  const res = await browser.submitLoaded($, '#release-form', { title: long, bodyMarkdown: '' }, { button: 'save' });
  assert.equal(res.statusCode, 422);
  const $res = cheerio.load(res.body);
  assert.equal($res('#title').val(), long);
  assert.equal($res('#title-limit').text(), 'Höchstens 250 Zeichen.');
  assert.deepEqual($res('.error-summary li a').map((_, a) => [[$res(a).attr('href'), $res(a).text()]]).get(), [
    ['#title', 'Titel: Der Text ist zu lang.'],
    ['#bodyMarkdown', 'Text: Bitte ausfüllen.'],
  ]);
  // Each link leads to a field with that id.
  for (const href of $res('.error-summary a').map((_, a) => $res(a).attr('href')).get()) assert.equal($res(href).length, 1, href);
});

test('the slug can be edited until the first publication: checked, and unique in the office', async (t) => {
  const { app, browser, office } = await setup(t);
  const other = await createRelease(app.services, office.id, { title: 'Andere Mitteilung' }, { status: 'draft' });
  await app.services.releases.update(other.id, { ...(await import('../helpers/factories.ts')).releaseInput({ title: 'Andere Mitteilung' }) }, undefined, undefined, { slug: 'vergeben' });
  const draft = await createRelease(app.services, office.id, { title: 'Neue Brücke' }, { status: 'draft' });
  const edit = `/admin/offices/stadt/releases/${draft.id}`;
  const { $ } = await browser.get(edit);
  assert.equal($('#slug').val(), 'neue-bruecke');
  assert.match($('#slug-hint').text(), new RegExp(`/releases/${draft.id}-`));
  const bad = await browser.submitLoaded($, '#release-form', { slug: 'Neue Brücke!' }, { button: 'save' });
  assert.equal(bad.statusCode, 422);
  assert.equal(cheerio.load(bad.body)('#slug-error').text(), 'Bitte nur Kleinbuchstaben, Ziffern und Bindestriche verwenden (höchstens 100 Zeichen).');
  const taken = await browser.submitLoaded($, '#release-form', { slug: 'vergeben' }, { button: 'save' });
  assert.equal(taken.statusCode, 422);
  assert.equal(cheerio.load(taken.body)('#slug-error').text(), 'Dieser Kurzname ist schon vergeben.');
  const ok = await browser.submitLoaded($, '#release-form', { slug: 'bruecke-am-fluss' }, { button: 'save' });
  assert.equal(ok.statusCode, 303);
  assert.equal((await app.services.releases.findById(draft.id))!.slug, 'bruecke-am-fluss');
  // Published: the slug is the address now, and the correction form has no slug field.
  await app.services.releases.publish(draft.id);
  assert.equal((await app.inject(`/releases/${draft.id}-bruecke-am-fluss`)).statusCode, 200);
  const { $: correct } = await browser.get(`${edit}/correct`);
  assert.equal(correct('#title').length, 1);
  assert.equal(correct('#slug').length, 0);
});

test('a release is copied as a new draft with its text, terms and contact', async (t) => {
  const { app, browser, office } = await setup(t);
  const original = await createRelease(app.services, office.id, { title: 'Jahresbericht 2025', subtitle: 'Zahlen und Fakten' });
  const edit = `/admin/offices/stadt/releases/${original.id}`;
  const res = await browser.submitForm(edit, `form[action="${edit}/duplicate"]`);
  assert.equal(res.statusCode, 303);
  const copyId = Number(/releases\/(\d+)$/.exec(String(res.headers.location))![1]);
  assert.notEqual(copyId, original.id);
  const { $ } = await browser.follow(res);
  assert.equal($('.flash').text(), 'Als neuer Entwurf angelegt. Bilder und Anhänge werden nicht mitkopiert.');
  assert.equal($('#title').val(), 'Jahresbericht 2025');
  const copy = (await app.services.releases.findById(copyId))!;
  assert.deepEqual([copy.status, copy.subtitle, copy.bodyMarkdown, copy.contact], ['draft', 'Zahlen und Fakten', original.bodyMarkdown, original.contact]);
  assert.equal((await app.services.releases.findById(original.id))!.status, 'published');
});
