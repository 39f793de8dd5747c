import { sql, type Kysely } from 'kysely';

// `releases_public` (status, published_at) covered the public listings but made SQLite sort every
// public release for each page (the listings have their own partial indexes now, migration 0130,
// and the planner preferred the covering one). What else it served, finding scheduled releases
// whose time has come and the next scheduled time, takes a partial index of the few scheduled rows.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index releases_scheduled on releases (published_at) where status = 'scheduled'`.execute(db);
  await db.schema.dropIndex('releases_public').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('releases_public').on('releases').columns(['status', 'published_at']).execute();
  await db.schema.dropIndex('releases_scheduled').execute();
}
