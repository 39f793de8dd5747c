import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Indexes for queries that read more rows than they show.
//
// `releases_office` (office_id, published_at), from migration 0003, led SQLite astray: for an
// office's public pages it walked that index instead of `releases_listed_office` (migration 0130)
// and read every release's row, after its body, to check its status. Page 150 of an office of 3,660
// releases took 30 ms warm and 96 ms cold at 100,000 releases (0.4 ms through the right index), with
// or without statistics; a crawler walks every page. The index now serves what only it can: the
// office's releases by slug, which every save checks (the office's rows were read for it). Both
// dialects: on PostgreSQL publishing a release no longer changes a column of this index.
//
// SQLite only, as 0179 (PostgreSQL keeps bodies out of the row, and an index on updated_at would
// cost a save its in-place update there):
// - `releases_office_changed` (office_id, updated_at): the admin area's list of an office's
//   releases, newest change first, read and sorted the office's rows: 38 ms warm, 0.1 ms now;
// - `releases_state` also holds language and corrected_at, so the lists beside a release page take
//   all they show after the body from it: a topic's 40 newest public releases 1.0 ms cold, 0.24 ms.
// Each statement is safe to run again (SQLite migrations do not run in a transaction).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists releases_office`.execute(db);
  await sql`create index if not exists releases_office on releases (office_id, slug)`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create index if not exists releases_office_changed on releases (office_id, updated_at)`.execute(db);
  await sql`drop index if exists releases_state`.execute(db);
  await sql`create index if not exists releases_state on releases (id, status, published_at, updated_at, language, corrected_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`drop index if exists releases_state`.execute(db);
    await sql`create index releases_state on releases (id, status, published_at, updated_at)`.execute(db);
    await sql`drop index if exists releases_office_changed`.execute(db);
  }
  await sql`drop index if exists releases_office`.execute(db);
  await sql`create index releases_office on releases (office_id, published_at)`.execute(db);
}
