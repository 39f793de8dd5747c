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
  /** The FTS5 expression, or null when there is nothing to search for. */
  match: string | null;
  /** Words to mark in titles and snippets. */
  highlight: HighlightTerm[];
  hints: QueryHint[];
}

interface Item {
  tokens: string[];
  prefix: boolean;
  negated: boolean;
  quoted: boolean;
  orWithPrevious: boolean;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

const ftsTerm = (item: Item): string => `"${item.tokens.join(' ').replace(/"/g, '""')}"${item.prefix ? '*' : ''}`;

export const parseQuery = (raw: string): ParsedQuery => {
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
  if (last && !last.negated && !last.quoted) last.prefix = true;
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
    return { match: null, highlight: [], hints };
  }

  const positive = groups.map((g) => (g.length === 1 ? ftsTerm(g[0]!) : `(${g.map(ftsTerm).join(' OR ')})`)).join(' AND ');
  const match = excluded.length === 0 ? positive : `(${positive})${excluded.map((x) => ` NOT ${ftsTerm(x)}`).join('')}`;
  const highlight: HighlightTerm[] = [];
  for (const item of groups.flat()) {
    item.tokens.forEach((token, n) => {
      const isPrefix = item.prefix && n === item.tokens.length - 1;
      if (!highlight.some((h) => h.text === token && h.prefix === isPrefix)) highlight.push({ text: token, prefix: isPrefix });
    });
  }
  return { match, highlight, hints };
};
