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

export interface LeaseOptions {
  /** Told when the lease is lost or cannot be renewed; a lost lease also aborts the work's signal. */
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** How often the lease is renewed (a third of its length). */
  renewEveryMs?: number;
}

/**
 * Runs `work` while holding the lease of job `name`; `undefined` without running it when another
 * process holds the lease. Should the lease be lost while the work runs (this process stalled past
 * its end, or could not reach the database to renew it, and another process took the job over),
 * the work's signal is aborted: the jobs stop between batches, as the other process does the rest.
 */
export const withJobLease = async <T>(
  db: Kysely<DB>,
  clock: Clock,
  name: string,
  work: (signal: AbortSignal) => Promise<T>,
  { log, renewEveryMs = RENEW_MS }: LeaseOptions = {},
): Promise<T | undefined> => {
  if (!(await tryTake(db, name, clock.now()))) return undefined;
  const lost = new AbortController();
  const renew = setInterval(() => {
    const until = new Date(clock.now().getTime() + LEASE_MS).toISOString();
    db.updateTable('job_leases')
      .set({ until })
      .where('name', '=', name)
      .where('owner', '=', processOwner)
      .executeTakeFirst()
      .then(
        (r) => {
          if (Number(r.numUpdatedRows) > 0 || lost.signal.aborted) return;
          clearInterval(renew);
          log?.warn({ job: name, event: 'job.lease-lost' }, 'job lease lost to another process: stopping this run');
          lost.abort(new Error(`lease of job ${name} lost`));
        },
        // The lease runs out unless a later renewal gets through; if another process takes the job
        // meanwhile, that renewal finds the lease gone and stops the run.
        (err: unknown) => log?.error({ err, job: name, event: 'job.lease-renewal-failed' }, 'job lease could not be renewed'),
      );
  }, renewEveryMs);
  renew.unref();
  try {
    return await work(lost.signal);
  } finally {
    clearInterval(renew);
    await db.deleteFrom('job_leases').where('name', '=', name).where('owner', '=', processOwner).execute().catch(() => {});
  }
};
