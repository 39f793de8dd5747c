// The state /healthz reports: whether the database answers, how much mail waits in the outbox,
// and the scheduler's last job run.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { JobRun, JobRuns } from './job-runs.ts';
import { countPending, readSiteState } from './health.repository.ts';

export interface Health {
  ok: boolean;
  database: 'ok' | 'unreachable';
  /** Outbox rows queued or being sent; null when the database does not answer. */
  pendingMail: number | null;
  lastJobRun: JobRun | null;
  failingJobs: { job: string; at: string }[];
}

export const createHealthService = ({ db, jobRuns }: { db: Kysely<DB>; jobRuns: JobRuns }) => ({
  async check(): Promise<Health> {
    const jobs = { lastJobRun: jobRuns.last(), failingJobs: jobRuns.failing() };
    try {
      await readSiteState(db);
      return { ok: true, database: 'ok', pendingMail: await countPending(db), ...jobs };
    } catch {
      return { ok: false, database: 'unreachable', pendingMail: null, ...jobs };
    }
  },
});

export type HealthService = ReturnType<typeof createHealthService>;
