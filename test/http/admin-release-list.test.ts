// The admin area's list of all of an office's releases: the dashboard shows the newest only, and an
// older release is found here, in pages, by what its title contains, to be corrected or withdrawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

test('all of an office’s releases in pages of 50, newest change first, filtered by their titles; never another office’s', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  const other = await createOffice(services, { slug: 'kreis', name: 'Landkreis Musterland' });
  await createUser(services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const start = Date.parse(clock.now().toISOString());
  const at = (minutes: number) => clock.set(new Date(start + minutes * 60_000).toISOString());
  at(-1);
  const drill = await createRelease(services, office.id, { title: 'Feuerwehr übt den Ernstfall' });
  at(0);
  const old = await createRelease(services, office.id, { title: 'Die alte Brücke über die Fulda' });
  for (let i = 1; i <= 52; i++) {
    at(i);
    await createRelease(services, office.id, { title: `Meldung ${i}` }, i === 2 ? { status: 'draft' } : undefined);
  }
  at(60);
  await createRelease(services, other.id, { title: 'Die Brücke im Kreis' });
  const browser = new Browser(app);
  await browser.login('anna@example.org');

  // Linked from the dashboard and the navigation.
  const dashboard = await browser.get('/admin/offices/stadt');
  assert.ok(dashboard.$('a[href="/admin/offices/stadt/releases"]').length >= 2, 'linked from the dashboard and the navigation');
  assert.ok(!dashboard.$('.release-edit').map((_, a) => dashboard.$(a).text()).get().includes(old.title), 'the dashboard shows the newest 30 published only');

  const titles = (page: Awaited<ReturnType<Browser['get']>>) => page.$('.release-row .release-edit').map((_, a) => page.$(a).text()).get();
  const first = await browser.get('/admin/offices/stadt/releases');
  assert.equal(first.res.statusCode, 200);
  assert.equal(first.$('h1').text(), 'Alle Mitteilungen: Stadt Musterhausen');
  assert.equal(first.$('nav a[aria-current="page"]').text(), 'Alle Mitteilungen');
  assert.equal(first.$('#release-count').text(), '54 Mitteilungen');
  assert.equal(titles(first).length, 50);
  assert.deepEqual(titles(first).slice(0, 2), ['Meldung 52', 'Meldung 51']);
  assert.equal(first.$('nav.pagination span').text(), 'Seite 1 von 2');
  const older = first.$('nav.pagination a[rel="next"]').attr('href')!;
  assert.equal(older, '/admin/offices/stadt/releases?page=2');

  const second = await browser.get(older);
  assert.deepEqual(titles(second), ['Meldung 2', 'Meldung 1', old.title, drill.title]);
  assert.equal(second.$('.release-row').eq(0).find('.status').text(), 'Entwurf');
  assert.equal(second.$('.release-row').eq(2).find('.release-edit').attr('href'), `/admin/offices/stadt/releases/${old.id}`);
  assert.equal(second.$('.release-row').eq(2).find('a').last().attr('href'), `/releases/${old.id}-${old.slug}`);

  // Filtered as searches fold text: case, umlauts written out. The other office's bridge is not listed.
  const filtered = await browser.get('/admin/offices/stadt/releases?q=BRUECKE');
  assert.deepEqual(titles(filtered), [old.title]);
  assert.equal(filtered.$('#release-count').text(), '1 Mitteilung, deren Titel „BRUECKE“ enthält');
  assert.equal(filtered.$('#release-filter-q').val(), 'BRUECKE', 'the filter keeps what was typed');
  // A piece of a word, whichever way it folds (no vowel before the ue of uerwehr), and accents left out.
  assert.deepEqual(titles(await browser.get('/admin/offices/stadt/releases?q=uerwehr')), [drill.title]);
  assert.deepEqual(titles(await browser.get('/admin/offices/stadt/releases?q=brucke')), [old.title]);
  // Punctuation alone filters nothing, and the page says so.
  const marks = await browser.get('/admin/offices/stadt/releases?q=%E2%80%93%21');
  assert.match(marks.$('.notice').text(), /keinen Buchstaben und keine Ziffer/);
  assert.equal(marks.$('#release-count').text(), '54 Mitteilungen');
  assert.equal(marks.$('#release-filter-q').val(), '–!');
  const none = await browser.get('/admin/offices/stadt/releases?q=Kreis');
  assert.deepEqual(titles(none), []);
  assert.equal(none.$('.empty').text(), 'Keine Mitteilung gefunden.');
  // From the list to the release: its editor opens.
  assert.equal((await browser.get(`/admin/offices/stadt/releases/${old.id}`)).res.statusCode, 200);

  // A page past the last goes to the last; an invalid address shows the first page and says so.
  const beyond = await browser.get('/admin/offices/stadt/releases?page=9');
  assert.equal(beyond.res.headers.location, '/admin/offices/stadt/releases?page=2');
  assert.deepEqual(titles(await browser.follow(beyond.res)), ['Meldung 2', 'Meldung 1', old.title, drill.title]);
  for (const url of ['/admin/offices/stadt/releases?page=abc', `/admin/offices/stadt/releases?q=${'x'.repeat(201)}`]) {
    const invalid = await browser.get(url);
    assert.equal(invalid.res.statusCode, 200, url);
    assert.match(invalid.$('.notice').text(), /ungültige Seitenzahl oder einen zu langen Suchtext/);
    assert.equal(titles(invalid).length, 50);
  }

  // Not for the public, nor for an editor of another office.
  assert.equal((await app.inject({ method: 'GET', url: '/admin/offices/stadt/releases' })).statusCode, 303);
  await createUser(services, { email: 'kurt@example.org', officeId: other.id, role: 'editor' });
  const stranger = new Browser(app);
  await stranger.login('kurt@example.org');
  const refused = await stranger.get('/admin/offices/stadt/releases');
  assert.notEqual(refused.res.statusCode, 200);
  assert.ok(!refused.res.body.includes(old.title));
});

test('the dashboard lists every draft and scheduled release, however many releases changed since', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'stadt', name: 'Stadt Musterhausen' });
  await createUser(services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const start = Date.parse(clock.now().toISOString());
  const at = (minutes: number) => clock.set(new Date(start + minutes * 60_000).toISOString());
  at(0);
  const draft = await createRelease(services, office.id, { title: 'Ein vergessener Entwurf' }, { status: 'draft' });
  const scheduled = await createRelease(services, office.id, { title: 'Lange geplant' }, { status: 'scheduled', publishAt: '2027-06-01T08:00:00.000Z' });
  for (let i = 1; i <= 201; i++) {
    at(i);
    await createRelease(services, office.id, { title: `Meldung ${i}` });
  }
  const browser = new Browser(app);
  await browser.login('anna@example.org');
  const { $ } = await browser.get('/admin/offices/stadt');
  const group = (key: string) => $(`#${key} .release-edit`).map((_, a) => $(a).text()).get();
  assert.deepEqual(group('drafts'), [draft.title]);
  assert.deepEqual(group('scheduled'), [scheduled.title]);
  assert.equal(group('published').length, 30);
  assert.equal(group('published')[0], 'Meldung 201');
});
