// The office directory's filter box: a GET form, by name or by a contact's town.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock } from '../helpers/factories.ts';

test('the office directory filters by name and town, folded, and says when nothing matches', async (t) => {
  const { app } = await buildTestApp(t);
  const office = (slug: string, name: string, town: string) =>
    app.services.offices.create({ slug, name, descriptionMarkdown: '', website: '', republicationNotice: '' }, [contactBlock({ town })]);
  await office('muenchen', 'Landeshauptstadt München', 'München');
  await office('polizei', 'Polizeipräsidium Oberbayern Süd', 'Rosenheim');
  await office('stadtwerke', 'Stadtwerke Musterhausen', 'Musterhausen');
  const names = async (url: string) => {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, url);
    const $ = cheerio.load(res.body);
    return { $, names: $('.office-card h2 a').map((_, el) => $(el).text()).get() };
  };

  // Unfiltered: every office and an empty, labelled filter box.
  const all = await names('/offices');
  assert.deepEqual(all.names, ['Landeshauptstadt München', 'Polizeipräsidium Oberbayern Süd', 'Stadtwerke Musterhausen']);
  const input = all.$('form.office-filter input[name="q"]');
  assert.equal(all.$('form.office-filter').attr('method'), 'get');
  assert.equal(all.$(`label[for="${input.attr('id')}"]`).text(), 'Pressestellen filtern nach Name oder Ort');
  assert.equal(all.$('#office-filter-count').length, 0);

  // By name, folded (Muenchen = München), by part of a word, by a contact's town.
  assert.deepEqual((await names('/offices?q=Muenchen')).names, ['Landeshauptstadt München']);
  assert.deepEqual((await names('/offices?q=polizei+sud')).names, ['Polizeipräsidium Oberbayern Süd']);
  const byTown = await names('/offices?q=rosenheim');
  assert.deepEqual(byTown.names, ['Polizeipräsidium Oberbayern Süd']);
  assert.equal(byTown.$('#office-filter-count').text(), '1 von 3 Pressestellen');
  assert.equal(byTown.$('form.office-filter input[name="q"]').val(), 'rosenheim');
  assert.equal(byTown.$('form.office-filter a').attr('href'), '/offices');

  const none = await names('/offices?q=%3Cscript%3EHamburg');
  assert.deepEqual(none.names, []);
  assert.equal(none.$('#office-filter-count').text(), 'Keine Pressestelle passt zu „<script>Hamburg“.');
  // Odd input is a filter text, never an error.
  assert.equal((await app.inject('/offices?q=a&q=b')).statusCode, 200);
  assert.equal((await app.inject(`/offices?q=${'x'.repeat(5000)}`)).statusCode, 200);
});
