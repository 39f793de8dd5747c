import { sql, type Kysely } from 'kysely';

// Published releases by publication time: counting the (nearly always no) published releases dated
// after now, which listings subtract from the kept counts, without walking the scheduled releases
// that lie ahead in `releases_listed` (20,000 of them at a million releases: 5-7 ms per count).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index releases_published on releases (published_at) where status = 'published'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('releases_published').execute();
}
