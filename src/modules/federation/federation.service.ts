// Telling an office's fediverse followers about its releases. `announce()` (the `federation-announce`
// job) compares the releases with what followers were told (`federation_posts`) and queues what is
// missing: a Create for a release that went public (a scheduled one at its time, never before), an
// Update for a correction, a Delete for a withdrawal. `deliverDue()` (the `federation-deliver` job)
// hands the queue to Fedify, which signs and sends, and processes received activities (Follow …).
// Both are safe to run at any time and any number of times. See CONTEXT.md beside this file.
// Fedify itself is loaded on first use (federation.engine.ts): only types are imported here.
import type { Federation } from '@fedify/fedify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { KeyFolder } from '../../lib/key-folder.ts';
import type { Urls } from '../../lib/urls.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import type { FederationEngine } from './federation.engine.ts';
import { SqliteKvStore, SqliteMessageQueue } from './federation.store.ts';
import * as repo from './federation.repository.ts';

/** Releases published longer ago than this are not announced (imports of old releases, an office that turns federation on). */
export const ANNOUNCE_HORIZON_MS = 48 * 60 * 60 * 1000;
const BATCH = 200;

export interface FederationServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  urls: Urls;
  config: { siteName: string; timeZone: string; federationAllowPrivate: boolean; publicUrl: string };
  releases: Pick<ReleasesService, 'findPublic' | 'listPublic' | 'publicReleasesByIds' | 'publishDue'>;
  keys: KeyFolder;
  events: EventBus;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  version: string;
}

/** Federation needs the site at the root of its host: WebFinger and NodeInfo live at `/.well-known/`. */
export const federationAvailable = (publicUrl: string): boolean => new URL(publicUrl).pathname.replace(/\/+$/, '') === '';

export const createFederationService = ({ db, clock, urls, config, releases, keys, events, log, version }: FederationServiceDeps) => {
  const available = federationAvailable(config.publicUrl);
  const kv = new SqliteKvStore(db, clock);
  const queue = new SqliteMessageQueue(db, clock, { onEnqueued: (count) => events.emit('federation.queued', { count }) });
  let loading: Promise<FederationEngine> | undefined;
  /** Fedify with Herold's registrations, loaded and set up once, on first use. */
  const engine = (): Promise<FederationEngine> =>
    (loading ??= import('./federation.engine.ts').then(({ createFederationEngine }) => createFederationEngine({ db, clock, urls, config, releases, keys, kv, queue, log, version })));
  const host = new URL(urls.base).host;
  const nowIso = () => clock.now().toISOString();

  /** Queues one activity about a release to its office's followers; says what was told of it. */
  const tell = async (releaseId: number, kind: 'create' | 'update' | 'delete'): Promise<{ updatedAt: string; officeId: number } | undefined> => {
    const release = await releases.findPublic(releaseId);
    if (!release) return undefined;
    // Nobody to tell: the activity would go to no one, so Fedify need not be loaded for it. The
    // post is recorded all the same: a later follower is not sent what was news before it followed.
    if ((await repo.countFollowers(db, release.office.id)) > 0) await (await engine()).tell(release, kind);
    return { updatedAt: release.updatedAt, officeId: release.office.id };
  };

  return {
    /** Fedify, for the routes that bridge it into Fastify (loaded by the first call). */
    federation: async (): Promise<Federation<void>> => (await engine()).federation,
    /** False when PUBLIC_URL has a path: then no fediverse routes are registered. */
    available,

    /** The handle of an office: `@{slug}@{host}`. */
    handle: (slug: string) => `@${slug}@${host}`,

    /**
     * Queues what followers have not been told: Creates of releases that went public (within the
     * last 48 hours), Updates of corrections, Deletes of withdrawals. Has the releases service publish
     * what is due first, like the mail fan-out. Returns how many activities were queued.
     */
    async announce(): Promise<number> {
      if (!available) return 0;
      await releases.publishDue();
      const now = nowIso();
      let told = 0;
      for (const id of await repo.listReleasesToCreate(db, now, new Date(clock.now().getTime() - ANNOUNCE_HORIZON_MS).toISOString(), BATCH)) {
        const sent = await tell(id, 'create');
        if (sent) await repo.insertPost(db, { release_id: id, office_id: sent.officeId, created_at: now, announced_updated_at: sent.updatedAt });
        told += sent ? 1 : 0;
      }
      for (const id of await repo.listReleasesToUpdate(db, now, BATCH)) {
        const sent = await tell(id, 'update');
        if (sent) await repo.markPostUpdated(db, id, sent.updatedAt);
        told += sent ? 1 : 0;
      }
      for (const id of await repo.listReleasesToDelete(db, BATCH)) {
        const sent = await tell(id, 'delete');
        if (sent) await repo.markPostDeleted(db, id, now);
        told += sent ? 1 : 0;
      }
      return told;
    },

    /** Delivers queued activities and processes received ones, until nothing is due. Returns how many. */
    async deliverDue(): Promise<number> {
      if (!available) return 0;
      const handled = await queue.drain(async (message) => {
        const { federation } = await engine();
        return federation.processQueuedTask(undefined, message as Parameters<typeof federation.processQueuedTask>[1]);
      }, {
        onError: (err, attempts) => log.error({ err, attempts, event: 'federation.queue.failed' }, 'a queued federation task failed'),
      });
      await kv.purgeExpired();
      return handled;
    },

    /** What an office's settings page shows. */
    async officeStatus(office: { id: number; slug: string }) {
      const [row, followers] = await Promise.all([repo.findOffice(db, office.slug), repo.countFollowers(db, office.id)]);
      return { available, enabled: row?.is_federated === 1, handle: `@${office.slug}@${host}`, followers };
    },

    /** Messages waiting in the queue (for /healthz-like checks and tests). */
    queueDepth: () => queue.getDepth(),
  };
};

export type FederationService = ReturnType<typeof createFederationService>;
