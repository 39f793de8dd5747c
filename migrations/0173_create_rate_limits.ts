import type { Kysely } from 'kysely';

// Counters of the form rate limits (login, password reset, the journalists' forms) per address and
// form, for servers that share a PostgreSQL database: a limit then holds across all of them
// (src/plugins/rate-limit-store.ts). One server on SQLite counts in memory and leaves this empty.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_reset').on('rate_limits').column('reset_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
