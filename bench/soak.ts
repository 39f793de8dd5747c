// `npm run soak`: the real server (`node src/server.js`, with the scheduler, the sender and the
// search workers) on a copy of a generated data folder (100,000 releases, with the search index),
// under mixed load for ten minutes: readers on 5,000 distinct release pages, listings, feeds,
// searches, the archive and plain text; an editor publishing a release a minute; readers signing up
// and confirming from the mail (a real SMTP server in this process); instant notices to everyone
// who confirmed. It prints the errors (there must be none), the resident memory over time (it must
// be flat: the last half within ±10 % of its mean), the event loop's delay in the server (p99) and
// the latencies per kind of request. The fault tier runs it for 20 s on 2,000 releases
// (test/faults/soak.test.ts); see bench/README.md. With `--postgres-url` the server runs on a fresh
// PostgreSQL database holding the same data (bench/postgres.ts copies it once, the soak writes to a
// copy of that copy, dropped at the end).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { databaseFile, openDatabase, openPostgres, postgresUrlFor, withPostgresClient } from '../src/db/connect.ts';
import { mulberry32 } from '../src/lib/random.ts';
import { createServices } from '../src/services.ts';
import { createUser } from '../test/helpers/admin.ts';
import { PASSWORD, submitForm } from '../test/helpers/forms.ts';
import { serverProcess } from '../test/helpers/processes.ts';
import { httpBrowser, httpInject } from '../test/helpers/real-http.ts';
import { linkIn, startSmtpSink } from '../test/helpers/smtp.ts';
import { BENCH_DIR, BENCH_PUBLIC_URL, ensureBenchData, prepareDataDir } from './data.ts';
import { postgresCopyOf } from './postgres.ts';

export interface SoakOptions {
  seconds: number;
  releases: number;
  offices: number;
  /** Readers requesting pages one after another, each its own connection. */
  readers: number;
  /** Distinct release pages the readers spread over (the page cache holds 2,000). */
  distinctPages: number;
  publishEverySeconds: number;
  signUpEverySeconds: number;
  /** SEARCH_WORKERS of the server; the default is the server's own (2 on two cores). */
  searchWorkers?: string;
  /** A data folder made by bench/generate.ts, used (migrated and indexed) instead of one in bench/.data/. */
  dir?: string;
  /**
   * A PostgreSQL server (postgres://…/postgres, a database to connect to for creating others): the
   * server runs on a database of its own there with the data, instead of on the SQLite file.
   */
  postgresUrl?: string;
  seed?: number;
  /** Progress lines (every minute); silent without. */
  log?: (line: string) => void;
}

