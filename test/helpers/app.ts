// Builds the app on a real temporary SQLite file, migrated once per process into a template that
// each test copies. Closes everything in t.after.
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, openPostgres, postgresUrlFor, withPostgresClient, type OpenedDatabase } from '../../src/db/connect.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import type { Mailer } from '../../src/modules/mail/mailer.ts';

let template: Promise<string> | undefined;

const migratedTemplate = (): Promise<string> =>
  (template ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'herold-template-'));
    const file = path.join(dir, 'template.sqlite');
    const { db, sqlite } = openDatabase(file);
    await migrateToLatest(db);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    await db.destroy();
    process.once('exit', () => void rm(dir, { recursive: true, force: true }));
    return file;
  })());

export interface TestDb extends OpenedDatabase {
  dataDir: string;
  /** The test's own PostgreSQL database, when the suite runs on PostgreSQL (below). */
  databaseUrl?: string;
}

/**
 * A PostgreSQL server for the tests: HEROLD_TEST_POSTGRES_URL=postgres://…/postgres names a database
 * to connect to for creating others (.ci/run starts a throwaway cluster and sets it). Tests that
 * need PostgreSQL itself (two servers on one database) run when it is set.
 */
export const TEST_POSTGRES_URL = process.env.HEROLD_TEST_POSTGRES_URL || undefined;

/**
 * HEROLD_TEST_DB=postgres runs the whole suite on PostgreSQL: each test gets a database of its
 * own, copied from one migrated template, and dropped after the test.
 */
export const ON_POSTGRES = process.env.HEROLD_TEST_DB === 'postgres';
if (ON_POSTGRES && !TEST_POSTGRES_URL) throw new Error('HEROLD_TEST_DB=postgres needs HEROLD_TEST_POSTGRES_URL (postgres://user@host:port/postgres)');

/** Skips a test that needs SQLite itself (its file, its backup, its migrations) when the suite runs on PostgreSQL. */
export const SQLITE_ONLY = ON_POSTGRES ? 'this test is about SQLite (HEROLD_TEST_DB=postgres runs the suite on PostgreSQL)' : false;

let postgresTemplate: Promise<string> | undefined;
let postgresCount = 0;

const withAdmin = <T>(work: (client: import('pg').Client) => Promise<T>): Promise<T> => withPostgresClient(TEST_POSTGRES_URL!, work);

const adminQuery = (statement: string): Promise<unknown> => withAdmin((client) => client.query(statement));

/**
 * One migrated template for the whole run, named by a hash of the migrations: the test processes
 * share it (the first one makes it, under an advisory lock), and a changed migration makes a new one.
 */
const migratedPostgresTemplate = (): Promise<string> =>
  (postgresTemplate ??= (async () => {
    const hash = createHash('sha256');
    for (const dir of [MIGRATIONS_DIR, path.join(MIGRATIONS_DIR, 'postgres')])
      for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort()) hash.update(file).update(await readFile(path.join(dir, file)));
    const name = `herold_template_${hash.digest('hex').slice(0, 16)}`;
    await withAdmin(async (client) => {
      await client.query('select pg_advisory_lock(1847)');
      try {
        const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (rowCount) return;
        await client.query(`drop database if exists ${name}_partial`);
        await client.query(`create database ${name}_partial`);
        const { db } = await openPostgres(postgresUrlFor(TEST_POSTGRES_URL!, `${name}_partial`));
        try {
          await migrateToLatest(db);
        } finally {
          await db.destroy();
        }
        await client.query(`alter database ${name}_partial rename to ${name}`);
      } finally {
        await client.query('select pg_advisory_unlock(1847)');
      }
    });
    return name;
  })());

/** A fresh, migrated PostgreSQL database, by URL, and how to drop it (with force: close what uses it first). */
export const newPostgresDatabase = async ({ empty = false }: { empty?: boolean } = {}): Promise<{ url: string; drop: () => Promise<unknown> }> => {
  const template = empty ? 'template0' : await migratedPostgresTemplate();
  const name = `herold_test_${process.pid}_${++postgresCount}`;
  await adminQuery(`drop database if exists ${name}`);
  await adminQuery(`create database ${name} template ${template}`);
  return { url: postgresUrlFor(TEST_POSTGRES_URL!, name), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
};

/**
 * A fresh, migrated PostgreSQL database of the test's own, by URL (`empty`: not migrated, for a test
 * of a migration). Dropped after the test (with force: close what uses it first, in an earlier
 * `t.after`, to close it cleanly).
 */
export const createPostgresDatabase = async (t: TestContext, options: { empty?: boolean } = {}): Promise<string> => {
  const { url, drop } = await newPostgresDatabase(options);
  t.after(drop);
  return url;
};

const createPostgresTestDb = async (t: TestContext): Promise<TestDb> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herold-test-'));
  const { url, drop } = await newPostgresDatabase();
  const { db } = await openPostgres(url);
  t.after(async () => {
    await db.destroy();
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  // No SQLite here: a test that reaches for the file or its handle is marked SQLITE_ONLY.
  return { db, sqlite: undefined as never, file: '', dataDir, databaseUrl: url };
};

/** A fresh, migrated database in its own data folder, removed after the test. */
export const createTestDb = async (t: TestContext): Promise<TestDb> => {
  if (ON_POSTGRES) return createPostgresTestDb(t);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herold-test-'));
  const file = path.join(dataDir, 'herold.sqlite');
  await copyFile(await migratedTemplate(), file);
  const opened = openDatabase(file);
  t.after(async () => {
    await opened.db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { ...opened, dataDir };
};

/** The environment that points a CLI run or a server process at the test's database (DATABASE_URL on PostgreSQL). */
export const dbEnv = (db: Pick<TestDb, 'databaseUrl'>): Record<string, string> => (db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {});

export const TEST_NOW = '2026-03-10T10:00:00.000Z';

export const testConfig = (dataDir: string, env: Record<string, string> = {}): Config =>
  loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://herold.test', SESSION_SECRET: 'test-secret-test-secret-test-secret!', LANG: 'de', SEARCH_WORKERS: '0', ...env });

/** A route as the router got it: its method and URL pattern. */
export interface RouteEntry {
  method: string;
  url: string;
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  /** Every route of the app (HEAD left out), as Fastify's onRoute hook reported them. */
  routes: RouteEntry[];
}

/**
 * Password hashing for tests: scrypt with N = 2^10 instead of 2^17, a thousandth of the cost. The
 * stored hashes say which parameters made them, so the code under test is the same.
 */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** The app with a fixed clock (moved by tests with clock.set/advance) on a fresh database. */
export const buildTestApp = async (t: TestContext, options: { env?: Record<string, string>; now?: string; mailer?: Mailer; db?: TestDb } = {}): Promise<TestApp> => {
  const db = options.db ?? (await createTestDb(t));
  const clock = fixedClock(options.now ?? TEST_NOW);
  const config = testConfig(db.dataDir, { ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}), ...options.env });
  const routes: RouteEntry[] = [];
  const onRoute = (route: RouteOptions) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  };
  const app = await buildApp({ config, db: db.db, clock, scryptParams: TEST_SCRYPT, onRoute, ...(options.mailer ? { mailer: options.mailer } : {}), logger: process.env.TEST_LOG ? { level: 'warn' } : false });
  t.after(() => app.close());
  return { app, db, clock, config, routes };
};
