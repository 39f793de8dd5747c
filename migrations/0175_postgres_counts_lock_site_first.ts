import { PostgresAdapter, sql, type Kysely } from 'kysely';

// On PostgreSQL the published counts are kept by PL/pgSQL triggers (0171_postgres_baseline), and
// each bump locks its row until the transaction ends. A release's own triggers bump the site's row
// first, but a topic or region added to or removed from a published release bumped only the term's
// row: two corrections that change the same topics in opposite order could each hold one row and
// wait for the other (deadlock, one of them fails). Now the term trigger takes the site's row
// first too, so every change of the counts queues on that one row and none can wait in a circle.
// SQLite has one writer at a time: nothing to do there.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create or replace function published_counts_term() returns trigger language plpgsql as $$
   declare
     was boolean := tg_op in ('DELETE', 'UPDATE') and (select status from releases where id = old.release_id) = 'published';
     is_now boolean := tg_op in ('INSERT', 'UPDATE') and (select status from releases where id = new.release_id) = 'published';
   begin
     if was or is_now then
       perform published_counts_bump('site', 0, 0);
     end if;
     if was then
       perform published_counts_bump(tg_argv[0], (to_jsonb(old) ->> tg_argv[1])::integer, -1);
     end if;
     if is_now then
       perform published_counts_bump(tg_argv[0], (to_jsonb(new) ->> tg_argv[1])::integer, 1);
     end if;
     return null;
   end $$`.execute(db);
}

export async function down(): Promise<void> {}
