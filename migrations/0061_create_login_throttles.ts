import type { Kysely } from 'kysely';

// Login throttling, shared by every process that serves the site. One row per thing that is
// throttled: an address typed into the login form by browsers it does not know
// (`account:{sha256 of the address}`), or one known browser (`device:{sha256 of its cookie's nonce}`).
// `failures` counts the attempts since the last success (an attempt counts from its start, so
// parallel guesses count too); from the fifth on, `locked_until` says when the next may come.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  await db.schema.createIndex('login_throttles_last_failure').on('login_throttles').column('last_failure_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttles').execute();
}
