// Search across all offices: parses the user's text, checks the filters, queries the index and
// returns release summaries with highlighted snippets. One entry point, `search(query, filters,
// options)`, serves the search page and is meant to serve search feeds and e-mail alerts too.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';
import type { Clock } from '../../lib/clock.ts';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { findOfficeBySlug } from '../offices/offices.repository.ts';
import { findTermByOldSlug, findTermBySlug } from '../taxonomies/taxonomies.repository.ts';
import type { ReleaseCard, ReleasesService } from '../releases/releases.service.ts';
import * as repo from './search.repository.ts';
import { keyRange, releaseIdOfKey } from './search.keys.ts';
import { combineMatch, EVERY_ENTRY, facetExpression, facetTokensOf, parseQuery, type Expansions, type FacetFilter, type ParsedQuery, type QueryHint } from './search.query.ts';
import { highlight, snippet, type HighlightTerm } from './search.text.ts';
import { FEW_MATCHES, suggestQuery } from './search.suggest.ts';
import { decodeFollowedSearch, encodeFollowedSearch, MAX_TARGET_LENGTH, type AppliedFilters, type FollowedSearch } from './search.follow.ts';

export type SearchSort = 'relevance' | 'date';

/** Filters as they come from a URL: slugs and `YYYY-MM-DD` dates; anything may be missing or wrong. */
export interface SearchFilters {
  offices?: string[];
  topic?: string;
  region?: string;
  /** First release date, inclusive. */
  from?: string;
  /** Last release date, inclusive. */
  to?: string;
  language?: string;
}

export interface SearchOptions {
  /** 1-based. */
  page?: number;
  /** Hits per page (default 20, at most 100). */
  limit?: number;
  /** Default: relevance with text, date without. */
  sort?: string;
  /** Only releases after this key in date order (the API's cursor; a key is search.keys.ts `searchKey`). */
  afterKey?: number;
  /** Overrides BM25_BUDGET (tests use 0 to see the tier ranking on a small fixture). */
  bm25Budget?: number;
  /** Overrides TITLE_PROBE (tests use 1 to take the way of a broad query on a small fixture). */
  titleProbe?: number;
}

export type FilterHint = 'unknownOffice' | 'unknownTopic' | 'unknownRegion' | 'invalidFrom' | 'invalidTo' | 'invalidLanguage' | 'invalidSort' | 'dateOrder';
export type SearchHint = QueryHint | FilterHint;

export type { AppliedFilters };

/** A result: the release as a list shows it (its body only as the snippet). */
export interface SearchHit extends Omit<ReleaseCard, 'bodyText'> {
  /** The title, escaped, with matched words in <mark>. */
  titleHtml: SafeHtml;
  /** A passage of the body around the matches, escaped, with matched words in <mark>. */
  snippetHtml: SafeHtml;
}

export interface SearchResult {
  query: string;
  filters: AppliedFilters;
  sort: SearchSort;
  /** False when neither text nor a filter was given: nothing was searched. */
  searched: boolean;
  items: SearchHit[];
  /** Exact up to COUNT_CAP; `totalIsCapped` says when there are more. */
  total: number;
  totalIsCapped: boolean;
  page: number;
  pages: number;
  perPage: number;
  hints: SearchHint[];
  /**
   * "Meinten Sie …?": the query with misspelt words replaced by near words of the index, for a
   * search with no or few matches (search.suggest.ts); it finds at least one release with the same
   * filters. Null when there is none.
   */
  suggestion: string | null;
}

export const PER_PAGE = 20;
/** A prefix with more index terms than this stays a prefix query. */
const MAX_EXPANSION = 60;
/**
 * bm25 needs the number of matching releases of every phrase, which FTS5 counts by reading the
 * phrase's whole list on every search: fine for specific words, too slow for a word in a good part
 * of a million releases. Above this many listed releases (summed over all phrases and facets) the
 * ranking is by tiers instead: the text in title or subtitle first, then the rest, each newest first.
 */
const BM25_BUDGET = 2_000;
/**
 * On PostgreSQL, up to this many candidates are ranked by ts_rank, which reads each one's whole
 * document; more are ranked in the same tiers (the titles are stored in the row, cheap to check).
 */
const POSTGRES_RANKED = 300;
/**
 * The title tier first asks the title index for the title text alone, up to this many entries: a
 * specific query has fewer in the candidates' range, and then these are all there are.
 */
