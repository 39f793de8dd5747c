import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldText, foldWord, highlight, htmlToText, snippet } from '../../src/modules/search/search.text.ts';
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

test('foldText splits on anything that is not a letter or digit', () => {
  assert.equal(foldText('E-Mobilität: 12 Ladesäulen (neu)!'), 'e mobilitat 12 ladesaulen neu');
});

test('parseQuery quotes every word, ANDs by default and prefixes the last word', () => {
  assert.equal(parseQuery('Radweg Bürgermeister').match, '"radweg" AND "burgermeister"*');
  assert.equal(parseQuery('Integrations*').match, '"integrations"*');
  assert.equal(parseQuery('"neue Radwege"').match, '"neue radwege"');
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

test('htmlToText drops tags and decodes entities', () => {
  assert.equal(htmlToText('<p>Fish &amp; chips</p><p>&lt;b&gt; &#252; &#xfc;</p>'), 'Fish & chips <b> ü ü');
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

test('filters become facet tokens; date ranges use decades, years and months', async () => {
  const { dateRangeTokens, facetExpression, combineMatch } = await import('../../src/modules/search/search.query.ts');
  assert.deepEqual(dateRangeTokens('2024-11-15', '2026-02-01', 2036), ['m202411', 'm202412', 'y2025', 'm202601', 'm202602']);
  assert.deepEqual(dateRangeTokens('2010-01-01', '2021-03-31', 2036), ['d201', 'y2020', 'm202101', 'm202102', 'm202103']);
  assert.equal(dateRangeTokens(undefined, '1909-12-31', 2036).join(' '), 'd190');
  assert.equal(facetExpression({ officeIds: [3, 4], topicId: 7, language: 'de' }, 2036), 'facets : (("o3" OR "o4") AND "t7" AND "lde")');
  assert.equal(facetExpression({}, 2036), null);
  assert.equal(combineMatch('"kita"', null), '{title subtitle dateline body captions office topics regions} : ("kita")');
  assert.equal(combineMatch(null, 'facets : ("t7")'), 'facets : ("t7")');
});
