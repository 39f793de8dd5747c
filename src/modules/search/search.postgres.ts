// The search index on PostgreSQL: what releases_fts and releases_fts_titles are on SQLite, as a
// table of tsvectors (`release_search`) with GIN indexes. search.repository.ts hands its index
// functions here when the database is PostgreSQL, so the service, the query language and the keys
// (search.keys.ts) are the same on both.
//
// The index holds the tokens search.text.ts made, not PostgreSQL's: the tsvector is written as a
// literal (`'radweg':1A,7 …`) and queries as tsquery literals, and neither goes through a text
// search parser, which would split `radweg_an` or `_o12` and fold words its own way. So folding,
// word pairs and facet tokens work as on SQLite, and no text search configuration is needed.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/database.ts';
import { KEY_SPAN, searchKey } from './search.keys.ts';
import type { SearchDocument } from './search.text.ts';

/** tsvector positions end at 16,383; later words share the last position (phrases there may miss). */
const MAX_POSITION = 16_383;
/** PostgreSQL keeps at most 256 positions of a lexeme; more add nothing to matching. */
const MAX_POSITIONS = 255;
/** PostgreSQL refuses a lexeme of 2,048 bytes or more (and the whole release with it): such a "word" is left out. */
const MAX_LEXEME_BYTES = 2047;

type Weight = 'A' | 'B' | 'C' | 'D';

