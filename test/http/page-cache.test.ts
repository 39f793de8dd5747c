import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { chooseEncoding } from '../../src/plugins/page-cache.ts';

test('a cached page is answered compressed as the client asks, with the same content', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { name: 'Landkreis Musterland' });
  await createRelease(app.services, office.id, { title: 'Größere Mitteilung über Straßen' });

  const plain = await app.inject('/');
  assert.equal(plain.statusCode, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  const again = await app.inject('/');
  assert.equal(again.body, plain.body);
  assert.equal(again.headers.etag, plain.headers.etag);
  assert.match(again.headers['content-type'] as string, /text\/html; charset=utf-8/);

  for (const [header, encoding, decode] of [
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['br;q=0, gzip', 'gzip', gunzipSync],
  ] as const) {
    // First and repeated request: the first may be compressed on the fly, later ones come from the cache.
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ url: '/', headers: { 'accept-encoding': header } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], encoding, `${header} #${i}`);
      assert.match(String(res.headers.vary), /accept-encoding/i);
      const $ = cheerio.load(decode(res.rawPayload).toString('utf8'));
      assert.equal($('.card-title').first().text().trim(), 'Größere Mitteilung über Straßen');
    }
  }

  // A change is seen at once, compressed or not.
  await createRelease(app.services, office.id, { title: 'Ganz neue Mitteilung' });
  const changed = await app.inject({ url: '/', headers: { 'accept-encoding': 'br' } });
  assert.equal(cheerio.load(brotliDecompressSync(changed.rawPayload).toString('utf8'))('.card-title').first().text().trim(), 'Ganz neue Mitteilung');
});

test('chooseEncoding prefers br, then gzip, and honours q=0', () => {
  assert.equal(chooseEncoding(undefined), null);
  assert.equal(chooseEncoding('identity'), null);
  assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(chooseEncoding('gzip'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip;q=0.8'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip;q=0'), null);
  assert.equal(chooseEncoding('*'), 'gzip');
});

test('listings page through all releases newest first, each once, also filtered', async (t) => {
  const { app, clock } = await buildTestApp(t);
  await ensureTerms(app.services);
  const office = await createOffice(app.services);
  const other = await createOffice(app.services);
  const titles: string[] = [];
  for (let i = 1; i <= 45; i++) {
    const title = `Mitteilung Nummer ${i}`;
    await createRelease(app.services, i % 3 === 0 ? other.id : office.id, { title, topics: i % 2 === 0 ? ['verkehr'] : [] });
    titles.unshift(title);
    clock.advance(1000);
  }
  const collect = async (path: string, pages: number) => {
    const seen: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const res = await app.inject(page === 1 ? path : `${path}?page=${page}`);
      assert.equal(res.statusCode, 200, `${path} page ${page}`);
      seen.push(...cheerio.load(res.body)('.card-title').map((_, el) => cheerio.load(el).text().trim()).get());
    }
    return seen;
  };
  assert.deepEqual(await collect('/', 3), titles);
  assert.deepEqual(await collect(`/offices/${office.slug}`, 2), titles.filter((title) => Number(title.split(' ').at(-1)) % 3 !== 0));
  assert.deepEqual(await collect('/topics/verkehr', 2), titles.filter((title) => Number(title.split(' ').at(-1)) % 2 === 0));
});

test('a cached answer keeps its Link header (the canonical page of a release’s .txt)', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { slug: 'amt' });
  const release = await createRelease(app.services, office.id, { title: 'Mit Kanon' });
  const first = await app.inject(`/releases/${release.id}.txt`);
  const cached = await app.inject(`/releases/${release.id}.txt`);
  assert.equal(first.headers.link, `<http://herold.test/releases/${release.id}-mit-kanon>; rel="canonical"`);
  assert.equal(cached.headers.etag, first.headers.etag, 'the second answer is the cached one');
  assert.equal(cached.headers.link, first.headers.link);
});

test('a cached answer carries every header of a rendered one: security headers, CORS and the API rate limit', async (t) => {
  const { app } = await buildTestApp(t, { env: { API_RATE_LIMIT: '100' } });
  const office = await createOffice(app.services);
  await createRelease(app.services, office.id);
  for (const url of ['/', '/api/v1/releases']) {
    const first = await app.inject(url);
    const hit = await app.inject(url);
    assert.equal(hit.statusCode, 200);
    assert.equal(hit.body, first.body);
    for (const name of ['content-type', 'content-security-policy', 'x-content-type-options', 'etag', 'last-modified', 'cache-control', 'vary'])
      assert.equal(hit.headers[name], first.headers[name], `${url}: ${name}`);
    assert.equal(Number(hit.headers['content-length']), Buffer.byteLength(first.body));
    const head = await app.inject({ method: 'HEAD', url });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], hit.headers['content-length']);
  }
  const api = await app.inject('/api/v1/releases');
  assert.equal(api.headers['access-control-allow-origin'], '*');
  // Counted like any answer: the first two requests and the HEAD above, and this one.
  assert.equal(api.headers['ratelimit-remaining'], '96');
});
