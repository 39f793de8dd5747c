import { sql, type Kysely } from 'kysely';

// The old slugs of renamed or merged topics and regions, so their pages and feeds answer with a
// permanent redirect to where the term lives now. One row per old slug; `term_id` names the term in
// `topics` or `regions` (by `kind`), so a term renamed twice keeps every old slug pointing at it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('term_redirects')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('topics', 'regions')`))
    .addColumn('old_slug', 'text', (c) => c.notNull())
    .addColumn('term_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('term_redirects_pk', ['kind', 'old_slug'])
    .execute();
  await db.schema.createIndex('term_redirects_term').on('term_redirects').columns(['kind', 'term_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('term_redirects').execute();
}
