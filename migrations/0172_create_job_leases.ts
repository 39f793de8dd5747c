import type { Kysely } from 'kysely';

// Who runs a background job now: one row a job while a process holds it (src/jobs/job-leases.ts), so
// that a job runs once at a time across every process on the database (several servers on one
// PostgreSQL database, or a server and `herold job` on one SQLite file). The first migration after
// PostgreSQL's baseline: it runs on both databases.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_leases').execute();
}
