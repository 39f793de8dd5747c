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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Plain text of sanitised HTML (the stored body): tags dropped, block ends kept as spaces. */
export const htmlToText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (whole, name: string) => {
      if (name in ENTITIES) return ENTITIES[name]!;
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return whole;
    })
    .replace(/\s+/g, ' ')
    .trim();

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
}

export interface IndexSource {
  title: string;
  subtitle: string;
  dateline: string;
  body_html: string;
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

/** Filter tokens of a release; see search.query.ts `facetExpression` for the query side. */
export const facetTokens = (row: Pick<IndexSource, 'office_id' | 'language' | 'release_date' | 'topic_ids' | 'region_ids'>): string => {
  const ids = (list: string | null) => (list ? list.split(',').filter(Boolean) : []);
  const [year, month] = row.release_date.split('-');
  return [
    `o${row.office_id}`,
    ...ids(row.topic_ids).map((id) => `t${id}`),
    ...ids(row.region_ids).map((id) => `g${id}`),
    `l${row.language}`,
    `d${year!.slice(0, 3)}`,
    `y${year}`,
    `m${year}${month}`,
  ].join(' ');
};

export const buildSearchDocument = (row: IndexSource): SearchDocument => ({
  title: foldText(row.title),
  subtitle: foldText(row.subtitle),
  dateline: foldText(row.dateline),
  body: foldText(htmlToText(row.body_html)),
  captions: foldText(row.captions ?? ''),
  office: foldText(row.office_name),
  topics: foldText(row.topics ?? ''),
  regions: foldText(row.regions ?? ''),
  facets: facetTokens(row),
});

/** A word to highlight: the folded form, and whether longer words starting with it count. */
export interface HighlightTerm {
  text: string;
  prefix: boolean;
}

const matches = (folded: string, terms: readonly HighlightTerm[]): boolean =>
  terms.some((t) => (t.prefix ? folded.startsWith(t.text) : folded === t.text));

/** Whether a word of the text is a match; words repeat, so each is folded once per call. */
const matcher = (terms: readonly HighlightTerm[]) => {
  const seen = new Map<string, boolean>();
  return (word: string): boolean => {
    if (terms.length === 0) return false;
    let hit = seen.get(word);
    if (hit === undefined) {
      hit = matches(foldedTokens(word).join(''), terms);
      seen.set(word, hit);
    }
    return hit;
  };
};

const MARK_OPEN = '<mark>';
const MARK_CLOSE = '</mark>';

/** The whole text, escaped, with every matching word wrapped in <mark>. */
export const highlight = (text: string, terms: readonly HighlightTerm[]): SafeHtml => highlightRange(text, 0, text.length, matcher(terms));

const highlightRange = (text: string, start: number, end: number, isHit: (word: string) => boolean): SafeHtml => {
  const part = text.slice(start, end);
  let html = '';
  let last = 0;
  for (const match of part.matchAll(WORD)) {
    const word = match[0];
    if (!isHit(word)) continue;
    html += escapeHtml(part.slice(last, match.index)) + MARK_OPEN + escapeHtml(word) + MARK_CLOSE;
    last = match.index + word.length;
  }
  return trustHtml(html + escapeHtml(part.slice(last)));
};

/**
 * A short passage of `text` around the densest cluster of matching words, escaped, with the
 * matches in <mark> and an ellipsis where it was cut. Without matches: the opening words.
 */
export const snippet = (fullText: string, terms: readonly HighlightTerm[], maxWords = 30): SafeHtml => {
  // The passage is looked for in the first 6,000 characters (a long release's first pages).
  const text = fullText.length > 6000 ? fullText.slice(0, 6000).replace(/[\p{L}\p{N}]+$/u, '') : fullText;
  const isHit = matcher(terms);
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, hit: isHit(m[0]) }));
  if (words.length === 0) return trustHtml('');
  if (words.length <= maxWords) return highlightRange(text, 0, text.length, isHit);
  // Sliding window: the start with the most hits (the earliest among equals).
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.hit) hits++;
    if (i >= maxWords && words[i - maxWords]!.hit) hits--;
    const start = i - maxWords + 1;
    if (start >= 0 && hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  // Centre the hits of that window, so they have context on both sides.
  if (bestHits > 0) {
    let firstHit = best;
    while (!words[firstHit]!.hit) firstHit++;
    let lastHit = Math.min(words.length - 1, best + maxWords - 1);
    while (!words[lastHit]!.hit) lastHit--;
    best = Math.max(0, Math.min(words.length - maxWords, Math.floor((firstHit + lastHit - maxWords + 1) / 2)));
  }
  const last = Math.min(words.length - 1, best + maxWords - 1);
  const from = best === 0 ? 0 : words[best]!.start;
  const to = last === words.length - 1 ? text.length : words[last]!.end;
  const body = highlightRange(text, from, to, isHit);
  return trustHtml(`${from > 0 ? '… ' : ''}${body}${to < fullText.length ? ' …' : ''}`);
};
