import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToText } from '../../src/content/markdown.ts';
import { foldText, foldWord, highlight, snippet, type HighlightTerm } from '../../src/modules/search/search.text.ts';
import { escapeHtml } from '../../src/lib/safe-html.ts';
import { parseQuery } from '../../src/modules/search/search.query.ts';

test('folding makes umlaut, transliterated and dotless spellings one word', () => {
  for (const w of ['Bürgermeister', 'Buergermeister', 'Burgermeister', 'BÜRGERMEISTER']) assert.equal(foldWord(w), 'burgermeister', w);
  assert.equal(foldWord('Straße'), 'strasse');
  assert.equal(foldWord('Strasse'), 'strasse');
  assert.equal(foldWord('Ärger'), foldWord('Aerger'));
  assert.equal(foldWord('Öffnungszeiten'), foldWord('Oeffnungszeiten'));
  assert.equal(foldWord('Café'), 'cafe');
});

test('folding leaves diphthongs and qu-words alone', () => {
  assert.equal(foldWord('Feuer'), 'feuer');
  assert.equal(foldWord('neue'), 'neue');
  assert.equal(foldWord('Bauer'), 'bauer');
  assert.equal(foldWord('Quelle'), 'quelle');
  assert.equal(foldWord('Frequenz'), 'frequenz');
  // Known, harmless collisions of the ae/oe/ue rule (documented in CONTEXT.md).
  assert.equal(foldWord('Israel'), 'isral');
});

test('word pairs join each word to the next within one text, never across texts', async () => {
  const { wordPairs } = await import('../../src/modules/search/search.text.ts');
  assert.equal(wordPairs(['neue radwege', '', 'der kreis baut']), 'neue_radwege der_kreis kreis_baut');
  assert.equal(wordPairs(['einzeln']), '');
});

test('foldText splits on anything that is not a letter or digit', () => {
  assert.equal(foldText('E-Mobilität: 12 Ladesäulen (neu)!'), 'e mobilitat 12 ladesaulen neu');
});

test('parseQuery quotes every word, ANDs by default and prefixes the last word', () => {
  assert.equal(parseQuery('Radweg Bürgermeister').match, '"radweg" AND "burgermeister"*');
  assert.equal(parseQuery('Integrations*').match, '"integrations"*');
  // A phrase is searched as its word pairs (the index's pairs column), and as a phrase where there are none.
  assert.equal(parseQuery('"neue Radwege"').match, '"neue_radwege"');
  assert.equal(parseQuery('"neue Radwege"').plainMatch, '"neue radwege"');
  assert.equal(parseQuery('"der neue Radweg" -"alte Brücke"').match, '(("der_neue" AND "neue_radweg" AND "der neue radweg")) NOT "alte_brucke"');
  assert.deepEqual(parseQuery('"der neue Radweg"').phrases, [['der_neue'], ['neue_radweg'], ['der', 'neue', 'radweg']]);
  assert.equal(parseQuery('Radweg -Brücke').match, '("radweg") NOT "brucke"');
  assert.equal(parseQuery('Kita OR Schule Landkreis').match, '("kita" OR "schule") AND "landkreis"*');
  assert.equal(parseQuery('E-Mobilität').match, '"e mobilitat"*');
  // Short last words are not prefixed.
  assert.equal(parseQuery('Kreis A1').match, '"kreis" AND "a1"');
});

test('parseQuery never lets FTS syntax through', () => {
  const hostile = [
    'NEAR(a b)',
    '"unbalanced',
    'a" OR "b',
    '*',
    '"',
    '-',
    '( ) ^ : {title} + -- ;',
    "'; DROP TABLE releases; --",
    'title:secret',
    'a AND OR NOT',
    'x'.repeat(10_000),
  ];
  for (const q of hostile) {
    const { match } = parseQuery(q);
    if (match === null) continue;
    // Outside of quoted words, only our operators, brackets, spaces and * remain.
    const outside = match.replace(/"(?:[^"]|"")*"/g, '');
    assert.match(outside, /^(?:[()*\s]|AND|OR|NOT)*$/, `${q} → ${match}`);
  }
  assert.deepEqual(parseQuery('*').hints, ['noTerms']);
  assert.deepEqual(parseQuery('-Brücke').hints, ['onlyExcluded']);
  assert.equal(parseQuery('-Brücke').match, null);
  assert.ok(parseQuery('x'.repeat(10_000)).hints.includes('truncated'));
  assert.ok(parseQuery(Array.from({ length: 30 }, (_, i) => `wort${i}`).join(' ')).hints.includes('tooManyTerms'));
});

test('highlighting escapes everything and marks only matched words', () => {
  const terms = parseQuery('script bürgermeister').highlight;
  const html = highlight('<script>alert("Buergermeister")</script> & Bürgermeisterin', terms);
  assert.equal(html, '&lt;<mark>script</mark>&gt;alert(&quot;<mark>Buergermeister</mark>&quot;)&lt;/<mark>script</mark>&gt; &amp; <mark>Bürgermeisterin</mark>');
  assert.equal(highlight('Fish & <b>chips</b>', []), 'Fish &amp; &lt;b&gt;chips&lt;/b&gt;');
});