const lexeme = (token: string): string => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * A tsvector literal of texts of space-separated tokens, each text with its weight. A position is
 * left free between two texts, so no phrase reaches from one into the next (as FTS5's columns).
 */
export const tsvectorLiteral = (texts: readonly (readonly [string, Weight])[]): string => {
  const positions = new Map<string, string[]>();
  let position = 1;
  for (const [text, weight] of texts) {
    for (const token of text.split(' ')) {
      if (token === '') continue;
      if (Buffer.byteLength(token) > MAX_LEXEME_BYTES) {
        position++; // its place stays, so no phrase reaches across it
        continue;
      }
      const list = positions.get(token) ?? [];
      if (list.length < MAX_POSITIONS) list.push(`${Math.min(position, MAX_POSITION)}${weight === 'D' ? '' : weight}`);
      positions.set(token, list);
      position++;
    }
    position++;
  }
  return [...positions].map(([token, list]) => `${lexeme(token)}:${list.join(',')}`).join(' ');
};

/** Days in a week token's period: `_w<n>` is days 7n to 7n + 6 after 1970-01-01. */
const WEEK_DAYS = 7;

/** The week of a key (search.keys.ts: key = −(day × 2^32 + id)), as its week token counts it. */
const weekOf = (key: number): number => Math.floor(Math.floor(-key / KEY_SPAN) / WEEK_DAYS);

/** The week token of a key. */
export const weekToken = (key: number): string => `_w${weekOf(key)}`;

/**
 * The document of an entry: its texts as below, and its week token (`_w2970`) without a position.
 * The week token is what makes a window of days cheap (listCandidates): GIN answers `polizei &
 * (_w2969 | _w2970)` from the week's short posting list, looking up only those rows in the word's
 * long one, instead of decoding all of the word's rows to AND them with the key range.
 */
const documentOf = (d: SearchDocument, key: number): string => `${documentTexts(d)} ${lexeme(weekToken(key))}`;

/**
 * Weights as bm25's column weights on SQLite (search.repository.ts): title A, subtitle, topics and
 * regions B, dateline, captions and office C, the body D. Facet tokens are D as well. The short
 * texts come first and the body last, so a body longer than the positions a tsvector has
 * (MAX_POSITION) can only crowd its own end, never a caption, topic or facet token.
 *
 * No word pairs (`neue_zahlen`, search.text.ts) in the document: a tsvector matches phrases by
 * positions (`<->`), and the service asks PostgreSQL the expression with phrases as phrases
 * (search.service.ts `parse`). Without them a document is half the size, and reading it
 * (detoasting) is most of what a search costs here. The pairs are a column of their own (`pairs`,
 * made from the document's positions by the database, `pairsQueryOf`), which only narrows a phrase
 * search down to the entries worth reading.
 */
const documentTexts = (d: SearchDocument): string =>
  tsvectorLiteral([
    [d.title, 'A'],
    [d.subtitle, 'B'],
    [d.dateline, 'C'],
    [d.captions, 'C'],
    [d.office, 'C'],
    [d.topics, 'B'],
    [d.regions, 'B'],
    [d.facets, 'D'],
    [d.body, 'D'],
  ]);

/** Title, subtitle and facets, and the week token as in `documentOf` (the title tiers read windows of days too). */
const titlesOf = (d: SearchDocument, key: number): string =>
  `${tsvectorLiteral([
    [d.title, 'A'],
    [d.subtitle, 'B'],
    [d.facets, 'D'],
  ])} ${lexeme(weekToken(key))}`;

/** The two tsvector literals of an entry (`document`, `titles`), for a bulk load (bench/postgres.ts). */
export const entryTexts = (d: SearchDocument, key: number): { document: string; titles: string } => ({ document: documentOf(d, key), titles: titlesOf(d, key) });

/** ts_rank's weights for D, C, B, A. */
const RANK_WEIGHTS = sql.lit('{0.1, 0.2, 0.5, 1.0}');

// --- the MATCH expressions of search.query.ts as tsquery ---

class MatchSyntaxError extends Error {}

type Node = { kind: 'phrase'; tokens: string[]; prefix: boolean } | { kind: 'and' | 'or'; parts: Node[] } | { kind: 'not'; keep: Node; drop: Node };

/** Parses a MATCH expression made by search.query.ts: quoted phrases, `*` after a phrase, AND, OR, NOT, brackets. */
const parseMatch = (match: string): Node => {
  let i = 0;
  const skipSpace = () => {
    while (match[i] === ' ') i++;
  };
  const keyword = (word: string): boolean => {
    skipSpace();
    if (match.startsWith(word, i) && (match[i + word.length] === ' ' || match[i + word.length] === '(' || match[i + word.length] === '"')) {
      i += word.length;
      return true;
    }
    return false;
  };
  const primary = (): Node => {
    skipSpace();
    if (match[i] === '(') {
      i++;
      const inner = or();
      skipSpace();
      if (match[i] !== ')') throw new MatchSyntaxError(`")" expected at ${i} in ${match}`);
      i++;
      return inner;
    }
    if (match[i] !== '"') throw new MatchSyntaxError(`a phrase expected at ${i} in ${match}`);
    let text = '';
    i++;
    for (;;) {
      if (i >= match.length) throw new MatchSyntaxError(`unclosed phrase in ${match}`);
      if (match[i] === '"') {
        if (match[i + 1] === '"') {
          text += '"';
          i += 2;
          continue;
        }
        i++;
        break;
      }
      text += match[i++];
    }
    const prefix = match[i] === '*';
    if (prefix) i++;
    const tokens = text.split(' ').filter(Boolean);
    if (tokens.length === 0) throw new MatchSyntaxError(`empty phrase in ${match}`);
    return { kind: 'phrase', tokens, prefix };
  };
  const not = (): Node => {
    let left = primary();
    while (keyword('NOT')) left = { kind: 'not', keep: left, drop: primary() };
    return left;
  };
  const and = (): Node => {
    const parts = [not()];
    while (keyword('AND')) parts.push(not());
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };
  const or = (): Node => {
    const parts = [and()];
    while (keyword('OR')) parts.push(and());
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  };
  const tree = or();
  skipSpace();
  if (i !== match.length) throw new MatchSyntaxError(`unexpected text at ${i} in ${match}`);
  return tree;
};

const phraseQuery = (node: Extract<Node, { kind: 'phrase' }>): string => {
  const terms = node.tokens.map((token, n) => `${lexeme(token)}${node.prefix && n === node.tokens.length - 1 ? ':*' : ''}`);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' <-> ')})`;
};

/**
 * Turns a MATCH expression made by search.query.ts (user text never reaches it unquoted) into a
 * tsquery literal: a phrase is its tokens joined by `<->`, a prefix is `:*` on the phrase's last
 * token, `a NOT b` is `a & !b`.
 */
export const tsqueryOf = (match: string): string => {
  const render = (node: Node): string => {
    if (node.kind === 'phrase') return phraseQuery(node);
    if (node.kind === 'not') return `${node.keep.kind === 'or' ? `(${render(node.keep)})` : render(node.keep)} & !${node.drop.kind === 'phrase' ? render(node.drop) : `(${render(node.drop)})`}`;
    const parts = node.parts.map((part) => (part.kind === 'phrase' ? render(part) : `(${render(part)})`));
    return parts.join(node.kind === 'and' ? ' & ' : ' | ');
  };
  return render(parseMatch(match));
};

/**
 * The query a match is ranked by: its wanted words and phrases, any of them (`|`), without the
 * excluded ones and the facet tokens. Every ranked entry matched the whole expression already;
 * ts_rank of an AND weighs how near the words stand to each other (and to a facet token at the end
 * of the entry) more than where they stand, so a word in the title would count less than in the body.
 * Null when nothing is left to rank by.
 */
export const rankQueryOf = (match: string): string | null => {
  const wanted: string[] = [];
  const collect = (node: Node): void => {
    if (node.kind === 'phrase') {
      if (!node.tokens[0]!.startsWith('_')) wanted.push(phraseQuery(node));
    } else if (node.kind === 'not') collect(node.keep);
    else node.parts.forEach(collect);
  };
  collect(parseMatch(match));
  return wanted.length === 0 ? null : [...new Set(wanted)].join(' | ');
};

/** A word pair as the `pairs` column holds it (migration 0176 `release_search_pairs`); null when too long to be one. */
const pairLexeme = (first: string, next: string, prefix: boolean): string | null =>
  Buffer.byteLength(first) + Buffer.byteLength(next) < MAX_LEXEME_BYTES ? `${lexeme(`${first}_${next}`)}${prefix ? ':*' : ''}` : null;

/**
 * What every entry matching a MATCH expression must hold in its `pairs` (the words standing next to
 * each other, migration 0176): the pairs of each phrase the expression requires, as a tsquery; null
 * when it requires no phrase of two words or more. `"neue zahlen" radweg` requires `'neue_zahlen'`,
 * `"a b c" OR "d e"` requires `('a_b' & 'b_c') | 'd_e'`, an excluded phrase nothing. GIN answers it
 * from the pairs' short lists, so only the entries holding the pairs are read to check the
 * phrases' positions, not every entry holding their words.
 */
export const pairsQueryOf = (match: string): string | null => {
  const required = (node: Node): string | null => {
    if (node.kind === 'phrase') {
      const pairs: string[] = [];
      for (let n = 1; n < node.tokens.length; n++) {
        const pair = pairLexeme(node.tokens[n - 1]!, node.tokens[n]!, node.prefix && n === node.tokens.length - 1);
        if (pair !== null) pairs.push(pair);
      }
      return pairs.length === 0 ? null : pairs.length === 1 ? pairs[0]! : `(${pairs.join(' & ')})`;
    }
    if (node.kind === 'not') return required(node.keep);
    const parts = node.parts.map(required);
    if (node.kind === 'and') {
      const some = parts.filter((part): part is string => part !== null);
      return some.length === 0 ? null : some.length === 1 ? some[0]! : `(${some.join(' & ')})`;
    }
    return parts.some((part) => part === null) ? null : `(${parts.join(' | ')})`;
  };
  return required(parseMatch(match));
};

const query = (match: string): RawBuilder<unknown> => sql`${tsqueryOf(match)}::tsquery`;

/** The condition on `pairs` of a match (see pairsQueryOf), or nothing. */
const pairsCondition = (match: string): RawBuilder<unknown> => {
  const pairs = pairsQueryOf(match);
  return pairs === null ? sql`` : sql` and pairs @@ ${pairs}::tsquery`;
};

export interface KeyRange {
  low?: number;
  high?: number;
}

const inRange = (r: KeyRange): RawBuilder<unknown> =>
  sql.join([sql`true`, ...(r.low !== undefined ? [sql`key >= ${r.low}`] : []), ...(r.high !== undefined ? [sql`key <= ${r.high}`] : [])], sql` and `);

// --- writing ---

/**
 * Makes the partitions the keys fall in, where missing, moving their years' rows out of the default
 * partition (`release_search_partition_for`, migrations 0177 and 0178). Called by the
 * `search-partitions` job for this year and the next (`partitionKeysAhead`) and crowded years
 * (`crowdedYearKeys`), never inside a release's transaction: a new partition locks the default
 * partition until its transaction ends, and two saves that each made one deadlocked (issue 18).
 * A release of another year (an old release imported, a date years ahead)
 * is written to the default partition instead (`insertEntry`, which waits for a making of its year).
 */
export const makePartitions = async (db: Kysely<DB>, keys: readonly number[]): Promise<void> => {
  await sql`select release_search_partition_for(k) from unnest(${[...keys]}::bigint[]) as k`.execute(db);
};

export const countPartitions = async (db: Kysely<DB>): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from pg_inherits where inhparent = 'release_search'::regclass`.execute(db)).rows[0]?.n ?? 0);

