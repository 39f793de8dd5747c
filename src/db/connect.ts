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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite, file };
};
