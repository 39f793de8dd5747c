// `npm run bench`: generates (or reuses) a database with 10,000 releases, starts the real server in a
// child process and measures public pages with autocannon, each against a ceiling measured in the
// same run: a bare route in the same server answering a precomputed body of the same size. Page and
// ceiling run alternately in short rounds; the table shows medians. See bench/README.md.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'kysely';
import { databaseFile, openDatabase, openPostgres } from '../src/db/connect.ts';
import { postgresCopyOf } from './postgres.ts';
import { BENCH_DIR, BENCH_PUBLIC_URL, DATA_ROOT, ensureBenchData, prepareDataDir } from './data.ts';
import { SERVER_DEPLOY_ENV, SERVER_NODE_FLAGS } from '../test/helpers/processes.ts';

/** Target of issue 2: every page at least half the ceiling's throughput. */
const TARGET_RATIO = 0.5;
/** Target of issue 16: cached API answers at least 0.8 of the ceiling's throughput. */
const API_TARGET_RATIO = 0.8;

// --- scenarios ---------------------------------------------------------------------------------

/** What scenarios may use: paths picked from the generated data, and a handle to change it. */
export interface BenchContext {
  /** The office with the most public releases. */
  officeSlug: string;
  /** The topic with the most public releases. */
  topicSlug: string;
  /** Canonical paths of public releases, spread over the whole id range (fits the page cache). */
  releasePaths: string[];
  /** More release paths than the page cache holds. */
  manyReleasePaths: string[];
  /** API paths of the same releases as `releasePaths`. */
  apiReleasePaths: string[];
  /** Runs SQL on the benchmark database (the server sees writes within its version TTL, 1 s). */
  exec(sql: string, ...params: unknown[]): void;
}

export interface ThroughputScenario {
  kind: 'throughput';
  name: string;
  /** One or more paths; autocannon cycles through them. */
  paths(ctx: BenchContext): string[];
  headers?: Record<string, string>;
  /** Headers of the ceiling's requests; default: `headers`. */
  ceilingHeaders?: Record<string, string>;
  /** Counted against the target ratio (the three pages of issue 2, the cached API answers of issue 16). */
  target?: boolean;
  /** The ratio this scenario must reach, when it is not TARGET_RATIO. */
  targetRatio?: number;
  setup?(ctx: BenchContext): Promise<void> | void;
  note?: string;
}

export interface InvalidationScenario {
  kind: 'invalidation';
  name: string;
  /** The path timed after the i-th invalidation. */
  path(ctx: BenchContext, i: number): string;
  setup?(ctx: BenchContext): Promise<void> | void;
}

export type Scenario = ThroughputScenario | InvalidationScenario;

export const scenarios: Scenario[] = [
  { kind: 'throughput', name: 'home', paths: () => ['/'], target: true },
  { kind: 'throughput', name: 'office', paths: (c) => [`/offices/${c.officeSlug}`], target: true },
  { kind: 'throughput', name: 'release', paths: (c) => c.releasePaths, target: true },
  { kind: 'throughput', name: 'feed.rss', paths: () => ['/feed.rss'] },
  // Issue 16: cached API answers at 0.8 of the ceiling, counted by the rate limiter like any client.
  { kind: 'throughput', name: 'api releases', paths: () => ['/api/v1/releases'], target: true, targetRatio: API_TARGET_RATIO },
  { kind: 'throughput', name: 'api release', paths: (c) => c.apiReleasePaths, target: true, targetRatio: API_TARGET_RATIO },
  { kind: 'throughput', name: 'api office list', paths: (c) => [`/api/v1/releases?office=${c.officeSlug}&limit=5`], target: true, targetRatio: API_TARGET_RATIO },
  { kind: 'throughput', name: 'office feed.atom', paths: (c) => [`/offices/${c.officeSlug}/feed.atom`] },
  {
    kind: 'throughput',
    name: 'release uncached',
    paths: (c) => c.manyReleasePaths,
    // Issue 19: a release page that is not in the page cache, at 0.5 of the ceiling too.
    target: true,
    note: 'more distinct releases than the page cache holds: mostly rendered per request',
  },
  {
    kind: 'throughput',
    name: 'home, br/gzip',
    paths: () => ['/'],
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    ceilingHeaders: {},
    note: 'as browsers ask for it; body bytes are the compressed bytes, which the ceiling sends uncompressed',
  },
  { kind: 'invalidation', name: 'home after invalidation', path: () => '/' },
  { kind: 'invalidation', name: 'office after invalidation', path: (c) => `/offices/${c.officeSlug}` },
  { kind: 'invalidation', name: 'topic after invalidation', path: (c) => `/topics/${c.topicSlug}` },
  { kind: 'invalidation', name: 'release after invalidation', path: (c, i) => c.releasePaths[i % c.releasePaths.length]! },
  { kind: 'invalidation', name: 'feed.rss after invalidation', path: () => '/feed.rss' },
  { kind: 'invalidation', name: 'office feed.atom after invalidation', path: (c) => `/offices/${c.officeSlug}/feed.atom` },
];

