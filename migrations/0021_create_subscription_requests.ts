import { sql, type Kysely } from 'kysely';

// Sign-ups waiting for their confirmation link to be used. Nothing but the confirmation mail is
// ever sent for a request; unconfirmed requests are deleted after 7 days. The rows also serve the
// per-address rate limit.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscription_requests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('immediately', 'daily', 'weekly')`))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('de').check(sql`lang in ('de', 'en')`))
    // [{ kind, value }] as JSON.
    .addColumn('targets_json', 'text', (c) => c.notNull())
    // Random part of the confirmation token: the token is single-use because the row goes on use.
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscription_requests_email').on('subscription_requests').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('subscription_requests_created').on('subscription_requests').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscription_requests').execute();
}
