// A store for @fastify/rate-limit that counts in the database, so that a limit holds across every
// server sharing it (PostgreSQL, several instances): an address gets its 20 logins in ten minutes
// in all, not 20 from each server. One row per key and window; the window starts with the first
// hit after the last one ended, as in the plugin's own in-memory store.
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Every this many hits, a server deletes the windows that ended a day ago or earlier. */
const PURGE_EVERY = 1000;
const DAY_MS = 86_400_000;

export const databaseRateLimitStore = (db: Kysely<DB>, now: () => number = Date.now) => {
  let hits = 0;
  return class DatabaseRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      const nowIso = new Date(at).toISOString();
      const resetAt = new Date(at + timeWindow).toISOString();
      void db
        .insertInto('rate_limits')
        .values({ key, hits: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            hits: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(1).else(eb('rate_limits.hits', '+', 1)).end(),
            reset_at: eb.case().when('rate_limits.reset_at', '<=', nowIso).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limits.reset_at')).end(),
          })),
        )
        .returning(['hits', 'reset_at'])
        .executeTakeFirstOrThrow()
        .then((row) => callback(null, { current: Number(row.hits), ttl: Math.max(0, Date.parse(row.reset_at) - at) }), callback);
      if (++hits % PURGE_EVERY === 0) void db.deleteFrom('rate_limits').where('reset_at', '<', new Date(at - DAY_MS).toISOString()).execute().catch(() => {});
    }

    read(key: string, callback: Callback): void {
      const at = now();
      void db
        .selectFrom('rate_limits')
        .select(['hits', 'reset_at'])
        .where('key', '=', key)
        .executeTakeFirst()
        .then((row) => {
          const ttl = row ? Date.parse(row.reset_at) - at : 0;
          callback(null, row && ttl > 0 ? { current: Number(row.hits), ttl } : { current: 0, ttl: 0 });
        }, callback);
    }

    child(): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore();
    }
  };
};
