import { sql, type Kysely } from 'kysely';

// One row per digest period ('daily:2026-03-10', 'weekly:2026-03-09'); the unique key makes a
// second run of the same period a no-op. A run covers releases published in (window_start,
// window_end]. digest_deliveries pairs a run with each subscription once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('period_key', 'text', (c) => c.notNull().unique())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema
    .createTable('digest_deliveries')
    .addColumn('digest_run_id', 'integer', (c) => c.notNull().references('digest_runs.id').onDelete('cascade'))
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('outbox_id', 'integer', (c) => c.references('mail_outbox.id').onDelete('set null'))
    .addPrimaryKeyConstraint('digest_deliveries_pk', ['digest_run_id', 'subscription_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_deliveries').execute();
  await db.schema.dropTable('digest_runs').execute();
}
