// Applies the numbered migrations in migrations/ with Kysely's Migrator.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

const migratorFor = (db: Kysely<any>): Migrator =>
  new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });

export interface MigrationReport {
  applied: string[];
}

/**
 * Whether every migration file has been applied, by name, without loading the files: the Migrator
 * imports each of them (a hundred modules to type-strip and evaluate), which was a good part of a
 * start that had nothing to migrate.
 */
const isCurrent = async (db: Kysely<any>): Promise<boolean> => {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js|mjs|mts)$/.test(f) && !f.endsWith('.d.ts')).map((f) => f.replace(/\.(ts|js|mjs|mts)$/, ''));
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
  const { error, results } = await migratorFor(db).migrateToLatest();
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
