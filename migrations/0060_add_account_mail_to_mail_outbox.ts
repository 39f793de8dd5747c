import { sql, type Kysely } from 'kysely';

// Password-reset and invitation mails go through the outbox like every other mail (durable,
// retried, in the mail log). They name an address (`email`, with the mail's language `lang`)
// rather than a subscription, and the one-time link they carry (`user_token_hash`; the link itself
// is made when the mail is sent, so no usable token is ever stored).
//
// SQLite cannot change a CHECK constraint, so the table is built anew with the two new kinds and
// the rows copied, ids and all. Dropping the old table sets digest_deliveries.outbox_id to null (its
// foreign key says ON DELETE SET NULL), so those links are kept aside and put back.
const KINDS = ['confirmation', 'instant', 'digest', 'password-reset', 'invitation'] as const;
const COLUMNS = sql.raw('id, kind, subscription_id, request_id, release_id, digest_run_id, status, attempts, next_attempt_at, lease_until, last_error, message_id, created_at, sent_at');

const createOutbox = async (db: Kysely<any>, name: string, kinds: readonly string[], accountColumns: boolean) => {
  let table = db.schema
    .createTable(name)
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in (${sql.join(kinds.map((k) => sql.lit(k)))})`))
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
    .addColumn('sent_at', 'text');
  if (accountColumns) {
    table = table
      .addColumn('email', 'text')
      .addColumn('lang', 'text', (c) => c.check(sql`lang is null or lang in ('de', 'en')`))
      .addColumn('user_token_hash', 'text');
  }
  await table.execute();
};

const createIndexes = async (db: Kysely<any>) => {
  await sql`CREATE UNIQUE INDEX mail_outbox_instant_once ON mail_outbox (release_id, subscription_id) WHERE kind = 'instant'`.execute(db);
  await sql`CREATE UNIQUE INDEX mail_outbox_digest_once ON mail_outbox (digest_run_id, subscription_id) WHERE kind = 'digest'`.execute(db);
  await sql`CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('queued', 'sending')`.execute(db);
  await db.schema.createIndex('mail_outbox_subscription').on('mail_outbox').column('subscription_id').execute();
  await db.schema.createIndex('mail_outbox_request').on('mail_outbox').column('request_id').execute();
  await db.schema.createIndex('mail_outbox_status_created').on('mail_outbox').columns(['status', 'created_at']).execute();
};

/** Copies the rows into the new table `mail_outbox_next` and swaps it in, keeping ids, the id sequence and the digest deliveries' links. */
const swap = async (db: Kysely<any>, where = sql``) => {
  await sql`INSERT INTO mail_outbox_next (${COLUMNS}) SELECT ${COLUMNS} FROM mail_outbox ${where}`.execute(db);
  await sql`CREATE TEMP TABLE kept_delivery_outbox AS SELECT digest_run_id, subscription_id, outbox_id FROM digest_deliveries WHERE outbox_id IS NOT NULL`.execute(db);
  const sequence = (await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'mail_outbox'`.execute(db)).rows[0]?.seq;
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.alterTable('mail_outbox_next').renameTo('mail_outbox').execute();
  if (sequence !== undefined) {
    await sql`DELETE FROM sqlite_sequence WHERE name = 'mail_outbox'`.execute(db);
    await sql`INSERT INTO sqlite_sequence (name, seq) VALUES ('mail_outbox', ${sequence})`.execute(db);
  }
  await sql`UPDATE digest_deliveries SET outbox_id = (SELECT k.outbox_id FROM kept_delivery_outbox k WHERE k.digest_run_id = digest_deliveries.digest_run_id AND k.subscription_id = digest_deliveries.subscription_id)
            WHERE EXISTS (SELECT 1 FROM kept_delivery_outbox k WHERE k.digest_run_id = digest_deliveries.digest_run_id AND k.subscription_id = digest_deliveries.subscription_id)`.execute(db);
  await sql`DROP TABLE kept_delivery_outbox`.execute(db);
  await createIndexes(db);
};

export async function up(db: Kysely<any>): Promise<void> {
  await createOutbox(db, 'mail_outbox_next', KINDS, true);
  await swap(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await createOutbox(db, 'mail_outbox_next', KINDS.slice(0, 3), false);
  await swap(db, sql`WHERE kind IN ('confirmation', 'instant', 'digest')`);
}
