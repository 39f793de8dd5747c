import type { Kysely } from 'kysely';

// A kept form belongs to the session that expired while it was written: `session_hash` (the id_hash
// of that session), and `client_hash` (a keyed hash of the address it came from), so the number of
// kept forms per session and per address can be limited.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('form_stashes').addColumn('session_hash', 'text').execute();
  await db.schema.alterTable('form_stashes').addColumn('client_hash', 'text').execute();
  await db.schema.createIndex('form_stashes_session').on('form_stashes').column('session_hash').execute();
  await db.schema.createIndex('form_stashes_client').on('form_stashes').columns(['client_hash', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('form_stashes_client').execute();
  await db.schema.dropIndex('form_stashes_session').execute();
  await db.schema.alterTable('form_stashes').dropColumn('client_hash').execute();
  await db.schema.alterTable('form_stashes').dropColumn('session_hash').execute();
}
