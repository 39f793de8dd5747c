import type { Kysely } from 'kysely';

// What the followers of an office were told of each release: its Create (when), the state of the
// last Create or Update (the release's updated_at then), and its Delete. The federation job compares
// this with the release to know what is still to send, so a delivery lost to a crash is sent again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('federation_posts')
    .addColumn('release_id', 'integer', (c) => c.primaryKey().references('releases.id').onDelete('cascade'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('announced_updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('federation_posts_open').on('federation_posts').columns(['deleted_at', 'release_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('federation_posts').execute();
}
