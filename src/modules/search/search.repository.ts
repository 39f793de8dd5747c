// All SQL of search: writing releases_fts and querying it. Plain functions; the first parameter is
// the executor (db or trx). The FTS5 parts are raw SQL, as Kysely has no words for MATCH or bm25.
//
// A rowid of releases_fts is always bound as a BigInt (`rowidOf`): better-sqlite3 binds a JavaScript
// number as a REAL, and FTS5 does not use a REAL as a rowid constraint. `rowid = 5.0` beside a MATCH
// then returns every match and `rowid >= 5.0` reads the whole list; with an INTEGER both seek.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/database.ts';
import { dialectOf, joinedText, textList } from '../../db/dialect.ts';
import { isPublicAt } from '../releases/release.ts';
import * as postgres from './search.postgres.ts';
import type { SearchDocument } from './search.text.ts';

const onPostgres = (db: Kysely<DB>): boolean => dialectOf(db) === 'postgres';

/** What the index is built from: one release with its office name, term names and captions. */
export const findReleaseForIndex = (db: Kysely<DB>, id: number) => {
  const dialect = dialectOf(db);
  return db
    .selectFrom('releases as r')
    .innerJoin('offices as o', 'o.id', 'r.office_id')
    .where('r.id', '=', id)
    .select(['r.id', 'r.status', 'r.published_at', 'r.title', 'r.subtitle', 'r.dateline', 'r.body_text', 'r.office_id', 'r.language', 'r.release_date', 'o.name as office_name'])
    .select([
      (dialect === 'postgres' ? sql<string | null>`(r.contact_json::jsonb ->> 'name')` : sql<string | null>`json_extract(r.contact_json, '$.name')`).as('contact_name'),
      sql<string | null>`(select ${joinedText(dialect, sql`p.caption || ' ' || p.alt`, ' ')} from release_photos p where p.release_id = r.id)`.as('captions'),
      sql<string | null>`(select ${joinedText(dialect, sql.ref('t.name'), ' ')} from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id)`.as('topics'),
      sql<string | null>`(select ${joinedText(dialect, sql.ref('g.name'), ' ')} from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id)`.as('regions'),
      sql<string | null>`(select ${joinedText(dialect, sql.ref('rt.topic_id'), ',')} from release_topics rt where rt.release_id = r.id)`.as('topic_ids'),
      sql<string | null>`(select ${joinedText(dialect, sql.ref('rr.region_id'), ',')} from release_regions rr where rr.release_id = r.id)`.as('region_ids'),
    ])
    .executeTakeFirst();
};

export type IndexRow = NonNullable<Awaited<ReturnType<typeof findReleaseForIndex>>>;

/** The key under which a release is in the index, if it is. */
export const findIndexKey = async (db: Kysely<DB>, releaseId: number): Promise<number | undefined> =>
  (await db.selectFrom('releases_fts_keys').select('key').where('release_id', '=', releaseId).executeTakeFirst())?.key;

/** A rowid (search key) as SQLite must be given it: an INTEGER, not a REAL (see above). */
const rowidOf = (key: number): bigint => BigInt(key);

/** Takes a release out of the index. */
export const deleteIndexEntry = async (db: Kysely<DB>, releaseId: number, key: number): Promise<void> => {
  if (onPostgres(db)) {
    await postgres.deleteEntry(db, key);
    await db.deleteFrom('releases_fts_keys').where('release_id', '=', releaseId).execute();
    return;
  }
  await sql`delete from releases_fts where rowid = ${rowidOf(key)}`.execute(db);
  await sql`delete from releases_fts_titles where rowid = ${rowidOf(key)}`.execute(db);
  await db.deleteFrom('releases_fts_keys').where('release_id', '=', releaseId).execute();
};

/**
 * Readies the index for the coming writes: on PostgreSQL, this year's and next year's partitions of
 * release_search (search.postgres.ts `makePartitions`), outside any release's transaction, and one
 * for each past or later year that has gathered `yearMinEntries` entries in the default partition
 * (an archive imported, search.postgres.ts `crowdedYearKeys`). Returns how many partitions it made.
 */
