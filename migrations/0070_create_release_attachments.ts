import { sql, type Kysely } from 'kysely';

// Documents attached to a release (PDF, ODT, DOCX), in the author's order. The file lies below the
// media folder (`releases/{releaseId}/{key}/{name}.{ext}`), checked by its content when stored;
// `mime` is what that check found, `sha256` names the exact file (kept in the revision history
// when a correction replaces or removes it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) =>
      c
        .notNull()
        .check(sql`mime in ('application/pdf', 'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')`),
    )
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_attachments_release').on('release_attachments').columns(['release_id', 'position']).execute();
  await db.schema.createIndex('release_attachments_path').on('release_attachments').column('path').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_attachments').execute();
}