export interface SoakResult {
  seconds: number;
  requests: number;
  errors: number;
  /** The first errors, for the report. */
  errorSamples: string[];
  kinds: { kind: string; count: number; p50Ms: number; p99Ms: number }[];
  publishes: number;
  signUps: number;
  confirmed: number;
  mailsReceived: number;
  /**
   * Resident memory of the server, sampled every 5 s (MB), with the probe's figures at that moment:
   * its anonymous part, the main thread's heap used and resident, external memory, the search threads' heaps.
   */
  rss: { atS: number; mb: number; anonymousMb: number; usedMb: number; residentMb: number; externalMb: number; workersMb: number }[];
  /** The last half of the samples within ±10 % of their mean. */
  memoryFlat: boolean;
  /**
   * The trend of the last half (least squares, MB a minute): a slow growth passes the ±10 % test of
   * a ten-minute soak and still fills a server in a day.
   */
  lastHalfMbPerMinute: number;
  /** The event loop delay's p99 over the whole soak, and the highest p99 of any one second (ms). */
  lagP99Ms: number;
  lagWorstSecondP99Ms: number;
  /** The event loop's worst second before the load, while the server started (loading its modules, building the app). */
  startupLagP99Ms: number;
  /** Seconds (from the start of the load) whose event loop p99 was over 500 ms, and the requests over a second, each with when it started. */
  stalls: { atS: number; p99Ms: number }[];
  slowRequests: { kind: string; what: string; atS: number; ms: number }[];
}

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** What the readers read: paths picked from the data, by kind, with their weights. */
const readingList = (dataDir: string, distinctPages: number) => {
  const sqlite = new SQLite(databaseFile(dataDir), { readonly: true });
  try {
    const now = new Date().toISOString();
    const releases = sqlite.prepare("SELECT id, slug, title FROM releases WHERE status = 'published' AND published_at <= ? ORDER BY id").all(now) as { id: number; slug: string; title: string }[];
    const step = Math.max(1, releases.length / distinctPages);
    const pages: string[] = [];
    for (let i = 0; i < releases.length && pages.length < distinctPages; i = Math.floor((pages.length + 1) * step)) pages.push(`/releases/${releases[i]!.id}-${releases[i]!.slug}`);
    const offices = (sqlite.prepare('SELECT slug FROM offices ORDER BY id').all() as { slug: string }[]).map((r) => r.slug);
    const topics = (sqlite.prepare('SELECT slug FROM topics').all() as { slug: string }[]).map((r) => r.slug);
    const regions = (sqlite.prepare('SELECT slug FROM regions').all() as { slug: string }[]).map((r) => r.slug);
    const words = [...new Set(releases.slice(-2000).flatMap((r) => r.title.split(/[^\p{L}]+/u).filter((w) => w.length > 4)))].slice(0, 400);
    const years = (sqlite.prepare("SELECT DISTINCT substr(release_date, 1, 7) AS ym FROM releases WHERE status = 'published'").all() as { ym: string }[]).map((r) => r.ym);
    return { pages, ids: releases.map((r) => r.id), offices, topics, regions, words, years };
  } finally {
    sqlite.close();
  }
};

/** The soak's cleanups, for helpers that expect a test context. */
const cleanupContext = () => {
  const cleanups: (() => unknown)[] = [];
  return { t: { after: (fn: () => unknown) => void cleanups.push(fn) } as unknown as TestContext, run: async () => { for (const fn of cleanups.reverse()) await fn(); } };
};

/**
 * A fresh PostgreSQL database with the data of `source`, dropped at cleanup (after the server has
 * stopped: cleanups run last first). The copy bench/postgres.ts makes is kept for the next run and
 * serves as the template, so it is never written to.
 */
const soakDatabase = async (source: string, adminUrl: string, t: TestContext, log: (line: string) => void): Promise<string> => {
  const template = new URL(await postgresCopyOf(source, adminUrl, log)).pathname.slice(1);
  const name = `herold_soak_${process.pid}_${Date.now()}`;
  await withPostgresClient(adminUrl, (client) => client.query(`create database ${name} template ${template}`));
  t.after(() => withPostgresClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)));
  return postgresUrlFor(adminUrl, name);
};

