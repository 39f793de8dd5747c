import { sql, type Kysely } from 'kysely';

// The term list of releases_fts ('instance' vocabulary: read lazily, one row per occurrence), used
// to expand a prefix (radweg* → radweg, radwege, radwegenetz) into a few exact terms by stepping
// from term to term: much cheaper for FTS5 than a prefix scan over a large index. (The 'row'
// vocabulary would count every term's releases on each read, which is slow for common words.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table releases_fts_terms using fts5vocab(releases_fts, 'instance')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table releases_fts_terms`.execute(db);
}
