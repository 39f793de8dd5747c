// The public JSON API (/api/v1): lists in stable cursor pages, the search's filters, a sync by
// `updated_since` (withdrawn releases included), one release complete, offices, topics and
// regions; the site's visibility; answers from the page cache with ETag/304 and Cache-Control;
// CORS for reads; the per-address rate limit with its RateLimit-* fields; problem documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { contactBlock, createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';

const json = async (app: FastifyInstance, url: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url, headers });
  return { res, body: res.body ? JSON.parse(res.body) : null };
};

/** Every page of a list, following `next`; the titles in order. */
const walk = async (app: FastifyInstance, first: string, between?: () => Promise<void>) => {
  const titles: string[] = [];
  let url: string | null = first;
  for (let i = 0; url && i < 50; i++) {
    const { res, body } = await json(app, url.replace('http://herold.test', ''));
    assert.equal(res.statusCode, 200, url);
    titles.push(...body.items.map((r: { title: string }) => r.title));
    if (body.next) assert.equal(res.headers.link, `<${body.next}>; rel="next"`);
    else assert.equal(res.headers.link, undefined);
    url = body.next;
    await between?.();
  }
  return titles;
};

test('the release list comes in stable cursor pages: releases published meanwhile neither repeat nor shift what follows', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt' });
  for (let i = 1; i <= 7; i++) {
    await createRelease(services, office.id, { title: `Mitteilung ${i}` });
    clock.advance(60_000);
  }
  const expected = ['Mitteilung 7', 'Mitteilung 6', 'Mitteilung 5', 'Mitteilung 4', 'Mitteilung 3', 'Mitteilung 2', 'Mitteilung 1'];
  assert.deepEqual(await walk(app, '/api/v1/releases?limit=3'), expected);
  // A new release after each page: the walk still sees each of the seven exactly once, in order.
  let n = 0;
  const during = await walk(app, '/api/v1/releases?limit=3', async () => {
    clock.advance(60_000);
    await createRelease(services, office.id, { title: `Neu ${++n}` });
  });
  assert.deepEqual(during, expected);
  // Releases published in the same second keep the order of their ids.
  for (let i = 1; i <= 4; i++) await createRelease(services, office.id, { title: `Gleichzeitig ${i}` });
  const same = await walk(app, '/api/v1/releases?limit=1');
  assert.deepEqual(same.slice(0, 4), ['Gleichzeitig 4', 'Gleichzeitig 3', 'Gleichzeitig 2', 'Gleichzeitig 1']);
  assert.equal(new Set(same).size, same.length);
  // `next` keeps the request's parameters.
  const { body } = await json(app, '/api/v1/releases?office=amt&limit=2&language=de');
  assert.match(body.next, /^http:\/\/herold\.test\/api\/v1\/releases\?office=amt&language=de&limit=2&cursor=[\w-]+$/);
});

