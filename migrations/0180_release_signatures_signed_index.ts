import { sql, type Kysely } from 'kysely';

// The signing job asks of every public release whether a signature is newer than its last change
// (`signed_at >= updated_at`). On SQLite signed_at is the last column of release_signatures, after
// the signed document (a release's whole text), and reading it read the row's overflow pages: at
// 100,000 releases the job's query took 235 ms right after a start and 77 ms warm, holding up every
// request meanwhile. With (release_id, signed_at) in an index it reads no row: 30 and 5.5 ms.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index release_signatures_signed on release_signatures (release_id, signed_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index release_signatures_signed`.execute(db);
}
