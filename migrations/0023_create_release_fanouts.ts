import type { Kysely } from 'kysely';

// Which public releases have had their instant notices queued. The fan-out walks the subscriptions
// in id order in batches; `cursor` is the last subscription id done, so a crash resumes where it
// stopped. `done_at` is set when every subscription has been considered.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_fanouts')
    .addColumn('release_id', 'integer', (c) => c.primaryKey().references('releases.id').onDelete('cascade'))
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_fanouts').execute();
}
