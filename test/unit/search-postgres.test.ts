// The PostgreSQL index's two translations: search.text.ts tokens into a tsvector literal, and the
// MATCH expressions of search.query.ts into tsquery literals. What PostgreSQL makes of them is
// tested by the search tests when the suite runs on PostgreSQL (HEROLD_TEST_DATABASE_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryTexts, pairsQueryOf, rankQueryOf, tsqueryOf, tsvectorLiteral, weekToken } from '../../src/modules/search/search.postgres.ts';
import { searchKey } from '../../src/modules/search/search.keys.ts';
import { combineMatch, EVERY_ENTRY, facetExpression, parseQuery } from '../../src/modules/search/search.query.ts';

test('a tsvector literal keeps the tokens as they are, with their positions and weights, and a gap between texts', () => {
  assert.equal(tsvectorLiteral([['radweg neu radweg', 'A'], ['radweg_neu _o12', 'D']]), "'radweg':1A,3A 'neu':2A 'radweg_neu':5 '_o12':6");
  assert.equal(tsvectorLiteral([["o'brien back\\slash", 'B']]), "'o''brien':1B 'back\\\\slash':2B");
  assert.equal(tsvectorLiteral([['', 'A'], ['wort', 'C']]), "'wort':2C");
});

test('a tsvector literal stops at PostgreSQL limits: position 16,383 and 255 positions a word', () => {
  const many = tsvectorLiteral([[Array.from({ length: 20_000 }, () => 'wort').join(' '), 'D']]);
  const positions = many.slice("'wort':".length).split(',');
  assert.equal(positions.length, 255);
  assert.equal(tsvectorLiteral([[`${'x '.repeat(17_000)}ende`, 'D']]).endsWith("'ende':16383"), true);
  // A "word" PostgreSQL would refuse (2,048 bytes or more) is left out, not the release.
  assert.equal(tsvectorLiteral([[`kurz ${'ä'.repeat(1024)} lang`, 'D']]), "'kurz':1 'lang':3");
});

test('a body longer than a tsvector has positions crowds only its own end: captions, topics and facets keep theirs', () => {
  const body = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
  const key = searchKey('2026-12-03', 41);
  const { document, titles } = entryTexts({ title: 'titel', subtitle: '', dateline: 'bonn', body, captions: 'foto', office: 'stadt', topics: 'verkehr', regions: 'rhein', facets: '_o12 _t3', pairs: 'w0_w1' }, key);
  const position = (token: string) => new RegExp(`'${token}':(\\d+)`).exec(document)?.[1];
  assert.deepEqual(['titel', 'bonn', 'foto', 'stadt', 'verkehr', 'rhein', '_o12', '_t3'].map((t) => Number(position(t)) < 20), [true, true, true, true, true, true, true, true]);
  // Phrases at the start of the body keep their neighbouring positions; word pairs are not indexed (phrases match by position).
  assert.equal(Number(position('w1')) - Number(position('w0')), 1);
  assert.equal(document.includes("'w0_w1'"), false);
  assert.equal(titles, "'titel':1A '_o12':4 '_t3':5 '_w2970'");
  // The week token, without a position: days 20,790 to 20,796 since 1970 (3 to 9 December 2026) are week 2,970.
  assert.equal(document.endsWith(" '_w2970'"), true);
  assert.equal(weekToken(searchKey('2026-12-02', 1)), '_w2969');
  assert.equal(weekToken(searchKey('2026-12-09', 1)), '_w2970');
  assert.equal(weekToken(searchKey('2026-12-10', 1)), '_w2971');
  assert.equal(weekToken(searchKey('1969-12-31', 1)), '_w-1');
  assert.equal(weekToken(searchKey('1970-01-01', 4_000_000_000)), '_w0');
});

test('the MATCH expressions of the query parser become the same tsquery', () => {
  const cases: [string, string][] = [
    ['"radweg"', "'radweg'"],
    ['"radweg"*', "'radweg':*"],
    ['"neue zahlen"', "('neue' <-> 'zahlen')"],
    ['"neue zahl"*', "('neue' <-> 'zahl':*)"],
    ['"a" AND "b"', "'a' & 'b'"],
    ['("a" OR "b") AND "c"', "('a' | 'b') & 'c'"],
    ['("a" AND "b") NOT "c" NOT "d e"', "'a' & 'b' & !'c' & !('d' <-> 'e')"],
    ['("a" OR "b") NOT "c"', "('a' | 'b') & !'c'"],
    ['"a" OR "b" AND "c"', "'a' | ('b' & 'c')"],
    ['"say ""hi"""', `('say' <-> '"hi"')`],
  ];
  for (const [match, tsquery] of cases) assert.equal(tsqueryOf(match), tsquery, match);
});

test('a match requires the word pairs of the phrases it cannot do without', () => {
  const cases: [string, string | null][] = [
    ['"radweg"', null],
    ['"neue zahlen"', "'neue_zahlen'"],
    ['"neue zahl"*', "'neue_zahl':*"],
    ['"a b c"', "('a_b' & 'b_c')"],
    ['"a b" AND "c"', "'a_b'"],
    ['"a b" AND "c d"', "('a_b' & 'c_d')"],
    ['"a b" OR "c d e"', "('a_b' | ('c_d' & 'd_e'))"],
    // Either side may match without a phrase: nothing is required.
    ['"a b" OR "c"', null],
    // An excluded phrase is not required; the kept one is.
    ['"a b" NOT "c d"', "'a_b'"],
    ['"c" NOT "a b"', null],
    ['("a b" OR "c d") AND "_o12"', "('a_b' | 'c_d')"],
    [`"${'x'.repeat(1500)} ${'y'.repeat(600)}"`, null],
  ];
  for (const [match, pairs] of cases) assert.equal(pairsQueryOf(match), pairs, match);
});

test('every expression the parser and the filters make translates', () => {
  for (const typed of ['Radweg', 'neue Zahlen', '"neue Zahlen" -Bau', 'Rad* OR Bahn', 'a b c d e f', '-nur ausgeschlossen', 'Straße NOT Bau', '"o\'brien"']) {
    const parsed = parseQuery(typed);
    for (const text of [parsed.match, parsed.plainMatch]) {
      const match = combineMatch(text, facetExpression({ officeIds: [1, 2], topicId: 3, language: 'de' }));
      if (match !== null) assert.doesNotThrow(() => [tsqueryOf(match), pairsQueryOf(match)], match);
    }
  }
  assert.equal(tsqueryOf(EVERY_ENTRY), "'_all'");
  assert.throws(() => tsqueryOf('"unclosed'));
  assert.throws(() => tsqueryOf('"a" AND'));
});

test('the rank query keeps the wanted words and phrases, without exclusions and facet tokens', () => {
  assert.equal(rankQueryOf('("windkraft") NOT "sonderabfall" AND "_o1"'), "'windkraft'");
  assert.equal(rankQueryOf('("neue_zahlen" AND "neue zahlen") AND ("_t3")'), "'neue_zahlen' | ('neue' <-> 'zahlen')");
  assert.equal(rankQueryOf('("rad"* OR "bahn") AND "kreis"'), "'rad':* | 'bahn' | 'kreis'");
  assert.equal(rankQueryOf(EVERY_ENTRY), null);
});
