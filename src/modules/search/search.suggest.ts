// "Meinten Sie …?": a corrected query for a search that found nothing or little, from the words of
// the index (its vocabulary, search_terms). Pure rules and the choice of a correction; the lookups
// are passed in, so the rules can be tested without a database.
//
// How near words are found: every vocabulary term is stored under itself and under each form with
// one letter left out (`deletionVariants`, migration 0140); a typed word is looked up under itself
// and its forms with up to two letters left out (`lookupKeys`). Two words meet when leaving out up to
// two letters of the typed one and one of the term gives the same string, which covers one wrong,
// missing, extra or swapped letter (Solaranlgae → solaranlage) and most pairs of such slips. Each
// key is one seek on the primary key, so the cost depends on the typed word, not on the vocabulary.
// The candidates are ranked by their true edit distance (with swaps), then by how many releases hold
// them (counted in the index, so a word whose releases are all gone is never suggested).
import { foldLetters, foldWord } from './search.text.ts';

/** Words of the vocabulary: letters only (no numbers, word pairs or facets), 4 to 40 of them. */
const TERM = /^\p{L}{4,40}$/u;
export const isVocabularyTerm = (term: string): boolean => TERM.test(term);

/**
 * How the texts write these folded terms (the first written form of each, lower case, NFKC): a
 * term's `display`, which a suggestion shows (bürgermeister, not burgermeister). Terms the texts do
 * not hold are left out. The indexer and the bulk builder (bench/search-index.ts) both use it.
 */
export const writtenForms = (texts: readonly (string | null)[], wanted: ReadonlySet<string>): Map<string, string> => {
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  for (const text of texts)
    for (const written of text?.match(/[\p{L}\p{N}]+/gu) ?? []) {
      const folded = foldWord(written);
      if (wanted.has(folded) && !found.has(folded)) {
        found.set(folded, written.normalize('NFKC').toLowerCase());
        if (found.size === wanted.size) return found;
      }
    }
  return found;
};

/** A term and every form of it with one letter left out, each once (the term's entries in search_term_variants). */
export const deletionVariants = (term: string): string[] => {
  const letters = [...term];
  const out = new Set([term]);
  for (let i = 0; i < letters.length; i++) out.add([...letters.slice(0, i), ...letters.slice(i + 1)].join(''));
  return [...out];
};

/**
 * A typed (folded) word and its forms with one or two letters left out: the keys it is looked up
 * under (about 80 for a word of twelve letters). Words longer than 16 letters lose one letter only.
 */
export const lookupKeys = (word: string): string[] => {
  const once = deletionVariants(word);
  if ([...word].length > 16) return once;
  const out = new Set<string>();
  for (const shorter of once) for (const twice of deletionVariants(shorter)) out.add(twice);
  return [...out];
};

/**
 * Edit distance with swaps of neighbours (optimal string alignment): how many letters must be
 * inserted, removed, replaced or swapped to turn one word into the other. Stops early above `max`.
 */
export const editDistance = (a: string, b: string, max = Infinity): number => {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length]!;
};

/** How far a suggestion may be from the typed word: one slip in short words, two in longer ones. */
const maxDistance = (word: string): number => ([...word].length <= 5 ? 1 : 2);

/** A search with this many matches or fewer gets a suggestion, if a better spelling exists. */
export const FEW_MATCHES = 2;
/** Releases counted per candidate (enough to tell a common word from a rare one). */
export const COUNT_CAP = 500;
/** Candidates counted per distance, the nearest first. */
const COUNTED = 12;

export interface SuggestLookups {
  /** The vocabulary terms stored under any of these keys (search_term_variants). */
  termsUnder(keys: string[]): Promise<string[]>;
  /** In how many releases of the index each term occurs, counted up to COUNT_CAP. */
  countDocs(terms: string[]): Promise<Map<string, number>>;
  /** How a term is shown: as first written (bürgermeister), or the folded term itself. */
  displayOf(term: string): Promise<string>;
}

/** A word as the user typed it, with the case of the suggestion following theirs (Solar → Solaranlage). */
const inCaseOf = (typed: string, term: string): string => {
  if (typed.length > 1 && typed === typed.toUpperCase() && typed !== typed.toLowerCase()) return term.toUpperCase();
  const first = typed[0]!;
  return first !== first.toLowerCase() ? term[0]!.toUpperCase() + term.slice(1) : term;
};

/** The best replacement of one folded word, or undefined: the nearest term, among equals the most frequent. */
const correctWord = async (typed: string, lookups: SuggestLookups): Promise<string | undefined> => {
  const folded = foldWord(typed);
  const letters = foldLetters(typed);
  const own = (await lookups.countDocs([folded])).get(folded) ?? 0;
  if (own > FEW_MATCHES) return undefined;
  const max = maxDistance(letters);
  // Looked up as folded (the index's form) and without the ae/oe/ue rule, which would swallow a
  // letter of a slip (Solaranlgae folds to solaranlga; solaranlgae is one swap from solaranlage).
  const keys = [...new Set([...lookupKeys(folded), ...lookupKeys(letters)])];
  const byDistance = new Map<number, string[]>();
  for (const term of await lookups.termsUnder(keys)) {
    if (term === folded) continue;
    const d = Math.min(editDistance(folded, term, max), editDistance(letters, term, max));
    if (d <= max) byDistance.set(d, [...(byDistance.get(d) ?? []), term]);
  }
  for (const d of [...byDistance.keys()].sort((a, b) => a - b)) {
    const terms = byDistance.get(d)!.sort().slice(0, COUNTED);
    const counts = await lookups.countDocs(terms);
    const best = terms.map((term) => ({ term, n: counts.get(term) ?? 0 })).sort((a, b) => b.n - a.n || (a.term < b.term ? -1 : 1))[0];
    // Suggested only when it finds clearly more than the word typed.
    if (best && best.n > 0 && best.n > own * 5) return best.term;
  }
  return undefined;
};

/** Words the user typed that may be corrected: runs of four or more letters, not excluded (`-word`), not an operator. */
const WORDS = /(?<![\p{L}\p{N}])(-?)(\p{L}{4,40})(?![\p{L}\p{N}])/gu;

/**
 * The query with its misspelt words replaced (everything else as typed: quotes, operators, other
 * words), or undefined when no word has a better spelling in the index. At most five words are
 * looked at, the longest first.
 */
export const suggestQuery = async (query: string, lookups: SuggestLookups): Promise<string | undefined> => {
  const words = [...query.matchAll(WORDS)].filter((m) => m[1] === '' && !['AND', 'NOT'].includes(m[2]!));
  const chosen = new Set([...words].sort((a, b) => b[2]!.length - a[2]!.length).slice(0, 5));
  let corrected = '';
  let last = 0;
  let changed = false;
  for (const m of words) {
    if (!chosen.has(m)) continue;
    const typed = m[2]!;
    const term = await correctWord(typed, lookups);
    if (term === undefined) continue;
    const start = m.index + m[1]!.length;
    corrected += query.slice(last, start) + inCaseOf(typed, await lookups.displayOf(term));
    last = start + typed.length;
    changed = true;
  }
  return changed ? corrected + query.slice(last) : undefined;
};
