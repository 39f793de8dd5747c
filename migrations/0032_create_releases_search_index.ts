import type { Kysely } from 'kysely';

// A narrow covering index for search: after FTS5 has found ids, visibility and sorting read only
// this index, never the wide release rows (whose status and dates sit behind the long body text,
// in overflow pages).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('releases_search').on('releases').columns(['id', 'status', 'published_at', 'release_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('releases_search').execute();
}
