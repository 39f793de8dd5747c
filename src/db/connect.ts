// Opens the SQLite database with the pragmas every connection needs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from './database.ts';

export interface OpenedDatabase {
  db: Kysely<DB>;
  sqlite: SQLite.Database;
  file: string;
}

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'herold.sqlite');

export const openDatabase = (file: string): OpenedDatabase => {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, file };
};

/**
 * Kysely prepares every query afresh; for the long SQL of search (and every list page) preparing
 * costs about as much as running. Statements are reused by their SQL text instead (least recently
 * used dropped beyond `size`). Safe: Kysely runs one query at a time on the connection, and SQLite
 * re-prepares a statement by itself after a schema change.
 */
const withStatementCache = (sqlite: SQLite.Database, size = 500) => {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string): SQLite.Statement => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
};
