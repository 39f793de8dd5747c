// Loaded into the server by the soak (`node --import ./bench/probe.ts src/server.js`, with an IPC
// channel): every second it sends the parent the event loop's delay over that second (p50, p99,
// max) and since the start of the load (p99; the soak says when it starts), and the process's
// memory as Node sees it: the main thread's heap, external memory, the heaps of the worker
// threads (the search threads), and how much of the resident memory is anonymous (heaps, SQLite's
// page caches, malloc) and how much mapped files (the node binary, shared with every node process). Nothing of it is in the server's own code.
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import workerThreads from 'node:worker_threads';

if (process.send) {
  // Every worker the server starts, to ask for its heap (Worker#getHeapStatistics).
  const workers = new Set<workerThreads.Worker>();
  const Original = workerThreads.Worker;
  workerThreads.Worker = class ProbedWorker extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      workers.add(this);
      this.once('exit', () => workers.delete(this));
    }
  };
  syncBuiltinESMExports();
  let workersHeap = 0;
  const second = monitorEventLoopDelay({ resolution: 5 });
  const whole = monitorEventLoopDelay({ resolution: 5 });
  second.enable();
  whole.enable();
  const kib = (rollup: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  /** How many times the soak reset the delays: a report tells which span it covers. */
  let resets = 0;
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    process.send!({
      probe: {
        lagP50Ms: second.percentile(50) / 1e6,
        lagP99Ms: second.percentile(99) / 1e6,
        lagMaxMs: second.max / 1e6,
        lagP99SinceStartMs: whole.percentile(99) / 1e6,
        resets,
        rss: memory.rss,
        anonymous: kib(rollup, 'Anonymous'),
        heapUsed: memory.heapUsed,
        heapResident: v8.getHeapStatistics().total_physical_size,
        workersHeapResident: workersHeap,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
      },
    });
    second.reset();
    // For the next report: the workers answer asynchronously.
    void Promise.all([...workers].map((w) => w.getHeapStatistics().then((s) => s.total_physical_size, () => 0))).then((sizes) => {
      workersHeap = sizes.reduce((a, b) => a + b, 0);
    });
  }, 1000);
  timer.unref();
  // The soak says when its load starts: the delays from then on are the load's, not the start's
  // (loading the modules and building the app hold the event loop for a second or two).
  process.on('message', (message) => {
    if ((message as { probe?: string } | null)?.probe !== 'reset') return;
    second.reset();
    whole.reset();
    resets++;
  });
  // The channel must not keep the server alive when it shuts down.
  process.channel?.unref();
}
