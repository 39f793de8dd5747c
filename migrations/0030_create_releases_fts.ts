import { sql, type Kysely } from 'kysely';

// The full-text index of public releases. Contentless (the text lives in `releases`; the index
// holds only folded words), with contentless_delete so a release can be taken out or rewritten.
// The rowid is the release id. Columns are folded text written by the search module; the column
// order is the order of the bm25 weights in search.repository.ts. `facets` holds filter tokens
// (office, topics, regions, language, decade/year/month of the release date), so filters are
// doclist intersections inside FTS5 rather than row lookups; user text never reaches that column.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create virtual table releases_fts using fts5(
      title, subtitle, dateline, body, captions, office, topics, regions, facets,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '3'
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table releases_fts`.execute(db);
}
