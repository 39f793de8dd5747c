import { sql, type Kysely } from 'kysely';

// The counts of migration 0131 for the releases written before it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from published_counts`.execute(db);
  await sql`insert into published_counts (scope, scope_id, n) select 'site', 0, count(*) from releases where status = 'published'`.execute(db);
  await sql`insert into published_counts (scope, scope_id, n) select 'office', office_id, count(*) from releases where status = 'published' group by office_id`.execute(db);
  await sql`insert into published_counts (scope, scope_id, n)
    select 'topic', rt.topic_id, count(*) from release_topics rt join releases r on r.id = rt.release_id where r.status = 'published' group by rt.topic_id`.execute(db);
  await sql`insert into published_counts (scope, scope_id, n)
    select 'region', rr.region_id, count(*) from release_regions rr join releases r on r.id = rr.release_id where r.status = 'published' group by rr.region_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from published_counts`.execute(db);
}
