// Topics and regions in the admin area, as a platform admin uses them: add, rename (name and slug:
// the old page and feeds redirect for good), merge, remove (asking first when releases carry it).
// Every change moves subscriptions and stored searches along, refreshes the search index and the
// page cache, and is written to the platform's audit log. Nobody else may.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { buildTestApp, TEST_NOW } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import type { DB } from '../../src/db/database.ts';

/** A confirmed subscription following the given targets, written directly. */
const follow = async (db: Kysely<DB>, email: string, targets: { kind: 'topic' | 'region' | 'search'; value: string }[]) => {
  const { id } = await db
    .insertInto('subscriptions')
    .values({ email, frequency: 'immediately', token_key: `key-${email}`, confirmed_at: TEST_NOW, consent_json: '{}', consent_ip_hash: null, created_at: TEST_NOW, updated_at: TEST_NOW })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('subscription_targets').values(targets.map((x) => ({ subscription_id: id, ...x }))).execute();
  return id;
};
const targetsOf = async (db: Kysely<DB>, id: number) =>
  (await db.selectFrom('subscription_targets').select(['kind', 'value']).where('subscription_id', '=', id).orderBy('kind').orderBy('value').execute()).map((x) => `${x.kind}:${x.value}`);

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const { services } = ctx.app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await createUser(services, { email: 'root@example.org', isAdmin: true });
  await createUser(services, { email: 'owner@amt.example', officeId: office.id, role: 'owner' });
  const admin = new Browser(ctx.app);
  await admin.login('root@example.org');
  return { ...ctx, office, admin };
};

test('a platform admin adds a topic: it is on /topics at once and in the editor; errors keep what was typed', async (t) => {
  const { app, admin } = await setup(t);
  assert.doesNotMatch((await app.inject('/topics')).body, /Katastrophenschutz/); // cached before
  const { $: list } = await admin.get('/admin/topics');
  assert.equal(list('h1').text(), 'Themen');
  assert.deepEqual(list('tbody tr td:first-child').map((_, el) => list(el).text()).get(), ['Soziales', 'Umwelt', 'Verkehr']);

  const bad = await admin.submitForm('/admin/topics', 'form[action="/admin/topics"]', { name: 'Verkehr', slug: 'Falsch Geschrieben' });
  assert.equal(bad.statusCode, 422);
  const { $ } = await admin.follow(bad);
  assert.equal($('#error-summary a[href="#name"]').text(), 'Einen Eintrag mit diesem Namen gibt es schon.');
  assert.equal($('#error-summary a[href="#slug"]').length, 1);
  assert.equal($('#slug').attr('value'), 'Falsch Geschrieben');
  assert.equal($('#name').attr('aria-invalid'), 'true');

  const added = await admin.submitForm('/admin/topics', 'form[action="/admin/topics"]', { name: 'Katastrophenschutz', slug: '' });
  assert.equal(added.statusCode, 303);
  const { $: after } = await admin.follow(added);
  assert.equal(after('.flash').text(), 'Angelegt.');
  assert.ok(after('tbody a[href="/admin/topics/katastrophenschutz"]').length);
  const topics = await app.inject('/topics');
  assert.match(topics.body, /href="\/topics\/katastrophenschutz"/);
  const editor = await admin.get('/admin/offices/amt/releases/new');
  assert.ok(editor.$('input[name="topics"][value="katastrophenschutz"]').length);
  const audit = await admin.get('/admin/audit');
  assert.match(audit.$('tbody tr').first().text(), /root@example\.org[\s\S]*Thema angelegt[\s\S]*Katastrophenschutz/);
});

