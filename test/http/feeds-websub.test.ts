// WebSub: feeds name the hub, and the hub (a local HTTP server here) hears of every feed a change touched.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms } from '../helpers/factories.ts';
import { FORMATS, fetchFeed } from '../helpers/feeds.ts';
import { createUrls } from '../../src/lib/urls.ts';
import { createEventBus } from '../../src/lib/events.ts';
import { startWebSubPings } from '../../src/modules/feeds/feeds.websub.ts';
import type { Release } from '../../src/modules/releases/release.ts';

interface Ping {
  contentType: string | undefined;
  params: URLSearchParams;
}

/** A hub on a free loopback port that records every publish ping and answers with `status`. */
const startHub = async (t: TestContext, status = 204) => {
  const pings: Ping[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      pings.push({ contentType: req.headers['content-type'], params: new URLSearchParams(body) });
      res.statusCode = status;
      res.end();
      if (waiter && pings.length >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  /** Resolves once `count` pings have arrived (the test runner's timeout guards against never). */
  const received = (count: number) =>
    pings.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { count, resolve }));
  return { url, pings, received };
};

test('with WEBSUB_HUB, feeds carry the hub and a publication pings it for every affected feed', async (t) => {
  const hub = await startHub(t);
  const { app } = await buildTestApp(t, { env: { WEBSUB_HUB: hub.url } });
  await ensureTerms(app.services);
  const office = await createOffice(app.services, { slug: 'landkreis' });
  for (const format of FORMATS) {
    const feed = await fetchFeed(app, '/offices/landkreis', format);
    assert.equal(feed.hub, hub.url, format);
  }

  const release = await createRelease(app.services, office.id, { title: 'Gepingt', topics: ['verkehr'], regions: ['nordkreis'] });
  assert.equal(release.status, 'published');
  await hub.received(12);
  assert.ok(hub.pings.every((p) => p.contentType === 'application/x-www-form-urlencoded' && p.params.get('hub.mode') === 'publish'));
  const urls = hub.pings.map((p) => p.params.get('hub.url')).sort();
  const expected = ['', '/offices/landkreis', '/topics/verkehr', '/regions/nordkreis'].flatMap((listing) => FORMATS.map((f) => `http://herold.test${listing}/feed.${f}`)).sort();
  assert.deepEqual(urls, expected);
  // The feed the hub will fetch already holds the release.
  assert.equal((await fetchFeed(app, '/topics/verkehr', 'atom')).items[0]?.title, 'Gepingt');
});

test('without WEBSUB_HUB, feeds name no hub', async (t) => {
  const { app } = await buildTestApp(t);
  await createOffice(app.services, { slug: 'amt' });
  for (const format of FORMATS) assert.equal((await fetchFeed(app, '/offices/amt', format)).hub, null);
});

test('a failing or unreachable hub is logged and never blocks publication', async (t) => {
  const failing = await startHub(t, 500);
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/hub`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));

  const release = { office: { id: 1, slug: 'amt', name: 'Amt' }, topics: [], regions: [] } as unknown as Release;
  for (const hub of [failing.url, goneUrl]) {
    const logged: Record<string, unknown>[] = [];
    let allLogged!: () => void;
    const done = new Promise<void>((resolve) => (allLogged = resolve));
    const events = createEventBus();
    const stop = startWebSubPings({
      hub,
      urls: createUrls('http://herold.test'),
      events,
      releases: { findById: async () => release },
      log: {
        warn: (obj: unknown) => {
          logged.push(obj as Record<string, unknown>);
          if (logged.length === 6) allLogged();
        },
        debug: () => {},
      } as never,
    });
    // Emitting returns at once: the publisher never waits for the hub.
    events.emit('release.changed', { id: 1, change: 'published' });
    await done;
    await stop();
    assert.equal(logged.length, 6, hub);
    assert.ok(logged.every((entry) => entry.event === 'websub.ping.failed' && entry.hub === hub), hub);
    if (hub === failing.url) assert.ok(logged.every((entry) => entry.status === 500));
    else assert.ok(logged.every((entry) => entry.err instanceof Error));
  }

  // Through the app: publishing with a failing hub succeeds.
  const { app } = await buildTestApp(t, { env: { WEBSUB_HUB: failing.url } });
  const office = await createOffice(app.services);
  const published = await createRelease(app.services, office.id, { title: 'Trotzdem veröffentlicht' });
  assert.equal(published.status, 'published');
  await failing.received(6 + 6);
  assert.equal((await fetchFeed(app, '/', 'rss')).items[0]?.title, 'Trotzdem veröffentlicht');
});