test('one release complete, as every channel shows it; drafts and scheduled releases are not found; a withdrawn one says so', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const draft = await createRelease(services, office.id, { title: 'Entwurf: Geheim' }, { status: 'draft' });
  await services.releaseFiles.addPhoto(draft.id, {
    path: `releases/${draft.id}/k/original.jpg`, alt: 'Ein Radweg', caption: 'Der neue Radweg', credit: 'Kreisamt', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 240_000,
    variants: [{ width: 480, height: 320, webp: `releases/${draft.id}/k/480.webp`, jpeg: `releases/${draft.id}/k/480.jpg` }],
  });
  const scheduled = await createRelease(services, office.id, { title: 'Sperrfrist: Geheim' }, { status: 'scheduled', publishAt: '2026-03-11T08:00:00.000Z' });
  for (const id of [draft.id, scheduled.id, 999]) {
    const { res, body } = await json(app, `/api/v1/releases/${id}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(body, { type: 'http://herold.test/api#problem-not-found', title: 'Nicht gefunden', status: 404, detail: body.detail, instance: `/api/v1/releases/${id}` });
    assert.ok(!res.body.includes('Geheim'));
  }
  const list = await json(app, '/api/v1/releases');
  assert.deepEqual(list.body.items, [], 'neither is listed');

  await services.releases.update(draft.id, releaseInput({ title: 'Neue Radwege', subtitle: 'Baubeginn im April', topics: ['verkehr'], regions: ['nordkreis'], contact: contactBlock({ name: 'Jana Beispiel' }) }));
  await services.releases.publish(draft.id);
  await services.releases.correct(draft.id, releaseInput({ title: 'Neue Radwege', subtitle: 'Baubeginn im Mai', topics: ['verkehr'], regions: ['nordkreis'], contact: contactBlock({ name: 'Jana Beispiel' }) }), 'Der Monat war falsch.');
  const { res, body } = await json(app, `/api/v1/releases/${draft.id}`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(body.title, 'Neue Radwege');
  assert.equal(body.subtitle, 'Baubeginn im Mai');
  assert.equal(body.status, 'published');
  assert.equal(body.links.page, `http://herold.test/releases/${draft.id}-neue-radwege`);
  assert.equal(body.links.api, `http://herold.test/api/v1/releases/${draft.id}`);
  assert.deepEqual(body.photos.map((p: { caption: string; credit: string; original: string; sizes: { width: number; jpeg: string }[] }) => [p.caption, p.credit, p.original, p.sizes.map((s) => [s.width, s.jpeg])]), [
    ['Der neue Radweg', 'Kreisamt', `http://herold.test/media/releases/${draft.id}/k/original.jpg`, [[480, `http://herold.test/media/releases/${draft.id}/k/480.jpg`]]],
  ]);
  assert.equal(body.contact.name, 'Jana Beispiel');
  assert.equal(body.notice, 'Abdruck honorarfrei.');
  assert.deepEqual(body.corrections.map((c: { note: string }) => c.note), ['Der Monat war falsch.']);
  assert.deepEqual(body.topics, [{ slug: 'verkehr', name: 'Verkehr', url: 'http://herold.test/topics/verkehr' }]);
  assert.deepEqual(body.attachments, []);
  assert.equal(body.withdrawn, null);
  assert.ok(body.body.html.includes('<strong>neue Radwege</strong>'));

  await services.releases.withdraw(draft.id, 'Der Bau ist verschoben.');
  const gone = await json(app, `/api/v1/releases/${draft.id}`);
  assert.equal(gone.res.statusCode, 200);
  assert.equal(gone.body.status, 'withdrawn');
  assert.equal(gone.body.withdrawn.note, 'Der Bau ist verschoben.');
  assert.equal(gone.body.title, 'Neue Radwege');
  assert.deepEqual([gone.body.body.text, gone.body.photos, gone.body.corrections, gone.body.notice], ['', [], [], '']);
  assert.deepEqual((await json(app, '/api/v1/releases')).body.items, [], 'a withdrawn release leaves the list');
});

test('filters: offices, topic (old slugs too), region, language, release dates, and a search with its own cursor', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const amt = await createOffice(services, { slug: 'amt' });
  const stadt = await createOffice(services, { slug: 'stadt' });
  const other = await createOffice(services, { slug: 'drittes' });
  await createRelease(services, amt.id, { title: 'Brückenbau am Fluss', topics: ['verkehr'], regions: ['nordkreis'], releaseDate: '2026-03-01' });
  await createRelease(services, stadt.id, { title: 'Brückenbau im Park', topics: ['umwelt'], regions: ['suedkreis'], releaseDate: '2026-03-05', language: 'en' });
  await createRelease(services, other.id, { title: 'Haushalt', releaseDate: '2026-02-01' });
  const titles = async (query: string) => {
    const { res, body } = await json(app, `/api/v1/releases?${query}`);
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    return body.items.map((r: { title: string }) => r.title).sort();
  };
  assert.deepEqual(await titles('office=amt&office=stadt'), ['Brückenbau am Fluss', 'Brückenbau im Park']);
  assert.deepEqual(await titles('topic=verkehr'), ['Brückenbau am Fluss']);
  assert.deepEqual(await titles('region=suedkreis'), ['Brückenbau im Park']);
  assert.deepEqual(await titles('language=en'), ['Brückenbau im Park']);
  assert.deepEqual(await titles('from=2026-03-01&to=2026-03-04'), ['Brückenbau am Fluss']);
  assert.deepEqual(await titles('to=2026-02-28'), ['Haushalt']);
  assert.deepEqual(await titles('q=Brückenbau'), ['Brückenbau am Fluss', 'Brückenbau im Park']);
  assert.deepEqual(await titles('q=Brückenbau&office=stadt'), ['Brückenbau im Park']);
  // A renamed topic's old slug still filters.
  await services.taxonomies.rename('topics', 'verkehr', { slug: 'mobilitaet', name: 'Mobilität' });
  assert.deepEqual(await titles('topic=verkehr'), ['Brückenbau am Fluss']);
  // A search walks in release-date order, page by page.
  assert.deepEqual(await walk(app, '/api/v1/releases?q=Brückenbau&limit=1'), ['Brückenbau im Park', 'Brückenbau am Fluss']);

  for (const [query, name, reason] of [
    ['office=nirgends', 'office', 'Diesen Eintrag gibt es nicht.'],
    ['topic=nirgends', 'topic', 'Diesen Eintrag gibt es nicht.'],
    ['from=2026-03-05&to=2026-03-01', 'to', '„to“ liegt vor „from“.'],
    ['q=Brückenbau&updated_since=2026-01-01T00:00:00Z', 'updated_since', '„updated_since“ geht nicht zusammen mit „q“: eine Synchronisierung folgt der Zeit der Änderung, eine Suche dem Meldungsdatum.'],
    ['cursor=abc', 'cursor', 'Ungültiger Wert.'],
    ['limit=0', 'limit', '„limit“ muss mindestens 1 sein'],
    ['from=2026-02-30', 'from', '„from“ ist ungültig'],
    ['language=fr', 'language', '„language“ ist ungültig'],
  ] as const) {
    const { res, body } = await json(app, `/api/v1/releases?${query}`);
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(body.type, 'http://herold.test/api#problem-invalid-parameter', query);
    assert.deepEqual(body.invalidParams, [{ name, reason }], query);
  }
  // A cursor of one list is refused by another (the orders differ).
  const searchPage = await json(app, '/api/v1/releases?q=Brückenbau&limit=1');
  const cursor = new URL(searchPage.body.next).searchParams.get('cursor')!;
  assert.equal((await json(app, `/api/v1/releases?cursor=${cursor}`)).res.statusCode, 400);
});