/**
 * Entries of one year in the default partition from which the `search-partitions` job gives the
 * year a partition of its own. An archive imported (`herold import` of old releases) would otherwise
 * leave every past year in the default partition, whose one GIN index every search reads whatever
 * its date window; a few releases of odd years stay there rather than each making a partition, as
 * every partition adds to the planning of a search over all years.
 */
export const YEAR_MIN_ENTRIES = 1000;

/**
 * A key of each year with at least `minEntries` entries in the default partition, newest year
 * first. The job runs daily: counting reads the default partition's key index once.
 */
export const crowdedYearKeys = async (db: Kysely<DB>, minEntries: number): Promise<number[]> =>
  (
    await sql<{ key: number }>`select max(key) as key from release_search_default
      group by release_search_year(key) having count(*) >= ${minEntries} order by release_search_year(key) desc`.execute(db)
  ).rows.map((r) => Number(r.key));

/** A key in this year and one in the next, for the `search-partitions` job. */
export const partitionKeysAhead = (now: Date): number[] => [0, 1].map((ahead) => searchKey(`${now.getUTCFullYear() + ahead}-01-01`, 0));

/**
 * Writes an entry: into its year's partition, or the default partition for a year without one (see
 * makePartitions). For a year without a partition it takes the default partition in ROW EXCLUSIVE
 * mode first, as the insert would: while the `search-partitions` job makes that year (holding the
 * default partition), the insert was routed to the default partition before it waited, and once
 * the job had committed the row broke the default partition's new constraint and failed the save.
 * Waiting before the insert is planned, it finds the new partition. An entry of a year with a
 * partition (partitions are never detached) neither waits for the job nor holds it up, and writers
 * do not wait for each other in this mode. One round trip either way: the key is a number made
 * here, not input; its partition's name is migration 0178's `release_search_partition_name`.
 */
