// Finding 12 of the attack on a running instance (issue 20), the smaller things about input: NFC
// and NFD forms of one title gave two slugs; release dates 0000-01-01 and 9999-12-31 were accepted
// but their archive links answered 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { ValidationError } from '../../src/lib/errors.ts';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'amt', name: 'Amt' });
  await createUser(ctx.app.services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  const browser = new Browser(ctx.app);
  await browser.login('anna@amt.example');
  return { ...ctx, office, browser };
};

test('a title typed in NFD is stored in NFC and gets the slug of the NFC title', async (t) => {
  const { app, browser, office } = await setup(t);
  const composed = 'Müller prüft Straßen in Köln';
  const decomposed = composed.normalize('NFD');
  assert.notEqual(decomposed, composed);
  const ids: number[] = [];
  for (const title of [composed, decomposed]) {
    const res = await browser.submitForm('/admin/offices/amt/releases/new', '#release-form', { title, dateline: 'Köln'.normalize('NFD'), bodyMarkdown: `Text über ${title}.` }, { button: 'save' });
    assert.equal(res.statusCode, 303);
    ids.push(Number(/\/releases\/(\d+)$/.exec(String(res.headers.location))![1]));
  }
  const [a, b] = await Promise.all(ids.map((id) => app.services.releases.findById(id)));
  assert.equal(a!.slug, 'mueller-prueft-strassen-in-koeln');
  assert.equal(b!.slug, a!.slug);
  assert.equal(b!.title, composed);
  assert.equal(b!.dateline, 'Köln');
  assert.equal(b!.bodyMarkdown, `Text über ${composed}.`);
  assert.equal((await app.services.releases.listForOffice(office.id)).length, 2);
});

test('release dates lie between 1900 and 2200; the archive link of each accepted one works', async (t) => {
  const { app, browser, office } = await setup(t);
  for (const date of ['0000-01-01', '9999-12-31', '1899-12-31', '2201-01-01']) {
    const res = await browser.submitForm('/admin/offices/amt/releases/new', '#release-form', { title: `Datum ${date}`, releaseDate: date, bodyMarkdown: 'Text.' }, { button: 'save' });
    assert.equal(res.statusCode, 422, date);
    const $ = cheerio.load(res.body);
    assert.equal($('#releaseDate-error').text(), 'Bitte ein gültiges Datum angeben.', date);
    // What was typed stays.
    assert.equal($('#title').attr('value'), `Datum ${date}`);
    await assert.rejects(app.services.releases.create(office.id, releaseInput({ releaseDate: date })), ValidationError);
  }
  for (const date of ['1900-01-01', '2200-12-31']) {
    const release = await createRelease(app.services, office.id, { title: `Grenzfall ${date}`, releaseDate: date });
    const archive = cheerio.load((await app.inject('/archive')).body);
    const href = archive(`a[href="/archive/${date.slice(0, 4)}/${date.slice(5, 7)}"]`).attr('href');
    assert.ok(href, `archive links ${date}`);
    const month = await app.inject(href);
    assert.equal(month.statusCode, 200, href);
    assert.ok(cheerio.load(month.body)(`a[href="/releases/${release.id}-${release.slug}"]`).length > 0, href);
  }
});
