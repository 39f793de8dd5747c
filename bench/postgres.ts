// The bench's data on PostgreSQL: a database that holds what a generated data folder's SQLite file
// holds, made once and reused (`herold_bench_<hash of the folder and the migrations>`), so
// `npm run bench -- --db postgres` measures the same pages on the same content. The rows are copied
// with triggers and foreign keys off (session_replication_role = replica, as a bulk load does), the
// identity sequences are moved past the copied ids, and the search index, which is PostgreSQL's own,
// is written by the indexer the server uses.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseFile, openPostgres, postgresUrlFor, withPostgresClient } from '../src/db/connect.ts';
import type { DB } from '../src/db/database.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../src/db/migrate.ts';
import { isPublic } from '../src/modules/releases/release.ts';
import { reindexRelease } from '../src/modules/search/search.indexer.ts';

/** SQLite's own tables and its search index, which PostgreSQL keeps its own way. */
const NOT_COPIED = /^(sqlite_|kysely_|releases_fts(?!_keys$))/;
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
    const now = new Date().toISOString();
    const releases = await db.selectFrom('releases').select(['id', 'status', 'published_at']).orderBy('id').execute();
    let indexed = 0;
    for (const release of releases) {
      if (!isPublic(release, now)) continue;
      await db.transaction().execute((trx) => reindexRelease(trx, release.id, now));
      if (++indexed % 5000 === 0) log(`  search index: ${indexed} releases`);
    }
    log(`  search index: ${indexed} releases`);
    await sql`analyze`.execute(db);
  } finally {
    sqlite.close();
    await db.destroy();
  }
  await withPostgresClient(adminUrl, (client) => client.query(`alter database ${name}_partial rename to ${name}`));
  log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return url;
};