export const insertEntry = async (db: Kysely<DB>, key: number, d: SearchDocument): Promise<void> => {
  if (!db.isTransaction) return db.transaction().execute((trx) => insertEntry(trx, key, d));
  await sql`do $$ begin
    if to_regclass(release_search_partition_name(${sql.lit(key)})) is null then lock table release_search_default in row exclusive mode; end if;
  end $$`.execute(db);
  await sql`insert into release_search (key, document, titles, pairs)
    select ${key}, document, ${titlesOf(d, key)}::tsvector, release_search_pairs(document) from (select ${documentOf(d, key)}::tsvector as document) as entry`.execute(db);
};

/**
 * Takes an entry out. A delete planned while the `search-partitions` job was moving the entry's year
 * out of the default partition (makePartitions) waits for the job and then finds the entry gone
 * from where it was planned to look: it deletes nothing, and the entry would stay in its new
 * partition. Deleting nothing, it asks once more, planned anew with the new partition.
 */
export const deleteEntry = async (db: Kysely<DB>, key: number): Promise<void> => {
  const { numAffectedRows } = await sql`delete from release_search where key = ${key}`.execute(db);
  if (!numAffectedRows) await sql`delete from release_search where key = ${key}`.execute(db);
};

// --- reading ---

/**
 * Runs `work` with bitmap scans only, so a query with a GIN condition and a key range ANDs the two
 * indexes and reads only the matching rows of the range. Left alone, the planner walks the key
 * index and checks each row's document: it prices that check as cheap, but each one detoasts a
 * document of some kilobytes, and for a word in one release of fifty that read 50,000 documents for
 * 1,000 matches. `work` makes the settings itself, with `settings` among the columns of its first
 * statement: a statement is planned before it runs, so that one is still planned with every kind
 * of scan, and no round trip of its own is spent on them. They last until the transaction ends; in
 * a caller's transaction they are put back after `work`.
 */
