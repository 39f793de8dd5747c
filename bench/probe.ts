// Loaded into the server by the soak (`node --import ./bench/probe.ts src/server.ts`, with an IPC
// channel): every second it sends the parent the event loop's delay over that second (p50, p99,
// max) and since the start (p99), and the process's memory as Node sees it. Nothing of it is in the server's own code.
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send) {
  const second = monitorEventLoopDelay({ resolution: 5 });
  const whole = monitorEventLoopDelay({ resolution: 5 });
  second.enable();
  whole.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    process.send!({
      probe: {
        lagP50Ms: second.percentile(50) / 1e6,
        lagP99Ms: second.percentile(99) / 1e6,
        lagMaxMs: second.max / 1e6,
        lagP99SinceStartMs: whole.percentile(99) / 1e6,
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
      },
    });
    second.reset();
  }, 1000);
  timer.unref();
  // The channel must not keep the server alive when it shuts down.
  process.channel?.unref();
}
