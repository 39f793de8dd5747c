import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The year of a search key and the name of its partition were reckoned in three places: in
// `release_search_partition_for` (0177), in the `search-partitions` job's count of crowded years and,
// in JavaScript, in `insertEntry`'s check for a partition. They are two SQL functions now, which the
// three use, so the year a row is counted in, the partition it is written to and the partition the
// job makes cannot drift apart.
//
// key = -(day * 2^32 + id), day counted from 1970-01-01 (search.keys.ts); the span is written here,
// not imported, as a migration must not change when the code does.
const KEY_SPAN = 2 ** 32;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const span = sql.lit(KEY_SPAN);
  await sql`create or replace function release_search_year(entry_key bigint) returns integer language sql immutable parallel safe
    return extract(year from date '1970-01-01' + floor((-entry_key)::numeric / ${span})::integer)::integer`.execute(db);
  await sql`create or replace function release_search_partition_name(entry_key bigint) returns text language sql immutable parallel safe
    return 'release_search_y' || lpad(release_search_year(entry_key)::text, 4, '0')`.execute(db);
  await sql`create or replace function release_search_partition_for(entry_key bigint) returns void language plpgsql as $$
    declare
      entry_year integer := release_search_year(entry_key);
      partition_name text := release_search_partition_name(entry_key);
      newest bigint := -((make_date(entry_year + 1, 1, 1) - date '1970-01-01')::bigint * ${span});
      oldest bigint := -((make_date(entry_year, 1, 1) - date '1970-01-01')::bigint * ${span});
    begin
      if to_regclass(partition_name) is not null then return; end if;
      -- Two makers of the same year: the second waits here and then finds it made.
      perform pg_advisory_xact_lock(hashtext('release_search_partition_for'), entry_year);
      if to_regclass(partition_name) is not null then return; end if;
      lock table release_search_default in access exclusive mode;
      -- A table of its own first, filled, then attached: the indexes of release_search are built on
      -- it at the attach, once, rather than row by row.
      execute format('create table %I (like release_search)', partition_name);
      execute format('with moved as (delete from release_search_default where key >= %s and key < %s returning *) insert into %I select * from moved', newest, oldest, partition_name);
      execute format('alter table release_search attach partition %I for values from (%s) to (%s)', partition_name, newest, oldest);
    end $$`.execute(db);
}

export async function down(): Promise<void> {}
