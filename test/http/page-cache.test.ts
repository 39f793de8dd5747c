import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import pageCachePlugin, { chooseEncoding } from '../../src/plugins/page-cache.ts';
import { mulberry32 } from '../../src/lib/random.ts';

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

test('one ETag per page whatever the coding, the hash of its UTF-8 bytes; a 304 answers it in any coding', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await createOffice(app.services, { name: 'Landkreis Musterland' });
  await createRelease(app.services, office.id, { title: 'Größere Mitteilung über Straßen' });

  // Stored on a brotli request, then asked for plainly and with gzip: made from the brotli body.
  const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const plain = await app.inject('/');
  const gzip = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(gzip.headers['content-encoding'], 'gzip');
  assert.equal(cheerio.load(plain.body)('.card-title').first().text().trim(), 'Größere Mitteilung über Straßen');
  assert.deepEqual(brotliDecompressSync(br.rawPayload), plain.rawPayload);
  assert.deepEqual(gunzipSync(gzip.rawPayload), plain.rawPayload);
  const etag = `"${createHash('sha1').update(plain.rawPayload).digest('base64url').slice(0, 22)}"`;
  for (const res of [br, plain, gzip]) {
    assert.equal(res.headers.etag, etag);
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
  }

  for (const header of ['br', 'gzip', undefined]) {
    const res = await app.inject({ url: '/', headers: { 'if-none-match': etag, ...(header ? { 'accept-encoding': header } : {}) } });
    assert.equal(res.statusCode, 304, String(header));
    assert.equal(res.headers.etag, etag);
    assert.match(String(res.headers.vary), /accept-encoding/i);
  }
  const head = await app.inject({ method: 'HEAD', url: '/', headers: { 'accept-encoding': 'br' } });
  assert.equal(head.statusCode, 200);
  assert.equal(head.headers['content-length'], br.headers['content-length']);
});

test('a page is kept only in the codings asked for, and the bound on bytes counts every coding kept', async (t) => {
  // Pages of 60 KB in plain bytes that compress to a few KB, and a cache bounded to one page's plain bytes.
  const words = ['Landkreis', 'Straße', 'Radweg', 'Kreistag', 'Haushalt', 'Schule', 'Brücke', 'Bürgerinnen', 'Mitteilung', 'Verkehr', 'Sitzung', 'Ausschuss', 'Förderung', 'Gemeinde', 'Baustelle', 'Umleitung'];
  const random = mulberry32(19);
  const pages = Array.from({ length: 40 }, (_, n) => `<!doctype html><title>Seite ${n}</title><p>${Array.from({ length: 6000 }, () => words[Math.floor(random() * words.length)]).join(' ')}</p>`);
  const maxBytes = Buffer.byteLength(pages[0]!);
  const renders = new Map<number, number>();
  const app = Fastify();
  t.after(() => app.close());
  // The page cache declares the views plugin as its dependency; it uses nothing of it.
  await app.register(fp(async () => {}, { name: 'views' }));
  await app.register(pageCachePlugin, { state: async () => ({ version: 1, changedAt: '2026-03-10T08:00:00.000Z' }), maxBytes });
  app.get<{ Params: { n: string } }>('/pages/:n', { config: { pageCache: { shared: true } } }, async (request, reply) => {
    const n = Number(request.params.n);
    renders.set(n, (renders.get(n) ?? 0) + 1);
    return reply.type('text/html; charset=utf-8').send(pages[n]);
  });
  const get = (n: number, coding?: string) => app.inject({ url: `/pages/${n}`, headers: coding ? { 'accept-encoding': coding } : {} });

  for (const n of [0, 1, 2]) assert.equal((await get(n, 'br')).statusCode, 200);
  const hits = [await get(0, 'br'), await get(1, 'br'), await get(2, 'br')];
  assert.deepEqual([...renders.values()], [1, 1, 1], 'the three pages were each rendered once: the plain bytes beside them would not have fit');
  let held = 0;
  for (const [n, hit] of hits.entries()) {
    assert.equal(hit.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(hit.rawPayload).toString('utf8'), pages[n]);
    held += hit.rawPayload.length;
  }
  assert.ok(held < maxBytes / 2, `three compressed pages (${held} bytes) fit the bound with room to spare, else this test proves nothing`);

  // A plain request keeps the plain bytes too: page 0 then holds more than the bound, and the others make way.
  assert.equal((await get(0)).body, pages[0]);
  await get(1, 'br');
  assert.equal(renders.get(1), 2, 'page 1 was rendered again');

  // The bound holds in compressed bytes too: twenty pages do not fit, the oldest go.
  for (let n = 10; n < 30; n++) await get(n, 'br');
  await get(10, 'br');
  assert.equal(renders.get(10), 2, 'the oldest page was dropped');
  await get(29, 'br');
  assert.equal(renders.get(29), 1, 'the newest page is kept');
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
