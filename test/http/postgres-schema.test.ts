// PostgreSQL starts from a baseline (migrations/postgres/) instead of SQLite's history: its schema
// must be SQLite's, table for table and column for column, or a query works on one and not the
// other. Runs where the tests have a PostgreSQL server (HEROLD_TEST_POSTGRES_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createPostgresDatabase, TEST_POSTGRES_URL } from '../helpers/app.ts';
import { openPostgres } from '../../src/db/connect.ts';

/** SQLite's search index and bookkeeping, and PostgreSQL's own search table with its partitions (by year, and the default one): each database's own. */
const OWN = /^(releases_fts(?!_keys)|sqlite_|kysely_|release_search(_y\d+|_default)?$)/;

interface Column {
  table: string;
  column: string;
  notNull: boolean;
  hasDefault: boolean;
}

const describe = (columns: Column[]) => columns.map((c) => `${c.table}.${c.column}${c.notNull ? ' not null' : ''}${c.hasDefault ? ' default' : ''}`).sort();

test('the PostgreSQL schema has every table and column of SQLite, with the same nullability and defaults', { skip: TEST_POSTGRES_URL ? false : 'needs HEROLD_TEST_POSTGRES_URL' }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-schema-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sqlite = openDatabase(path.join(dir, 'herold.sqlite'));
  t.after(() => sqlite.db.destroy());
  await migrateToLatest(sqlite.db);
  const sqliteColumns: Column[] = [];
  const tables = sqlite.sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[];
  for (const { name } of tables.filter((x) => !OWN.test(x.name))) {
    for (const c of sqlite.sqlite.prepare(`select name, type, "notnull" as nn, dflt_value, pk from pragma_table_info(?)`).all(name) as { name: string; type: string; nn: number; dflt_value: string | null; pk: number }[]) {
      // An `id integer primary key` numbers itself on SQLite (the rowid): an identity column on PostgreSQL.
      const numbered = c.name === 'id' && c.pk === 1 && c.type.toLowerCase() === 'integer' && name !== 'site_state';
      sqliteColumns.push({ table: name, column: c.name, notNull: c.nn === 1 || c.pk > 0, hasDefault: c.dflt_value !== null || numbered });
    }
  }

  const { db } = await openPostgres(await createPostgresDatabase(t));
  const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: string; column_default: string | null; is_identity: string }>`
    select table_name, column_name, is_nullable, column_default, is_identity from information_schema.columns where table_schema = 'public'`
    .execute(db)
    .finally(() => db.destroy());
  const postgresColumns = rows
    .filter((r) => !OWN.test(r.table_name))
    .map((r) => ({ table: r.table_name, column: r.column_name, notNull: r.is_nullable === 'NO', hasDefault: r.column_default !== null || r.is_identity === 'YES' }));

  assert.ok(sqliteColumns.length > 300, `${sqliteColumns.length} columns`);
  assert.deepEqual(describe(postgresColumns), describe(sqliteColumns));
});