export const prepareIndex = async (db: Kysely<DB>, now: Date, { yearMinEntries = postgres.YEAR_MIN_ENTRIES }: { yearMinEntries?: number } = {}): Promise<number> => {
  if (!onPostgres(db)) return 0;
  const before = await postgres.countPartitions(db);
  await postgres.makePartitions(db, postgres.partitionKeysAhead(now));
  // One year at a time: each move holds the default partition only until its own commit.
  for (const key of await postgres.crowdedYearKeys(db, yearMinEntries)) await postgres.makePartitions(db, [key]);
  return (await postgres.countPartitions(db)) - before;
};

export const insertIndexEntry = async (db: Kysely<DB>, releaseId: number, key: number, d: SearchDocument): Promise<void> => {
  if (onPostgres(db)) {
    await postgres.insertEntry(db, key, d);
    await db.insertInto('releases_fts_keys').values({ release_id: releaseId, key }).execute();
    return;
  }
  await sql`
    insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs)
    values (${rowidOf(key)}, ${d.title}, ${d.subtitle}, ${d.dateline}, ${d.body}, ${d.captions}, ${d.office}, ${d.topics}, ${d.regions}, ${d.facets}, ${d.pairs})
  `.execute(db);
  await sql`insert into releases_fts_titles (rowid, title, subtitle, facets) values (${rowidOf(key)}, ${d.title}, ${d.subtitle}, ${d.facets})`.execute(db);
  await db.insertInto('releases_fts_keys').values({ release_id: releaseId, key }).execute();
};

/** Those of the terms that are in the vocabulary already (search_terms), with their written form (null if unknown). */
export const listKnownTerms = async (db: Kysely<DB>, terms: string[]): Promise<{ term: string; display: string | null }[]> => {
  if (terms.length === 0) return [];
  return db.selectFrom('search_terms').select(['term', 'display']).where('term', 'in', textList(dialectOf(db), terms)).execute();
};

/** Gives terms that have none their written form (`display`); a term that has one keeps it. */
export const fillTermDisplays = async (db: Kysely<DB>, entries: { term: string; display: string }[]): Promise<void> => {
  if (entries.length === 0) return;
  if (onPostgres(db)) {
    await sql`
      update search_terms set display = j.display
      from unnest(${entries.map((e) => e.term)}::text[], ${entries.map((e) => e.display)}::text[]) as j (term, display)
      where search_terms.term = j.term and search_terms.display is null`.execute(db);
    return;
  }
  await sql`
    update search_terms set display = j.display
    from (select json_extract(value, '$[0]') as term, json_extract(value, '$[1]') as display from json_each(${JSON.stringify(entries.map((e) => [e.term, e.display]))})) as j
    where search_terms.term = j.term and search_terms.display is null`.execute(db);
};

/** Adds terms to the vocabulary, each with its variants (search.suggest.ts `deletionVariants`). */
export const insertVocabulary = async (db: Kysely<DB>, entries: { term: string; display: string | null; variants: string[] }[]): Promise<void> => {
  if (entries.length === 0) return;
  const terms = entries.map((e) => [e.term, e.display]);
  const pairs = entries.flatMap((e) => e.variants.map((v) => [v, e.term]));
  if (onPostgres(db)) {
    await sql`
      insert into search_terms (term, display) select * from unnest(${terms.map((t) => t[0])}::text[], ${terms.map((t) => t[1])}::text[])
      on conflict do nothing`.execute(db);
    await sql`
      insert into search_term_variants (variant, term) select * from unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[])
      on conflict do nothing`.execute(db);
    return;
  }
  await sql`
    insert or ignore into search_terms (term, display)
    select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${JSON.stringify(terms)})`.execute(db);
  await sql`
    insert or ignore into search_term_variants (variant, term)
    select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${JSON.stringify(pairs)})`.execute(db);
};