test('renaming name and slug: the old page and its feeds redirect (301), releases, search, followers and stored searches follow', async (t) => {
  const { app, db, office, admin } = await setup(t);
  const { services } = app;
  const release = await createRelease(services, office.id, { title: 'Neue Busse im Kreis', topics: ['verkehr'] });
  const reader = await follow(db.db, 'leser@example.org', [{ kind: 'topic', value: 'verkehr' }, { kind: 'search', value: '{"q":"busse","filters":{"topic":"verkehr"}}' }]);
  assert.equal((await app.inject('/topics/verkehr')).statusCode, 200);
  assert.equal((await services.search.search('Mobilität')).total, 0);

  const res = await admin.submitForm('/admin/topics/verkehr', 'form[action="/admin/topics/verkehr"]', { name: 'Mobilität', slug: 'mobilitaet' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/topics/mobilitaet');

  const old = await app.inject('/topics/verkehr?page=1');
  assert.equal(old.statusCode, 301);
  assert.equal(old.headers.location, '/topics/mobilitaet?page=1');
  for (const format of ['rss', 'atom', 'json']) {
    const feed = await app.inject(`/topics/verkehr/feed.${format}?limit=5`);
    assert.equal(feed.statusCode, 301, format);
    assert.equal(feed.headers.location, `/topics/mobilitaet/feed.${format}?limit=5`);
    assert.equal((await app.inject(feed.headers.location)).statusCode, 200);
  }
  const page = await app.inject('/topics/mobilitaet');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Thema: Mobilität/);
  assert.match((await app.inject(`/releases/${release.id}-${release.slug}`)).body, /href="\/topics\/mobilitaet">Mobilität</);
  assert.equal((await services.search.search('Mobilität')).total, 1, 'the index holds the new name');
  assert.equal((await services.search.search('', { topic: 'verkehr' })).total, 1, 'an old slug still filters');
  assert.deepEqual(await targetsOf(db.db, reader), ['search:{"q":"busse","filters":{"topic":"mobilitaet"}}', 'topic:mobilitaet']);
  assert.equal((await app.inject('/topics/gibt-es-nicht')).statusCode, 404);
  // Renaming it back: the slug is the term's again, and its newer name redirects.
  await admin.submitForm('/admin/topics/mobilitaet', 'form[action="/admin/topics/mobilitaet"]', { name: 'Verkehr', slug: 'verkehr' });
  assert.equal((await app.inject('/topics/verkehr')).statusCode, 200);
  assert.equal((await app.inject('/topics/mobilitaet')).headers.location, '/topics/verkehr');
});

test('merging moves releases and followers over; the merged slug redirects', async (t) => {
  const { app, db, office, admin } = await setup(t);
  const { services } = app;
  const a = await createRelease(services, office.id, { title: 'Eins', topics: ['umwelt'] });
  const b = await createRelease(services, office.id, { title: 'Zwei', topics: ['umwelt', 'soziales'] });
  const reader = await follow(db.db, 'leser@example.org', [{ kind: 'topic', value: 'umwelt' }, { kind: 'topic', value: 'soziales' }]);
  const res = await admin.submitForm('/admin/topics/umwelt', 'form[action="/admin/topics/umwelt/merge"]', { into: 'soziales' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/topics/soziales');
  for (const r of [a, b]) assert.deepEqual((await services.releases.findById(r.id))!.topics.map((x) => x.slug), ['soziales']);
  assert.deepEqual(await targetsOf(db.db, reader), ['topic:soziales']);
  assert.equal((await app.inject('/topics/umwelt')).headers.location, '/topics/soziales');
  assert.equal(await services.taxonomies.find('topics', 'umwelt'), undefined);
  const { $ } = await admin.get('/admin/audit');
  assert.match($('tbody tr').first().text(), /Thema zusammengeführt[\s\S]*umwelt → soziales \(2\)/);
  // Into itself: the form says so.
  const self = await admin.submitForm('/admin/topics/soziales', 'form[action="/admin/topics/soziales/merge"]', { into: 'soziales' });
  assert.equal(self.statusCode, 422);
});

test('removing a topic in use asks first, saying how many releases carry it; then it is gone', async (t) => {
  const { app, db, office, admin } = await setup(t);
  const { services } = app;
  const r1 = await createRelease(services, office.id, { title: 'Eins', topics: ['verkehr'] });
  await createRelease(services, office.id, { title: 'Zwei', topics: ['verkehr'] }, { status: 'draft' });
  const reader = await follow(db.db, 'leser@example.org', [{ kind: 'topic', value: 'verkehr' }, { kind: 'region', value: 'nordkreis' }, { kind: 'search', value: '{"q":"","filters":{"topic":"verkehr"}}' }]);

  const asked = await admin.submitForm('/admin/topics/verkehr', 'form[action="/admin/topics/verkehr/remove"]');
  assert.equal(asked.statusCode, 303);
  assert.equal(asked.headers.location, '/admin/topics/verkehr/remove');
  assert.ok(await services.taxonomies.find('topics', 'verkehr'), 'not removed without confirmation');
  const { $ } = await admin.follow(asked);
  assert.equal($('h1').text(), '„Verkehr“ entfernen?');
  assert.match($('main').text(), /2 Pressemitteilungen tragen „Verkehr“, und 1 Abonnements folgen ihm/);

  const removed = await admin.submitLoaded($, 'form[action="/admin/topics/verkehr/remove"]');
  assert.equal(removed.statusCode, 303);
  assert.equal(removed.headers.location, '/admin/topics');
  assert.equal(await services.taxonomies.find('topics', 'verkehr'), undefined);
  assert.deepEqual((await services.releases.findById(r1.id))!.topics, []);
  assert.deepEqual(await targetsOf(db.db, reader), ['region:nordkreis'], 'follows and searches of it end; others stay');
  assert.equal((await app.inject('/topics/verkehr')).statusCode, 404);
  assert.doesNotMatch((await app.inject('/topics')).body, /\/topics\/verkehr"/);

  // An unused one goes at once.
  const unused = await admin.submitForm('/admin/topics/umwelt', 'form[action="/admin/topics/umwelt/remove"]');
  assert.equal(unused.headers.location, '/admin/topics');
  assert.equal(await services.taxonomies.find('topics', 'umwelt'), undefined);
});

test('regions work the same; owners and editors may not manage topics or regions', async (t) => {
  const { app, admin } = await setup(t);
  const res = await admin.submitForm('/admin/regions', 'form[action="/admin/regions"]', { name: 'Westkreis', slug: 'west' });
  assert.equal(res.statusCode, 303);
  assert.match((await app.inject('/regions')).body, /href="\/regions\/west"/);

  const owner = new Browser(app);
  await owner.login('owner@amt.example');
  const csrf = csrfOf((await owner.get('/admin/offices/amt')).$);
  for (const url of ['/admin/topics', '/admin/regions', '/admin/topics/verkehr', '/admin/topics/verkehr/remove', '/admin/audit']) assert.equal((await owner.get(url)).res.statusCode, 403, url);
  for (const url of ['/admin/topics', '/admin/topics/verkehr', '/admin/topics/verkehr/merge', '/admin/topics/verkehr/remove']) {
    assert.equal((await owner.request('POST', url, { form: { _csrf: csrf, name: 'X', slug: 'x', into: 'soziales', confirm: 'yes' } })).statusCode, 403, url);
  }
  assert.ok(await app.services.taxonomies.find('topics', 'verkehr'));
  assert.equal(await app.services.taxonomies.find('topics', 'x'), undefined);
});
