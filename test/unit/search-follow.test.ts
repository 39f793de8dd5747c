// The stored form of a followed search: canonical, round-trips, and never throws on odd values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFollowedSearch, describeFollowedSearch, encodeFollowedSearch, followedSearchParams } from '../../src/modules/search/search.follow.ts';

const none = { offices: [], topic: null, region: null, from: null, to: null, language: null };

test('equal searches give equal stored values: fixed key order, offices sorted, empty parts left out', () => {
  const a = encodeFollowedSearch({ q: ' Radweg ', filters: { ...none, offices: ['stadt', 'kreis'], topic: 'verkehr', language: 'de' } });
  const b = encodeFollowedSearch({ q: 'Radweg', filters: { ...none, language: 'de', topic: 'verkehr', offices: ['kreis', 'stadt', 'kreis'] } });
  assert.equal(a, b);
  assert.equal(a, '{"q":"Radweg","filters":{"offices":["kreis","stadt"],"topic":"verkehr","language":"de"}}');
  assert.deepEqual(decodeFollowedSearch(a), { q: 'Radweg', filters: { ...none, offices: ['kreis', 'stadt'], topic: 'verkehr', language: 'de' } });
});

test('odd stored values decode to undefined or to what is usable, never throw', () => {
  for (const value of ['', 'not json', '[]', 'null', '{"q":1}', 'x'.repeat(3000)]) assert.equal(decodeFollowedSearch(value), undefined, value);
  assert.deepEqual(decodeFollowedSearch('{"q":"a","filters":{"offices":[1,"x"],"language":"fr","topic":{}}}'), { q: 'a', filters: { ...none, offices: ['x'] } });
});

test('query string in the search URL order, and a readable description', () => {
  const search = { q: 'Radweg "neue Brücke"', filters: { ...none, offices: ['kreis'], topic: 'verkehr', region: 'nordkreis', from: '2026-01-01', to: '2026-03-31', language: 'de' as const } };
  assert.equal(followedSearchParams(search).toString(), 'q=Radweg+%22neue+Br%C3%BCcke%22&office=kreis&topic=verkehr&region=nordkreis&from=2026-01-01&to=2026-03-31&lang=de');
  const names = { offices: new Map([['kreis', 'Landkreis']]), topics: new Map([['verkehr', 'Verkehr']]), regions: new Map<string, string>() };
  assert.equal(describeFollowedSearch(search, names), '„Radweg "neue Brücke"“ · Landkreis · Verkehr · nordkreis · 2026-01-01 – 2026-03-31 · de');
});
