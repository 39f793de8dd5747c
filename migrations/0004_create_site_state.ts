import type { Kysely } from 'kysely';

// One row holding a counter bumped on every change that public pages and feeds show. Caches key on
// it; the CLI bumps it too, so a server on the same data folder sees an import at once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('content_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('site_state').values({ id: 1, content_version: 0, changed_at: new Date(0).toISOString() }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_state').execute();
}
