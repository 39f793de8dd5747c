import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The jobs that sweep the archive ask of every release whether it is public and when it last changed
// (status, published_at, updated_at): stamp-press-kits for releases without a current stamp, sign-
// pending for those without a current signature. On SQLite those columns lie after the bodies in
// each row (body_markdown, body_html: some 9.5 KB a release, on overflow pages), and reading them
// read the whole row: at 100,000 releases the stamping sweep took 260 ms and the signing one 60 ms,
// each holding up every request meanwhile, ten times that at a million. Both now read indexes only:
// `releases_listed` (the public listings' index, migration 0130) also holds updated_at, and
// `releases_state` holds the three columns by id: 23 and 35 ms at 100,000, measured warm (the rest
// of the signing job's time was its signatures' rows: migration 0180).
//
// SQLite only. PostgreSQL keeps large values out of the row (TOAST), so the row is cheap to read
// there, and an index on updated_at would cost every save of a release its in-place (HOT) update.
// Kysely runs SQLite migrations outside a transaction: each statement may be run again after a
// crash between them.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`drop index if exists releases_listed`.execute(db);
  await sql`create index if not exists releases_listed on releases (published_at desc, id desc, updated_at) where status in ('published', 'scheduled')`.execute(db);
  await sql`create index if not exists releases_state on releases (id, status, published_at, updated_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`drop index if exists releases_state`.execute(db);
  await sql`drop index if exists releases_listed`.execute(db);
  await sql`create index releases_listed on releases (published_at desc, id desc) where status in ('published', 'scheduled')`.execute(db);
}
