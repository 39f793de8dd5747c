// Search benchmark: `node bench/search.bench.ts [--releases N] [--duration S] [--connections C] [--rounds R] [--workers W] [--only name,…] [--keep] [--reuse DIR] [--db postgres --postgres-url URL]`
//
// 1. Generates N releases of German-ish text straight into a migrated SQLite file in a temporary
//    data folder (seeded, so runs are comparable; batches in transactions).
// 2. Builds the search index with the real document builder (search.text.ts), as the backfill
//    migration does, and optimises it; reports the time and the database size.
// 3. Starts the real app (buildApp) in a child process on a free loopback port and runs autocannon
//    with C connections for several typical queries, each cycling through word variants of the same
//    frequency, so no answer is measured from a warm single-query path only.
// Prints a table: query, matches, req/s, p50, p95, p97.5, p99 (ms). Everything is removed at the end
// unless --keep is given; --reuse DIR skips generation and measures an existing bench folder.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { databaseFile, openConfigured, openDatabase } from '../src/db/connect.ts';
import { postgresCopyOf } from './postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { htmlToText } from '../src/content/markdown.ts';
import { mulberry32 } from '../src/lib/random.ts';
import { buildSearchIndex } from './search-index.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
};

// ---------------------------------------------------------------- vocabulary

const FUNCTION_WORDS = 'der die das und in im mit von für auf an zu den dem des ist sind wird werden hat haben ein eine einen bei nach über sowie auch noch nicht als aus am zum zur durch um vor bis seit ab gegen unter sich es sie wir ihre seine diese dieser alle mehr sehr so wie'.split(' ');

const NOUNS = `Bürgermeister Landrat Kreistag Gemeinderat Stadtrat Radweg Straße Brücke Schule Kita Kindergarten Feuerwehr Polizei Rathaus Bauarbeiten Sanierung
Haushalt Förderung Zuschuss Projekt Veranstaltung Ausstellung Konzert Museum Bibliothek Jugend Senioren Familie Integration Umwelt Klimaschutz Energie
Windkraft Wasser Abwasser Müll Abfall Wertstoffhof Verkehr Bus Bahn Haltestelle Parkplatz Sperrung Umleitung Baustelle Gesundheit Krankenhaus Impfung
Pflege Arbeit Ausbildung Wirtschaft Unternehmen Gewerbe Tourismus Kultur Sport Verein Ehrenamt Wahl Bürger Einwohner Sitzung Beschluss Antrag
Verwaltung Behörde Landkreis Gemeinde Stadt Dorf Ortsteil Quartier Wohnung Wohnungsbau Bebauungsplan Digitalisierung Breitband Glasfaser Internet
Öffnungszeiten Sprechstunde Beratung Anmeldung Termin Frist Gebühren Satzung Verordnung Genehmigung Kontrolle Sicherheit Unfall Einsatz Brand Hochwasser
Starkregen Hitze Bäume Grünfläche Spielplatz Friedhof Schwimmbad Turnhalle Sportplatz Jubiläum Preis Auszeichnung Wettbewerb Gewinner Partnerschaft
Besuch Delegation Vertrag Kooperation Netzwerk Studie Umfrage Ergebnis Zahlen Statistik Entwicklung Zukunft Strategie Konzept Leitbild Workshop
Informationsabend Bürgerversammlung Beteiligung Anregungen Hinweise Kosten Millionen Euro Investition Zuschüsse Landesmittel Bundesmittel Fördermittel
Nachhaltigkeit Mobilität Elektromobilität Ladesäulen Carsharing Fahrrad Fußgänger Ampel Kreisverkehr Ortsdurchfahrt Lärmschutz Luftqualität Naturschutz
Landwirtschaft Forst Wald Jagd Tierheim Hunde Katzen Veterinäramt Lebensmittel Hygiene Schulbau Mensa Ganztag Betreuung Lehrkräfte Schüler Eltern Kinder
Flüchtlinge Geflüchtete Unterkunft Sprachkurs Integrationskurs Migration Ausländerbehörde Einbürgerung Standesamt Eheschließung Geburten Sterbefälle
Bürgerbüro Personalausweis Reisepass Führerschein Zulassungsstelle Kennzeichen Steuer Grundsteuer Gewerbesteuer Hundesteuer Abgaben Rechnungsprüfung`.split(/\s+/);