/** How a vocabulary term is shown (its first written form), or the term itself where none is known. */
export const findTermDisplay = async (db: Kysely<DB>, term: string): Promise<string> =>
  (await db.selectFrom('search_terms').select('display').where('term', '=', term).executeTakeFirst())?.display ?? term;

/** The vocabulary terms stored under any of these variants, each once. */
export const listTermsUnderVariants = async (db: Kysely<DB>, variants: string[]): Promise<string[]> => {
  if (variants.length === 0) return [];
  const rows = await db.selectFrom('search_term_variants').select('term').distinct().where('variant', 'in', textList(dialectOf(db), variants)).execute();
  return rows.map((r) => r.term);
};

/** Ids of the releases of an office public at `now`, to reindex them after the office is renamed. */
export const listIndexedReleaseIdsOfOffice = async (db: Kysely<DB>, officeId: number, now: string): Promise<number[]> =>
  (await db.selectFrom('releases').select('id').where('office_id', '=', officeId).where((eb) => isPublicAt(eb, now)).execute()).map((r) => r.id);

/**
 * Up to `limit` words of the index starting with `prefix`. Steps from term to term through the
 * instance vocabulary (each step reads one row), so a common term costs no more than a rare one.
 * Word pairs (`radweg_an`, see search.text.ts `wordPairs`) sort right after their first word; a
 * step that lands on one jumps past all pairs of that word (`_` + 1 is a backtick), so a word's
 * hundreds of pairs cost one step and are never returned.
 */
export const listTermsWithPrefix = async (db: Kysely<DB>, prefix: string, limit: number): Promise<string[]> => {
  const end = `${prefix}\uffff`;
  const { rows } = await sql<{ term: string }>`
    with recursive t(term, n) as (
      select (select term from releases_fts_terms where term >= ${prefix} and term < ${end} limit 1), 0
      union all
      select (
        select term from releases_fts_terms
        where term >= (case when instr(t.term, '_') > 0 then substr(t.term, 1, instr(t.term, '_') - 1) || '\x60' else t.term || char(1) end)
          and term < ${end} limit 1
      ), n + (instr(t.term, '_') = 0) from t
      where t.term is not null and n < ${limit}
    )
    select term from t where term is not null and instr(term, '_') = 0 limit ${limit}`.execute(db);
  return rows.map((r) => r.term);
};

/** How many releases each term occurs in, counted up to `cap + 1` (so a common word costs little). */
export const countTermDocs = async (db: Kysely<DB>, terms: string[], cap: number): Promise<Map<string, number>> => {
  if (terms.length === 0) return new Map();
  if (onPostgres(db)) return postgres.countTermDocs(db, terms, cap);
  const counts = terms.map((t) => sql`(select count(*) from (select 1 from releases_fts where releases_fts match ${`"${t}"`} limit ${cap + 1}))`);
  const { rows } = await sql<Record<string, number>>`select ${sql.join(counts.map((c, i) => sql`${c} as ${sql.ref(`n${i}`)}`))}`.execute(db);
  const row = rows[0] ?? {};
  return new Map(terms.map((t, i) => [t, Number(row[`n${i}`] ?? 0)]));
};

export const countIndexEntries = async (db: Kysely<DB>): Promise<number> =>
  onPostgres(db) ? postgres.countEntries(db) : Number((await sql<{ n: number }>`select count(*) as n from releases_fts`.execute(db)).rows[0]?.n ?? 0);

/** A rowid (index key) range, both ends inclusive; see search.keys.ts. */
export interface KeyRange {
  low?: number;
  high?: number;
}

const inRange = (r: KeyRange): RawBuilder<unknown> =>
  sql.join([sql`1`, ...(r.low !== undefined ? [sql`rowid >= ${rowidOf(r.low)}`] : []), ...(r.high !== undefined ? [sql`rowid <= ${rowidOf(r.high)}`] : [])], sql` and `);

