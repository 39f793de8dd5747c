import { sql, type Kysely } from 'kysely';

// Partial indexes for the public listings, in their order (newest publication first, then id): home,
// feeds and the API walk `releases_listed`, an office's pages `releases_listed_office`, so a page of
// 20 reads 20 index entries instead of sorting every public release. Only releases that can be public
// (published, or scheduled whose time may have come) are in them; the queries name the same
// `status in ('published', 'scheduled')` literally, which is what lets SQLite use a partial index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index releases_listed on releases (published_at desc, id desc) where status in ('published', 'scheduled')`.execute(db);
  await sql`create index releases_listed_office on releases (office_id, published_at desc, id desc) where status in ('published', 'scheduled')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('releases_listed_office').execute();
  await db.schema.dropIndex('releases_listed').execute();
}
