import { PostgresAdapter, sql, type Kysely } from 'kysely';

// PostgreSQL's search index becomes a table partitioned by the year of the release date (its keys
// are dates, search.keys.ts): a GIN index knows which rows match, not in which order, so finding
// the newest matches decoded a word's whole posting list for every window of days it read. Each
// year's partition has GIN indexes of its own, and a window reads only its year's lists (at a
// million releases, a search's windows take a quarter of the time). search.postgres.ts holds the why.
//
// Each document and titles vector also gains its week token (`_w2970`), so that a window of a few weeks is a short
// list for GIN (search.postgres.ts `windowQuery`).
//
// And each entry gains `pairs`: the words that stand next to each other in its document, joined by
// `_` (`neue_zahlen`), without positions, made from the document's own positions by
// `release_search_pairs(document)`, with a GIN index. A phrase must have its pairs, so a phrase of
// common words is looked up by its pairs' short lists; only the entries holding all of them are
// read to check the positions (search.postgres.ts `pairsQueryOf`).
//
// `release_search_partition_for(key)` makes the partition of a key's year when it is missing: the
// index writer calls it before each insert, and the `search-partitions` job makes this year's and
// next year's ahead. The rows written before move over (see the end for the time it takes). SQLite's FTS5 index reads its lists in key order already: nothing to do there.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
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
      -- Two writers of the same new year: the second waits here and then finds it made.
      perform pg_advisory_xact_lock(hashtext('release_search_partition_for'), entry_year);
      if to_regclass(partition_name) is not null then return; end if;
      execute format('create table %I partition of release_search for values from (%s) to (%s)', partition_name, newest, oldest);
    end $$`.execute(db);

  // Exactly the pairs a phrase (`a <-> b`) can match: a lexeme at a position and one at the next. A
  // pair PostgreSQL would refuse as too long for a lexeme (2,048 bytes) is left out.
  await sql`create or replace function release_search_pairs(document tsvector) returns tsvector language sql immutable parallel safe as $$
    select coalesce(array_to_tsvector(array_agg(distinct first.lexeme || '_' || next.lexeme)), ''::tsvector)
    from (select lexeme, unnest(positions) as position from unnest(document)) as first
    join (select lexeme, unnest(positions) as position from unnest(document)) as next on next.position = first.position + 1
    where octet_length(first.lexeme) + octet_length(next.lexeme) < 2047
  $$`.execute(db);

  await sql`alter table release_search rename to release_search_unpartitioned`.execute(db);
  await sql`alter index release_search_pkey rename to release_search_unpartitioned_pkey`.execute(db);
  await sql`drop index release_search_document`.execute(db);
  await sql`drop index release_search_titles`.execute(db);
  await sql`create table release_search (key bigint not null, document tsvector not null, titles tsvector not null, pairs tsvector not null, primary key (key)) partition by range (key)`.execute(db);
  // One key of each year makes that year's partition.
  await sql`select release_search_partition_for(min(key)) from release_search_unpartitioned
    group by extract(year from date '1970-01-01' + floor((-key)::numeric / 4294967296)::integer)`.execute(db);
  // Each document gains its week token (search.postgres.ts `weekToken`), and the rows go in in key
  // order, so a week's rows lie together on disk and in the GIN indexes' lists.
  await sql`insert into release_search (key, document, titles, pairs)
    select key, document || week, titles || week, release_search_pairs(document)
    from (select *, array_to_tsvector(array['_w' || floor(floor((-key)::numeric / 4294967296) / 7)::bigint::text]) as week from release_search_unpartitioned) as entries
    order by key`.execute(db);
  await sql`drop table release_search_unpartitioned`.execute(db);
  // Built after the rows are in: once per partition, instead of an entry at a time. At a million
  // releases the whole migration took 19 minutes, most of it making the pairs and their index
  // (1.9 GB); the search index grew from 3.2 to 9.4 GB.
  await sql`create index release_search_document on release_search using gin (document)`.execute(db);
  await sql`create index release_search_titles on release_search using gin (titles)`.execute(db);
  await sql`create index release_search_pairs on release_search using gin (pairs)`.execute(db);
}

export async function down(): Promise<void> {}
