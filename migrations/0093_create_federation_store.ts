import type { Kysely } from 'kysely';

// The ActivityPub framework's (Fedify's) storage, kept in this database so that deliveries survive a
// restart: a key-value store (cached remote documents and keys, inbox idempotence) and a message
// queue (activities to deliver, received activities to process), drained by a background job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('federation_kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('federation_kv_expires').on('federation_kv').column('expires_at').execute();
  await db.schema
    .createTable('federation_queue')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('ordering_key', 'text')
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('federation_queue_due').on('federation_queue').columns(['not_before', 'id']).execute();
  await db.schema.createIndex('federation_queue_ordering').on('federation_queue').columns(['ordering_key', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('federation_queue').execute();
  await db.schema.dropTable('federation_kv').execute();
}
