// Applies the numbered migrations in migrations/ with Kysely's Migrator.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { dialectOf, type Dialect } from './dialect.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

/**
 * PostgreSQL starts at 0171 with one migration that creates the schema as SQLite had it then
 * (migrations/postgres/); the files up to 0171 are SQLite's history. Every migration after it runs
 * on both databases, with the differences in src/db/dialect.ts.
 */
export const POSTGRES_BASELINE = { name: '0171_postgres_baseline', upTo: '0171_add_journalist_address_mail_to_mail_outbox' };

const MIGRATION_FILE = /\.(ts|js|mjs|mts)$/;

/** The names of the migrations for a database, in order, with the file each is in. */
const migrationFiles = async (dialect: Dialect): Promise<Map<string, string>> => {
  const names = (await fs.readdir(MIGRATIONS_DIR))
    .filter((f) => MIGRATION_FILE.test(f) && !f.endsWith('.d.ts'))
    .map((f) => [f.replace(MIGRATION_FILE, ''), path.join(MIGRATIONS_DIR, f)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (dialect === 'sqlite') return new Map(names);
  return new Map([
    [POSTGRES_BASELINE.name, path.join(MIGRATIONS_DIR, 'postgres', `${POSTGRES_BASELINE.name}.ts`)],
    ...names.filter(([name]) => name > POSTGRES_BASELINE.upTo),
  ]);
};

const providerFor = (dialect: Dialect): MigrationProvider => ({
  async getMigrations() {
    const migrations: Record<string, Migration> = {};
    for (const [name, file] of await migrationFiles(dialect)) migrations[name] = (await import(file)) as Migration;
    return migrations;
  },
});

const migratorFor = (db: Kysely<any>): Migrator => new Migrator({ db, provider: providerFor(dialectOf(db)) });

export interface MigrationReport {
  applied: string[];
}

/**
 * Whether every migration file has been applied, by name, without loading the files: the Migrator
 * imports each of them (a hundred modules to type-strip and evaluate), which was a good part of a
 * start that had nothing to migrate.
 */
const isCurrent = async (db: Kysely<any>): Promise<boolean> => {
  const files = [...(await migrationFiles(dialectOf(db))).keys()];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    // The same names on both sides; anything else (a pending file, a missing one) goes to the Migrator, which says what is wrong.
    return applied.size === files.length && files.every((f) => applied.has(f));
  } catch {
    return false; // no migration table yet: a new database
  }
};

export const migrateToLatest = async (db: Kysely<any>): Promise<MigrationReport> => {
  if (await isCurrent(db)) return { applied: [] };
  return migrateUpTo(db);
};

/** Applies the pending migrations up to and including `name` (all of them without it): tests of a migration start before it. */
export const migrateUpTo = async (db: Kysely<any>, name?: string): Promise<MigrationReport> => {
  const migrator = migratorFor(db);
  const { error, results } = await (name === undefined ? migrator.migrateToLatest() : migrator.migrateTo(name));
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
};

export const pendingMigrations = async (db: Kysely<any>): Promise<string[]> => {
  if (await isCurrent(db)) return [];
  const migrations = await migratorFor(db).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
};
