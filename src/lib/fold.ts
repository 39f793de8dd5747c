// How text is folded for matching (search index and queries, the office directory's filter):
// compatibility forms, case, ß, diacritics and the German transliterations ae/oe/ue. No domain code.

/** A word is a run of letters and digits; everything else separates words (as FTS5 unicode61 does). */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Folds a word for matching without the transliteration: compatibility forms as their plain
 * letters and digits (Unicode NFKC: CO₂ → co2, ½ → 1⁄2, the ligature ﬁ → fi, full-width Ａ → a),
 * lower case, ß → ss, diacritics removed (ü → u, é → e). Suggestions compare typed words in this
 * form too (search.suggest.ts), where the transliteration would swallow a typed letter.
 */
export const foldLetters = (text: string): string => {
  // Plain ASCII (most words) needs no Unicode normalisation.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
};

/**
 * Folds a word for matching: `foldLetters`, then the transliterations ae/oe/ue → a/o/u, so that
 * Bürgermeister, Buergermeister and Burgermeister become one word. The transliteration is skipped
 * after a vowel and after q, so the diphthongs of Feuer, neue, Bauer and words like Quelle or
 * Frequenz stay intact. What remains are harmless collisions between rare spellings
 * (Israel/Isral, Duell/Dell), documented in CONTEXT.md.
 */
export const foldWord = (text: string): string => foldLetters(text).replace(/(?<![aeiouyq])([aou])e/g, '$1');

/**
 * The folded words of a text, in order. The whole text is folded first and then split (fast for
 * long bodies); the ae/oe/ue rule looks only at the letter before, so this equals folding word by word.
 */
export const foldedTokens = (text: string): string[] => foldWord(text).match(WORD) ?? [];

/** Text as the index stores it: folded words separated by single spaces. */
export const foldText = (text: string): string => foldedTokens(text).join(' ');

