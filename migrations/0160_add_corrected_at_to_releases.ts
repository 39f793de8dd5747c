import { type Kysely } from 'kysely';

// When a release was last corrected, on the release itself: lists and search results read one row per
// release and no revisions, yet show „aktualisiert am … um …“ as the release page does. Written in the
// transaction of every correction (releases.service `correct`); null for a release never corrected.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('releases').addColumn('corrected_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('releases').dropColumn('corrected_at').execute();
}
