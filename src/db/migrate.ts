// Applies the numbered migrations in migrations/ with Kysely's Migrator.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

const migratorFor = (db: Kysely<any>): Migrator =>
  new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });

export interface MigrationReport {
  applied: string[];
}

export const migrateToLatest = async (db: Kysely<any>): Promise<MigrationReport> => {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
};

export const pendingMigrations = async (db: Kysely<any>): Promise<string[]> => {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
};
