// A job runs in one process at a time, whichever processes share the database: before a run the
// process takes the job's lease (a row of job_leases), renews it while the run lasts and gives it
// back at the end. A lease that ran out, or whose holder on this machine is gone (isOwnerGone: a
// server killed mid-run), can be taken at once; otherwise the run is skipped, as the holder is
// doing the work.
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { isOwnerGone, processOwner } from '../lib/process-owner.ts';

/** How long a lease lasts without renewal: a holder that died on another machine delays the job this long at most. */
export const LEASE_MS = 60_000;
const RENEW_MS = LEASE_MS / 3;

const tryTake = async (db: Kysely<DB>, name: string, now: Date): Promise<boolean> => {
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const taken = await db
    .insertInto('job_leases')
    .values({ name, owner: processOwner, until })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ owner: processOwner, until })
        .where((eb) => eb.or([eb('job_leases.until', '<', now.toISOString()), eb('job_leases.owner', '=', processOwner)])),
    )
    .returning('name')
    .executeTakeFirst();
  if (taken) return true;
  // Held by a process of this machine that is gone: free it, then take it.
  const holder = await db.selectFrom('job_leases').select('owner').where('name', '=', name).executeTakeFirst();
  if (!holder || !isOwnerGone(holder.owner)) return false;
  await db.deleteFrom('job_leases').where('name', '=', name).where('owner', '=', holder.owner).execute();
  return tryTake(db, name, now);
};

/**
 * Runs `work` while holding the lease of job `name`; `undefined` without running it when another
 * process holds the lease.
 */
export const withJobLease = async <T>(db: Kysely<DB>, clock: Clock, name: string, work: () => Promise<T>): Promise<T | undefined> => {
  if (!(await tryTake(db, name, clock.now()))) return undefined;
  const renew = setInterval(() => {
    const until = new Date(clock.now().getTime() + LEASE_MS).toISOString();
    void db.updateTable('job_leases').set({ until }).where('name', '=', name).where('owner', '=', processOwner).execute().catch(() => {});
  }, RENEW_MS);
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await db.deleteFrom('job_leases').where('name', '=', name).where('owner', '=', processOwner).execute().catch(() => {});
  }
};
