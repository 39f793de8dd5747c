// Queues mail for releases that went public: the instant notices of each release (the fan-out)
// and the daily and weekly digests. Both only insert outbox rows; the sender (mail.sender.ts)
// sends them. See CONTEXT.md: fan-out, digest run, digest delivery.
//
// Before either looks at releases it has the releases service publish those whose time has come
// (`publishDue`): a scheduled release is public from its time on (release.ts `isPublicAt`), but it
// enters the search index only when it is published, and a followed search can only match what the
// index holds. Run first, the fan-out would otherwise mark such a release done before any search
// alert could find it.
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import type { SearchMatcher } from './mail.compose.ts';
import { latestDuePeriods } from './digest.schedule.ts';
import * as outbox from './outbox.repository.ts';

/** Releases published longer ago than this are never announced (imports of old releases, first start). */
export const FANOUT_HORIZON_MS = 48 * 60 * 60 * 1000;
const FANOUT_BATCH = 2000;

export interface FanOutDeps {
  db: Kysely<DB>;
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'digestTime' | 'digestWeekday'>;
  events: EventBus;
  releases: Pick<ReleasesService, 'publishDue'>;
  searchMatcher?: SearchMatcher | undefined;
}

export const createFanOut = ({ db, clock, config, events, releases, searchMatcher }: FanOutDeps) => ({
  /**
   * Queues the instant notices of every public release (published within the horizon) whose
   * fan-out has not finished, in batches of subscriptions, each batch one transaction that also
   * moves the release's cursor. Safe to run at any time, in any process, any number of times; an
   * aborted `signal` stops it between batches (the cursor says where the next run goes on).
   */
  async fanOut(signal?: AbortSignal): Promise<number> {
    await releases.publishDue();
    const now = clock.now().toISOString();
    const since = new Date(clock.now().getTime() - FANOUT_HORIZON_MS).toISOString();
    let total = 0;
    for (const releaseId of await outbox.listReleasesToFanOut(db, now, since)) {
      await outbox.startFanout(db, releaseId, now);
      const maxId = await outbox.maxSubscriptionId(db);
      const searchTargets = searchMatcher ? await outbox.listSearchTargetValues(db) : [];
      const matchedSearches = searchTargets.length > 0 && searchMatcher ? await searchMatcher(releaseId, searchTargets) : [];
      for (;;) {
        if (signal?.aborted) break;
        const fanout = await outbox.findFanout(db, releaseId);
        if (!fanout || fanout.done_at) break;
        const to = Math.min(fanout.cursor + FANOUT_BATCH, maxId);
        const queued = await db.transaction().execute(async (trx) => {
          const n = fanout.cursor < to ? await outbox.queueInstantBatch(trx, releaseId, fanout.cursor, to, now, matchedSearches) : 0;
          await outbox.advanceFanout(trx, releaseId, to, n, to >= maxId ? now : null);
          return n;
        });
        total += queued;
        // Let requests in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (total > 0) events.emit('mail.queued', { count: total });
    return total;
  },

  /**
   * Creates the digest run of each due period (daily, weekly) that has none yet, then queues one
   * digest per subscription with something new in the window of every unfinished run: the new
   * ones, and one a crash cut short, even when a later period has come since. An aborted `signal`
   * stops it between batches, as a crash would.
   */
  async runDigests(signal?: AbortSignal): Promise<number> {
    await releases.publishDue();
    const now = clock.now();
    for (const period of latestDuePeriods(now, config.timeZone, config.digestTime, config.digestWeekday)) {
      if (await outbox.findDigestRun(db, period.key)) continue;
      const last = await outbox.findLastDigestRun(db, period.frequency);
      const end = period.dueAt.toISOString();
      if (last && last.window_end >= end) continue;
      const start = last?.window_end ?? new Date(period.dueAt.getTime() - (period.frequency === 'daily' ? 1 : 7) * 24 * 60 * 60 * 1000).toISOString();
      await outbox.insertDigestRunOnce(db, { period_key: period.key, frequency: period.frequency, window_start: start, window_end: end, created_at: now.toISOString() });
    }
    let total = 0;
    for (const run of await outbox.listUnfinishedDigestRuns(db)) {
      const windowReleases = await outbox.listWindowReleases(db, run.window_start, run.window_end, now.toISOString());
      // Earlier releases corrected or withdrawn in the window: news for those who follow them.
      const windowChanges = await outbox.listWindowChanges(db, run.window_start, run.window_end, now.toISOString());
      const match = { office: new Set<string>(), topic: new Set<string>(), region: new Set<string>(), search: new Set<string>() };
      for (const r of [...windowReleases, ...windowChanges]) {
        match.office.add(r.office_slug);
        for (const s of r.topic_slugs.split(' ').filter(Boolean)) match.topic.add(s);
        for (const s of r.region_slugs.split(' ').filter(Boolean)) match.region.add(s);
      }
      if (searchMatcher && windowReleases.length > 0) {
        const values = await outbox.listSearchTargetValues(db);
        for (const r of windowReleases) for (const v of values.length ? await searchMatcher(r.id, values) : []) match.search.add(v);
      }
      const lists = { office: [...match.office], topic: [...match.topic], region: [...match.region], search: [...match.search] };
      const maxId = await outbox.maxSubscriptionId(db);
      let cursor = run.cursor;
      for (;;) {
        const to = Math.min(cursor + FANOUT_BATCH, maxId);
        const from = cursor;
        const queued = await db.transaction().execute(async (trx) => {
          const n = from < to && windowReleases.length + windowChanges.length > 0 ? await outbox.queueDigestBatch(trx, run.id, run.frequency, from, to, now.toISOString(), lists) : 0;
          await outbox.advanceDigestRun(trx, run.id, to, n, to >= maxId ? now.toISOString() : null);
          return n;
        });
        total += queued;
        cursor = to;
        if (to >= maxId || signal?.aborted) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (total > 0) events.emit('mail.queued', { count: total });
    return total;
  },
});

export type FanOut = ReturnType<typeof createFanOut>;