const ADJECTIVES = 'neue neuen neuer groß große großen kleine kleinen öffentliche öffentlichen kommunale regionale erste zweite weitere aktuelle wichtige gute besondere moderne digitale barrierefreie nachhaltige gemeinsame zusätzliche zahlreiche verschiedene'.split(' ');
const VERBS = 'eröffnet beginnt startet informiert lädt beschließt fördert plant baut saniert erweitert ehrt begrüßt übergibt stellt vor bittet warnt sucht erhält unterstützt verlängert'.split(' ');
const STEMS = 'Kreis Stadt Schul Bau Verkehrs Bürger Jugend Sport Kultur Umwelt Wasser Energie Rad Wald Feld Berg Fluss Markt Haupt Bahnhof Kinder Familien Senioren Gesundheits Wirtschafts Tourismus Feuerwehr Rettungs Grund Land Dorf Kirch Garten Hafen Brücken Straßen Wohn Gewerbe Industrie Natur Klima Solar Wind Strom Wärme Abfall Müll Park Spiel Freizeit Bildungs Musik Kunst Heimat Gemeinde Rats Amts Pflege Kranken Notfall Alters Frauen'.split(' ');
const SUFFIXES = 'amt haus platz weg straße plan projekt verwaltung zentrum verband konzept förderung bericht programm netz gebiet park halle beirat ausschuss tag fest woche markt bad schule garten büro stelle kasse werk hof fonds ordnung satzung preis'.split(' ');
const PLACE_A = 'Ober Nieder Alt Neu Groß Klein Bad Sankt Hohen Wester Oster Süd Nord'.split(' ');
const PLACE_B = 'wald berg feld bach au stein tal hain furt wies linden eichen buchen mühl kirch rode'.split(' ');
const PLACE_C = 'hausen dorf heim burg stadt ingen rode feld bach hofen'.split(' ');

const buildVocabulary = (random: () => number) => {
  const compounds: string[] = [];
  for (const s of STEMS) for (const x of SUFFIXES) compounds.push(s + x);
  // Deterministic shuffle of compounds so frequency ranks mix stems.
  for (let i = compounds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [compounds[i], compounds[j]] = [compounds[j]!, compounds[i]!];
  }
  const places: string[] = [];
  for (const a of PLACE_A) for (const b of PLACE_B) places.push(`${a}${b}${PLACE_C[(a.length + b.length) % PLACE_C.length]}`);
  // Ranked content vocabulary: nouns first (common), then adjectives/verbs, compounds, places.
  const content = [...NOUNS, ...ADJECTIVES, ...VERBS, ...compounds, ...places];
  return { content, places };
};

/** O(1) Zipf sampler (s = 1) over `n` ranks via a quantised inverse-CDF table. */
const zipfSampler = (n: number, random: () => number) => {
  const size = 1 << 20;
  const table = new Uint32Array(size);
  let total = 0;
  for (let r = 1; r <= n; r++) total += 1 / r;
  let cumulative = 0;
  let rank = 0;
  for (let i = 0; i < size; i++) {
    const target = ((i + 0.5) / size) * total;
    while (rank < n - 1 && cumulative + 1 / (rank + 1) < target) {
      cumulative += 1 / (rank + 1);
      rank++;
    }
    table[i] = rank;
  }
  return () => table[(random() * size) | 0]!;
};