const withBitmapScans = async <T>(db: Kysely<DB>, work: (trx: Kysely<DB>, settings: RawBuilder<unknown>) => Promise<T>): Promise<T> => {
  const settings = sql`set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)`;
  if (!db.isTransaction) return db.transaction().execute((trx) => work(trx, settings));
  const result = await work(db, settings);
  await sql`select set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)`.execute(db);
  return result;
};

export const countEntries = async (db: Kysely<DB>): Promise<number> => Number((await sql<{ n: number }>`select count(*) as n from release_search`.execute(db)).rows[0]?.n ?? 0);

/**
 * How many entries each term occurs in, counted up to `cap + 1`: from the GIN index, which answers a
 * single term without reading a document (a bitmap scan stops at the limit).
 */
export const countTermDocs = async (db: Kysely<DB>, terms: string[], cap: number): Promise<Map<string, number>> =>
  withBitmapScans(db, async (trx, settings) => {
    await sql`select ${settings}`.execute(trx);
    const counts = new Map<string, number>();
    for (const term of terms) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from release_search where document @@ ${lexeme(term)}::tsquery limit ${cap + 1}) as hits`.execute(trx);
      counts.set(term, Number(rows[0]?.n ?? 0));
    }
    return counts;
  });

/** The first window of days listCandidates reads. */
const FIRST_WINDOW_DAYS = 8;
/** A window of at most this many weeks is asked with its week tokens; a longer one without (an OR of many short lists costs more than it saves). */
const MAX_WEEK_TOKENS = 16;

/**
 * The query of a window of keys `low` to `high` (inclusive): the match, and, for a window of a few
 * weeks, one of the window's week tokens (see documentOf; titles have theirs too), which every entry
 * of the window has.
 */
const windowQuery = (match: string, low: number, high: number): RawBuilder<unknown> => {
  const newestWeek = weekOf(low);
  const oldestWeek = weekOf(high);
  if (newestWeek - oldestWeek + 1 > MAX_WEEK_TOKENS) return query(match);
  const weeks: string[] = [];
  for (let week = oldestWeek; week <= newestWeek; week++) weeks.push(lexeme(`_w${week}`));
  return sql`${`(${tsqueryOf(match)}) & (${weeks.join(' | ')})`}::tsquery`;
};
/** How much more than the matches still wanted a window is sized for, at the rate seen so far. */
const WINDOW_MARGIN = 1.5;

/**
 * The newest `limit` entries matching (ascending keys are the newest first, search.keys.ts). A GIN
 * index knows which rows match, not in which order: asking it for all of a common word's matches
 * reads half the table. So the keys are read in windows of release days, newest first: the first
 * of FIRST_WINDOW_DAYS, each next one as long as the matches found so far per day say it takes to
 * find the rest (and at least twice as long as the one before), until `limit` are found or the
 * range ends. A common word stops in the first days; a rare one soon asks for the rest of the
 * range at once. A window of a few weeks is asked with its week tokens (`windowQuery`), so GIN
 * reads the weeks' short lists and looks up only their rows in a common word's long one; a longer
 * window reads the GIN indexes of its years only (the table is partitioned by year, migration
 * 0176). Before both, at a million releases, a common word's whole list was decoded again for each
 * window: 16 ms a window, now under 1 ms.
 */
export const listCandidates = async (db: Kysely<DB>, match: string, range: KeyRange, limit: number): Promise<number[]> =>
  withBitmapScans(db, async (trx, settings) => {
    // The ends of the range from the key index (planned before the settings, which would read the table for them).
    const { rows: span } = await sql<{ newest: number | null; oldest: number | null }>`
      select min(key) as newest, max(key) as oldest, ${settings} from release_search where ${inRange(range)}`.execute(trx);
    const newest = span[0]?.newest;
    const oldest = span[0]?.oldest;
    if (newest === null || newest === undefined || oldest === null || oldest === undefined) return [];
    const keys: number[] = [];
    let low = Number(newest);
    for (let days = FIRST_WINDOW_DAYS; keys.length < limit; ) {
      // The last window reaches to the oldest entry of the range (inclusive).
      const last = low + days * KEY_SPAN > Number(oldest);
      const high = last ? Number(oldest) : low + days * KEY_SPAN - 1;
      const { rows } = await sql<{ key: number }>`
        select key from release_search where document @@ ${windowQuery(match, low, high)}${pairsCondition(match)} and key >= ${low} and key <= ${high}
        order by key limit ${limit - keys.length}`.execute(trx);
      for (const row of rows) keys.push(Number(row.key));
      if (last) break;
      low += days * KEY_SPAN;
      const perDay = Math.max(rows.length, 1) / days;
      days = Math.max(days * 2, Math.ceil(((limit - keys.length) / perDay) * WINDOW_MARGIN));
    }
    return keys;
  });

/**
 * Scores (lower is better, as bm25's) of the entries matching in a key range, or of just the
 * entries `keys` (all of them matching), which reads those rows and nothing else.
 */
export const scoreEntries = async (db: Kysely<DB>, match: string, range: Required<KeyRange>, keys?: readonly number[]): Promise<Map<number, number>> => {
  const rank = rankQueryOf(match);
  if (rank === null) return new Map();
  const { rows } = await sql<{ key: number; score: number }>`
    select key, -ts_rank(${RANK_WEIGHTS}, document, ${rank}::tsquery) as score from release_search
    where ${inRange(range)} and ${keys === undefined ? sql`document @@ ${query(match)}` : sql`key = any(${[...keys]}::bigint[])`}`.execute(db);
  return new Map(rows.map((r) => [Number(r.key), Number(r.score)]));
};

/**
 * Keys of the entries whose title, subtitle or facets match, in a key range (or among `keys`),
 * newest first. The titles are short and stored in the row, so checking them is cheap. The `keys`
 * are taken here, not sent: a list of a thousand keys in the statement cost more to plan (2 ms)
 * than the whole search of the titles of their range.
 */
export const listTitleMatches = async (db: Kysely<DB>, match: string, range: Required<KeyRange>, limit?: number, keys?: readonly number[]): Promise<number[]> => {
  const { rows } = await sql<{ key: number }>`
    select key from release_search where titles @@ ${windowQuery(match, range.low, range.high)} and ${inRange(range)}
    order by key ${limit === undefined || keys !== undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
  if (keys === undefined) return rows.map((r) => Number(r.key));
  const among = new Set(keys);
  return rows
    .map((r) => Number(r.key))
    .filter((key) => among.has(key))
    .slice(0, limit);
};

export const entryMatches = async (db: Kysely<DB>, match: string, key: number): Promise<boolean> =>
  (await sql`select 1 as one from release_search where key = ${key} and document @@ ${query(match)}`.execute(db)).rows.length > 0;
