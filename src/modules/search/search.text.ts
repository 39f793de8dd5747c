// The text rules of search, pure: German folding, the one tokeniser (used for the index, the query
// and the highlighting alike), the index document of a release, and safe highlighted snippets.
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';

/** A word is a run of letters and digits; everything else separates words (as FTS5 unicode61 does). */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Folds a word for matching: lower case, ß → ss, diacritics removed (ü → u, é → e), and the
 * transliterations ae/oe/ue → a/o/u, so that Bürgermeister, Buergermeister and Burgermeister
 * become one word. The transliteration is skipped after a vowel and after q, so the diphthongs of
 * Feuer, neue, Bauer and words like Quelle or Frequenz stay intact. What remains are harmless
 * collisions between rare spellings (Israel/Isral, Duell/Dell), documented in CONTEXT.md.
 */
export const foldWord = (text: string): string => {
  const lower = text.toLowerCase();
  // Plain ASCII (most words) needs no Unicode decomposition.
  const plain = /^[\x00-\x7f]*$/.test(lower) ? lower : lower.replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
  return plain.replace(/(?<![aeiouyq])([aou])e/g, '$1');
};

/**
 * The folded words of a text, in order. The whole text is folded first and then split (fast for
 * long bodies); the ae/oe/ue rule looks only at the letter before, so this equals folding word by word.
 */
export const foldedTokens = (text: string): string[] => foldWord(text).match(WORD) ?? [];

/** Text as the index stores it: folded words separated by single spaces. */
export const foldText = (text: string): string => foldedTokens(text).join(' ');

/** What the index holds of one release; every field is folded text. Column order = index columns. */
export interface SearchDocument {
  title: string;
  subtitle: string;
  dateline: string;
  body: string;
  captions: string;
  office: string;
  topics: string;
  regions: string;
  facets: string;
  /** Adjacent words of every text column joined by `_` (`neue_zahlen`): a two-word phrase is one token. */
  pairs: string;
}

export interface IndexSource {
  title: string;
  subtitle: string;
  dateline: string;
  /** Plain text of the body (releases.body_text). */
  body_text: string;
  captions: string | null;
  office_name: string;
  topics: string | null;
  regions: string | null;
  office_id: number;
  language: string;
  release_date: string;
  /** Comma-separated ids. */
  topic_ids: string | null;
  region_ids: string | null;
}

/**
 * Filter tokens of a release: `_all` (every entry has it, for a search by date alone), office,
 * topics, regions, language. They start with `_`, a word character of the index's tokenizer that a
 * folded word never holds, so no search word can match one. Dates need no token: the entry's rowid
 * is its date (search.keys.ts). See search.query.ts `facetExpression` for the query side.
 */
export const facetTokens = (row: Pick<IndexSource, 'office_id' | 'language' | 'topic_ids' | 'region_ids'>): string => {
  const ids = (list: string | null) => (list ? list.split(',').filter(Boolean) : []);
  return ['_all', `_o${row.office_id}`, ...ids(row.topic_ids).map((id) => `_t${id}`), ...ids(row.region_ids).map((id) => `_g${id}`), `_l${row.language}`].join(' ');
};

/**
 * The word pairs of folded texts: each word joined by `_` with the next one in the same text, as
 * FTS5 would find them as a phrase (its phrases never reach from one column into another).
 */
export const wordPairs = (texts: readonly string[]): string => {
  const pairs: string[] = [];
  for (const text of texts) {
    const words = text === '' ? [] : text.split(' ');
    for (let i = 1; i < words.length; i++) pairs.push(`${words[i - 1]}_${words[i]}`);
  }
  return pairs.join(' ');
};

export const buildSearchDocument = (row: IndexSource): SearchDocument => {
  const text = {
    title: foldText(row.title),
    subtitle: foldText(row.subtitle),
    dateline: foldText(row.dateline),
    body: foldText(row.body_text),
    captions: foldText(row.captions ?? ''),
    office: foldText(row.office_name),
    topics: foldText(row.topics ?? ''),
    regions: foldText(row.regions ?? ''),
  };
  return { ...text, facets: facetTokens(row), pairs: wordPairs(Object.values(text)) };
};

/** A word to highlight: the folded form, and whether longer words starting with it count. */
export interface HighlightTerm {
  text: string;
  prefix: boolean;
}

const matches = (folded: string, terms: readonly HighlightTerm[]): boolean =>
  terms.some((t) => (t.prefix ? folded.startsWith(t.text) : folded === t.text));

/**
 * Folded forms of words seen in titles and bodies. A newsroom's vocabulary is small and repeats, so
 * each word is folded once per process, not once per result; the map is emptied when it grows large.
 */
const folded = new Map<string, string>();
const FOLDED_MAX = 50_000;

