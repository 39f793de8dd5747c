import type { Kysely } from 'kysely';

// A form posted after its session expired, kept so that nothing typed is lost: after logging in
// again the writer gets the form back with these values. Keyed by the SHA-256 of a random token.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('form_stashes')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    // The user of the expired session, when known; only that user may take the stash back.
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_stashes').execute();
}
