import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionVariants, editDistance, isVocabularyTerm, lookupKeys, suggestQuery, writtenForms, type SuggestLookups } from '../../src/modules/search/search.suggest.ts';
import { foldText } from '../../src/modules/search/search.text.ts';

test('compatibility forms fold to plain letters and digits', () => {
  assert.equal(foldText('CO₂-Ausstoß'), 'co2 ausstoss');
  assert.equal(foldText('½ Liter'), '1 2 liter');
  assert.equal(foldText('ﬁnanzielle Ｈilfe'), 'finanzielle hilfe');
  assert.equal(foldText('Bürgermeister'), 'burgermeister');
});

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('solaranlgae', 'solaranlage'), 1);
  assert.equal(editDistance('solaranlga', 'solaranlage'), 2);
  assert.equal(editDistance('radweg', 'radweg'), 0);
  assert.equal(editDistance('kita', 'rathaus', 2), 3);
});

test('a typed word and a term meet under a shared deletion variant', () => {
  assert.deepEqual(deletionVariants('abc'), ['abc', 'bc', 'ac', 'ab']);
  const keys = new Set(lookupKeys('solaranlgae'));
  assert.ok(deletionVariants('solaranlage').some((v) => keys.has(v)));
  assert.ok(!deletionVariants('rathaus').some((v) => keys.has(v)));
  assert.equal(isVocabularyTerm('solaranlage'), true);
  assert.equal(isVocabularyTerm('co2'), false);
  assert.equal(isVocabularyTerm('radweg_an'), false);
});

/** Lookups over a small in-memory vocabulary (term → releases). */
const lookups = (vocabulary: Record<string, number>): SuggestLookups => {
  const byVariant = new Map<string, Set<string>>();
  for (const term of Object.keys(vocabulary)) for (const v of deletionVariants(term)) byVariant.set(v, (byVariant.get(v) ?? new Set()).add(term));
  return {
    termsUnder: async (keys) => [...new Set(keys.flatMap((k) => [...(byVariant.get(k) ?? [])]))],
    countDocs: async (terms) => new Map(terms.map((t) => [t, vocabulary[t] ?? 0])),
    displayOf: async (term) => (term === 'burgermeister' ? 'bürgermeister' : term),
  };
};

test('suggestions keep the rest of the query and the case, and prefer the nearer, then the more frequent word', async () => {
  const v = lookups({ solaranlage: 40, solaranlagen: 90, radweg: 50, radwege: 30, kreishaus: 10 });
  assert.equal(await suggestQuery('Solaranlgae', v), 'Solaranlage');
  assert.equal(await suggestQuery('"neue SOLARANLGAE" -Radweg', v), '"neue SOLARANLAGE" -Radweg');
  assert.equal(await suggestQuery('radwge kreishaus', v), 'radweg kreishaus');
  // Shown as first written, with umlauts.
  assert.equal(await suggestQuery('Bürgermiester', lookups({ burgermeister: 7 })), 'Bürgermeister');
  // A right word, a word with nothing near, and an excluded word get no suggestion.
  assert.equal(await suggestQuery('Radweg', v), undefined);
  assert.equal(await suggestQuery('Xylophon', v), undefined);
  assert.equal(await suggestQuery('Kreishaus -Radwge', v), undefined);
  // A term no release holds any more is never suggested.
  assert.equal(await suggestQuery('Kreishuas', lookups({ kreishaus: 0 })), undefined);
});

test('a term is shown as the texts first write it: umlauts and ß kept, lower case, compatibility forms plain', () => {
  const forms = writtenForms(['Der BÜRGERMEISTER lädt ein.', null, 'Bürgermeister und Buergermeister; Straßenfest', 'ﬁnanzielle Hilfe'], new Set(['burgermeister', 'strassenfest', 'finanzielle', 'fehlt']));
  assert.deepEqual(Object.fromEntries(forms), { burgermeister: 'bürgermeister', strassenfest: 'straßenfest', finanzielle: 'finanzielle' });
  assert.equal(writtenForms(['Bürgermeister'], new Set()).size, 0);
});
