// Webhook delivery never blocks a publish, standalone: `node bench/webhooks.bench.ts [endpoints]`.
//  1. N (default 1,000) active endpoints for one office, made by SQL, all pointing at a receiver on
//     loopback (WEBHOOK_ALLOW_PRIVATE=1). Publishing a release queues one delivery per endpoint in
//     the publish's own transaction (one INSERT … SELECT) and sends nothing: the publish call must
//     return in < 100 ms. Ten publications; each call's time, the median and the slowest, beside the
//     same for an office without endpoints (what publishing costs anyway, on this machine now).
//  2. The deliveries afterwards, as the scheduler's job sends them: deliveries/s to the receiver,
//     each signed (Standard Webhooks).
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { createServices } from '../src/services.ts';
import { benchReleaseInput } from './release-input.ts';

const N = Number(process.argv[2] ?? 1000);
const PUBLICATIONS = 10;

let received = 0;
const receiver = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received++;
    response.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const dir = await mkdtemp(path.join(tmpdir(), 'herold-webhooks-bench-'));
const config = loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://presse.example.org', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', LANG: 'de', WEBHOOK_ALLOW_PRIVATE: '1' });
const { db, sqlite } = openDatabase(path.join(dir, 'herold.sqlite'));
await migrateToLatest(db);
const clock = fixedClock('2026-03-10T10:00:00.000Z');
const services = createServices({ db, clock, config });

const office = await services.offices.create({ slug: 'landkreis', name: 'Landkreis Musterland', descriptionMarkdown: 'Pressestelle', website: '', republicationNotice: '' }, []);
const quiet = await services.offices.create({ slug: 'stadt', name: 'Stadt Musterhausen', descriptionMarkdown: 'Pressestelle', website: '', republicationNotice: '' }, []);
const input = benchReleaseInput;

// --- endpoints: one made the service's way (its secret format), the rest copies of it by SQL ---
const t0 = performance.now();
const { endpoint } = await services.webhooks.create(office.id, { url: receiverUrl, description: 'Bench', events: ['release.published', 'release.corrected', 'release.withdrawn'] });
await sql`
  INSERT INTO webhook_endpoints (office_id, url, description, events_json, secret, status, created_at, updated_at)
  WITH RECURSIVE seq(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM seq WHERE n < ${N})
  SELECT office_id, url || '?n=' || n, description, events_json, secret, status, created_at, updated_at FROM seq, webhook_endpoints WHERE id = ${endpoint.id}`.execute(db);
const count = (await sql<{ n: number }>`SELECT count(*) AS n FROM webhook_endpoints WHERE status = 'active'`.execute(db)).rows[0]!.n;
console.log(`${count.toLocaleString('en')} active endpoints for one office, made in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

// --- 1. publish ---
const publishTimes = async (officeId: number, label: string) => {
  const times: number[] = [];
  for (let i = 0; i < PUBLICATIONS; i++) {
    const draft = await services.releases.create(officeId, input(`Eilmeldung ${i + 1}: Straßensperrung`), { status: 'draft' });
    const before = received;
    const t = performance.now();
    await services.releases.publish(draft.id);
    times.push(performance.now() - t);
    if (received !== before) throw new Error('a delivery was sent inside the publish call');
    clock.advance(60_000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`publish (${label}): ${times.map((ms) => ms.toFixed(1)).join(', ')} ms; median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms`);
};
console.log('');
await publishTimes(quiet.id, 'an office without endpoints');
await publishTimes(office.id, `${count.toLocaleString('en')} endpoints`);
const queued = (await sql<{ n: number }>`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'queued'`.execute(db)).rows[0]!.n;
console.log(`publish: target < 100 ms; ${queued.toLocaleString('en')} deliveries queued, ${received} sent meanwhile`);

// --- 2. delivery afterwards ---
const tSend = performance.now();
const report = await services.webhooks.deliverDue({ limit: queued });
const sendMs = performance.now() - tSend;
console.log(`\ndelivery: ${report.delivered.toLocaleString('en')} delivered (${received.toLocaleString('en')} received), ${report.failed + report.retried} failed, in ${(sendMs / 1000).toFixed(1)} s: ${(report.delivered / (sendMs / 1000)).toFixed(0)} deliveries/s`);

await db.destroy();
void sqlite;
await new Promise<void>((resolve) => receiver.close(() => resolve()));
await rm(dir, { recursive: true, force: true });
