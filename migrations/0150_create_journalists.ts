import { sql, type Kysely } from 'kysely';

// Journalists: readers with an account of their own, separate from press officers (`users`): they
// sign up with name, medium and address (a press-card number optional), log in by an e-mail link
// (no password) and are accredited by offices (0151). Their login links and sessions have tables
// of their own, storing only the SHA-256 of each token, so a journalist's session can never reach
// `/admin`.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('journalists')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Stored as given after trimming; unique regardless of case.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('press_card', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('de').check(sql`lang in ('de', 'en')`))
    // Notification settings: embargoed pre-releases by mail (on by default), and mail about
    // accreditation decisions.
    .addColumn('prerelease_mail', 'integer', (c) => c.notNull().defaultTo(1).check(sql`prerelease_mail in (0, 1)`))
    .addColumn('decision_mail', 'integer', (c) => c.notNull().defaultTo(1).check(sql`decision_mail in (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set by the first login through a mailed link: the address is proven.
    .addColumn('confirmed_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX journalists_email ON journalists (lower(email))`.execute(db);

  await db.schema
    .createTable('journalist_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('journalist_id', 'integer', (c) => c.notNull().references('journalists.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('login')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('journalist_tokens_journalist').on('journalist_tokens').column('journalist_id').execute();

  await db.schema
    .createTable('journalist_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('journalist_id', 'integer', (c) => c.notNull().references('journalists.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('journalist_sessions_journalist').on('journalist_sessions').column('journalist_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('journalist_sessions').execute();
  await db.schema.dropTable('journalist_tokens').execute();
  await db.schema.dropTable('journalists').execute();
}
