import { type Kysely } from 'kysely';

// An operator may add a journalist from the command line (`herold journalist add`) and hand them the
// login link: the operator vouches for the address. `vouched_at` records when, so such a journalist
// counts as known (like one whose address is confirmed by a login) before they first log in.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('journalists').addColumn('vouched_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('journalists').dropColumn('vouched_at').execute();
}
