// The benchmark's data folders, generated once and reused: `bench/.data/o{offices}-r{releases}-s{seed}-{hash}/`
// (git-ignored), where the hash changes with the generator, the search indexer and the list of
// migrations. The search index is built on request (the soak searches; the page bench does not),
// once per folder.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { databaseFile } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/connect.ts';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/database.ts';

/** The address the bench server runs under (bench/run.ts): photos carry it in their words. */
export const BENCH_PUBLIC_URL = 'http://127.0.0.1:3000';

/**
 * Stamps the photos of every public release, as the stamp-press-kits job does on a live site right
 * after publishing (the bench server runs no jobs): the release pages measured are those a reader
 * meets, not first views that start exiftool. Only what has no current stamp; quick when all have.
 */
export const stampPressKits = async (dir: string): Promise<void> => {
  const config = loadConfig({ DATA_DIR: dir, DEMO: '0', PUBLIC_URL: BENCH_PUBLIC_URL, LANG: 'de' });
  const { db } = openDatabase(databaseFile(dir));
  try {
    const services = createServices({ db, config, mediaDir: mediaDir(config) });
    const started = performance.now();
    let total = 0;
    for (;;) {
      const run = await services.pressKitStamping.run();
      if (run.exiftoolMissing) throw new Error('exiftool is missing: install it (apt-get install libimage-exiftool-perl) to run the bench');
      if (run.stamped === 0) break;
      if (total === 0) console.log('Stamping the photos of public releases, as the stamp-press-kits job does …');
      total += run.stamped;
    }
    if (total > 0) console.log(`  ${total} releases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.destroy();
  }
};
import { loadConfig } from '../src/config.ts';
import { mediaDir } from '../src/plugins/static.ts';
import { createServices } from '../src/services.ts';
import { generate, type GenerateResult } from './generate.ts';
import { buildSearchIndex } from './search-index.ts';

export const BENCH_DIR = import.meta.dirname;
export const DATA_ROOT = path.join(BENCH_DIR, '.data');

export interface BenchData {
  offices: number;
  releases: number;
  seed?: number;
  /** Generate again even when a folder for these parameters exists. */
  regenerate?: boolean;
  /** Build the search index too. */
  index?: boolean;
  /** Stamp the photos of public releases (stampPressKits): for benches that read release pages. */
  stamp?: boolean;
}

/**
 * After migrations, the planner's statistics anew, where the folder has any. The generator and the
 * index builder leave statistics of every index (PRAGMA optimize, ANALYZE); an index a later
 * migration makes has none, and SQLite planning with some indexes measured and others guessed chose
 * plans neither a folder with all nor one with none gets (migration 0182: the home page walked
 * every release through an office index, 12 ms instead of 5).
 */
const refreshStatistics = async (db: Kysely<DB>): Promise<void> => {
  const analysed = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(db);
  if (Number(analysed.rows[0]?.n) > 0) await sql`analyze`.execute(db);
};

/** The data folder for these parameters: reused when complete, generated (and indexed) otherwise. */
export const ensureBenchData = async ({ offices, releases, seed = 1, regenerate = false, index = false, stamp = false }: BenchData): Promise<string> => {
  // The generator and the index builder make the folder; a new migration does not: a reused folder
  // is migrated (below), as a live site is, instead of generated, indexed and stamped again (about
  // 40 minutes at 100,000 releases on two cores).
  const fingerprint = createHash('sha256')
    .update(readFileSync(path.join(BENCH_DIR, 'generate.ts')))
    .update(readFileSync(path.join(BENCH_DIR, 'search-index.ts')))
    .digest('hex')
    .slice(0, 10);
  const prefix = `o${offices}-r${releases}-s${seed}-`;
  const dir = path.join(DATA_ROOT, prefix + fingerprint);
  const done = path.join(dir, 'complete.json');
  let result: GenerateResult & { indexed?: number };
  if (!regenerate && existsSync(done)) {
    console.log(`Reusing ${path.relative(process.cwd(), dir)}`);
    result = JSON.parse(readFileSync(done, 'utf8')) as typeof result;
    const { db } = openDatabase(databaseFile(dir));
    const started = performance.now();
    const { applied } = await migrateToLatest(db)
      .then(async (r) => (r.applied.length > 0 && (await refreshStatistics(db)), r))
      .finally(() => db.destroy());
    if (applied.length > 0) console.log(`  migrated: ${applied.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    await mkdir(DATA_ROOT, { recursive: true });
    for (const old of readdirSync(DATA_ROOT)) if (old.startsWith(prefix)) await rm(path.join(DATA_ROOT, old), { recursive: true, force: true });
    console.log(`Generating ${offices} offices and ${releases} releases into ${path.relative(process.cwd(), dir)} …`);
    result = await generate({ dir, offices, releases, seed, force: true });
    console.log(`  done in ${(result.ms / 1000).toFixed(1)} s: ${JSON.stringify(result.byStatus)}, ${result.photos} photos`);
    await writeFile(done, JSON.stringify(result, null, 2));
  }
  if (index && result.indexed === undefined) {
    console.log('Building the search index …');
    const built = buildSearchIndex(databaseFile(dir));
    console.log(`  ${built.indexed} releases in ${((built.buildMs + built.optimizeMs) / 1000).toFixed(1)} s`);
    await writeFile(done, JSON.stringify({ ...result, indexed: built.indexed }, null, 2));
  }
  if (stamp) await stampPressKits(dir);
  return dir;
};

/**
 * A data folder generated elsewhere (`node bench/generate.ts --dir …`, e.g. a million releases in
 * /tmp): migrated to the latest schema (as `herold migrate` would), and indexed for search once
 * when asked and not indexed yet.
 */
export const prepareDataDir = async (dir: string, { index = false, stamp = false }: { index?: boolean; stamp?: boolean } = {}): Promise<string> => {
  const file = databaseFile(dir);
  if (!existsSync(file)) throw new Error(`no database in ${dir}: generate one with node bench/generate.ts --dir ${dir}`);
  const { db } = openDatabase(file);
  const started = performance.now();
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) await refreshStatistics(db);
  // A folder indexed before (by this function, or one of bench/.data/ made by ensureBenchData) has
  // keys in releases_fts_keys: building the index again would add every release a second time.
  const indexed = (await db.selectFrom('releases_fts_keys').select('key').limit(1).executeTakeFirst()) !== undefined;
  await db.destroy();
  if (applied.length > 0) console.log(`Migrated ${dir}: ${applied.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (index && !indexed) {
    console.log(`Building the search index of ${dir} …`);
    const built = buildSearchIndex(file);
    console.log(`  ${built.indexed} releases in ${((built.buildMs + built.optimizeMs) / 1000).toFixed(1)} s`);
  }
  if (stamp) await stampPressKits(dir);
  return dir;
};