const foldCached = (word: string): string => {
  let value = folded.get(word);
  if (value === undefined) {
    value = foldedTokens(word).join('');
    if (folded.size >= FOLDED_MAX) folded.clear();
    folded.set(word, value);
  }
  return value;
};

/** Whether a code point is a letter or a digit (part of a word), cached for the code points of the BMP. */
const wordCodes = new Uint8Array(0x10000); // 0 unknown, 1 word, 2 separator
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const isWordCodePoint = (code: number): boolean => {
  if (code >= 0x10000) return LETTER_OR_DIGIT.test(String.fromCodePoint(code));
  let kind = wordCodes[code]!;
  if (kind === 0) {
    kind = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
    wordCodes[code] = kind;
  }
  return kind === 1;
};

/**
 * Calls `visit(start, end)` for each word of `text` between `from` and `to`, in order, without
 * making a string of it: the same words as the WORD pattern (runs of letters and digits).
 */
const eachWord = (text: string, from: number, to: number, visit: (start: number, end: number) => void): void => {
  let start = -1;
  for (let i = from; i < to; ) {
    const code = text.codePointAt(i)!;
    const size = code >= 0x10000 ? 2 : 1;
    if (isWordCodePoint(code)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      visit(start, i);
      start = -1;
    }
    i += size;
  }
  if (start >= 0) visit(start, to);
};

/**
 * Whether the word text[start, end) is a match. Folding keeps a plain ASCII letter or digit as it
 * is (only its case changes), so a word opening with one no term opens with is no match, and is
 * neither cut out nor folded.
 */
const matcher = (terms: readonly HighlightTerm[]) => {
  const initials = new Set(terms.map((t) => t.text.charCodeAt(0)));
  return (text: string, start: number, end: number): boolean => {
    if (terms.length === 0) return false;
    const first = text.charCodeAt(start);
    if (first < 0x80 && !initials.has(first >= 0x41 && first <= 0x5a ? first + 0x20 : first)) return false;
    return matches(foldCached(text.slice(start, end)), terms);
  };
};

type Matcher = ReturnType<typeof matcher>;

const MARK_OPEN = '<mark>';
const MARK_CLOSE = '</mark>';

/** The whole text, escaped, with every matching word wrapped in <mark>. */
export const highlight = (text: string, terms: readonly HighlightTerm[]): SafeHtml => highlightRange(text, 0, text.length, matcher(terms));

const highlightRange = (text: string, from: number, to: number, isHit: Matcher): SafeHtml => {
  let html = '';
  let last = from;
  eachWord(text, from, to, (start, end) => {
    if (!isHit(text, start, end)) return;
    html += escapeHtml(text.slice(last, start)) + MARK_OPEN + escapeHtml(text.slice(start, end)) + MARK_CLOSE;
    last = end;
  });
  return trustHtml(html + escapeHtml(text.slice(last, to)));
};

/**
 * A short passage of `text` around the densest cluster of matching words, escaped, with the
 * matches in <mark> and an ellipsis where it was cut. Without matches: the opening words.
 */
export const snippet = (fullText: string, terms: readonly HighlightTerm[], maxWords = 30): SafeHtml => {
  // The passage is looked for in the first 6,000 characters (a long release's first pages).
  const text = fullText.length > 6000 ? fullText.slice(0, 6000).replace(/[\p{L}\p{N}]+$/u, '') : fullText;
  const isHit = matcher(terms);
  // One pass over the words: where each starts and ends, and whether it is a match.
  const starts: number[] = [];
  const ends: number[] = [];
  const hit: boolean[] = [];
  eachWord(text, 0, text.length, (start, end) => {
    starts.push(start);
    ends.push(end);
    hit.push(isHit(text, start, end));
  });
  const count = starts.length;
  if (count === 0) return trustHtml('');
  if (count <= maxWords) return highlightRange(text, 0, text.length, isHit);
  // Sliding window: the start with the most hits (the earliest among equals).
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < count; i++) {
    if (hit[i]) hits++;
    if (i >= maxWords && hit[i - maxWords]) hits--;
    const start = i - maxWords + 1;
    if (start >= 0 && hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  // Centre the hits of that window, so they have context on both sides.
  if (bestHits > 0) {
    let firstHit = best;
    while (!hit[firstHit]) firstHit++;
    let lastHit = Math.min(count - 1, best + maxWords - 1);
    while (!hit[lastHit]) lastHit--;
    best = Math.max(0, Math.min(count - maxWords, Math.floor((firstHit + lastHit - maxWords + 1) / 2)));
  }
  const last = Math.min(count - 1, best + maxWords - 1);
  const from = best === 0 ? 0 : starts[best]!;
  const to = last === count - 1 ? text.length : ends[last]!;
  const body = highlightRange(text, from, to, isHit);
  return trustHtml(`${from > 0 ? '… ' : ''}${body}${to < fullText.length ? ' …' : ''}`);
};
