// The text rules of search, pure: German folding, the one tokeniser (used for the index, the query
// and the highlighting alike), the index document of a release, and safe highlighted snippets.
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';

// The folding rules live in lib/fold.ts (the office directory's filter folds the same way).
export { foldLetters, foldWord, foldedTokens, foldText } from '../../lib/fold.ts';
import { foldedTokens, foldText, foldWord } from '../../lib/fold.ts';

/** A word is a run of letters and digits; everything else separates words (as FTS5 unicode61 does). */
const WORD = /[\p{L}\p{N}]+/gu;

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
  /** The name in the release's contact block (its press contact), if any. */
  contact_name: string | null;
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
    // Who sends it: the office and its press contact (a name someone may remember instead of a title).
    office: foldText(row.contact_name ? `${row.office_name} ${row.contact_name}` : row.office_name),
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

/** The code point that ends just before index `i` (a surrogate pair read as one). */
const codePointBefore = (text: string, i: number): number => {
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return ((high - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
  }
  return low;
};

const width = (code: number): number => (code >= 0x10000 ? 2 : 1);

/**
 * From `pos` (a word start or a separator) back over up to `n` words: where the first of them
 * starts, and whether words remain before it.
 */
const wordsBack = (text: string, pos: number, n: number): { start: number; more: boolean } => {
  let i = pos;
  const skip = (word: boolean) => {
    while (i > 0) {
      const code = codePointBefore(text, i);
      if (isWordCodePoint(code) !== word) break;
      i -= width(code);
    }
  };
  for (let count = 0; count < n; count++) {
    skip(false);
    if (i === 0) break;
    skip(true);
  }
  const start = i;
  skip(false);
  return { start, more: i > 0 };
};

/** From `pos` (a word start or a separator) forward over up to `n` words: where the last ends, whether words follow. */
const wordsForward = (text: string, pos: number, n: number): { end: number; count: number; more: boolean } => {
  let i = pos;
  let count = 0;
  const skip = (word: boolean) => {
    while (i < text.length) {
      const code = text.codePointAt(i)!;
      if (isWordCodePoint(code) !== word) break;
      i += width(code);
    }
  };
  for (; count < n; count++) {
    skip(false);
    if (i === text.length) break;
    skip(true);
  }
  const end = i;
  skip(false);
  return { end, count, more: i < text.length };
};

/**
 * Non-ASCII letters whose folded form opens with a given ASCII letter or digit (Ü, ú → u; ß → s;
 * ﬁ → f; ₂ → 2; ½ → 1), from the Latin blocks, super- and subscripts, letter-like symbols, number
 * forms, enclosed numbers, ligatures and full-width forms; made once, on first use.
 */
let latinFolds: Map<string, string> | undefined;
const foldsOpeningWith = (initial: string): string => {
  if (!latinFolds) {
    latinFolds = new Map();
    for (const [from, to] of [[0x80, 0x24f], [0x1e00, 0x1eff], [0x2070, 0x209f], [0x2100, 0x218f], [0x2460, 0x24ff], [0xfb00, 0xfb06], [0xff10, 0xff5a]] as const) {
      for (let code = from; code <= to; code++) {
        const char = String.fromCodePoint(code);
        if (!LETTER_OR_DIGIT.test(char)) continue;
        const first = foldWord(char)[0];
        if (first !== undefined && /[a-z0-9]/.test(first)) latinFolds.set(first, (latinFolds.get(first) ?? '') + char);
      }
    }
  }
  return latinFolds.get(initial) ?? '';
};

const classOf = (chars: string): string => [...new Set(chars)].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join('');

/**
 * A pattern finding the words that may match: those opening with a letter that folds to a term's
 * first letter (either case, with diacritics), every other word skipped inside the regular
 * expression engine, which finds a leading character class fast. The lookbehind after that first
 * letter keeps to word starts. Same words as WORD: runs of letters and digits. Terms opening with
 * a letter outside ASCII (Greek, Cyrillic…) get the slower pattern of every word.
 */
const candidatePatterns = new Map<string, RegExp>();
const candidatePatternOf = (terms: readonly HighlightTerm[]): RegExp => {
  const initials = [...new Set(terms.map((t) => String.fromCodePoint(t.text.codePointAt(0)!)))].sort();
  const key = initials.join('');
  let pattern = candidatePatterns.get(key);
  if (!pattern) {
    if (initials.every((c) => /[a-z0-9]/.test(c))) {
      const opening = classOf(initials.map((c) => c + c.toUpperCase() + foldsOpeningWith(c)).join(''));
      pattern = new RegExp(`[${opening}](?<![\\p{L}\\p{N}][${opening}])[\\p{L}\\p{N}]*`, 'gu');
    } else pattern = new RegExp(WORD.source, 'gu');
    if (candidatePatterns.size >= 1000) candidatePatterns.clear();
    candidatePatterns.set(key, pattern);
  }
  return pattern;
};

/**
 * The pattern of a list of terms and the length of its shortest term, kept with the list: one
 * search highlights its terms in twenty titles and bodies.
 */
const prepared = new WeakMap<readonly HighlightTerm[], { pattern: RegExp; shortest: number }>();
const prepare = (terms: readonly HighlightTerm[]) => {
  let value = prepared.get(terms);
  if (!value) {
    value = { pattern: candidatePatternOf(terms), shortest: Math.min(...terms.map((t) => t.text.length)) };
    prepared.set(terms, value);
  }
  return value;
};

const ASCII = /^[\x00-\x7f]*$/;

/** The words of `text` matching the terms, as start and end offsets, in order: [s0, e0, s1, e1, …]. */
const findHits = (text: string, terms: readonly HighlightTerm[]): number[] => {
  const hits: number[] = [];
  if (terms.length === 0) return hits;
  // Folding never lengthens a word of plain ASCII (it lower-cases and turns ae into a), so one shorter
  // than the shortest term is no match (zu, am beside Zahlen) and is not looked up. Other words may
  // grow when folded (ß → ss, a Hangul syllable → three letters) and are always looked up.
  const { pattern, shortest } = prepare(terms);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const word = m[0];
    if ((word.length >= shortest || !ASCII.test(word)) && matches(foldCached(word), terms)) hits.push(m.index, m.index + word.length);
  }
  return hits;
};