test('a sync by updated_since: every public change since then, withdrawn releases too, oldest change first', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt' });
  const old = await createRelease(services, office.id, { title: 'Alt' });
  clock.advance(60 * 60_000);
  const since = clock.now().toISOString();
  const fresh = await createRelease(services, office.id, { title: 'Neu' });
  clock.advance(60_000);
  const toWithdraw = await createRelease(services, office.id, { title: 'Zurückgezogen' });
  clock.advance(60_000);
  await services.releases.correct(old.id, releaseInput({ title: 'Alt, korrigiert' }), 'Titel geändert.');
  clock.advance(60_000);
  await services.releases.withdraw(toWithdraw.id, 'Fehler.');
  const { body } = await json(app, `/api/v1/releases?updated_since=${encodeURIComponent(since)}`);
  assert.deepEqual(body.items.map((r: { title: string; status: string }) => [r.title, r.status]), [
    ['Neu', 'published'],
    ['Alt, korrigiert', 'published'],
    ['Zurückgezogen', 'withdrawn'],
  ]);
  assert.equal(body.items[2].withdrawn.note, 'Fehler.');
  assert.deepEqual(await walk(app, `/api/v1/releases?updated_since=${encodeURIComponent(since)}&limit=1`), ['Neu', 'Alt, korrigiert', 'Zurückgezogen']);
  // The next sync, from the last change seen, has only what changed at or after it.
  const last = body.items[2].updatedAt;
  clock.advance(60_000);
  await services.releases.correct(fresh.id, releaseInput({ title: 'Neu, korrigiert' }), 'Tippfehler.');
  const next = await json(app, `/api/v1/releases?updated_since=${encodeURIComponent(last)}`);
  assert.deepEqual(next.body.items.map((r: { title: string }) => r.title), ['Zurückgezogen', 'Neu, korrigiert']);
});

