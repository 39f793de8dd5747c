// The one list of background jobs. Each is an idempotent function that can also run once from the
// CLI (`npm run job -- <name>`).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/database.ts';
import type { Services } from '../services.ts';

export interface JobContext {
  db: Kysely<DB>;
  services: Services;
}

export interface Job {
  name: string;
  description: string;
  /** Interval of the safety sweep in ms. */
  everyMs: number;
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
    name: 'wal-checkpoint',
    description: 'Folds the SQLite write-ahead log back into the database file.',
    everyMs: 60_000,
    async run({ db }) {
      await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db);
      return 'checkpointed';
    },
  },
];

export const findJob = (name: string): Job | undefined => jobs.find((j) => j.name === name);
