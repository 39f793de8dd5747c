import type { Kysely } from 'kysely';

// Which file each imported release came from: the office and a SHA-256 of the file's content.
// Written in the release's own transaction, so an import run again after a crash (or by mistake)
// skips what is already there instead of storing it twice. Deleting the release (a draft) lets
// the file be imported again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_imports')
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_imports_pk', ['office_id', 'source_sha256'])
    .execute();
  await db.schema.createIndex('release_imports_release').on('release_imports').column('release_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_imports').execute();
}