test('answers come from the page cache: ETag and 304, Cache-Control, and the same body until the content changes', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt' });
  const release = await createRelease(services, office.id, { title: 'Im Cache' });
  for (const url of ['/api/v1/releases', `/api/v1/releases/${release.id}`, '/api/v1/offices', '/api/v1/offices/amt', '/api/v1/topics', '/api/v1/regions', '/api/openapi.json']) {
    const first = await app.inject(url);
    assert.equal(first.statusCode, 200, url);
    assert.equal(first.headers['cache-control'], url === '/api/openapi.json' ? 'public, max-age=300' : 'public, max-age=60', url);
    assert.ok(first.headers.etag, url);
    assert.ok(first.headers['last-modified'], url);
    const again = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(again.statusCode, 304, url);
    assert.equal(again.body, '');
  }
  // A change behind the services' back (no content version bump) is not seen: the answer is the cached one.
  await db.db.updateTable('releases').set({ title: 'Heimlich geändert' }).where('id', '=', release.id).execute();
  assert.equal((await json(app, `/api/v1/releases/${release.id}`)).body.title, 'Im Cache');
  await services.releases.correct(release.id, releaseInput({ title: 'Offen korrigiert' }), 'Neuer Titel.');
  const fresh = await json(app, `/api/v1/releases/${release.id}`);
  assert.equal(fresh.body.title, 'Offen korrigiert');
  // Compressed for clients that ask.
  const gz = await app.inject({ url: '/api/v1/releases', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
});

test('CORS for reads: any origin may read, a preflight is answered; the rest of the site stays closed', async (t) => {
  const { app } = await buildTestApp(t);
  await createOffice(app.services, { slug: 'amt' });
  const read = await app.inject({ url: '/api/v1/offices', headers: { origin: 'https://zeitung.example' } });
  assert.equal(read.headers['access-control-allow-origin'], '*');
  assert.match(String(read.headers['access-control-expose-headers']), /ETag.*RateLimit-Remaining/);
  const missing = await app.inject({ url: '/api/v1/nichts', headers: { origin: 'https://zeitung.example' } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers['access-control-allow-origin'], '*');
  const preflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/releases', headers: { origin: 'https://zeitung.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
  assert.match(String(preflight.headers['access-control-allow-headers']), /If-None-Match/);
  // A page of the site is not readable by other origins.
  const page = await app.inject({ url: '/offices', headers: { origin: 'https://zeitung.example' } });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['access-control-allow-origin'], undefined);
});

test('the rate limit counts per address, cached answers too, and says so in the RateLimit fields; over it, 429 with Retry-After', async (t) => {
  const { app } = await buildTestApp(t, { env: { API_RATE_LIMIT: '3' } });
  await createOffice(app.services, { slug: 'amt' });
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url: '/api/v1/offices', remoteAddress: '203.0.113.7' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['ratelimit-limit'], '3');
    assert.equal(res.headers['ratelimit-policy'], '3;w=60');
    assert.ok(Number(res.headers['ratelimit-reset']) <= 60);
    remaining.push(String(res.headers['ratelimit-remaining']));
  }
  assert.deepEqual(remaining, ['2', '1', '0']);
  const over = await app.inject({ url: '/api/v1/offices', remoteAddress: '203.0.113.7' });
  assert.equal(over.statusCode, 429);
  assert.equal(over.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.ok(Number(over.headers['retry-after']) >= 1);
  assert.equal(over.headers['access-control-allow-origin'], '*');
  const problem = JSON.parse(over.body);
  assert.equal(problem.type, 'http://herold.test/api#problem-rate-limited');
  assert.equal(problem.detail, 'Von dieser Adresse kamen mehr als 3 Anfragen in der Minute. „Retry-After“ sagt, wann es weitergeht.');
  // Another address has its own budget; the site's pages are not limited by it.
  assert.equal((await app.inject({ url: '/api/v1/offices', remoteAddress: '198.51.100.9' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/offices', remoteAddress: '203.0.113.7' })).statusCode, 200);
});

test('offices with their contacts and feeds; topics and regions; unknown slugs are problems', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await services.offices.saveContact(office.id, null, contactBlock({ name: 'Zweiter Kontakt' }));
  const { body } = await json(app, '/api/v1/offices/amt');
  assert.equal(body.name, 'Kreisamt');
  assert.deepEqual(body.contacts.map((c: { name: string }) => c.name), ['Erika Beispiel', 'Zweiter Kontakt']);
  assert.deepEqual(body.feeds, { rss: 'http://herold.test/offices/amt/feed.rss', atom: 'http://herold.test/offices/amt/feed.atom', json: 'http://herold.test/offices/amt/feed.json' });
  assert.equal(body.releases, 'http://herold.test/api/v1/releases?office=amt');
  assert.equal(body.embed, 'http://herold.test/offices/amt/embed');
  assert.deepEqual((await json(app, '/api/v1/offices')).body.items.map((o: { slug: string }) => o.slug), ['amt']);
  assert.deepEqual((await json(app, '/api/v1/topics')).body.items.map((o: { slug: string }) => o.slug), ['soziales', 'umwelt', 'verkehr']);
  assert.deepEqual((await json(app, '/api/v1/regions')).body.items.map((o: { name: string }) => o.name), ['Nordkreis', 'Südkreis']);
  const missing = await json(app, '/api/v1/offices/nirgends');
  assert.equal(missing.res.statusCode, 404);
  assert.equal(missing.body.type, 'http://herold.test/api#problem-not-found');
  const bad = await json(app, '/api/v1/offices/%3Cscript%3E');
  assert.equal(bad.res.statusCode, 400);
  assert.equal(bad.body.invalidParams[0].name, 'office');
});
