import { sql, type Kysely } from 'kysely';

// Releases that were public before e-mail subscriptions existed are never announced by mail.
export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  await sql`INSERT INTO release_fanouts (release_id, cursor, queued, started_at, done_at)
            SELECT id, 0, 0, ${now}, ${now} FROM releases WHERE published_at IS NOT NULL AND status IN ('published', 'scheduled', 'withdrawn') AND published_at <= ${now}`.execute(db);
}

export async function down(): Promise<void> {}
