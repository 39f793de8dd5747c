// The bench's data on PostgreSQL: a database that holds what a generated data folder's SQLite file
// holds, made once and reused (`herold_bench_<hash of the folder and the migrations>`), so
// `npm run bench -- --db postgres` measures the same pages on the same content. The rows are copied
// with triggers and foreign keys off (session_replication_role = replica, as a bulk load does), the
// identity sequences are moved past the copied ids, and the search index, which is PostgreSQL's own,
// is built in bulk from the documents the indexer would write (search.text.ts, the entries of
// search.postgres.ts): rows in batches, the GIN indexes made once at the end.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseFile, openPostgres, postgresUrlFor, withPostgresClient } from '../src/db/connect.ts';
import type { DB } from '../src/db/database.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../src/db/migrate.ts';
import { entryTexts, makePartitions } from '../src/modules/search/search.postgres.ts';
import { insertVocabulary } from '../src/modules/search/search.repository.ts';
import { indexDocuments, vocabularyRows, type Vocabulary } from './search-index.ts';

/** SQLite's own tables and the search index with its vocabulary, which buildSearchIndex makes anew. */
const NOT_COPIED = /^(sqlite_|kysely_|releases_fts|search_term)/;
/** PostgreSQL allows 65,535 parameters in a statement. */
const MAX_PARAMETERS = 60_000;

/** The name of the copy: changes with the SQLite file (size and time) and with the migrations. */
const copyName = async (dataDir: string): Promise<string> => {
  const file = databaseFile(dataDir);
  const { size, mtimeMs } = await stat(file);
  const hash = createHash('sha256').update(`${path.resolve(dataDir)}:${size}:${mtimeMs}`);
  for (const dir of [MIGRATIONS_DIR, path.join(MIGRATIONS_DIR, 'postgres')]) hash.update((await readdir(dir)).sort().join(','));
  return `herold_bench_${hash.digest('hex').slice(0, 12)}`;
};

const copyRows = async (sqlite: SQLite.Database, db: Kysely<DB>, log: (line: string) => void): Promise<void> => {
  const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name).filter((name) => !NOT_COPIED.test(name));
  for (const table of tables) {
    const columns = (sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
    const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    // What the migrations put there (the one row of site_state) gives way to the copy.
    await db.deleteFrom(table as keyof DB).execute();
    let batch: Record<string, unknown>[] = [];
    let copied = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await db.insertInto(table as keyof DB).values(batch as never).execute();
      copied += batch.length;
      batch = [];
    };
    for (const row of sqlite.prepare(`SELECT * FROM "${table}"`).iterate() as Iterable<Record<string, unknown>>) {
      batch.push(row);
      if (batch.length >= chunk) await flush();
    }
    await flush();
    if (copied > 0) log(`  ${table}: ${copied} rows`);
  }
  // Identity columns count on from the highest copied id.
  const identities = await sql<{ table_name: string }>`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'id' and is_identity = 'YES'`.execute(db);
  for (const { table_name } of identities.rows)
    await sql`select setval(pg_get_serial_sequence(${table_name}, 'id'), coalesce((select max(id) from ${sql.table(table_name)}), 0) + 1, false)`.execute(db);
};

/**
 * Writes the search index of every public release of `sqlite` into `db` (release_search,
 * releases_fts_keys, the vocabulary), as reindexRelease would one by one: the GIN indexes are
 * dropped first and built once at the end, and each batch is built while the one before is written.
 */
const buildSearchIndex = async (sqlite: SQLite.Database, db: Kysely<DB>, log: (line: string) => void): Promise<void> => {
  const started = performance.now();
  await sql`drop index if exists release_search_document`.execute(db);
  await sql`drop index if exists release_search_titles`.execute(db);
  await sql`drop index if exists release_search_pairs`.execute(db);
  const vocabulary: Vocabulary = new Map();
  let writing: Promise<unknown> = Promise.resolve();
  let indexed = 0;
  for (const batch of indexDocuments(sqlite, vocabulary)) {
    const keys = batch.map((e) => e.key);
    const texts = batch.map((e) => entryTexts(e.document, e.key));
    const ids = batch.map((e) => e.releaseId);
    await writing;
    writing = (async () => {
      await makePartitions(db, keys);
      await sql`insert into release_search (key, document, titles, pairs)
        select key, document, titles, release_search_pairs(document)
        from (select key, document::tsvector as document, titles::tsvector as titles from unnest(${keys}::bigint[], ${texts.map((t) => t.document)}::text[], ${texts.map((t) => t.titles)}::text[]) as u(key, document, titles)) as entries`.execute(db);
      await sql`insert into releases_fts_keys (release_id, key) select * from unnest(${ids}::integer[], ${keys}::bigint[])`.execute(db);
    })();
    indexed += batch.length;
    if (indexed % 100_000 < batch.length) log(`  search index: ${indexed} releases`);
  }
  await writing;
  const rows = vocabularyRows(vocabulary);
  for (let i = 0; i < rows.length; i += 5000) await insertVocabulary(db, rows.slice(i, i + 5000));
  const written = performance.now();
  await sql`set maintenance_work_mem = '1GB'`.execute(db);
  await sql`create index release_search_document on release_search using gin (document)`.execute(db);
  await sql`create index release_search_titles on release_search using gin (titles)`.execute(db);
  await sql`create index release_search_pairs on release_search using gin (pairs)`.execute(db);
  // A partitioned table has no size of its own: the sum of its partitions'.
  const { rows: size } = await sql<{ bytes: number }>`select sum(pg_total_relation_size(relid)) as bytes from pg_partition_tree('release_search')`.execute(db);
  log(
    `  search index: ${indexed} releases, ${vocabulary.size} terms; rows in ${((written - started) / 1000).toFixed(1)} s, GIN indexes in ${((performance.now() - written) / 1000).toFixed(1)} s; ` +
      `${(Number(size[0]!.bytes) / 1024 ** 2).toFixed(0)} MB`,
  );
};

/**
 * The URL of a PostgreSQL database with the data of `dataDir`, made on the server `adminUrl` names
 * (a database to connect to for creating others) unless it is there already.
 */
export const postgresCopyOf = async (dataDir: string, adminUrl: string, log: (line: string) => void = console.log): Promise<string> => {
  const name = await copyName(dataDir);
  const url = postgresUrlFor(adminUrl, name);
  const exists = await withPostgresClient(adminUrl, async (client) => ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0);
  if (exists) return url;

  const started = performance.now();
  log(`Copying ${databaseFile(dataDir)} into PostgreSQL (${name}), once:`);
  await withPostgresClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${name}_partial`);
    await client.query(`create database ${name}_partial`);
  });
  const partialUrl = postgresUrlFor(adminUrl, `${name}_partial`);
  const migrated = await openPostgres(partialUrl);
  await migrateToLatest(migrated.db);
  await migrated.db.destroy();

  const sqlite = new SQLite(databaseFile(dataDir), { readonly: true });
  // One connection, so the session setting holds for every statement of the copy.
  const pool = new pg.Pool({ connectionString: partialUrl, max: 1 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`set session_replication_role = replica`.execute(db);
    await copyRows(sqlite, db, log);
    await sql`set session_replication_role = origin`.execute(db);
    await buildSearchIndex(sqlite, db, log);
    await sql`analyze`.execute(db);
  } finally {
    sqlite.close();
    await db.destroy();
  }
  await withPostgresClient(adminUrl, (client) => client.query(`alter database ${name}_partial rename to ${name}`));
  log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return url;
};
