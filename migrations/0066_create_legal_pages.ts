import { sql, type Kysely } from 'kysely';

// The imprint (Impressum) and privacy notice (Datenschutzerklärung) that platform admins write in
// the admin area, unless IMPRINT_URL / PRIVACY_URL point elsewhere. Markdown with its rendered,
// sanitised HTML beside it, as for releases.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legal_pages')
    .addColumn('kind', 'text', (c) => c.primaryKey().check(sql`kind in ('imprint', 'privacy')`))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('legal_pages').execute();
}
