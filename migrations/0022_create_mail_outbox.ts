import { sql, type Kysely } from 'kysely';

// The durable outbox: one row per mail to send. Rows hold references (release, digest run,
// subscription, request), not rendered text; the sender renders when it sends, so a withdrawn
// release or a deleted subscription is never mailed. A sender claims rows by setting `lease_until`;
// a crashed sender's rows are claimed again once the lease has passed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('confirmation', 'instant', 'digest')`))
    .addColumn('subscription_id', 'integer', (c) => c.references('subscriptions.id').onDelete('cascade'))
    .addColumn('request_id', 'integer', (c) => c.references('subscription_requests.id').onDelete('set null'))
    .addColumn('release_id', 'integer', (c) => c.references('releases.id').onDelete('cascade'))
    .addColumn('digest_run_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sending', 'sent', 'failed', 'cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // Never twice for the same release and subscriber, however many followed items match.
  await sql`CREATE UNIQUE INDEX mail_outbox_instant_once ON mail_outbox (release_id, subscription_id) WHERE kind = 'instant'`.execute(db);
  await sql`CREATE UNIQUE INDEX mail_outbox_digest_once ON mail_outbox (digest_run_id, subscription_id) WHERE kind = 'digest'`.execute(db);
  await sql`CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('queued', 'sending')`.execute(db);
  await db.schema.createIndex('mail_outbox_subscription').on('mail_outbox').column('subscription_id').execute();
  await db.schema.createIndex('mail_outbox_request').on('mail_outbox').column('request_id').execute();
  await db.schema.createIndex('mail_outbox_status_created').on('mail_outbox').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
}
