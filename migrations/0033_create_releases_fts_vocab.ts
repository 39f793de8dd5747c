import { sql, type Kysely } from 'kysely';

// The term list of releases_fts, read to expand a prefix (radweg* → radweg, radwege, radwegenetz)
// into a few exact terms: much cheaper for FTS5 than a prefix scan over a large index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table releases_fts_terms using fts5vocab(releases_fts, 'row')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table releases_fts_terms`.execute(db);
}