// ---------------------------------------------------------------- generation
function generate(file: string, count: number) {
  const random = mulberry32(42);
  const vocab = buildVocabulary(random);
  const zipf = zipfSampler(vocab.content.length, random);
  const word = () => vocab.content[zipf()]!;
  const pick = <T>(list: readonly T[]) => list[(random() * list.length) | 0]!;
  const sentence = (min: number, max: number) => {
    const n = min + ((random() * (max - min + 1)) | 0);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(random() < 0.4 ? pick(FUNCTION_WORDS) : word());
    const text = parts.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };

  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const now = new Date().toISOString();
  const insertOffice = db.prepare(`insert into offices (slug, name, created_at, updated_at) values (?, ?, ?, ?)`);
  const insertTopic = db.prepare(`insert into topics (slug, name) values (?, ?)`);
  const insertRegion = db.prepare(`insert into regions (slug, name) values (?, ?)`);
  const OFFICES = 200;
  db.transaction(() => {
    for (let i = 1; i <= OFFICES; i++) insertOffice.run(`office-${i}`, `${i % 3 === 0 ? 'Stadt' : i % 3 === 1 ? 'Landkreis' : 'Gemeinde'} ${vocab.places[i % vocab.places.length]}`, now, now);
    for (const [i, name] of ['Soziales', 'Verkehr', 'Umwelt', 'Bildung', 'Kultur', 'Sport', 'Wirtschaft', 'Gesundheit', 'Sicherheit', 'Bauen', 'Familie', 'Jugend', 'Senioren', 'Tourismus', 'Verwaltung', 'Energie', 'Landwirtschaft', 'Digitales', 'Wahlen', 'Feuerwehr'].entries())
      insertTopic.run(`topic-${i + 1}`, name);
    for (let i = 1; i <= 30; i++) insertRegion.run(`region-${i}`, `Region ${vocab.places[(i * 7) % vocab.places.length]}`);
  })();

  const insertRelease = db.prepare(`insert into releases (id, office_id, slug, title, subtitle, release_date, dateline, body_markdown, body_html, body_text, summary, language, status, published_at, withdrawn_at, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertTopicLink = db.prepare(`insert or ignore into release_topics (release_id, topic_id) values (?, ?)`);
  const insertRegionLink = db.prepare(`insert or ignore into release_regions (release_id, region_id) values (?, ?)`);
  const insertPhoto = db.prepare(`insert into release_photos (release_id, path, alt, caption, credit, position, width, height, mime, bytes) values (?, ?, ?, ?, ?, 0, 1600, 1067, 'image/jpeg', 250000)`);

  // Ten years of releases in date order, ending today.
  const end = Date.now();
  const start = end - 10 * 365 * 86_400_000;
  const BATCH = 5000;
  for (let from = 1; from <= count; from += BATCH) {
    db.transaction(() => {
      for (let id = from; id < Math.min(count + 1, from + BATCH); id++) {
        const at = new Date(start + ((end - start) * id) / (count + 1));
        const published = at.toISOString();
        const releaseDate = published.slice(0, 10);
        const title = `${sentence(4, 9).slice(0, -1)}`;
        const subtitle = random() < 0.5 ? sentence(6, 14) : '';
        const paragraphs: string[] = [];
        const np = 3 + ((random() * 5) | 0);
        for (let p = 0; p < np; p++) {
          const ns = 2 + ((random() * 4) | 0);
          const s: string[] = [];
          for (let k = 0; k < ns; k++) s.push(sentence(8, 18));
          paragraphs.push(s.join(' '));
        }
        const markdown = paragraphs.join('\n\n');
        const html = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
        const roll = random();
        const status = roll < 0.97 ? 'published' : roll < 0.98 ? 'withdrawn' : roll < 0.99 ? 'draft' : 'scheduled';
        const publishedAt = status === 'draft' ? null : status === 'scheduled' ? new Date(end + 86_400_000 * (1 + random() * 30)).toISOString() : published;
        insertRelease.run(
          id,
          1 + ((random() * OFFICES) | 0),
          title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60).replace(/^-|-$/g, '') || 'mitteilung',
          title,
          subtitle,
          releaseDate,
          pick(vocab.places),
          markdown,
          html,
          htmlToText(html),
          subtitle || paragraphs[0]!.slice(0, 280),
          random() < 0.95 ? 'de' : 'en',
          status,
          publishedAt,
          status === 'withdrawn' ? published : null,
          published,
          published,
        );
        insertTopicLink.run(id, 1 + ((random() * 20) | 0));
        if (random() < 0.5) insertTopicLink.run(id, 1 + ((random() * 20) | 0));
        insertRegionLink.run(id, 1 + ((random() * 30) | 0));
        if (random() < 0.2) insertPhoto.run(id, `bench/${id}.jpg`, sentence(3, 6), sentence(5, 10), 'Pressestelle');
      }
    })();
    if ((from - 1) % 100_000 === 0 && from > 1) process.stdout.write(`  ${from - 1} releases\n`);
  }
  db.close();
  return vocab;
}

const dirSize = (dir: string) => readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
const ftsSize = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    const row = db.prepare(`select sum(pgsize) as bytes from dbstat where name like 'releases_fts%'`).get() as { bytes: number } | undefined;
    return row?.bytes ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
};

const isIndexed = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare('select 1 from releases_fts_keys limit 1').get() !== undefined;
  } finally {
    db.close();
  }
};

// ---------------------------------------------------------------- measuring
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

async function measure(port: number, name: string, paths: string[], duration: number, connections: number) {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p975: percentile(times, 97.5),
    p99: percentile(times, 99),
    requests: times.length,
    non200: [...statuses].filter(([s]) => s !== 200).map(([s, n]) => `${s}×${n}`).join(' '),
  };
}

async function main() {
  const count = Number(arg('releases', '100000'));
  const duration = Number(arg('duration', '8'));
  const connections = Number(arg('connections', '10'));
  const reuse = arg('reuse', '');
  const keep = process.argv.includes('--keep');
  // --db postgres: the same releases copied into PostgreSQL (bench/postgres.ts), searched there.
  const onPostgres = arg('db', 'sqlite') === 'postgres';
  const adminUrl = arg('postgres-url', process.env.HEROLD_BENCH_POSTGRES_URL ?? '');
  if (onPostgres && !adminUrl) throw new Error('--db postgres needs --postgres-url postgres://user@host:port/postgres (or HEROLD_BENCH_POSTGRES_URL)');
  const dataDir = reuse || mkdtempSync(path.join(tmpdir(), 'herold-search-bench-'));
  const file = databaseFile(dataDir);
  console.log(`search bench: ${reuse ? `reusing ${dataDir}` : `${count.toLocaleString('en')} releases in ${dataDir}`}`);

  let vocab: ReturnType<typeof buildVocabulary>;
  let index = { indexed: 0, terms: 0, buildMs: 0, optimizeMs: 0 };
  if (!reuse || !existsSync(file)) {
    const { db } = openDatabase(file);
    await migrateToLatest(db);
    await db.destroy();
    const g0 = performance.now();
    vocab = generate(file, count);
    console.log(`generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
  } else {
    vocab = buildVocabulary(mulberry32(42));
  }
  // On PostgreSQL the index is built there (bench/postgres.ts); SQLite's is built once, when first searched there.
  if (!onPostgres && !isIndexed(file)) {
    index = buildSearchIndex(file);
    console.log(`index: ${index.indexed.toLocaleString('en')} releases, ${index.terms.toLocaleString('en')} vocabulary terms, in ${(index.buildMs / 1000).toFixed(1)} s, optimize ${(index.optimizeMs / 1000).toFixed(1)} s`);
  }
  const releaseCount = (() => {
    const db = new SQLite(file, { readonly: true });
    try {
      return (db.prepare('select count(*) as n from releases').get() as { n: number }).n;
    } finally {
      db.close();
    }
  })();
  const size = dirSize(dataDir);
  const fts = ftsSize(file);
  console.log(`${onPostgres ? 'SQLite source' : 'database'}: ${(size / 1024 / 1024).toFixed(0)} MB${onPostgres ? '' : `, of which search index ${(fts / 1024 / 1024).toFixed(0)} MB`}`);

  // Word variants by frequency rank of the generated vocabulary (rank 0 is the most common).
  const w = vocab.content;
  const enc = encodeURIComponent;
  const frequent = [12, 15, 18, 21, 24, 27, 30, 33].map((r) => w[r]!);
  const medium = [120, 140, 160, 180, 200, 220, 240, 260].map((r) => w[r]!);
  const rare = [900, 1100, 1300, 1500, 1700, 1900, 2100, 2300].map((r) => w[r]!);
  const year = new Date().getUTCFullYear();
  // A slip in the middle of a word: two neighbouring letters swapped, or one left out.
  const swapped = (x: string) => {
    const i = Math.floor(x.length / 2);
    return x.slice(0, i - 1) + x[i] + x[i - 1] + x.slice(i + 1);
  };
  const dropped = (x: string) => x.slice(0, Math.floor(x.length / 2)) + x.slice(Math.floor(x.length / 2) + 1);
  const suites: [string, string[]][] = [
    // Not a search: the page-cached home page, for the ceiling of this machine and this server.
    ['baseline: home (cached)', ['/']],
    ['1 word, frequent', frequent.map((x) => `/search?q=${enc(x)}`)],
    ['1 word, medium', medium.map((x) => `/search?q=${enc(x)}`)],
    ['1 word, rare', rare.map((x) => `/search?q=${enc(x)}`)],
    ['2 words', medium.map((x, i) => `/search?q=${enc(`${frequent[i]} ${x}`)}`)],
    ['2 words, umlaut folded', ['Buergermeister Radweg', 'Strasse Sperrung', 'Foerderung Schule', 'Oeffnungszeiten Rathaus', 'Brucke Sanierung', 'Kita Zuschuss', 'Fluechtlinge Unterkunft', 'Grunflache Baume'].map((x) => `/search?q=${enc(x)}`)],
    ['1 word + office', medium.map((x, i) => `/search?q=${enc(x)}&office=office-${i * 17 + 3}`)],
    ['2 words + topic + dates', medium.map((x, i) => `/search?q=${enc(`${frequent[i]} ${x}`)}&topic=topic-${i + 1}&from=${year - 3}-01-01&to=${year - 1}-12-31`)],
    ['1 word, by date', frequent.map((x) => `/search?q=${enc(x)}&sort=date`)],
    ['phrase', medium.map((x, i) => `/search?q=${enc(`"${ADJECTIVES[i]} ${x}"`)}`)],
    ['filters only', [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `/search?office=office-${i * 11}&topic=topic-${i}`)],
    // Misspelt words (two neighbouring letters swapped, one dropped): no match, so each computes a
    // "Meinten Sie …?" suggestion (search.suggest.ts) and checks that it finds something.
    ['typo → suggestion', [...medium.slice(0, 4).map(swapped), ...rare.slice(0, 4).map(dropped)].map((x) => `/search?q=${enc(x)}`)],
    ['2 words, 1 typo', medium.map((x, i) => `/search?q=${enc(`${frequent[i]} ${swapped(x)}`)}`)],
    ['typo + office', rare.map((x, i) => `/search?q=${enc(swapped(x))}&office=office-${i * 17 + 3}`)],
  ];

  const workers = arg('workers', '');
  const only = arg('only', '').split(',').map((x) => x.trim()).filter(Boolean);
  const databaseUrl = onPostgres ? await postgresCopyOf(dataDir, adminUrl) : '';
  const child = fork(import.meta.filename, ['--serve', dataDir, workers, databaseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])] });
  const { port, workers: threads } = await new Promise<{ port: number; workers: number }>((resolve) => child.once('message', resolve));

  // Match counts of the first variant of each suite, for the table (through the app's own page).
  const counts = new Map<string, string>();
  for (const [name, paths] of suites) {
    if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
    const res = await fetch(`http://127.0.0.1:${port}${paths[0]}`);
    const body = await res.text();
    const suggestion = /id="search-suggestion"[^>]*>[^<]*<a[^>]*>([^<]*)</.exec(body)?.[1];
    counts.set(name, `${/id="search-count"[^>]*>([^<]*)</.exec(body)?.[1]?.trim() ?? `HTTP ${res.status}`}${suggestion ? ` → ${suggestion}` : ''}`);
  }

  const chosen = suites.filter(([name]) => only.length === 0 || only.some((o) => name.startsWith(o)));
  // Rounds go through every query in turn, so a burst of load from elsewhere on a shared machine
  // spoils one round of each rather than every round of one; the table shows medians over rounds.
  const rounds = Math.max(1, Number(arg('rounds', '1')));
  const runs = new Map<string, Awaited<ReturnType<typeof measure>>[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const [name, paths] of chosen) {
      await measure(port, name, paths, 1, connections); // warm-up
      runs.set(name, [...(runs.get(name) ?? []), await measure(port, name, paths, duration, connections)]);
    }
    if (rounds > 1) process.stdout.write(`  round ${round}/${rounds} done\n`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const round2 = (x: number) => Math.round(x * 10) / 10;
  const rows = [...runs].map(([name, list]) => ({
    name,
    rps: median(list.map((r) => r.rps)),
    p50: round2(median(list.map((r) => r.p50))),
    p95: round2(median(list.map((r) => r.p95))),
    p975: round2(median(list.map((r) => r.p975))),
    p99: round2(median(list.map((r) => r.p99))),
    p95s: list.map((r) => round2(r.p95)).join(' / '),
    non200: list.map((r) => r.non200).filter(Boolean).join(' '),
  }));
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));

  console.log(`\n${releaseCount.toLocaleString('en')} releases · ${connections} connections · ${duration} s per query × ${rounds} round(s), medians · ${threads} search worker threads (SEARCH_WORKERS) · ms`);
  console.log(['query'.padEnd(26), 'matches (1st variant)'.padEnd(24), 'req/s'.padStart(6), 'p50'.padStart(6), 'p95'.padStart(6), 'p97.5'.padStart(6), 'p99'.padStart(6), '  p95 by round', '  other'].join(' '));
  for (const r of rows)
    console.log([r.name.padEnd(26), (counts.get(r.name) ?? '').slice(0, 24).padEnd(24), String(r.rps).padStart(6), String(r.p50).padStart(6), String(r.p95).padStart(6), String(r.p975).padStart(6), String(r.p99).padStart(6), `  ${r.p95s}`, `  ${r.non200}`].join(' '));
  console.log('\nexample queries:');
  for (const [name, paths] of suites) console.log(`  ${name}: ${decodeURIComponent(paths[0]!)}`);
  if (!keep && !reuse) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`kept ${dataDir}`);
}

// ---------------------------------------------------------------- serving child
async function serve() {
  const dataDir = process.argv[3]!;
  const workers = process.argv[4];
  const databaseUrl = process.argv[5];
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DEMO: '0', LOG_LEVEL: 'silent', ...(workers ? { SEARCH_WORKERS: workers } : {}), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const { db } = await openConfigured(config);
  const app = await buildApp({ config, db });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0, workers: config.searchWorkers });
  process.on('message', async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  });
}

if (process.argv[2] === '--serve') await serve();
else await main();

