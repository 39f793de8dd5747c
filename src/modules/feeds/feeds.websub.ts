// WebSub publisher pings: when a release changes what the public sees, the hub (WEBSUB_HUB) is told
// which feeds changed (POST hub.mode=publish, hub.url=<feed URL>), so subscribers get it at once.
// Pings run after the change committed and never block or fail a publication; failures are logged
// with `event: 'websub.ping.failed'`.
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../lib/events.ts';
import { FEED_FORMATS } from '../../lib/feed-formats.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Release } from '../releases/release.ts';

export interface WebSubDeps {
  hub: string;
  urls: Urls;
  events: EventBus;
  releases: { findById(id: number): Promise<Release | undefined> };
  log: Pick<FastifyBaseLogger, 'warn' | 'debug'>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Every feed a release appears in (or just left): all releases, its office, its topics and regions, in each format. */
export const affectedFeedUrls = (urls: Urls, release: Pick<Release, 'office' | 'topics' | 'regions'>): string[] => {
  const listings = [urls.home(), urls.office(release.office.slug), ...release.topics.map((x) => urls.topic(x.slug)), ...release.regions.map((x) => urls.region(x.slug))];
  return listings.flatMap((listing) => FEED_FORMATS.map((format) => urls.feedUrls(listing)[format]));
};

/** Subscribes to `release.changed`; returns the function that stops listening and cancels pings in flight. */
export const startWebSubPings = ({ hub, urls, events, releases, log, fetch: fetchImpl = fetch, timeoutMs = 10_000 }: WebSubDeps): (() => Promise<void>) => {
  const inFlight = new Set<Promise<void>>();
  const closing = new AbortController();

  const ping = async (feedUrl: string): Promise<void> => {
    try {
      const response = await fetchImpl(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString(),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
      });
      await response.body?.cancel();
      if (!response.ok) log.warn({ event: 'websub.ping.failed', hub, feedUrl, status: response.status }, 'WebSub hub refused the ping');
    } catch (err) {
      log.warn({ event: 'websub.ping.failed', hub, feedUrl, err }, 'WebSub hub could not be reached');
    }
  };

  const pingRelease = async (id: number): Promise<void> => {
    try {
      const release = await releases.findById(id);
      if (!release) return;
      // A publication touches a few dozen feeds at most; ping about each at once.
      await Promise.all(affectedFeedUrls(urls, release).map(ping));
    } catch (err) {
      log.warn({ event: 'websub.ping.failed', hub, releaseId: id, err }, 'WebSub ping failed');
    }
  };

  const off = events.on('release.changed', ({ id }) => {
    const run = pingRelease(id).finally(() => inFlight.delete(run));
    inFlight.add(run);
  });

  return async () => {
    off();
    closing.abort();
    await Promise.allSettled([...inFlight]);
  };
};
