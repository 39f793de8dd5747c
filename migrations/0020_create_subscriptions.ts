import { sql, type Kysely } from 'kysely';

// One subscription per e-mail address: its frequency and the things it follows (targets). Created
// only when a sign-up is confirmed (double opt-in); deleting it deletes the address's data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Lower-cased, trimmed address; one row per address.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('immediately', 'daily', 'weekly')`))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('de').check(sql`lang in ('de', 'en')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'suspended')`))
    // Random key bound into manage/unsubscribe tokens: rotating it revokes every link sent so far.
    .addColumn('token_key', 'text', (c) => c.notNull())
    // Consent: when the confirmation link was used, what it confirmed (JSON), a hash of the IP.
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .addColumn('consent_json', 'text', (c) => c.notNull())
    .addColumn('consent_ip_hash', 'text')
    .addColumn('permanent_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suspended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_status_frequency').on('subscriptions').columns(['status', 'frequency', 'id']).execute();

  // What a subscription follows. `search` (query + filters as JSON in `value`) is reserved for the
  // search module; office/topic/region hold a slug.
  await db.schema
    .createTable('subscription_targets')
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('office', 'topic', 'region', 'search')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_targets_pk', ['subscription_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('subscription_targets_kind_value').on('subscription_targets').columns(['kind', 'value', 'subscription_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscription_targets').execute();
  await db.schema.dropTable('subscriptions').execute();
}
