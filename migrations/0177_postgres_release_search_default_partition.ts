import { PostgresAdapter, sql, type Kysely } from 'kysely';

// A release's transaction no longer makes a partition of release_search (issue 18): `create table …
// partition of` locks the whole table until commit, and two saves needing the same new year
// deadlocked (one had written to release_search already and waited for the other's advisory lock,
// the other waited for its lock on the table). A row of a year without a partition of its own now
// goes into the default partition, and only the `search-partitions` job makes partitions, outside
// any release's transaction.
//
// `release_search_partition_for(key)` therefore moves the year's rows out of the default partition
// before the year's table becomes a partition (PostgreSQL refuses a partition whose rows lie in the
// default). It takes the default partition in ACCESS EXCLUSIVE mode first, the mode ATTACH takes it
// in anyway: it waits for the transactions that wrote to the default to end, and then nothing
// writes or reads there until the move is committed. Taking a weaker mode first and ATTACH's later
// would deadlock with a transaction that had read the default and then writes to it. The parent
// table is taken only in SHARE UPDATE EXCLUSIVE mode (by ATTACH), which writes to other years'
// partitions and searches do not wait for.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create table release_search_default partition of release_search default`.execute(db);
  await sql`create or replace function release_search_partition_for(entry_key bigint) returns void language plpgsql as $$
    declare
      -- key = -(day * 2^32 + id), day counted from 1970-01-01 (search.keys.ts)
      entry_day date := date '1970-01-01' + floor((-entry_key)::numeric / 4294967296)::integer;
      entry_year integer := extract(year from entry_day)::integer;
      partition_name text := 'release_search_y' || lpad(entry_year::text, 4, '0');
      newest bigint := -((make_date(entry_year + 1, 1, 1) - date '1970-01-01')::bigint * 4294967296);
      oldest bigint := -((make_date(entry_year, 1, 1) - date '1970-01-01')::bigint * 4294967296);
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
