// Opens the database: SQLite in DATA_DIR with the pragmas every connection needs, or PostgreSQL
// when DATABASE_URL names one (a pool shared by the requests and jobs of this process).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  SqliteDialect,
  type KyselyPlugin,
  type PrimitiveValueListNode,
  type SqliteDatabase,
  type SqliteStatement,
  type ValueNode,
} from 'kysely';
import type { DB } from './database.ts';
import type { Dialect } from './dialect.ts';

export interface OpenedDatabase {
  db: Kysely<DB>;
  sqlite: SQLite.Database;
  file: string;
}

/**
 * Kysely prepares every query anew, and better-sqlite3 compiles SQL on each prepare(): for a release
 * page's query with its four JSON subqueries that was the largest part of rendering it. Compiled
 * statements are kept by SQL text (least recently used out first); one that is still busy (a
 * streaming iterate() in progress) is not shared, a fresh one is prepared instead.
 */
/**
 * SQLite ends a transaction by itself after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM,
 * SQLITE_BUSY). Kysely's ROLLBACK then failed with "cannot rollback - no transaction is active",
 * and that error replaced the one that mattered: a full disk became a bare 500. With no transaction
 * open, there is nothing to roll back.
 */
const NOTHING_TO_ROLL_BACK: SqliteStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

export const withStatementCache = (sqlite: SQLite.Database, maxEntries = 500): SqliteDatabase => {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      if (sql === 'rollback' && !sqlite.inTransaction) return NOTHING_TO_ROLL_BACK;
      const cached = statements.get(sql);
      if (cached) {
        if (cached.busy) return sqlite.prepare(sql);
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > maxEntries) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
};

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'herold.sqlite');

/**
 * Page cache per connection, in KiB (SQLite's default is 2 MiB). Searches read long FTS5 lists;
 * with the lists of common words cached, a search with a filter at a million releases reads them
 * a third faster than through the operating system's cache (measured with 64 MiB). Pages are
 * cached only as read, but every connection fills its own, and all of it stays resident memory of
 * the server: at 64 MiB two search threads alone held 110 MiB of a soak's (100k releases, 10 min).
 * With 8 MiB for every connection (32 for the search threads, 16 for the main one before), five-
 * minute soaks at 100k held 377 MB instead of 434 MB, flat, at the same speed (searches' p50 34.2
 * against 35.0 ms, 353 against 340 requests a second): the operating system caches the file too.
 */
export const CACHE_KIB = 8_192;

export const openDatabase = (file: string, { cacheKib = CACHE_KIB }: { cacheKib?: number } = {}): OpenedDatabase => {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`cache_size = -${cacheKib}`);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, file };
};

export interface OpenedPostgres {
  db: Kysely<DB>;
  url: string;
}

/**
 * PostgreSQL's 64-bit integers (count(*), sum() of integers) and numerics arrive as strings from
 * the driver, to keep their precision; Herold's are counts and sizes far below 2^53, and the code
 * is written for the numbers SQLite gives.
 */
const INT8 = 20;
const NUMERIC = 1700;

const withoutNul = (value: unknown): unknown =>
  typeof value === 'string' ? value.replaceAll('\0', '') : Array.isArray(value) ? value.map(withoutNul) : value;

/**
 * PostgreSQL's text holds no NUL character and refuses a statement with one (SQLite stores it).
 * A NUL means nothing in Herold's text, and typed or sent it is only ever hostile input: it is
 * dropped from every bound value, so such input finds nothing or is saved without it, as on
 * SQLite, instead of failing the request.
 */
class WithoutNul extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return { ...super.transformValue(node), value: withoutNul(node.value) };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...super.transformPrimitiveValueList(node), values: node.values.map(withoutNul) };
  }
}

const withoutNulPlugin: KyselyPlugin = {
  transformQuery: ({ node }) => new WithoutNul().transformNode(node),
  transformResult: async ({ result }) => result,
};

export const openPostgres = async (url: string, { max = 10 }: { max?: number } = {}): Promise<OpenedPostgres> => {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its connection (a database restart) must not take the process down.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [withoutNulPlugin] });
  return { db, url };
};

/** The URL of another database on the same PostgreSQL server. */
export const postgresUrlFor = (url: string, database: string): string => {
  const other = new URL(url);
  other.pathname = `/${database}`;
  return other.toString();
};

/**
 * One client connection for statements a pool cannot run (CREATE/DROP/ALTER DATABASE, session
 * settings that must hold throughout): the test databases and the bench's copy.
 */
export const withPostgresClient = async <T>(url: string, work: (client: import('pg').Client) => Promise<T>): Promise<T> => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

export interface ConfiguredDatabase {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The SQLite handle, for what only SQLite has (online backup, checkpoints); undefined on PostgreSQL. */
  sqlite?: SQLite.Database;
}

/** The database the configuration names: PostgreSQL with DATABASE_URL, else SQLite in DATA_DIR. */
export const openConfigured = async (config: { databaseUrl?: string | undefined; dataDir: string }): Promise<ConfiguredDatabase> => {
  if (config.databaseUrl) return { ...(await openPostgres(config.databaseUrl)), dialect: 'postgres' };
  const { db, sqlite } = openDatabase(databaseFile(config.dataDir));
  return { db, sqlite, dialect: 'sqlite' };
};