/**
 * The newest `limit` entries matching, by key, newest first: FTS5 reads its lists forwards (keys
 * ascend from the newest date, search.keys.ts) and stops there, so a word in a million releases
 * costs about as much as one in ten thousand.
 */
export const listCandidates = async (db: Kysely<DB>, match: string, range: KeyRange, limit: number): Promise<number[]> => {
  if (onPostgres(db)) return postgres.listCandidates(db, match, range, limit);
  const { rows } = await sql<{ key: number }>`
    select rowid as key from releases_fts where releases_fts match ${match} and ${inRange(range)}
    order by rowid limit ${limit}`.execute(db);
  return rows.map((r) => r.key);
};

/**
 * bm25 weights in column order: title, subtitle, dateline, body, captions, office, topics,
 * regions, facets, pairs. Title and subtitle count most; the body least (it is long and says
 * everything); a two-word phrase, searched as its word pair, counts as much as a body word.
 */
const BM25 = sql`bm25(releases_fts, 10.0, 5.0, 2.0, 1.0, 1.5, 2.0, 3.0, 3.0, 0.0, 1.0)`;

/**
 * bm25 scores (lower is better) of the entries matching in a key range: the range of the
 * candidates, so only they are scored. FTS5 still reads each phrase's whole list once to weigh it.
 * `keys`, the candidates themselves, are what PostgreSQL scores instead of the range (search.postgres.ts).
 */
export const scoreEntries = async (db: Kysely<DB>, match: string, range: Required<KeyRange>, keys?: readonly number[]): Promise<Map<number, number>> => {
  if (onPostgres(db)) return postgres.scoreEntries(db, match, range, keys);
  const { rows } = await sql<{ key: number; score: number }>`
    select rowid as key, ${BM25} as score from releases_fts where releases_fts match ${match} and ${inRange(range)}`.execute(db);
  return new Map(rows.map((r) => [r.key, r.score]));
};

/**
 * Keys (ascending: newest first) of the entries of releases_fts_titles matching `match` in a key
 * range, at most `limit` (FTS5 stops there). This index holds only title, subtitle and facets, so its
 * word lists are a small part of the full index's (for the title tier of a broad query). With
 * `keys`, PostgreSQL looks only at those entries (search.postgres.ts); FTS5 reads the range.
 */
export const listTitleMatches = async (db: Kysely<DB>, match: string, range: Required<KeyRange>, limit?: number, keys?: readonly number[]): Promise<number[]> => {
  if (onPostgres(db)) return postgres.listTitleMatches(db, match, range, limit, keys);
  const { rows } = await sql<{ key: number }>`
    select rowid as key from releases_fts_titles where releases_fts_titles match ${match} and ${inRange(range)}
    order by rowid ${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
  return rows.map((r) => r.key);
};

/** Whether a release is public at `now` (release.ts `isPublicAt`). */
export const isReleasePublic = async (db: Kysely<DB>, releaseId: number, now: string): Promise<boolean> =>
  (await db.selectFrom('releases').select('id').where('id', '=', releaseId).where((eb) => isPublicAt(eb, now)).executeTakeFirst()) !== undefined;

/**
 * Whether one release's index entry matches a MATCH expression, within a key range: the search
 * restricted to that entry (FTS5 seeks to it in each term's list). For e-mail alerts.
 */
export const releaseMatches = async (db: Kysely<DB>, match: string, range: KeyRange, releaseId: number): Promise<boolean> => {
  const key = await findIndexKey(db, releaseId);
  if (key === undefined || (range.low !== undefined && key < range.low) || (range.high !== undefined && key > range.high)) return false;
  if (onPostgres(db)) return postgres.entryMatches(db, match, key);
  const { rows } = await sql<{ one: number }>`
    select 1 as one from releases_fts where releases_fts match ${match} and releases_fts.rowid = ${rowidOf(key)}`.execute(db);
  return rows.length > 0;
};
