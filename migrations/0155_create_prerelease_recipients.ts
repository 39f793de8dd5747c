import { sql, type Kysely } from 'kysely';

// Embargoed pre-releases: a scheduled release sent ahead of its time to accredited journalists
// (0150, 0151), each through a personal link. One row per release and journalist: the SHA-256 of
// the link's token (minted when the mail is sent, never stored in clear), the recipient's name,
// medium and address as they were when it was sent (the "Exemplar für …" line of every copy), the
// embargo time the recipient was last told, and when the link was opened. `revoked_at` ends the
// link (the office removed the recipient, or the release was taken back or withdrawn); a deleted
// release leaves the row (release_id null) so the link says it is gone instead of "not found".
// `prerelease_events` is what each recipient opened and downloaded, for the office.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('prerelease_recipients')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('release_id', 'integer', (c) => c.references('releases.id').onDelete('set null'))
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('journalist_id', 'integer', (c) => c.references('journalists.id').onDelete('set null'))
    .addColumn('token_hash', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull())
    // The release's title when last sent or changed: a mail about a release deleted since can still name it.
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('de').check(sql`lang in ('de', 'en')`))
    // The embargo time (the release's publish time) the recipient was last told, ISO-8601 UTC.
    .addColumn('embargo_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('first_opened_at', 'text')
    .addColumn('last_opened_at', 'text')
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text', (c) => c.check(sql`revoked_reason in ('removed', 'cancelled', 'withdrawn')`))
    .execute();
  await sql`CREATE UNIQUE INDEX prerelease_recipients_token ON prerelease_recipients (token_hash) WHERE token_hash IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX prerelease_recipients_once ON prerelease_recipients (release_id, journalist_id) WHERE release_id IS NOT NULL AND journalist_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable('prerelease_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('recipient_id', 'integer', (c) => c.notNull().references('prerelease_recipients.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opened', 'press-kit', 'photo', 'attachment', 'text')`))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prerelease_events_recipient').on('prerelease_events').columns(['recipient_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('prerelease_events').execute();
  await db.schema.dropTable('prerelease_recipients').execute();
}
