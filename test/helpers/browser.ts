// Browser tests: Debian's chromium driven by playwright-core, against the real server (`node
// src/server.js`) on a temporary data folder and a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Kysely } from 'kysely';
import { databaseFile, openDatabase, openPostgres } from '../../src/db/connect.ts';
import type { DB } from '../../src/db/database.ts';
import { newPostgresDatabase, ON_POSTGRES } from './app.ts';
import { freePort } from './processes.ts';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Whether browser tests can run. Without chromium they are skipped with one loud line, except with
 * CI=true, where a missing browser fails the run.
 */
export const browserAvailable = (): boolean => {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
  console.warn(`\n!!! BROWSER TESTS SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install -y chromium\n`);
  return false;
};

export const launchBrowser = async (t: TestContext): Promise<Browser> => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  return browser;
};

/** SIGTERM, then SIGKILL as the last resort (the server has its own 10 s shutdown deadline). */
export const stopServer = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
};


export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Runs `herold` CLI commands against the same data folder. */
  env: Record<string, string>;
  /** What the server wrote to stdout and stderr so far. */
  output: () => string;
}

/** Starts `node src/server.js` on a fresh data folder; stops it and removes the folder after the test. */
export const startServer = async (t: TestContext, env: Record<string, string> = {}): Promise<RunningServer> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herold-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // On PostgreSQL (HEROLD_TEST_DB=postgres) the server gets a database of its own.
  const postgres = ON_POSTGRES && !env.DATABASE_URL ? await newPostgresDatabase() : undefined;
  const fullEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', LANG: 'de', ...(postgres ? { DATABASE_URL: postgres.url } : {}), ...env } as Record<string, string>;
  const child = spawn(process.execPath, [path.join(ROOT, 'src/server.js')], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  t.after(async () => {
    await stopServer(child);
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  // Bounded wait for the server to answer: a minute, as creating the demo pictures on a busy
  // two-core machine can take twenty seconds.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/robots.txt`);
      if (res.ok) return { url, dataDir, process: child, env: fullEnv, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output}`);
};

/**
 * The database a server of these tests runs on (its env's DATABASE_URL, else the SQLite file in its
 * data folder), for a test that sets something up beside it. Destroy it when done.
 */
export const serverDatabase = async (server: { env: Record<string, string>; dataDir: string }): Promise<Kysely<DB>> =>
  server.env.DATABASE_URL ? (await openPostgres(server.env.DATABASE_URL)).db : openDatabase(databaseFile(server.dataDir)).db;

/** The environment for the `herold` CLI beside such a server: its data folder and database. */
export const cliEnvOf = (server: { env: Record<string, string>; dataDir: string }, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  DATA_DIR: server.dataDir,
  ...(server.env.DATABASE_URL ? { DATABASE_URL: server.env.DATABASE_URL } : {}),
  ...extra,
});
