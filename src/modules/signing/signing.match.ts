// Does a pasted text say what a signed version says? Pure: a canonical document (the signed
// version) and a text (copied from the page, the .txt, a mail, a feed reader or another site) are
// compared word for word (words: runs of letters and digits, case ignored), so layout, line breaks,
// punctuation and markup do not matter, and every changed, added or missing word does.
//
// The document is cut into parts (title, subtitle, text = dateline and body, each photo caption,
// the contact block, the notice, each correction, the withdrawal note). The verdict:
//  - `match`: title and text are there word for word, every other part is there word for word or
//    left out as a whole, and every other word of the pasted text is one of Herold's own labels
//    (page headings, „Pressekontakt“, dates, …: `layoutWords`);
//  - `additions`: the same, but the pasted text has other words outside the release's parts (before
//    the title, between parts, after the end): they are listed, for the reader to judge;
//  - `mismatch`: a part is there but changed (words replaced, inserted or missing): listed;
//  - `unrelated`: the text is not this release at all.
import { diffArrays } from 'diff';
import type { CanonicalRelease } from '../../content/release-canonical.ts';
import { correctionText } from '../../content/release-view.ts';

export type PartName = 'title' | 'subtitle' | 'text' | 'photo' | 'contact' | 'notice' | 'correction' | 'withdrawal';

export interface Word {
  /** As written. */
  text: string;
  /** For comparing: NFC, lower case. */
  key: string;
}

export interface Difference {
  part: PartName;
  /** The signed version's words at this place ('' when the text added words). */
  signed: string;
  /** The pasted text's words at this place ('' when it left words out). */
  found: string;
}

export interface TextComparison {
  verdict: 'match' | 'additions' | 'mismatch' | 'unrelated';
  /** Parts of the version the text leaves out entirely (allowed, reported). */
  missingParts: PartName[];
  differences: Difference[];
  /** Words outside the release's parts that are not Herold's labels, in runs. */
  additions: string[];
  /** Words of the version found in the text. */
  matched: number;
  total: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

export const wordKey = (word: string): string => word.normalize('NFC').toLocaleLowerCase('de-DE');

/**
 * Links are left out on both sides: the canonical form has a body's link texts, not its addresses,
 * and layouts print addresses differently (the .txt prints Markdown's `[text](address)`).
 */
const LINK = /\b(?:https?:\/\/|www\.)[^\s)\]>"'<]+/gi;

export const wordsOf = (text: string): Word[] => (text.normalize('NFC').replace(LINK, ' ').match(WORD) ?? []).map((w) => ({ text: w, key: wordKey(w) }));

/** The words of a title, joined: how the signatures table finds the versions of a pasted text (`title_key`). */
export const titleKey = (title: string): string => wordsOf(title).map((w) => w.key).join(' ');

const CONTACT_ORDER = ['organisation', 'role', 'name', 'street', 'postcode', 'town', 'phone', 'fax', 'email', 'website'] as const;

/** The parts of a signed version. Channels print them in different orders; the comparison does not mind. */
export const partsOf = (doc: CanonicalRelease): { name: PartName; words: Word[] }[] =>
  [
    { name: 'title' as const, text: doc.title },
    { name: 'subtitle' as const, text: doc.subtitle },
    { name: 'withdrawal' as const, text: doc.withdrawn?.note ?? '' },
    // As channels print a note: without a label of its own („Korrigiert: …“), after theirs.
    ...doc.corrections.map((c) => ({ name: 'correction' as const, text: correctionText(c.note) })),
    { name: 'text' as const, text: `${doc.dateline} ${doc.body}` },
    ...doc.photos.map((p) => ({ name: 'photo' as const, text: `${p.caption} ${p.credit}` })),
    { name: 'contact' as const, text: doc.contact ? CONTACT_ORDER.map((k) => doc.contact![k]).join(' ') : '' },
    { name: 'notice' as const, text: doc.notice },
  ]
    .map((p) => ({ name: p.name, words: wordsOf(p.text) }))
    .filter((p) => p.words.length > 0);

interface Token extends Word {
  part: number;
}

/** At most this many words may differ before a text counts as unrelated (and the comparison stops). */
const MAX_EDITS = 4000;

/**
 * Where `needle` stands word for word in `haystack` at positions not yet taken: its first and last
 * position, or undefined. With `labels`, up to three of those words may stand between two of its
 * words (a contact block's „Tel.:“, a caption's „Foto:“).
 */
const findRun = (haystack: Word[], taken: boolean[], needle: Word[], labels?: ReadonlySet<string>): { from: number; to: number } | undefined => {
  outer: for (let i = 0; i < haystack.length; i++) {
    let at = i;
    for (let j = 0; j < needle.length; j++) {
      if (j > 0 && labels) {
        let skipped = 0;
        while (at < haystack.length && !taken[at] && haystack[at]!.key !== needle[j]!.key && labels.has(haystack[at]!.key) && skipped < 3) {
          at++;
          skipped++;
        }
      }
      if (at >= haystack.length || taken[at] || haystack[at]!.key !== needle[j]!.key) continue outer;
      at++;
    }
    return { from: i, to: at - 1 };
  }
  return undefined;
};

/**
 * Compares a pasted text with one signed version (see the top of this file). First every part that
 * stands in the text word for word is found, wherever it stands (channels order the parts
 * differently); the parts left and the words left are then compared word by word, in order, which
 * finds what was changed, inserted or left out.
 */