test('snippets show the passage around the matches, with ellipses', () => {
  const filler = Array.from({ length: 60 }, (_, i) => `wort${i}`).join(' ');
  const text = `${filler} Der neue Radweg am Fluss ist fertig. ${filler}`;
  const html = snippet(text, parseQuery('Radweg').highlight, 20);
  assert.match(html, /^… /);
  assert.match(html, / …$/);
  assert.match(html, /<mark>Radweg<\/mark>/);
  assert.equal(snippet('Kurz <b>und</b> gut', [], 20), 'Kurz &lt;b&gt;und&lt;/b&gt; gut');
});

test('highlighting marks exactly the words a plain scan of every word would mark', () => {
  // The reference: every run of letters and digits, folded and compared, the rest escaped.
  const reference = (text: string, terms: HighlightTerm[]) =>
    text.replace(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu, (part) => {
      const word = /^[\p{L}\p{N}]/u.test(part) ? foldText(part).replace(/ /g, '') : null;
      const hit = word !== null && terms.some((t) => (t.prefix ? word.startsWith(t.text) : word === t.text));
      return hit ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part);
    });
  const text = 'Ärger über Übergänge: Bürgermeister, BUERGERMEISTER und Burgermeister; Vize-Bürgermeister, Oberbürgermeister, x_Bürgermeister 𝒜Bürgermeister 2Bürgermeister Éclair eclair ÉCLAIR İstanbul Ωμέγα ωμεγα <Bürgermeister> & Øresund Ørsted 서울 in 서울. Straße Strasse';
  for (const query of ['Bürgermeister', 'Arger Ubergange', 'eclair', 'Istanbul', 'ωμεγα', 'Oresund', 'Ørsted', 'über*', 'vize', '2bürger*', '서울', 'Strasse']) {
    const terms = parseQuery(query).highlight;
    assert.equal(String(highlight(text, terms)), reference(text, terms), query);
  }
});

test('htmlToText drops tags and decodes entities', () => {
  assert.equal(htmlToText('<p>Fish &amp; chips</p><p>&lt;b&gt; &#252; &#xfc;</p>'), 'Fish & chips <b> ü ü');
  // Block tags separate words, inline ones do not; odd entities stay as they are.
  assert.equal(htmlToText('<h2>Termine</h2><p><strong>Berlin</strong>, 3. März: Die <em>Stadt</em>verwaltung meldet H<del>2</del>O.<br>Siehe <a href="https://example.org">hier</a>.</p>\n<ul><li>eins</li><li>zwei</li></ul><table><tr><td>a</td><td>b</td></tr></table>'),
    'Termine Berlin, 3. März: Die Stadtverwaltung meldet H2O. Siehe hier. eins zwei a b');
  assert.equal(htmlToText('&constructor; &#99999999; &nbsp;x'), '&constructor; &#99999999; x');
});

test('prefixes can be expanded into exact index terms', () => {
  const parsed = parseQuery('neue Radweg');
  assert.deepEqual(parsed.prefixes, ['radweg']);
  assert.equal(parseQuery('neue Radweg', new Map([['radweg', ['radweg', 'radwege', 'radwegenetz']]])).match, '"neue" AND ("radweg" OR "radwege" OR "radwegenetz")');
  assert.equal(parseQuery('Radweg', new Map([['radweg', ['radwege']]])).match, '"radwege"');
  // No term starts so: nothing can match, and the expression stays valid.
  assert.equal(parseQuery('Radweg', new Map([['radweg', []]])).match, '"radweg"');
  assert.equal(parseQuery('E-Mobil', new Map([['mobil', ['mobil', 'mobilitat']]])).match, '("e mobil" OR "e mobilitat")');
});

test('filters become facet tokens; a date range becomes a range of index keys', async () => {
  const { facetExpression, combineMatch } = await import('../../src/modules/search/search.query.ts');
  const { keyRange, releaseIdOfKey, searchKey, KEY_SPAN } = await import('../../src/modules/search/search.keys.ts');
  assert.equal(facetExpression({ officeIds: [3, 4], topicId: 7, language: 'de' }), '("_o3" OR "_o4") AND "_t7" AND "_lde"');
  assert.equal(facetExpression({}), null);
  assert.equal(combineMatch('"kita"', null), '("kita")');
  assert.equal(combineMatch('"kita"', '"_t7"'), '("kita") AND "_t7"');
  assert.equal(combineMatch(null, '"_t7"'), '"_t7"');
  // Ascending keys: newest release date first, then the higher id; the id comes back out, also before 1970.
  assert.ok(searchKey('2026-03-02', 1) < searchKey('2026-03-01', 999_999));
  assert.ok(searchKey('2026-03-01', 2) < searchKey('2026-03-01', 1));
  for (const [date, id] of [['2026-03-01', 123_456], ['1969-12-31', 7], ['1900-01-01', KEY_SPAN - 1]] as const) assert.equal(releaseIdOfKey(searchKey(date, id)), id);
  // A range holds every key of its first and last day.
  const { low, high } = keyRange('2026-03-01', '2026-03-31');
  assert.ok(low! <= searchKey('2026-03-31', 4_000_000) && searchKey('2026-03-01', 1) <= high!);
  assert.ok(searchKey('2026-04-01', 1) < low! && searchKey('2026-02-28', 9) > high!);
  assert.deepEqual(keyRange(undefined, undefined), {});
  // Absurd dates are kept on the edge day, and keys stay exact.
  assert.ok(Number.isSafeInteger(searchKey('9999-12-31', 5)) && releaseIdOfKey(searchKey('9999-12-31', 5)) === 5);
  assert.throws(() => searchKey('2026-3-1', 1), RangeError);
});
