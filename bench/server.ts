// The benchmark's server: the real app (buildApp with the real config, logger off) on the generated
// data folder (or the PostgreSQL database DATABASE_URL names), listening on a free loopback port. With HEROLD_BENCH_CEILING=1 it adds
// `GET /__ceiling-of?path=…`, a bare route answering the bytes of that page's answer (read once),
// and `GET /__ceiling/:bytes`, one answering that many 'x's: the ceiling each page is measured
// against, in the same process with the same global hooks.
// Started by bench/run.ts as a child process (so the load generator has its own event loop); it
// reports `{ port }` over IPC and exits when the parent disconnects.
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openConfigured } from '../src/db/connect.ts';
import { pendingMigrations } from '../src/db/migrate.ts';

const config = loadConfig(process.env, { overrides: { DEMO: '0', PORT: '0' } });
const { db } = await openConfigured(config);
const pending = await pendingMigrations(db);
if (pending.length > 0) throw new Error(`bench database has pending migrations: ${pending.join(', ')}`);

const app = await buildApp({ config, db, logger: false });

if (process.env.HEROLD_BENCH_CEILING === '1') {
  // Bytes, not a string: nothing is encoded per answer, as it should be for a ceiling.
  const bodies = new Map<number, Buffer>();
  const bodyOf = (bytes: number): Buffer => {
    let body = bodies.get(bytes);
    if (body === undefined) {
      const head = '<!doctype html><title>ceiling</title><p>';
      body = Buffer.from(bytes > head.length ? head + 'x'.repeat(bytes - head.length) : 'x'.repeat(bytes));
      bodies.set(bytes, body);
    }
    return body;
  };
  // The same bytes as a page's answer (read once through the app): a body of 'x's is cheaper to
  // carry over loopback than real text, so only the same bytes make an exact ceiling.
  const copies = new Map<string, Buffer>();
  app.get<{ Querystring: { path?: string } }>('/__ceiling-of', async function showCeilingCopy(request, reply) {
    const target = request.query.path ?? '/';
    let body = copies.get(target);
    if (body === undefined) {
      body = (await app.inject({ url: target })).rawPayload;
      copies.set(target, body);
    }
    return reply.type('text/html; charset=utf-8').send(body);
  });
  app.get<{ Params: { bytes: string } }>('/__ceiling/:bytes', async function showCeiling(request, reply) {
    const bytes = Math.min(Math.max(Number.parseInt(request.params.bytes, 10) || 0, 0), 10_000_000);
    return reply.type('text/html; charset=utf-8').send(bodyOf(bytes));
  });
}

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const close = async () => {
  await app.close();
  await db.destroy();
  process.exit(0);
};
process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());
if (process.send) process.send({ port });
else console.log(`bench server on http://127.0.0.1:${port}`);