const MARK_OPEN = '<mark>';
const MARK_CLOSE = '</mark>';

/** text[from, to), escaped, with the hits inside it wrapped in <mark>. */
const markRange = (text: string, from: number, to: number, hits: readonly number[]): SafeHtml => {
  let html = '';
  let last = from;
  for (let h = 0; h < hits.length; h += 2) {
    const start = hits[h]!;
    const end = hits[h + 1]!;
    if (start < from || end > to) continue;
    html += escapeHtml(text.slice(last, start)) + MARK_OPEN + escapeHtml(text.slice(start, end)) + MARK_CLOSE;
    last = end;
  }
  return trustHtml(html + escapeHtml(text.slice(last, to)));
};

/** The whole text, escaped, with every matching word wrapped in <mark>. */
export const highlight = (text: string, terms: readonly HighlightTerm[]): SafeHtml => markRange(text, 0, text.length, findHits(text, terms));

/**
 * A short passage of `text` (about `maxWords` words) around the densest cluster of matching words,
 * escaped, with the matches in <mark> and an ellipsis where it was cut. Without matches: the opening
 * words. Only the matches are looked at one by one, and the words of the passage; the rest of the
 * text is left to the regular expression engine.
 */
export const snippet = (fullText: string, terms: readonly HighlightTerm[], maxWords = 30): SafeHtml => {
  // The passage is looked for in the first 6,000 characters (a long release's first pages).
  const text = fullText.length > 6000 ? fullText.slice(0, 6000).replace(/[\p{L}\p{N}]+$/u, '') : fullText;
  const hits = findHits(text, terms);
  let before = { start: 0, more: false };
  if (hits.length > 0) {
    // The word number of each match, counted in spaces (near enough for a passage of about maxWords).
    const wordAt: number[] = [];
    let words = 0;
    let pos = 0;
    for (let h = 0; h < hits.length; h += 2) {
      for (let i = text.indexOf(' ', pos); i !== -1 && i < hits[h]!; i = text.indexOf(' ', i + 1)) {
        words++;
        pos = i + 1;
      }
      wordAt.push(words);
    }
    // The run of matches within maxWords words that holds the most (the earliest among equals).
    let best = 0;
    let bestLast = 0;
    for (let first = 0, last = 0; first < wordAt.length; first++) {
      if (last < first) last = first;
      while (last + 1 < wordAt.length && wordAt[last + 1]! - wordAt[first]! < maxWords) last++;
      if (last - first > bestLast - best) {
        best = first;
        bestLast = last;
      }
    }
    // Centre the run, so it has context on both sides.
    const startWord = Math.max(0, Math.floor((wordAt[best]! + wordAt[bestLast]! - maxWords + 1) / 2));
    before = wordsBack(text, hits[2 * best]!, wordAt[best]! - startWord);
  }
  const after = wordsForward(text, before.start, maxWords);
  if (after.count === 0) return trustHtml('');
  // Fewer words after than asked for (the end is near): take more before.
  const from = before.more && !after.more ? wordsBack(text, text.length, maxWords) : before;
  const start = from.more ? from.start : 0;
  const end = after.more ? after.end : text.length;
  const body = markRange(text, start, end, hits);
  return trustHtml(`${start > 0 ? '… ' : ''}${body}${end < fullText.length ? ' …' : ''}`);
};
