// Turns what a user typed into a safe FTS5 MATCH expression. Every word is folded and put in double
// quotes, so no FTS5 syntax (NEAR, column filters, brackets, ^, stray quotes) ever reaches SQLite
// from the user: the only operators in the result are the ones written here.
//
// Understood: words (AND by default), "quoted phrases", word* (prefix), -word / -"phrase" and
// NOT word (exclude), a OR b. The last plain word is searched as a prefix automatically.
import { foldedTokens, type HighlightTerm } from './search.text.ts';

export const MAX_QUERY_LENGTH = 500;
export const MAX_ITEMS = 12;
/** Automatic and explicit prefixes need this many letters; shorter ones are searched as words. */
const MIN_PREFIX = 3;

export type QueryHint = 'truncated' | 'tooManyTerms' | 'noTerms' | 'onlyExcluded';

export interface ParsedQuery {
  /** The FTS5 expression, or null when there is nothing to search for. Phrases are word pairs. */
  match: string | null;
  /** The same with phrases as phrases, for an index without word pairs (releases_fts_titles). */
  plainMatch: string | null;
  /** Folded prefixes (word*) the caller may expand into exact terms; see `Expansions`. */
  prefixes: string[];
  /** Those of `prefixes` that were added automatically (the last word), not typed with `*`. */
  autoPrefixes: string[];
  /**
   * Every phrase of the expression as its tokens (`null` for an unexpanded prefix), so the caller
   * can estimate what bm25 costs: FTS5 counts the rows of each phrase once per query.
   */
  phrases: (string[] | null)[];
  /** Words to mark in titles and snippets. */
  highlight: HighlightTerm[];
  /** Whether the expression excludes words (`-word`, `NOT word`). */
  excludes: boolean;
  hints: QueryHint[];
}

interface Item {
  tokens: string[];
  prefix: boolean;
  autoPrefix?: boolean;
  negated: boolean;
  quoted: boolean;
  orWithPrevious: boolean;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * Exact index terms for a prefix (from the index's term list). A prefix with an entry here is
 * searched as `"radweg" OR "radwege" OR …`, which FTS5 answers far faster than `"radweg"*` on a
 * large index; without an entry (too many terms, or a 3-letter prefix with its own prefix index)
 * it stays a prefix query.
 */
export type Expansions = ReadonlyMap<string, readonly string[]>;

const quote = (tokens: readonly string[]) => `"${tokens.join(' ').replace(/"/g, '""')}"`;

/** The word pairs of a phrase, as the index's `pairs` column holds them (search.text.ts `wordPairs`). */
const pairTokens = (tokens: readonly string[]): string[] => tokens.slice(1).map((token, i) => `${tokens[i]}_${token}`);

/**
 * One item as FTS5 syntax. With `pairs`, a phrase of two words is its word pair, a single token; a
 * longer phrase is all its pairs and the phrase itself (the pairs alone could stand apart), which
 * FTS5 answers by stepping through the short pair lists and only then checking positions.
 */
const ftsTerm = (item: Item, expansions: Expansions, pairs: boolean): string => {
  if (!item.prefix) {
    if (!pairs || item.tokens.length < 2) return quote(item.tokens);
    const pairTerms = pairTokens(item.tokens).map((pair) => quote([pair]));
    return item.tokens.length === 2 ? pairTerms[0]! : `(${[...pairTerms, quote(item.tokens)].join(' AND ')})`;
  }
  const last = item.tokens.at(-1)!;
  const terms = expansions.get(last);
  if (!terms) return `${quote(item.tokens)}*`;
  const head = item.tokens.slice(0, -1);
  // No term starts so: the exact word, which finds nothing, keeps the expression well-formed.
  const alternatives = (terms.length > 0 ? terms : [last]).map((t) => quote([...head, t]));
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
};

export const parseQuery = (raw: string, expansions: Expansions = new Map()): ParsedQuery => {
  const hints: QueryHint[] = [];
  let text = raw.normalize('NFC').trim();
  if (text.length > MAX_QUERY_LENGTH) {
    text = text.slice(0, MAX_QUERY_LENGTH);
    hints.push('truncated');
  }

  const items: Item[] = [];
  let pendingOr = false;
  let pendingNot = false;
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    let negated = pendingNot;
    pendingNot = false;
    if (text[i] === '-' && i + 1 < text.length && !isSpace(text[i + 1])) {
      negated = true;
      i++;
    }
    let body: string;
    let quoted = false;
    let prefix = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close;
      body = text.slice(i + 1, end);
      quoted = true;
      i = end + 1;
      if (text[i] === '*') {
        prefix = true;
        i++;
      }
    } else {
      let end = i;
      while (end < text.length && !isSpace(text[end]) && text[end] !== '"') end++;
      body = text.slice(i, end);
      i = end;
      if (!negated) {
        if (body === 'OR') {
          pendingOr = items.some((x) => !x.negated);
          continue;
        }
        if (body === 'AND') continue;
        if (body === 'NOT') {
          pendingNot = true;
          continue;
        }
      }
      prefix = /\*[^\p{L}\p{N}]*$/u.test(body);
    }
    const tokens = foldedTokens(body);
    if (tokens.length === 0) continue;
    if (items.length >= MAX_ITEMS) {
      if (!hints.includes('tooManyTerms')) hints.push('tooManyTerms');
      break;
    }
    items.push({ tokens, prefix, negated, quoted, orWithPrevious: pendingOr && !negated });
    pendingOr = false;
  }

