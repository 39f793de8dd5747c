// Builds the app on a real temporary SQLite file, migrated once per process into a template that
// each test copies. Closes everything in t.after.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
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
}

/** A fresh, migrated database in its own data folder, removed after the test. */
export const createTestDb = async (t: TestContext): Promise<TestDb> => {
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
  const config = testConfig(db.dataDir, options.env);
  const routes: RouteEntry[] = [];
  const onRoute = (route: RouteOptions) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  };
  const app = await buildApp({ config, db: db.db, clock, scryptParams: TEST_SCRYPT, onRoute, ...(options.mailer ? { mailer: options.mailer } : {}), logger: process.env.TEST_LOG ? { level: 'warn' } : false });
  t.after(() => app.close());
  return { app, db, clock, config, routes };
};
