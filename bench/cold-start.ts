// Cold start: the time from starting `node src/server.js` on a data folder to its first 200 for `/`,
// and its resident memory then; several times, median and spread. The folder is migrated first
// (a start after an upgrade that migrates is another matter), so each start finds the schema current.
// The first start has an empty compile cache, as after an install or an upgrade of Herold or Node;
// the median is of the starts after it, which load the modules from the cache (a restart).
//
//   node bench/cold-start.ts --dir /tmp/herold-1m [--runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort, SERVER_DEPLOY_ENV, SERVER_NODE_FLAGS } from '../test/helpers/processes.ts';
import { prepareDataDir } from './data.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, runs: { type: 'string', default: '5' }, 'cpu-prof': { type: 'boolean', default: false } } });
if (!values.dir) {
  console.log('Usage: node bench/cold-start.ts --dir DATA_DIR [--runs 5] [--cpu-prof]');
  process.exit(1);
}
const dir = await prepareDataDir(path.resolve(values.dir));
const root = path.resolve(import.meta.dirname, '..');
const compileCache = mkdtempSync(path.join(tmpdir(), 'herold-compile-cache-'));
process.on('exit', () => rmSync(compileCache, { recursive: true, force: true }));

const once = async (): Promise<{ ms: number; rssMb: number; listening: number }> => {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(import.meta.dirname, '.data', 'profiles')}`] : []), path.join(root, 'src/server.js')], {
    env: { ...process.env, ...SERVER_DEPLOY_ENV, NODE_COMPILE_CACHE: compileCache, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DEMO: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // When the server says it listens (its info line), to tell start-up from the first answer.
  let listening = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!listening && chunk.toString().includes('Herold is running')) listening = performance.now() - started;
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const status = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.arrayBuffer().then(() => r.status), () => 0);
      if (status === 200) {
        const ms = performance.now() - started;
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        return { ms, rssMb: Math.round(kb / 1024), listening };
      }
      await sleep(10);
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
};

const first = await once();
console.log(`  start 1 (empty compile cache): listening after ${first.listening.toFixed(0)} ms, first 200 after ${first.ms.toFixed(0)} ms, RSS ${first.rssMb} MB`);
const times: number[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const { ms, rssMb, listening } = await once();
  times.push(ms);
  console.log(`  start ${i + 2}: listening after ${listening.toFixed(0)} ms, first 200 after ${ms.toFixed(0)} ms, RSS ${rssMb} MB`);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`Cold start to first 200: median ${sorted[sorted.length >> 1]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}) over ${times.length} restarts; ${first.ms.toFixed(0)} ms with an empty compile cache`);