export const compareText = (doc: CanonicalRelease, pasted: string, layoutWords: ReadonlySet<string>): TextComparison => {
  const parts = partsOf(doc);
  const found = wordsOf(pasted);
  const total = parts.reduce((n, p) => n + p.words.length, 0);
  const unrelated = (matched = 0): TextComparison => ({ verdict: 'unrelated', missingParts: [], differences: [], additions: [], matched, total });
  if (found.length === 0 || total === 0) return unrelated();

  // 1. Parts that stand in the text unchanged. Longest first, so a short part (a one-word credit)
  //    does not take the place of a word inside a longer one.
  const taken = new Array<boolean>(found.length).fill(false);
  const partPresent = parts.map(() => 0);
  const order = parts.map((_, i) => i).sort((a, b) => parts[b]!.words.length - parts[a]!.words.length);
  for (const i of order) {
    const labelled = parts[i]!.name === 'contact' || parts[i]!.name === 'photo';
    const run = findRun(found, taken, parts[i]!.words, labelled ? layoutWords : undefined);
    if (!run) continue;
    for (let j = run.from; j <= run.to; j++) taken[j] = true;
    partPresent[i] = parts[i]!.words.length;
  }

  // 2. The rest, word by word.
  const signed: Token[] = parts.flatMap((p, part) => (partPresent[part] === 0 ? p.words.map((w) => ({ ...w, part })) : []));
  const rest = found.filter((_, i) => !taken[i]);
  const changes = signed.length === 0 || rest.length === 0 ? [] : diffArrays<Word>(signed, rest, { comparator: (a, b) => a.key === b.key, maxEditLength: MAX_EDITS });
  if (!changes) return unrelated();
  if (signed.length > 0 && rest.length === 0) changes.push({ value: signed, count: signed.length, removed: true, added: false });
  if (signed.length === 0 && rest.length > 0) changes.push({ value: rest, count: rest.length, removed: false, added: true });

  interface Run {
    /** The signed word before and after the place (index into `signed`; -1 and signed.length at the ends). */
    before: number;
    after: number;
    added: Word[];
    removed: Token[];
  }
  const runs: Run[] = [];
  let at = 0;
  let open: Run | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      for (let i = 0; i < change.count; i++) partPresent[signed[at + i]!.part]!++;
      at += change.count;
      open = undefined;
      continue;
    }
    if (!open) {
      open = { before: at - 1, after: at, added: [], removed: [] };
      runs.push(open);
    }
    if (change.removed) {
      open.removed.push(...(change.value as Token[]));
      at += change.count;
    } else open.added.push(...change.value);
    open.after = at;
  }
  const matched = partPresent.reduce((n, c) => n + c, 0);

  const titleIndex = parts.findIndex((p) => p.name === 'title');
  const textIndex = parts.findIndex((p) => p.name === 'text');
  // Not this release: less than half of its text (or of its title, when it has no text) is there.
  const core = textIndex >= 0 ? textIndex : titleIndex;
  if (partPresent[core]! * 2 < parts[core]!.words.length) return unrelated(matched);

  const missingParts = parts.filter((_, i) => partPresent[i] === 0).map((p) => p.name);
  const differences: Difference[] = [];
  const additions: string[] = [];
  for (const run of runs) {
    // Words the text left out: fine when they are a whole part that is missing, else a change.
    const changedWords = run.removed.filter((r) => partPresent[r.part]! > 0);
    const beforePart = signed[run.before]?.part;
    const inside = beforePart !== undefined && beforePart === signed[run.after]?.part;
    if (changedWords.length > 0) {
      differences.push({ part: parts[changedWords[0]!.part]!.name, signed: changedWords.map((r) => r.text).join(' '), found: run.added.map((w) => w.text).join(' ') });
      continue;
    }
    if (run.added.length === 0) continue;
    // Inside a contact block or a caption the layout adds its labels („Tel.“, „Foto:“); elsewhere
    // every inserted word is a change.
    const labelsOnly = run.added.every((w) => layoutWords.has(w.key) || /\p{N}/u.test(w.key));
    if (inside && labelsOnly && (parts[beforePart]!.name === 'contact' || parts[beforePart]!.name === 'photo')) continue;
    if (inside && partPresent[beforePart]! > 0) {
      differences.push({ part: parts[beforePart]!.name, signed: '', found: run.added.map((w) => w.text).join(' ') });
      continue;
    }
    // Between parts, before the first or after the last: the layout's labels, dates and links are
    // expected there; anything else is reported.
    const foreign = run.added.some((w) => !layoutWords.has(w.key) && !/\p{N}/u.test(w.key));
    if (foreign) additions.push(run.added.map((w) => w.text).join(' '));
  }
  const titleMissing = titleIndex >= 0 && partPresent[titleIndex] === 0;
  if (titleMissing) differences.unshift({ part: 'title', signed: parts[titleIndex]!.words.map((w) => w.text).join(' '), found: '' });
  const verdict = differences.length > 0 ? 'mismatch' : additions.length > 0 ? 'additions' : 'match';
  return { verdict, missingParts: missingParts.filter((p) => p !== 'title'), differences, additions, matched, total };
};

const RANK: Record<TextComparison['verdict'], number> = { match: 3, additions: 2, mismatch: 1, unrelated: 0 };

/** The better of two comparisons: the better verdict, then more words found. */
export const better = (a: TextComparison, b: TextComparison): boolean => RANK[a.verdict] > RANK[b.verdict] || (RANK[a.verdict] === RANK[b.verdict] && a.matched > b.matched);
