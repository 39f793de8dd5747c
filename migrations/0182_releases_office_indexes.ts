import { sql, type Kysely } from 'kysely';

// `releases_office` (office_id, published_at), from migration 0003, led SQLite astray: for an
// office's public pages it walked that index instead of `releases_listed_office` (migration 0130)
// and read every release's row, after its body, to check its status. Page 150 of an office of 3,660
// releases took 30 ms warm and 96 ms cold at 100,000 releases (0.4 ms through the right index), with
// or without statistics; a crawler walks every page. The index now serves what only it can:
// the office's releases by slug (a slug is checked at every save: the office's rows were read for
// it), and by last change (the admin area's list of an office's releases: its rows read and sorted).
// Each statement is safe to run again (SQLite migrations do not run in a transaction).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists releases_office`.execute(db);
  await sql`create index if not exists releases_office on releases (office_id, slug)`.execute(db);
  await sql`create index if not exists releases_office_changed on releases (office_id, updated_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists releases_office_changed`.execute(db);
  await sql`drop index if exists releases_office`.execute(db);
  await sql`create index releases_office on releases (office_id, published_at)`.execute(db);
}
