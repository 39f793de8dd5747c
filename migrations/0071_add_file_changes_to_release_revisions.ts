import type { Kysely } from 'kysely';

// What a correction changed in a release's photos and attachments, with the old values: a JSON
// array of change records (`{kind, change, number, before, after}`, see
// src/modules/releases/release-files.ts). Null for revisions of text alone and for those made
// before corrections could change files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('release_revisions').addColumn('file_changes_json', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('release_revisions').dropColumn('file_changes_json').execute();
}