  // The last plain word is a prefix, so a word being typed (or a German compound) is found.
  const last = items.at(-1);
  if (last && !last.negated && !last.quoted && !last.prefix) {
    last.prefix = true;
    last.autoPrefix = true;
  }
  for (const item of items) if (item.prefix && item.tokens.at(-1)!.length < MIN_PREFIX) item.prefix = false;

  const groups: Item[][] = [];
  const excluded: Item[] = [];
  for (const item of items) {
    if (item.negated) excluded.push(item);
    else if (item.orWithPrevious && groups.length > 0) groups.at(-1)!.push(item);
    else groups.push([item]);
  }

  if (groups.length === 0) {
    if (excluded.length > 0) hints.push('onlyExcluded');
    else if (text !== '') hints.push('noTerms');
    return { match: null, plainMatch: null, prefixes: [], autoPrefixes: [], phrases: [], highlight: [], excludes: excluded.length > 0, hints };
  }

  const expression = (pairs: boolean) => {
    const term = (item: Item) => ftsTerm(item, expansions, pairs);
    const positive = groups.map((g) => (g.length === 1 ? term(g[0]!) : `(${g.map(term).join(' OR ')})`)).join(' AND ');
    return excluded.length === 0 ? positive : `(${positive})${excluded.map((x) => ` NOT ${term(x)}`).join('')}`;
  };
  const match = expression(true);
  const plainMatch = expression(false);
  const prefixes = [...new Set(items.filter((x) => x.prefix).map((x) => x.tokens.at(-1)!))];
  const phrases = items.flatMap((item): (string[] | null)[] => {
    if (!item.prefix && item.tokens.length >= 2) {
      const pairPhrases = pairTokens(item.tokens).map((pair) => [pair]);
      return item.tokens.length === 2 ? pairPhrases : [...pairPhrases, item.tokens];
    }
    if (!item.prefix) return [item.tokens];
    const terms = expansions.get(item.tokens.at(-1)!);
    return terms ? terms.map((t) => [...item.tokens.slice(0, -1), t]) : [null];
  });
  const highlight: HighlightTerm[] = [];
  for (const item of groups.flat()) {
    item.tokens.forEach((token, n) => {
      const isPrefix = item.prefix && n === item.tokens.length - 1;
      if (!highlight.some((h) => h.text === token && h.prefix === isPrefix)) highlight.push({ text: token, prefix: isPrefix });
    });
  }
  const autoPrefixes = [...new Set(items.filter((x) => x.prefix && x.autoPrefix).map((x) => x.tokens.at(-1)!))].filter((p) => !items.some((x) => x.prefix && !x.autoPrefix && x.tokens.at(-1) === p));
  return { match, plainMatch, prefixes, autoPrefixes, phrases, highlight, excludes: excluded.length > 0, hints };
};

/** The filters that are facet tokens; a date range is a range of index keys instead (search.keys.ts). */
export interface FacetFilter {
  officeIds?: number[];
  topicId?: number;
  regionId?: number;
  language?: 'de' | 'en';
}

/**
 * The FTS5 expression of the filters, or null without filters. Facet tokens (`_o12`) stand only in
 * the `facets` column and match no word (search.text.ts `facetTokens`), so they need no column filter.
 */
export const facetExpression = (f: FacetFilter): string | null => {
  const any = (tokens: string[]) => (tokens.length === 1 ? `"${tokens[0]}"` : `(${tokens.map((t) => `"${t}"`).join(' OR ')})`);
  const parts: string[] = [];
  if (f.officeIds && f.officeIds.length > 0) parts.push(any(f.officeIds.map((id) => `_o${id}`)));
  if (f.topicId !== undefined) parts.push(any([`_t${f.topicId}`]));
  if (f.regionId !== undefined) parts.push(any([`_g${f.regionId}`]));
  if (f.language) parts.push(any([`_l${f.language}`]));
  return parts.length === 0 ? null : parts.join(' AND ');
};

/** The facet tokens of a facet expression (for cost estimates). */
export const facetTokensOf = (expression: string | null): string[] => (expression ? [...expression.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : []);

/** Every entry of the index: the expression of a search by date range alone. */
export const EVERY_ENTRY = '"_all"';

/** Text and filters combined into one MATCH expression, or null when there is neither. */
export const combineMatch = (text: string | null, facets: string | null): string | null => {
  const parts = [text === null ? null : `(${text})`, facets].filter((x): x is string => x !== null);
  return parts.length === 0 ? null : parts.join(' AND ');
};
