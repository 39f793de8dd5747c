// The one list of background jobs. Each is an idempotent function that can also run once from the
// CLI (`npm run job -- <name>`).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/database.ts';
import { dialectOf } from '../db/dialect.ts';
import type { Services } from '../services.ts';
import type { HeroldEvents } from '../lib/events.ts';

export interface JobContext {
  db: Kysely<DB>;
  services: Services;
  /** Aborted when the job's lease was lost to another process: stop between batches. */
  signal?: AbortSignal | undefined;
}

export interface Job {
  name: string;
  description: string;
  /** Interval of the safety sweep in ms. */
  everyMs: number;
  /**
   * The job keeps files of this process's own (DATA_DIR), so every process runs it; the others run
   * in one process at a time across all that share the database (job-leases.ts).
   */
  perProcess?: boolean;
  run(ctx: JobContext): Promise<string>;
}

export const jobs: Job[] = [
  {
    name: 'publish-scheduled',
    description: 'Publishes scheduled releases whose time has come (also armed to the next due time).',
    everyMs: 30_000,
    async run({ services }) {
      const ids = await services.releases.publishDue();
      return ids.length ? `published ${ids.join(', ')}` : 'nothing due';
    },
  },
  {
    name: 'mail-fanout',
    description: 'Queues the instant notices of newly public releases (also run at once when a release goes live).',
    everyMs: 15_000,
    async run({ services, signal }) {
      const queued = await services.mail.fanOut(signal);
      return queued ? `queued ${queued} instant notices` : 'nothing due';
    },
  },
  {
    name: 'send-mail',
    description: 'Sends due mails from the outbox (retries with backoff; also woken when mail is queued).',
    everyMs: 5_000,
    async run({ services, signal }) {
      const r = await services.mail.sendDue({ signal });
      return r.sent + r.retried + r.failed + r.cancelled === 0 ? 'nothing due' : `sent ${r.sent}, retry later ${r.retried}, failed ${r.failed}, cancelled ${r.cancelled}`;
    },
  },
  {
    name: 'deliver-webhooks',
    description: 'Sends due webhook deliveries (retries with backoff; also woken when a release changes or a test event is queued).',
    everyMs: 5_000,
    async run({ services, signal }) {
      const r = await services.webhooks.deliverDue({ signal });
      return r.delivered + r.retried + r.failed + r.cancelled === 0
        ? 'nothing due'
        : `delivered ${r.delivered}, retry later ${r.retried}, failed ${r.failed}, cancelled ${r.cancelled}${r.disabled ? `, endpoints disabled ${r.disabled}` : ''}`;
    },
  },
  {
    name: 'send-digests',
    description: 'Queues the daily and weekly digests when their time (DIGEST_TIME, DIGEST_WEEKDAY) has come.',
    everyMs: 60_000,
    async run({ services, signal }) {
      const queued = await services.mail.runDigests(signal);
      return queued ? `queued ${queued} digests` : 'nothing due';
    },
  },
  {
    name: 'sign-releases',
    description: 'Signs releases with a public page whose present version has no signature yet (public before signing existed, or a signing that failed).',
    everyMs: 60 * 60 * 1000,
    async run({ services }) {
      const n = await services.signing.signPending();
      return n ? `signed ${n} releases` : 'nothing due';
    },
  },
  {
    name: 'stamp-press-kits',
    description: 'Writes caption, credit and notice into the photos of releases that went public or were corrected (also run at once when that happens), so their pages and downloads find them stamped; every 15 minutes and at start, removes the files of withdrawn or deleted releases and sweeps for releases without a current stamp.',
    everyMs: 60_000,
    // The stamped copies are each server's cache (DATA_DIR/press-kits); a server finds the releases
    // whose copies it lacks by its own folder.
    perProcess: true,
    async run({ services }) {
      const r = await services.pressKitStamping.run();
      const removed = r.removed ? [`removed the press kit files of ${r.removed} withdrawn or deleted releases`] : [];
      if (r.exiftoolMissing) return [...removed, 'exiftool is missing: photos are not stamped'].join('; ');
      const done = [...removed, ...(r.stamped ? [`stamped the photos of ${r.stamped} releases`] : [])];
      return done.length > 0 ? done.join('; ') : 'nothing due';
    },
  },
  {
    name: 'federation-announce',
    description: 'Queues Create, Update and Delete activities for fediverse followers of releases that went public, were corrected or withdrawn (also run at once when that happens).',
    everyMs: 15_000,
    async run({ services }) {
      const n = await services.federation.announce();
      return n ? `queued ${n} activities` : 'nothing due';
    },
  },
  {
    name: 'federation-deliver',
    description: 'Delivers queued activities to fediverse inboxes and processes received ones (Follow, Undo); retries with backoff.',
    everyMs: 5_000,
    async run({ services }) {
      const n = await services.federation.deliverDue();
      return n ? `handled ${n} queued tasks` : 'nothing due';
    },
  },
  {
    name: 'purge-unconfirmed-subscriptions',
    description: 'Deletes sign-ups that were not confirmed within 7 days.',
    everyMs: 24 * 60 * 60 * 1000,
    async run({ services }) {
      const n = await services.subscriptions.purgeUnconfirmed();
      return n ? `deleted ${n} unconfirmed sign-ups` : 'nothing due';
    },
  },
  {
    name: 'purge-unconfirmed-applications',
    description: 'Deletes applications to join whose address was not confirmed within 7 days.',
    everyMs: 24 * 60 * 60 * 1000,
    async run({ services }) {
      const n = await services.applications.purgeUnconfirmed();
      return n ? `deleted ${n} unconfirmed applications` : 'nothing due';
    },
  },
  {
    name: 'search-partitions',
    description: "Makes this year's and next year's partitions of the search index ahead of the first release dated in them, and one for any year with 1,000 releases in the default partition (an imported archive) (PostgreSQL). The only maker of partitions: a release of a year without one goes into the default partition.",
    everyMs: 24 * 60 * 60 * 1000,
    async run({ services }) {
      const made = await services.search.prepareIndex();
      return made ? `made ${made} partition${made === 1 ? '' : 's'}` : 'nothing due';
    },
  },
  {
    name: 'wal-checkpoint',
    description: 'Folds the SQLite write-ahead log back into the database file.',
    everyMs: 60_000,
    perProcess: true,
    async run({ db }) {
      // PostgreSQL keeps its own write-ahead log.
      if (dialectOf(db) !== 'sqlite') return 'nothing due';
      await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db);
      return 'checkpointed';
    },
  },
];

export const findJob = (name: string): Job | undefined => jobs.find((j) => j.name === name);

/**
 * What runs at once in the server when a release goes public, is corrected or withdrawn here (the
 * `release.changed` event): each job also has its sweep, which catches changes made by another
 * process (`herold import`) and scheduled times that came. A new follow-up is one line here.
 */
export const releaseFollowUps: { job: string; on: readonly HeroldEvents['release.changed']['change'][] }[] = [
  { job: 'mail-fanout', on: ['published'] },
  // Correction and withdrawal notices are queued in the change's transaction: send them now.
  { job: 'send-mail', on: ['corrected', 'withdrawn'] },
  { job: 'federation-announce', on: ['published', 'corrected', 'withdrawn'] },
  // Photos with the new words written in before the page is first opened ('updated': a photo's words changed).
  { job: 'stamp-press-kits', on: ['published', 'corrected', 'updated'] },
];

/** Jobs that run right after another, to pass on what it queued. */
export const followUpJobs: Record<string, string> = { 'mail-fanout': 'send-mail', 'federation-announce': 'federation-deliver' };
