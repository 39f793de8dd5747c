import type { Kysely } from 'kysely';

// Forms kept without a known user (anonymous posts, before 0062) could be taken by anyone who logged
// in; none is kept that way any more, and those left are dropped.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('form_stashes').where((eb) => eb.or([eb('user_id', 'is', null), eb('session_hash', 'is', null)])).execute();
}

export async function down(): Promise<void> {}
