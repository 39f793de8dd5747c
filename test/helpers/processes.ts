// Real processes for the fault tests and the soak: the server (`node src/server.js`) on a data
// folder and a loopback port that survive restarts, killed with SIGKILL when a test says so; the
// `herold` CLI as a child process; a seeded random source for the moments of the kills.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../../src/lib/random.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Node's flags for the server, as `npm start` and docs/deploy.md's unit run it (the node-check test
 * holds them to each other): the soak and the bench measure the server as it is deployed. Without
 * the limit, Node 24 grows the young generation to 128 MB and keeps it (16 MB with it); without the growing factor,
 * V8 lets a busy server's old generation grow to four times what is live before collecting it
 * (docs/deploy.md says what each saves).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/**
 * The environment docs/deploy.md's unit adds for the server (held to it by the same test): glibc's
 * malloc with two arenas instead of one per thread that allocates (main, search threads, libuv's
 * pool, V8's helpers), each keeping its own freed memory. In ten-minute soaks at 100k: 500 MB after
 * nine minutes instead of 547, 70 MB free inside the arenas instead of 134.
 */
export const SERVER_DEPLOY_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Polls `check` every `everyMs` until it returns a value other than undefined or false; fails after `timeoutMs`. */
export const waitFor = async <T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 200): Promise<T> => {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
};

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  /** The running child, or null between a kill and the next start. */
  child: ChildProcess | null;
  /** Everything the server printed, over all its starts. */
  output(): string;
  /** Starts the server (again) and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no flushing; waits until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and the graceful shutdown (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Every server started and not yet stopped: a test file never ends with one still running. */
const live = new Set<ServerProcess>();
// Only under `node --test`: the soak and the bench import this file too, and a hook would make them print a test report.
if (process.env.NODE_TEST_CONTEXT)
  after(async () => {
    for (const server of live) await server.stop();
  });

/**
 * Stops the servers running on a folder inside `dir`, before the folder is removed: a server left
 * writing (a job stamping press kits) would make the removal fail and keep the test file alive.
 */
export const stopServersIn = async (dir: string): Promise<void> => {
  for (const server of live) if (server.dataDir === dir || server.dataDir.startsWith(`${dir}${path.sep}`)) await server.stop();
};

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));

/**
 * The real server on `dataDir`, on one port for all its lives, so that links in mails and the
 * recorded address stay valid over restarts. `env` adds to (or overrides) the test defaults.
 */
export const serverProcess = async (dataDir: string, env: Record<string, string> = {}, options: { port?: number; execArgv?: string[]; onMessage?: (message: unknown) => void } = {}): Promise<ServerProcess> => {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    LANG: 'de',
    DEMO: '0',
    SEARCH_WORKERS: '0',
    // Node's compile cache from the first module on, as the deploy guide's unit has it: the soak's
    // probe, a TypeScript file loaded before src/server.js turns the cache on, loads without its
    // types stripped anew (which loads the stripper, some 14 MB resident for the life of the process).
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(tmpdir(), 'node-compile-cache'),
    ...SERVER_DEPLOY_ENV,
    ...env,
  };
  let output = '';
  const handle: ServerProcess = {
    url,
    port,
    dataDir,
    env: fullEnv,
    child: null,
    output: () => output,
    async start() {
      if (handle.child) throw new Error('the server is running already');
      const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.execArgv ?? []), path.join(ROOT, 'src/server.js')], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe', ...(options.onMessage ? (['ipc'] as const) : [])] });
      if (options.onMessage) child.on('message', options.onMessage);
      handle.child = child;
      live.add(handle);
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      child.once('exit', () => {
        if (handle.child === child) {
          handle.child = null;
          live.delete(handle);
        }
      });
      // Bounded: a minute, for a busy two-core machine.
      await waitFor(
        'the server to answer',
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${output.slice(-4000)}`);
          return (await fetch(`${url}/robots.txt`).catch(() => undefined))?.ok;
        },
        60_000,
        50,
      ).catch((error: unknown) => {
        child.kill('SIGKILL');
        throw error;
      });
    },
    async kill9() {
      const child = handle.child;
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
      handle.child = null;
      live.delete(handle);
    },
    async stop() {
      const child = handle.child;
      if (!child) return;
      const done = exited(child);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(killer);
      handle.child = null;
      live.delete(handle);
    },
  };
  return handle;
};

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process ends, killed or not. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `herold …` as its own process, with `env` (DATA_DIR and friends). */
export const runHerold = (args: string[], env: Record<string, string>): CliRun => {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/herold.js'), ...args], { env: { ...(process.env as Record<string, string>), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
};

/**
 * Sizes of the fault tests: small in `npm test` (CI), the issue's numbers with HEROLD_FAULTS=full.
 * The seed (FAULT_SEED, default 19) fixes every random moment, so a failure can be run again.
 */
export const faultPlan = () => {
  const full = process.env.HEROLD_FAULTS === 'full';
  const seed = Number(process.env.FAULT_SEED ?? 19);
  return { full, seed, random: mulberry32(seed), kills: full ? 20 : 3 };
};
