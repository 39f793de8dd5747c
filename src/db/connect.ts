// Opens the SQLite database with the pragmas every connection needs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { DB } from './database.ts';

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
 * cached only as read, but every search worker fills its own: at 64 MiB two workers alone held
 * 110 MiB of a soak's resident memory (100k releases, 10 min), so 32 MiB each.
 */
export const CACHE_KIB = 32_768;

/**
 * The main connection's page cache when search runs in its worker threads (SEARCH_WORKERS > 0):
 * it reads pages, listings and feeds, whose rows the operating system caches as well, and its
 * cache is resident memory of the server (64 MiB filled within minutes of reading release pages).
 */
export const MAIN_CACHE_KIB = 16_384;

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