export const runSoak = async (options: SoakOptions): Promise<SoakResult> => {
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed ?? 19);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;

  // A copy of the generated folder: the soak writes, the cached data stays as generated.
  // Stamped, and served under the public address it was stamped for (BENCH_PUBLIC_URL), as a live
  // site's stamp-press-kits job leaves it: the soak measures reading, not a first stamping of the
  // whole archive (exiftool for every release read, at first).
  const source = options.dir ? await prepareDataDir(options.dir, { index: true, stamp: true }) : await ensureBenchData({ offices: options.offices, releases: options.releases, index: true, stamp: true });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herold-soak-'));
  const cleanup = cleanupContext();
  cleanup.t.after(() => rm(dataDir, { recursive: true, force: true }));
  try {
    execFileSync('cp', ['-a', '--reflink=auto', `${source}/.`, dataDir]);
    // The folder still holds the media and the mail; the SQLite file in it, the same data, is where
    // the readers' paths are read from.
    const databaseUrl = options.postgresUrl ? await soakDatabase(source, options.postgresUrl, cleanup.t, log) : undefined;
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: BENCH_PUBLIC_URL, DEMO: '0', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
    const { db } = databaseUrl ? await openPostgres(databaseUrl) : openDatabase(databaseFile(dataDir));
    const services = createServices({ db, config });
    const busiest = (await db.selectFrom('releases').select('office_id').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('office_id').orderBy('n', 'desc').executeTakeFirstOrThrow()).office_id;
    const office = (await db.selectFrom('offices').select('slug').where('id', '=', busiest).executeTakeFirstOrThrow()).slug;
    await createUser(services, { email: 'soak@redaktion.example', officeId: busiest, role: 'owner' });
    await db.destroy();
    const list = readingList(dataDir, options.distinctPages);

    const sink = await startSmtpSink(cleanup.t, undefined, { light: true, keepWhole: (subject) => /bestätigen|confirm/i.test(subject) });
    const lag: { p99: number[]; at: number[]; sinceStart: number; loadStarted: boolean; startup: number } = { p99: [], at: [], sinceStart: 0, loadStarted: false, startup: 0 };
    /** Requests that took over a second, with when they started: to line up with the event loop's worst seconds. */
    const slow: { kind: string; what: string; at: number; ms: number }[] = [];
    // From the probe: the main thread's JavaScript heap (used, resident) and external memory
    // (Buffers), the search threads' heaps (resident), the anonymous part of the resident memory.
    const heap = { usedMb: 0, residentMb: 0, workersMb: 0, externalMb: 0, anonymousMb: 0 };
    const server = await serverProcess(
      dataDir,
      { ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PUBLIC_URL: BENCH_PUBLIC_URL, SMTP_URL: sink.url, TRUST_PROXY: '1', LOG_LEVEL: 'warn', ...(options.searchWorkers !== undefined ? { SEARCH_WORKERS: options.searchWorkers } : { SEARCH_WORKERS: '' }) },
      {
        execArgv: ['--import', path.join(BENCH_DIR, 'probe.ts')],
        onMessage: (message) => {
          const probe = (message as { probe?: { lagP99Ms: number; lagP99SinceStartMs: number; resets: number; heapUsed: number; heapResident: number; workersHeapResident: number; external: number; anonymous: number } }).probe;
          if (!probe) return;
          const mb = (bytes: number) => Math.round(bytes / 1048576);
          Object.assign(heap, { usedMb: mb(probe.heapUsed), residentMb: mb(probe.heapResident), workersMb: mb(probe.workersHeapResident), externalMb: mb(probe.external), anonymousMb: mb(probe.anonymous) });
          // A report sent before the probe heard of the load's start, and read after it, holds the start's delays.
          if (lag.loadStarted && probe.resets === 0) {
            lag.startup = Math.max(lag.startup, probe.lagP99Ms);
            return;
          }
          lag.p99.push(probe.lagP99Ms);
          lag.at.push(Date.now());
          lag.sinceStart = probe.lagP99SinceStartMs;
        },
      },
    );
    cleanup.t.after(() => server.stop());
    await server.start();

    const times = new Map<string, number[]>();
    let requests = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const fail = (what: string) => {
      errors++;
      if (errorSamples.length < 20) errorSamples.push(what);
    };
    const timed = async <T>(kind: string, what: string, work: () => Promise<T>, ok: (value: T) => boolean): Promise<T | undefined> => {
      const started = performance.now();
      try {
        const value = await work();
        requests++;
        const ms = performance.now() - started;
        (times.get(kind) ?? times.set(kind, []).get(kind)!).push(ms);
        if (ms > 1000) slow.push({ kind, what, at: Date.now() - ms, ms });
        if (!ok(value)) fail(`${kind} ${what}: ${JSON.stringify(value).slice(0, 200)}`);
        return value;
      } catch (error) {
        requests++;
        fail(`${kind} ${what}: ${String(error)}`);
        return undefined;
      }
    };

    const readerPath = (): [string, string] => {
      const x = random();
      if (x < 0.55) return ['release', pick(list.pages)];
      if (x < 0.6) return ['release.txt', `/releases/${pick(list.ids)}.txt`];
      if (x < 0.72) {
        const page = random() < 0.7 ? '' : `?page=${1 + Math.floor(random() * 5)}`;
        return ['listing', pick(['/', `/offices/${pick(list.offices)}`, `/topics/${pick(list.topics)}`, `/regions/${pick(list.regions)}`, '/offices', '/topics']) + page];
      }
      if (x < 0.84) return ['feed', pick(['/feed.rss', '/feed.atom', '/feed.json', `/offices/${pick(list.offices)}/feed.rss`, `/topics/${pick(list.topics)}/feed.atom`, `/regions/${pick(list.regions)}/feed.json`])];
      if (x < 0.95) return ['search', `/search?q=${encodeURIComponent(random() < 0.7 ? pick(list.words) : `${pick(list.words)} ${pick(list.words)}`)}${random() < 0.3 ? `&office=${pick(list.offices)}` : ''}`];
      return ['archive', `/archive/${pick(list.years).replace('-', '/')}`];
    };

    const started = Date.now();
    // The event loop's delays from here on are the load's: the start's (the seconds before) are
    // reported apart.
    lag.startup = Math.max(0, ...lag.p99.splice(0));
    lag.at.length = 0;
    lag.sinceStart = 0;
    lag.loadStarted = true;
    server.child?.send({ probe: 'reset' });
    const deadline = started + options.seconds * 1000;
    const rss: SoakResult['rss'] = [];
    const sampler = setInterval(() => {
      const pid = server.child?.pid;
      if (!pid) return;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      rss.push({ atS: Math.round((Date.now() - started) / 1000), mb: Math.round(kb / 1024), ...heap });
      if (rss.length % 12 === 0) log(`  ${Math.round((Date.now() - started) / 1000)} s: ${requests} requests, ${errors} errors, RSS ${rss.at(-1)!.mb} MB (anonymous ${heap.anonymousMb} MB; main thread heap ${heap.usedMb} MB used of ${heap.residentMb} MB resident, external ${heap.externalMb} MB; search threads' heaps ${heap.workersMb} MB), event loop p99 this second ${(lag.p99.at(-1) ?? 0).toFixed(1)} ms`);
    }, 5000);

    const readers = Array.from({ length: options.readers }, async () => {
      while (Date.now() < deadline) {
        const [kind, p] = readerPath();
        await timed(kind, p, async () => {
          const res = await fetch(`${server.url}${p}`, { signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          return res.status;
        }, (status) => status < 400);
      }
    });

    let publishes = 0;
    const editor = httpBrowser(server.url);
    await editor.login('soak@redaktion.example', PASSWORD);
    const base = `/admin/offices/${office}/releases`;
    const publisher = (async () => {
      for (let i = 0; Date.now() < deadline; i++) {
        const created = await timed('publish', `release ${i}`, () =>
          editor.submitForm(`${base}/new`, '#release-form', { title: `Dauerlast ${i}: Neue Radwege im Kreis`, releaseDate: '2026-03-10', dateline: 'Musterstadt', bodyMarkdown: `Meldung ${i} der Dauerlast.\n\nDer Kreis baut **neue Radwege**.` }),
        (res) => res.statusCode === 303);
        const id = /\/releases\/(\d+)$/.exec(String(created?.headers.location ?? ''))?.[1];
        if (id) {
          await timed('publish', `publish ${id}`, () => editor.submitForm(`${base}/${id}`, `form[action="${base}/${id}/publish"]`), (res) => res.statusCode === 303);
          publishes++;
        }
        await sleep(Math.max(0, Math.min(options.publishEverySeconds * 1000, deadline - Date.now())));
      }
    })();

    let signUps = 0;
    let confirmed = 0;
    const visitor = { inject: httpInject(server.url) } as unknown as FastifyInstance;
    const signer = (async () => {
      for (let i = 0; Date.now() < deadline; i++) {
        const email = `leserin${i}@soak.example`;
        const headers = { 'x-forwarded-for': `10.${Math.floor(i / 60000)}.${Math.floor(i / 250) % 250}.${i % 250}` };
        const signed = await timed('sign-up', email, () => submitForm(visitor, `/subscribe?office=${office}`, 'form.subscribe-form', { email, frequency: 'immediately' }, headers), ({ res }) => res.statusCode === 303);
        if (signed) {
          signUps++;
          // The confirmation comes by mail; its link confirms (a form, posted).
          for (let wait = 0; wait < 600 && sink.to(email).length === 0 && Date.now() < deadline; wait++) await sleep(100);
          const mail = sink.to(email)[0];
          if (mail) {
            const link = new URL(linkIn(mail.parsed.text ?? '', '/subscribe/confirm/')).pathname;
            const done = await timed('sign-up', `confirm ${email}`, () => submitForm(visitor, link, 'form[action^="/subscribe/confirm/"]', {}, headers), ({ res }) => res.statusCode === 303);
            if (done) confirmed++;
          }
        }
        await sleep(Math.max(0, Math.min(options.signUpEverySeconds * 1000, deadline - Date.now())));
      }
    })();

    await Promise.all([...readers, publisher, signer]);
    clearInterval(sampler);
    const half = rss.slice(Math.floor(rss.length / 2));
    const mean = half.reduce((sum, s) => sum + s.mb, 0) / Math.max(1, half.length);
    const meanAt = half.reduce((sum, s) => sum + s.atS, 0) / Math.max(1, half.length);
    const spread = half.reduce((sum, s) => sum + (s.atS - meanAt) ** 2, 0);
    const slopePerSecond = spread > 0 ? half.reduce((sum, s) => sum + (s.atS - meanAt) * (s.mb - mean), 0) / spread : 0;
    return {
      seconds: Math.round((Date.now() - started) / 1000),
      requests,
      errors,
      errorSamples,
      kinds: [...times.entries()].map(([kind, list]) => ({ kind, count: list.length, p50Ms: quantile(list, 0.5), p99Ms: quantile(list, 0.99) })),
      publishes,
      signUps,
      confirmed,
      mailsReceived: sink.received.length,
      rss,
      memoryFlat: half.length > 0 && half.every((s) => Math.abs(s.mb - mean) <= 0.1 * mean),
      lastHalfMbPerMinute: slopePerSecond * 60,
      lagP99Ms: lag.sinceStart,
      lagWorstSecondP99Ms: Math.max(0, ...lag.p99),
      startupLagP99Ms: lag.startup,
      stalls: lag.p99.flatMap((p99, i) => (p99 > 500 ? [{ atS: Math.round((lag.at[i]! - started) / 1000), p99Ms: p99 }] : [])),
      slowRequests: slow.map((r) => ({ kind: r.kind, what: r.what, atS: Math.round((r.at - started) / 100) / 10, ms: Math.round(r.ms) })),
    };
  } finally {
    await cleanup.run();
  }
};

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;

if (isMain) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      releases: { type: 'string', default: '100000' },
      offices: { type: 'string', default: '40' },
      readers: { type: 'string', default: '8' },
      pages: { type: 'string', default: '5000' },
      'publish-every': { type: 'string', default: '60' },
      'sign-up-every': { type: 'string', default: '15' },
      'search-workers': { type: 'string' },
      dir: { type: 'string' },
      'postgres-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run soak -- [--minutes 10] [--releases 100000] [--offices 40] [--readers 8] [--pages 5000] [--publish-every 60] [--sign-up-every 15] [--search-workers N] [--dir DATA_DIR] [--postgres-url postgres://…/postgres]\n  --dir: a folder made by bench/generate.ts (migrated and indexed for search first) instead of bench/.data/\n  --postgres-url: run the server on PostgreSQL, on a copy of the data in a database of its own on that server');
    process.exit(0);
  }
  const minutes = Number(values.minutes);
  console.log(`Soak: ${minutes} min, ${values.dir ? `the data of ${values.dir}` : `${values.releases} releases`}, ${values.readers} readers on ${values.pages} distinct release pages and listings, feeds, searches; a publish every ${values['publish-every']} s, a sign-up every ${values['sign-up-every']} s`);
  const result = await runSoak({
    seconds: minutes * 60,
    releases: Number(values.releases),
    offices: Number(values.offices),
    readers: Number(values.readers),
    distinctPages: Number(values.pages),
    publishEverySeconds: Number(values['publish-every']),
    signUpEverySeconds: Number(values['sign-up-every']),
    ...(values['search-workers'] !== undefined ? { searchWorkers: values['search-workers'] } : {}),
    ...(values.dir ? { dir: path.resolve(values.dir) } : {}),
    ...(values['postgres-url'] ? { postgresUrl: values['postgres-url'] } : {}),
    log: (line) => console.log(line),
  });
  const mb = result.rss.map((s) => s.mb);
  console.log(`\n${result.requests} requests in ${result.seconds} s (${Math.round(result.requests / result.seconds)}/s), ${result.errors} errors${result.errors ? `:\n  ${result.errorSamples.join('\n  ')}` : ''}`);
  console.log(`${result.publishes} releases published, ${result.signUps} sign-ups, ${result.confirmed} confirmed from the mail, ${result.mailsReceived} mails received`);
  console.log('\nkind          count     p50 ms   p99 ms');
  for (const k of result.kinds) console.log(`${k.kind.padEnd(12)}${String(k.count).padStart(7)}${k.p50Ms.toFixed(1).padStart(11)}${k.p99Ms.toFixed(1).padStart(9)}`);
  console.log(`\nEvent loop delay in the server: p99 ${result.lagP99Ms.toFixed(1)} ms over the soak, worst second p99 ${result.lagWorstSecondP99Ms.toFixed(1)} ms (before the load, while the server started: worst second p99 ${result.startupLagP99Ms.toFixed(1)} ms)`);
  if (result.stalls.length > 0) console.log(`Seconds with an event loop p99 over 500 ms: ${result.stalls.map((s) => `${s.atS} s (${Math.round(s.p99Ms)} ms)`).join(', ')}`);
  if (result.slowRequests.length > 0) console.log(`Requests over a second: ${result.slowRequests.map((r) => `${r.kind} ${r.what} at ${r.atS} s (${r.ms} ms)`).join('; ')}`);
  const perMinute = result.rss.filter((s) => s.atS % 60 < 5).map((s) => `${Math.round(s.atS / 60)} min ${s.mb}`);
  console.log(`Resident memory (MB): start ${mb[0]}, end ${mb.at(-1)}, max ${Math.max(...mb)}; per minute: ${perMinute.join(', ')}`);
  const end = result.rss.at(-1);
  if (end) console.log(`At the end: ${end.mb} MB resident, ${end.anonymousMb} MB of it anonymous (the rest mapped files: the node binary, shared); main thread heap ${end.residentMb} MB resident (${end.usedMb} MB used), external ${end.externalMb} MB, search threads' heaps ${end.workersMb} MB`);
  console.log(`Memory ${result.memoryFlat ? 'flat' : 'NOT flat'} (the last half of the samples within ±10 % of their mean); its trend over the last half: ${result.lastHalfMbPerMinute >= 0 ? '+' : ''}${result.lastHalfMbPerMinute.toFixed(1)} MB a minute`);
  if (result.errors > 0 || !result.memoryFlat) process.exitCode = 1;
}