const TITLE_PROBE = 200;
/** Facts about the index kept between searches (until the content changes), at most this many. */
const INDEX_FACTS_MAX = 20_000;
/** Counting stops here: beyond it the page says "more than 1,000" and asks to narrow the search. */
export const COUNT_CAP = 1000;
/** The newest matches a search reads: enough to count to COUNT_CAP and know there are more. */
const CANDIDATES = COUNT_CAP + 1;

const isDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

/** Applied filters back in the form `search` takes. */
const toSearchFilters = (f: AppliedFilters): SearchFilters => ({
  offices: f.offices,
  ...(f.topic ? { topic: f.topic } : {}),
  ...(f.region ? { region: f.region } : {}),
  ...(f.from ? { from: f.from } : {}),
  ...(f.to ? { to: f.to } : {}),
  ...(f.language ? { language: f.language } : {}),
});

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

export interface SearchServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  releases: Pick<ReleasesService, 'publicCardsByIds' | 'contentVersion'>;
}

export const createSearchService = ({ db, clock, releases }: SearchServiceDeps) => {
  /**
   * On PostgreSQL a prefix stays a prefix (`radweg:*`, which its GIN index answers directly): the
   * expansion into exact terms is a way around a cost of FTS5. Ranking reads the candidates' rows
   * themselves (search.postgres.ts): ts_rank for up to POSTGRES_RANKED of them, the title tiers
   * beyond, as each ts_rank reads a whole document.
   */
  const onPostgres = dialectOf(db) === 'postgres';
  /**
   * The query parsed for this database. PostgreSQL's index holds no word pairs (search.postgres.ts):
   * its phrases match by positions, so it is asked the expression with phrases as phrases.
   */
  const parse = (query: string, expansions?: Expansions): ParsedQuery => {
    const parsed = parseQuery(query, expansions);
    return onPostgres ? { ...parsed, match: parsed.plainMatch } : parsed;
  };
  /**
   * What the index says about words, which only a change of the content can change: the exact terms
   * of a prefix, and in how many releases a term occurs (counted up to BM25_BUDGET + 1). Common
   * words are looked up by every search for them; like a search engine's term statistics, they are
   * read once per content version.
   */
  const facts = { version: -1, expansions: new Map<string, string[]>(), termDocs: new Map<string, number>() };
  const indexFacts = async () => {
    const version = await releases.contentVersion();
    if (version !== facts.version || facts.expansions.size + facts.termDocs.size > INDEX_FACTS_MAX) {
      facts.version = version;
      facts.expansions.clear();
      facts.termDocs.clear();
    }
    return facts;
  };
  const termsWithPrefix = async (prefix: string): Promise<string[]> => {
    const { expansions } = await indexFacts();
    let terms = expansions.get(prefix);
    if (!terms) {
      terms = await repo.listTermsWithPrefix(db, prefix, MAX_EXPANSION + 1);
      expansions.set(prefix, terms);
    }
    return terms;
  };
  const countTermDocs = async (terms: string[]): Promise<Map<string, number>> => {
    const { termDocs } = await indexFacts();
    const missing = terms.filter((t) => !termDocs.has(t));
    for (const [term, n] of await repo.countTermDocs(db, missing, BM25_BUDGET)) termDocs.set(term, n);
    return new Map(terms.map((t) => [t, termDocs.get(t)!]));
  };

  /** Turns URL filters into ids; unknown or malformed values are dropped with a hint. */
  const resolveFilters = async (filters: SearchFilters, hints: SearchHint[]) => {
    const applied: AppliedFilters = { offices: [], topic: null, region: null, from: null, to: null, language: null };
    const officeIds: number[] = [];
    for (const slug of new Set((filters.offices ?? []).map((s) => s.trim()).filter(Boolean))) {
      const office = SLUG.test(slug) ? await findOfficeBySlug(db, slug) : undefined;
      if (office) {
        officeIds.push(office.id);
        applied.offices.push(office.slug);
      } else if (!hints.includes('unknownOffice')) hints.push('unknownOffice');
      if (applied.offices.length >= 20) break;
    }
    const term = async (table: 'topics' | 'regions', slug: string | undefined, hint: FilterHint) => {
      const value = slug?.trim();
      if (!value) return undefined;
      // An old slug of a renamed or merged term still filters (links and stored searches made before).
      const found = SLUG.test(value) ? ((await findTermBySlug(db, table, value)) ?? (await findTermByOldSlug(db, table, value))) : undefined;
      if (!found) hints.push(hint);
      return found;
    };
    const topic = await term('topics', filters.topic, 'unknownTopic');
    const region = await term('regions', filters.region, 'unknownRegion');
    if (topic) applied.topic = topic.slug;
    if (region) applied.region = region.slug;
    for (const [key, hint] of [['from', 'invalidFrom'], ['to', 'invalidTo']] as const) {
      const value = filters[key]?.trim();
      if (!value) continue;
      if (isDate(value)) applied[key] = value;
      else hints.push(hint);
    }
    if (applied.from && applied.to && applied.from > applied.to) {
      [applied.from, applied.to] = [applied.to, applied.from];
      hints.push('dateOrder');
    }
    const language = filters.language?.trim();
    if (language === 'de' || language === 'en') applied.language = language;
    else if (language) hints.push('invalidLanguage');

    const filter: FacetFilter = {
      ...(officeIds.length > 0 ? { officeIds } : {}),
      ...(topic ? { topicId: topic.id } : {}),
      ...(region ? { regionId: region.id } : {}),
      ...(applied.language ? { language: applied.language } : {}),
    };
    const range = keyRange(applied.from ?? undefined, applied.to ?? undefined);
    const any = Object.keys(filter).length > 0 || applied.from !== null || applied.to !== null;
    return { applied, filter, range, any };
  };

  const toHit = ({ bodyText, ...card }: ReleaseCard, terms: HighlightTerm[]): SearchHit => ({
    ...card,
    titleHtml: highlight(card.title, terms),
    snippetHtml: terms.length > 0 ? snippet(bodyText, terms) : trustHtml(''),
  });

  /** The user's text parsed (prefixes expanded through the index's terms) and the filters resolved. */
  const prepare = async (query: string, filters: SearchFilters, hints: SearchHint[]) => {
    let parsed = parse(query);
    const unexpanded = parsed;
    let narrowed = false;
    hints.push(...parsed.hints);
    // Prefixes of four letters or more become a short list of exact terms (see Expansions).
    if (!onPostgres && parsed.prefixes.some((p) => p.length > 3)) {
      const expansions = new Map<string, string[]>();
      for (const prefix of parsed.prefixes.filter((p) => p.length > 3)) {
        const terms = await termsWithPrefix(prefix);
        if (terms.length <= MAX_EXPANSION) expansions.set(prefix, terms);
        // An automatic prefix that opens too wide (a common stem) searches the word itself;
        // a typed `word*` stays a (slower) prefix query, as asked.
        else if (parsed.autoPrefixes.includes(prefix)) {
          expansions.set(prefix, [prefix]);
          narrowed = true;
        }
      }
      parsed = parse(query, expansions);
    }
    const { applied, filter, range, any } = await resolveFilters(filters, hints);
    // What the index is asked: the text in the text columns, the facets, or (dates alone) everything.
    const facets = facetExpression(filter);
    const match = combineMatch(parsed.match, facets) ?? EVERY_ENTRY;
    return { parsed, unexpanded, narrowed, applied, filter, facets, range, any, match };
  };

  type Prepared = Awaited<ReturnType<typeof prepare>>;

  /**
   * Those of the candidates (keys, ascending) with the text in title or subtitle, newest first: all
   * of them, or at least the newest `needed`. Every answer of the title index is checked against the
   * candidates, as its entries lack the body (where an excluded word may stand) and, in the first
   * question, the filters.
   */
  const titleTier = async (keys: number[], plain: string, facets: string | null, needed: number, probeSize: number): Promise<number[]> => {
    const span = { low: keys[0]!, high: keys.at(-1)! };
    // The keys ascend: a binary search tells a candidate (most answers are few, the keys a thousand).
    const isCandidate = (key: number): boolean => {
      let low = 0;
      let high = keys.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (keys[mid]! < key) low = mid + 1;
        else if (keys[mid]! > key) high = mid - 1;
        else return true;
      }
      return false;
    };
    const among = (list: number[]) => list.filter(isCandidate);
    // The title text alone: few entries for a specific query, and then these are all there are.
    const probe = await repo.listTitleMatches(db, plain, span, probeSize);
    if (probe.length < probeSize) return among(probe);
    // Broad in titles: the newest title matches within the filters, as many as the page needs
    // (FTS5 stops there, instead of reading a filter's long list through the whole range).
    const match = combineMatch(plain, facets)!;
    const newest = await repo.listTitleMatches(db, match, span, needed);
    const found = among(newest);
    if (newest.length < needed || found.length === needed) return found;
    // Excluded words (in a body) left some out: then all of them.
    return among(await repo.listTitleMatches(db, match, span));
  };

  /**
   * The candidates (keys, newest first) in order of relevance, right at least for the first `needed`.
   * A specific query is ranked by its scores (bm25 over the candidates' key range; on PostgreSQL
   * ts_rank of the candidates themselves); a broad one (see BM25_BUDGET, POSTGRES_RANKED) in tiers:
   * the text in title or subtitle first, then the rest, each newest first. Ties and the rest keep
   * the newest first.
   */
  const rank = async (keys: number[], q: Pick<Prepared, 'parsed' | 'unexpanded' | 'narrowed' | 'facets'>, options: SearchOptions, needed: number): Promise<number[]> => {
    const span = { low: keys[0]!, high: keys.at(-1)! };
    const { facets } = q;
    const byScore = (scores: Map<number, number>) => [...keys].sort((a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0) || a - b);
    const inTiers = (top: number[]) => {
      const inTop = new Set(top);
      return [...top, ...keys.filter((key) => !inTop.has(key))];
    };
    if (onPostgres) {
      if (keys.length <= Math.min(options.bm25Budget ?? POSTGRES_RANKED, POSTGRES_RANKED)) return byScore(await repo.scoreEntries(db, combineMatch(q.parsed.match, facets)!, span, keys));
      return inTiers(await repo.listTitleMatches(db, combineMatch(q.parsed.plainMatch, facets)!, span, undefined, keys));
    }
    // Many phrases (a wide prefix) are broad by definition; otherwise the releases each phrase
    // occurs in are summed (term counts stand in for phrase counts: never fewer).
    const facetTokens = facetTokensOf(facets);
    const tokens = [...new Set([...q.parsed.phrases.flatMap((p) => p ?? []), ...facetTokens])];
    const docs = tokens.length <= 8 ? await countTermDocs(tokens) : undefined;
    const cost = docs === undefined ? Infinity : [...q.parsed.phrases, ...facetTokens.map((t) => [t])].reduce((sum, phrase) => sum + (phrase === null ? Infinity : phrase.reduce((s, t) => s + (docs.get(t) ?? 0), 0)), 0);
    if (cost <= Math.min(options.bm25Budget ?? BM25_BUDGET, BM25_BUDGET)) {
      // bm25 scores the query as typed: an expanded prefix would count each rare word form as a
      // phrase of its own and let it outweigh the title. (Same rows: the expansion is complete.)
      return byScore(await repo.scoreEntries(db, combineMatch((q.narrowed ? q.parsed : q.unexpanded).match, facets)!, span));
    }
    return inTiers(await titleTier(keys, q.parsed.plainMatch!, facets, needed, options.titleProbe ?? TITLE_PROBE));
  };

  /**
   * A corrected query (search.suggest.ts) that finds more than FEW_MATCHES with the same filters,
   * or, when nothing was found, at least one release; otherwise null.
   */
  const suggest = async (query: string, filters: SearchFilters): Promise<string | null> => {
    const corrected = await suggestQuery(query, {
      termsUnder: (keys) => repo.listTermsUnderVariants(db, keys),
      countDocs: countTermDocs,
      displayOf: (term) => repo.findTermDisplay(db, term),
    });
    if (corrected === undefined) return null;
    const { parsed, match, range } = await prepare(corrected, filters, []);
    if (parsed.match === null) return null;
    return (await repo.listCandidates(db, match, range, 1)).length > 0 ? corrected : null;
  };

  return {
    /**
     * Public releases matching the text and filters, one page of them. Never throws on user input:
     * what cannot be understood is left out and named in `hints`.
     */
    async search(query: string, filters: SearchFilters = {}, options: SearchOptions = {}): Promise<SearchResult> {
      const hints: SearchHint[] = [];
      const { parsed, unexpanded, narrowed, applied, facets, range, any, match } = await prepare(query, filters, hints);
      const hasText = parsed.match !== null;
      let sort: SearchSort = hasText ? 'relevance' : 'date';
      if (options.sort === 'date' || (options.sort === 'relevance' && hasText)) sort = options.sort;
      else if (options.sort && options.sort !== 'relevance') hints.push('invalidSort');
      const perPage = Math.min(100, Math.max(1, Math.floor(options.limit ?? PER_PAGE)));
      const page = Math.max(1, Math.floor(options.page ?? 1));
      const base = { query, filters: applied, sort, perPage, hints, suggestion: null };

      // Nothing to search for: only excluded words, or no text and no filter.
      if (!hasText && (!any || parsed.hints.includes('onlyExcluded'))) {
        return { ...base, searched: false, items: [], total: 0, totalIsCapped: false, page: 1, pages: 1 };
      }

      // The candidates: the newest matches, enough to count to COUNT_CAP and say "more".
      const from = options.afterKey !== undefined ? { ...range, low: Math.max(range.low ?? -Infinity, options.afterKey + 1) } : range;
      const keys = await repo.listCandidates(db, match, from, CANDIDATES);
      const totalIsCapped = keys.length > COUNT_CAP;
      const total = Math.min(keys.length, COUNT_CAP);
      const pages = Math.max(1, Math.ceil(total / perPage));
      // Pages end at COUNT_CAP; a page past them shows nothing (the route sends to the last one).
      const wanted = Math.min(page, Math.ceil(COUNT_CAP / perPage));
      const ranked = sort === 'relevance' && parsed.match !== null && keys.length > 1 ? await rank(keys, { parsed, unexpanded, narrowed, facets }, options, page * perPage) : keys;
      const pageKeys = wanted === page ? ranked.slice((page - 1) * perPage, page * perPage) : [];
      const cards = await releases.publicCardsByIds(pageKeys.map(releaseIdOfKey));
      const suggestion = hasText && total <= FEW_MATCHES && options.afterKey === undefined ? await suggest(query, filters) : null;
      return { ...base, searched: true, items: cards.map((card) => toHit(card, parsed.highlight)), total, totalIsCapped, page, pages, suggestion };
    },

    /** Readies the index for the coming year's writes (search.repository.ts `prepareIndex`); how many partitions it made. */
    prepareIndex: (): Promise<number> => repo.prepareIndex(db, clock.now()),

    /**
     * The canonical search target of a search given as its URL query string (q, office…, topic,
     * region, from, to, lang; sort and page are ignored), for a subscription. Stricter than the
     * search page: a search with a dropped part (unknown office, bad date, cut-off text) would
     * follow something else than the visitor saw, so it is refused, as is a search for nothing.
     */
    async followTarget(queryString: string): Promise<{ value: string; search: FollowedSearch } | undefined> {
      if (queryString.length > MAX_TARGET_LENGTH * 2) return undefined;
      const params = new URLSearchParams(queryString);
      // The page searches at most 20 offices; a longer list would be followed cut short.
      if (params.getAll('office').length > 20) return undefined;
      const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim();
      const filters: SearchFilters = { offices: params.getAll('office') };
      for (const [key, name] of [['topic', 'topic'], ['region', 'region'], ['from', 'from'], ['to', 'to'], ['language', 'lang']] as const) {
        const value = params.get(name);
        if (value !== null && value !== '') filters[key] = value;
      }
      const hints: SearchHint[] = [];
      const { parsed, applied, any } = await prepare(q, filters, hints);
      if (hints.some((h) => h !== 'noTerms' && h !== 'dateOrder')) return undefined;
      if (parsed.match === null && !any) return undefined;
      const search: FollowedSearch = { q: parsed.match === null ? '' : q, filters: applied };
      const value = encodeFollowedSearch(search);
      return value.length <= MAX_TARGET_LENGTH ? { value, search } : undefined;
    },

    /**
     * The search targets (stored values, see search.follow.ts) whose search finds the release now:
     * each search is run as on the search page, restricted to that one release (see `releaseMatches`).
     * Values that are not a search, or search for nothing, match nothing.
     */
    async matchingTargets(releaseId: number, values: readonly string[]): Promise<string[]> {
      const matching: string[] = [];
      if (!(await repo.isReleasePublic(db, releaseId, clock.now().toISOString()))) return matching;
      for (const value of new Set(values)) {
        const followed = decodeFollowedSearch(value);
        if (!followed) continue;
        const { parsed, range, any, match } = await prepare(followed.q, toSearchFilters(followed.filters), []);
        if (parsed.match === null && (!any || parsed.hints.includes('onlyExcluded'))) continue;
        if (await repo.releaseMatches(db, match, range, releaseId)) matching.push(value);
      }
      return matching;
    },
  };
};

export type SearchService = ReturnType<typeof createSearchService>;
