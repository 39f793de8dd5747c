import { sql, type Kysely } from 'kysely';

// `corrected_at` (0160) for the releases corrected before it: the time of the newest revision, which a
// correction writes (the page's newest correction).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update releases set corrected_at = (select max(v.created_at) from release_revisions v where v.release_id = releases.id)
    where exists (select 1 from release_revisions v where v.release_id = releases.id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update releases set corrected_at = null`.execute(db);
}