// --- helpers -----------------------------------------------------------------------------------

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Fetched {
  status: number;
  bytes: number;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** One GET over a kept-alive connection; `ms` runs from sending to the last byte. */
const get = (port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Fetched> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
/** autocannon records latencies in whole milliseconds; 0 means below one. */
const fmtLatency = (ms: number) => (ms === 0 ? '<1' : fmt(ms, 1));

const printTable = (header: string[], rows: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
};

// --- the data set ------------------------------------------------------------------------------

// --- the server --------------------------------------------------------------------------------

const startServer = (dataDir: string, execArgv: string[], databaseUrl?: string): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(BENCH_DIR, 'server.ts'), [], {
      execArgv,
      // The API's rate limit stays on, set far above what the load generator sends from its one address.
      env: { ...process.env, ...SERVER_DEPLOY_ENV, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), DATA_DIR: dataDir, HEROLD_BENCH_CEILING: '1', LANG: 'de', LOG_LEVEL: 'silent', PUBLIC_URL: BENCH_PUBLIC_URL, API_RATE_LIMIT: '1000000000' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });

const stopServer = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.disconnect();
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });

// --- measuring ---------------------------------------------------------------------------------

interface Load {
  paths: string[];
  headers?: Record<string, string>;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

const cannon = async (port: number, load: Load, duration: number, connections: number): Promise<Sample> => {
  // One shared counter across all connections: every request takes the next path, so many paths
  // really are many different pages (not ten connections walking the same list in step). Page and
  // ceiling both go through setupRequest, so the load generator does the same work for each.
  let next = 0;
  const { paths } = load;
  const result: Result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    headers: load.headers ?? {},
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
};

interface ThroughputRow {
  name: string;
  skipped?: string;
  bytes?: number;
  page?: Sample[];
  ceiling?: Sample[];
  ratios?: number[];
  target?: boolean;
  targetRatio?: number;
  note?: string;
}

const main = async () => {
  // `npm run bench -- search [options]`: the search benchmark (bench/search.bench.ts) in its own process.
  if (process.argv[2] === 'search') {
    const child = fork(path.join(import.meta.dirname, 'search.bench.ts'), process.argv.slice(3), { stdio: 'inherit' });
    process.exitCode = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
    return;
  }
  const { values } = parseArgs({
    allowNegative: true,
    options: {
      offices: { type: 'string', default: '40' },
      releases: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      invalidations: { type: 'string', default: '20' },
      'release-pages': { type: 'string', default: '500' },
      only: { type: 'string' },
      dir: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      'postgres-url': { type: 'string' },
      regenerate: { type: 'boolean', default: false },
      stamp: { type: 'boolean', default: true },
      'cpu-prof': { type: 'boolean', default: false },
      'sized-ceiling': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: npm run bench -- [options]
  --releases 10000 --offices 40 --seed 1   size of the generated data (reused from bench/.data/)
  --rounds 3 --duration 5 --warmup 2        rounds of page/ceiling pairs, seconds per run, warm-up seconds
  --connections 10                          concurrent connections
  --invalidations 20                        timed first requests after a content-version bump
  --release-pages 500                       distinct release pages cycled in the "release" scenario
  --only home,release                       run only scenarios whose name is one of these, or starts with one
                                            that is no scenario's full name ("release" alone runs only "release")
  --dir /tmp/herold-big                     use this generated data folder (bench/generate.ts --dir) instead,
                                            migrated to the latest schema first
  --db postgres                             the same data on PostgreSQL (copied once into a database of its own)
  --postgres-url postgres://…/postgres      the PostgreSQL server to use (default: HEROLD_BENCH_POSTGRES_URL)
  --regenerate                              generate the data again
  --no-stamp                                leave the photos unstamped (stamping takes about 60 ms a release with
                                            photos, half an hour at 100,000 releases): the first view of such a
                                            release page then runs exiftool, so release scenarios measure it too
  --cpu-prof                                profile the server (written to bench/.data/profiles/)
  --sized-ceiling                           the ceiling answers as many 'x's as the page's mean body, not the page's own bytes
  --check                                   exit 1 when a target scenario's ratio is below its target (${TARGET_RATIO}, the API ${API_TARGET_RATIO})

       npm run bench -- search [--releases 100000] [--workers W] [--keep] [--reuse DIR]
                                            search latency (see bench/search.bench.ts)`);
    return;
  }
  const num = (name: keyof typeof values) => Number(values[name]);
  const [rounds, duration, warmup, connections, invalidations] = [num('rounds'), num('duration'), num('warmup'), num('connections'), num('invalidations')];
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const names = new Set(scenarios.map((s) => s.name));
  const chosen = scenarios.filter((s) => !only || only.some((o) => (names.has(o) ? s.name === o : s.name.startsWith(o))));

  let dataDir: string;
  if (values.dir) {
    dataDir = await prepareDataDir(path.resolve(values.dir), { stamp: values.stamp });
  } else {
    dataDir = await ensureBenchData({ offices: num('offices'), releases: num('releases'), seed: num('seed'), regenerate: values.regenerate, stamp: values.stamp });
  }
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error(`--db: sqlite or postgres, not ${values.db}`);
  let databaseUrl: string | undefined;
  if (values.db === 'postgres') {
    const adminUrl = values['postgres-url'] ?? process.env.HEROLD_BENCH_POSTGRES_URL;
    if (!adminUrl) throw new Error('--db postgres needs a PostgreSQL server: --postgres-url postgres://user@host:port/postgres (or HEROLD_BENCH_POSTGRES_URL)');
    databaseUrl = await postgresCopyOf(dataDir, adminUrl);
  }
  const { sqlite } = openDatabase(databaseFile(dataDir));
  const nowIso = new Date().toISOString();
  const publicReleases = sqlite
    .prepare("SELECT id, slug FROM releases WHERE status = 'published' AND published_at <= ? ORDER BY id")
    .all(nowIso) as { id: number; slug: string }[];
  const spread = (n: number) => {
    const step = Math.max(1, publicReleases.length / n);
    const out: string[] = [];
    for (let i = 0; i < publicReleases.length && out.length < n; i = Math.floor((out.length + 1) * step)) out.push(`/releases/${publicReleases[i]!.id}-${publicReleases[i]!.slug}`);
    return out;
  };
  const busiest = sqlite
    .prepare(
      "SELECT o.slug FROM offices o JOIN releases r ON r.office_id = o.id WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ? GROUP BY o.id ORDER BY count(*) DESC LIMIT 1",
    )
    .get(nowIso) as { slug: string };
  const busiestTopic = sqlite
    .prepare(
      "SELECT t.slug FROM topics t JOIN release_topics rt ON rt.topic_id = t.id JOIN releases r ON r.id = rt.release_id WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ? GROUP BY t.id ORDER BY count(*) DESC LIMIT 1",
    )
    .get(nowIso) as { slug: string };
  const ctx: BenchContext = {
    officeSlug: busiest.slug,
    topicSlug: busiestTopic.slug,
    releasePaths: spread(num('release-pages')),
    manyReleasePaths: spread(5000),
    apiReleasePaths: spread(num('release-pages')).map((p) => `/api/v1/releases/${/\/releases\/(\d+)-/.exec(p)![1]}`),
    exec: (statement, ...params) => void sqlite.prepare(statement).run(...params),
  };
  // The content version of the database the server reads (the copy on PostgreSQL).
  const postgres = databaseUrl ? await openPostgres(databaseUrl) : undefined;
  const bump = async () => {
    const at = new Date().toISOString();
    if (postgres) await sql`UPDATE site_state SET content_version = content_version + 1, changed_at = ${at} WHERE id = 1`.execute(postgres.db);
    else ctx.exec('UPDATE site_state SET content_version = content_version + 1, changed_at = ? WHERE id = 1', at);
  };

  const profDir = path.join(DATA_ROOT, 'profiles');
  if (values['cpu-prof']) await mkdir(profDir, { recursive: true });
  const { child, port } = await startServer(dataDir, [...SERVER_NODE_FLAGS, ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])], databaseUrl);
  console.log(
    `Server on 127.0.0.1:${port}; node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); ` +
      `${rounds} rounds × ${duration} s per run, ${connections} connections, page and ceiling alternating\n`,
  );

  try {
    // Throughput: probe, warm up, then alternate page and ceiling in rounds.
    const rows: ThroughputRow[] = [];
    const active: { row: ThroughputRow; page: Load; ceiling: Load }[] = [];
    for (const s of chosen) {
      if (s.kind !== 'throughput') continue;
      await s.setup?.(ctx);
      const paths = s.paths(ctx);
      const row: ThroughputRow = { name: s.name, target: s.target ?? false, ...(s.targetRatio ? { targetRatio: s.targetRatio } : {}), ...(s.note ? { note: s.note } : {}) };
      rows.push(row);
      const first = await get(port, paths[0]!, s.headers);
      if (first.status === 404) {
        row.skipped = `skipped: 404 on ${paths[0]}`;
        continue;
      }
      // Every path once: checks they answer 200, fills the page cache, gives the mean body size.
      let total = 0;
      let bad = 0;
      for (const p of paths) {
        const r = await get(port, p, s.headers);
        if (r.status !== 200) bad++;
        total += r.bytes;
      }
      if (bad > 0) console.warn(`! ${s.name}: ${bad} of ${paths.length} paths did not answer 200`);
      row.bytes = Math.round(total / paths.length);
      row.page = [];
      row.ceiling = [];
      row.ratios = [];
      const load = { paths, ...(s.headers ? { headers: s.headers } : {}) };
      const ceilingHeaders = s.ceilingHeaders ?? s.headers;
      // The ceiling answers the bytes of the path whose size is nearest the mean (a compressed
      // scenario, or --sized-ceiling: as many 'x's as the mean body).
      let nearest = paths[0]!;
      if (!s.ceilingHeaders && !values['sized-ceiling']) {
        let best = Infinity;
        for (const p of paths.slice(0, 50)) {
          const d = Math.abs((await get(port, p, s.headers)).bytes - row.bytes);
          if (d < best) [best, nearest] = [d, p];
        }
      }
      const ceilingPath = s.ceilingHeaders || values['sized-ceiling'] ? `/__ceiling/${row.bytes}` : `/__ceiling-of?path=${encodeURIComponent(nearest)}`;
      const ceilingLoad = { paths: [ceilingPath], ...(ceilingHeaders ? { headers: ceilingHeaders } : {}) };
      if (warmup > 0) {
        await cannon(port, load, warmup, connections);
        await cannon(port, ceilingLoad, warmup, connections);
      }
      active.push({ row, page: load, ceiling: ceilingLoad });
    }
    for (let round = 0; round < rounds; round++) {
      for (const { row, page, ceiling } of active) {
        // Alternate which goes first, so neither always runs on a warmer (or hotter) machine.
        const order = round % 2 === 0 ? (['page', 'ceiling'] as const) : (['ceiling', 'page'] as const);
        const samples: Partial<Record<'page' | 'ceiling', Sample>> = {};
        for (const which of order) samples[which] = await cannon(port, which === 'page' ? page : ceiling, duration, connections);
        row.page!.push(samples.page!);
        row.ceiling!.push(samples.ceiling!);
        row.ratios!.push(samples.page!.rps / samples.ceiling!.rps);
        if (samples.page!.bad > 0) console.warn(`! ${row.name}: ${samples.page!.bad} requests failed or were not 2xx in round ${round + 1}`);
        process.stdout.write(`  round ${round + 1}/${rounds} ${row.name}: ${fmt(samples.page!.rps)} vs ${fmt(samples.ceiling!.rps)} req/s\n`);
      }
    }

    // First request after invalidation: bump the content version, wait past the server's 1 s
    // version memo, then time one request of each path.
    const invalidation = chosen.filter((s): s is InvalidationScenario => s.kind === 'invalidation');
    const cold = new Map<string, { times: number[]; skipped?: string }>();
    for (const s of invalidation) {
      await s.setup?.(ctx);
      const probe = await get(port, s.path(ctx, 0));
      cold.set(s.name, probe.status === 404 ? { times: [], skipped: `skipped: 404 on ${s.path(ctx, 0)}` } : { times: [] });
    }
    const live = invalidation.filter((s) => !cold.get(s.name)!.skipped);
    /** `invalidations` times: bump, wait past the version memo, time one request of each live scenario. */
    const timeFirstRequests = async (label: string): Promise<Map<string, number[]>> => {
      const times = new Map<string, number[]>(live.map((s) => [s.name, []]));
      process.stdout.write(`  ${invalidations} invalidations${label} `);
      for (let i = 0; i < invalidations; i++) {
        await bump();
        await sleep(1100);
        for (const s of live) {
          const r = await get(port, s.path(ctx, i));
          if (r.status !== 200) console.warn(`! ${s.name}: status ${r.status}`);
          times.get(s.name)!.push(r.ms);
        }
        process.stdout.write('.');
      }
      process.stdout.write('\n');
      return times;
    };
    if (live.length > 0) for (const [name, times] of await timeFirstRequests('')) cold.get(name)!.times.push(...times);

    // The same first requests under load: meanwhile `connections` clients read other release pages,
    // which every bump sends to be rendered again too, as after a publish on a busy site.
    let loaded = new Map<string, number[]>();
    let background: Sample | undefined;
    if (live.length > 0) {
      const others = ctx.releasePaths.slice(Math.min(invalidations, ctx.releasePaths.length - 1));
      // Each once before, so that what is timed is rendering (an unstamped photo is stamped at its page's first view).
      for (const p of others) await get(port, p);
      const load = cannon(port, { paths: others }, Math.ceil(invalidations * 1.25) + 2, connections);
      await sleep(1000);
      loaded = await timeFirstRequests(' under load');
      background = await load;
    }

    // Report.
    console.log(`\nThroughput (medians of ${rounds} rounds; ratio = page req/s ÷ ceiling req/s, target ≥ ${TARGET_RATIO} on home, office, release, ≥ ${API_TARGET_RATIO} on the cached API answers)\n`);
    const missed: string[] = [];
    printTable(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'body bytes', 'ceiling req/s', 'ratio', ''],
      rows.map((r) => {
        if (r.skipped || !r.page) return [r.name, '', '', '', '', '', '', r.skipped ?? ''];
        const ratio = median(r.ratios!);
        const target = r.targetRatio ?? TARGET_RATIO;
        if (r.target && ratio < target) missed.push(r.name);
        return [
          r.name,
          fmt(median(r.page.map((s) => s.rps))),
          fmtLatency(median(r.page.map((s) => s.p50))),
          fmtLatency(median(r.page.map((s) => s.p99))),
          String(r.bytes),
          fmt(median(r.ceiling!.map((s) => s.rps))),
          fmt(ratio, 2),
          r.target ? (ratio >= target ? 'ok' : 'MISSED') : '',
        ];
      }),
    );
    const notes = rows.filter((r) => r.note && !r.skipped);
    if (notes.length > 0) console.log(`\n${notes.map((r) => `  ${r.name}: ${r.note}`).join('\n')}`);
    if (cold.size > 0 && invalidations > 0) {
      console.log(`\nFirst request after invalidation (${invalidations} times, one request each, ms)\n`);
      printTable(
        ['scenario', 'median', 'p90', 'min', 'max', ''],
        [...cold.entries()].map(([name, c]) =>
          c.skipped ? [name, '', '', '', '', c.skipped] : [name, fmt(median(c.times), 1), fmt(quantile(c.times, 0.9), 1), fmt(Math.min(...c.times), 1), fmt(Math.max(...c.times), 1), ''],
        ),
      );
    }
    if (background) {
      const all = [...loaded.values()].flat();
      console.log(
        `\nThe same under load (${connections} connections reading other release pages: ${fmt(background.rps)} req/s, their p99 ${fmtLatency(background.p99)} ms; ` +
          `p99 of all ${all.length} first requests ${fmt(quantile(all, 0.99), 1)} ms)\n`,
      );
      printTable(
        ['scenario', 'median', 'p90', 'min', 'max'],
        [...loaded.entries()].map(([name, times]) => [name, fmt(median(times), 1), fmt(quantile(times, 0.9), 1), fmt(Math.min(...times), 1), fmt(Math.max(...times), 1)]),
      );
    }
    await writeFile(
      path.join(DATA_ROOT, 'last-run.json'),
      JSON.stringify({ at: new Date().toISOString(), rounds, duration, connections, rows, cold: Object.fromEntries(cold), underLoad: { background, first: Object.fromEntries(loaded) } }, null, 2),
    );
    if (values['cpu-prof']) console.log(`\nServer CPU profile in ${path.relative(process.cwd(), profDir)}/ (open in Chrome DevTools)`);
    if (missed.length > 0) {
      console.log(`\nBelow the target ratio: ${missed.join(', ')}`);
      if (values.check) process.exitCode = 1;
    }
  } finally {
    agent.destroy();
    await stopServer(child);
    sqlite.close();
    await postgres?.db.destroy();
  }
};

await main();
