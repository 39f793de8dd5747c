import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { officeOptions, searchPageView, searchUrl } from '../../src/modules/search/search.views.ts';
import type { SearchResult } from '../../src/modules/search/search.service.ts';
import { createUrls } from '../../src/lib/urls.ts';

const urls = createUrls('https://herold.example');

const result = (overrides: Partial<SearchResult> = {}): SearchResult => ({
  query: 'Radweg',
  filters: { offices: [], topic: null, region: null, from: null, to: null, language: null },
  sort: 'relevance',
  searched: true,
  items: [],
  total: 1000,
  totalIsCapped: true,
  page: 1,
  pages: 50,
  perPage: 20,
  hints: [],
  suggestion: null,
  ...overrides,
});

test('a capped count says "more than 1,000"', () => {
  const de = searchPageView(result(), { officeOptionsHtml: officeOptions([]), topics: [], regions: [] }, createTranslator('de', 'Europe/Berlin'), urls);
  assert.equal(de.countLabel, 'Mehr als 1.000 Treffer');
  const en = searchPageView(result({ totalIsCapped: false, total: 1234 }), { officeOptionsHtml: officeOptions([]), topics: [], regions: [] }, createTranslator('en', 'Europe/Berlin'), urls);
  assert.equal(en.countLabel, '1,234 results');
});

test('search URLs list parameters in one order and leave out defaults', () => {
  const filters = { offices: ['stadt', 'kreis'], topic: 'verkehr', region: null, from: '2026-01-01', to: null, language: 'de' as const };
  assert.equal(searchUrl(urls, { query: ' Radweg ', filters, sort: 'relevance' }, 3), '/search?q=Radweg&office=stadt&office=kreis&topic=verkehr&from=2026-01-01&lang=de&page=3');
  assert.equal(searchUrl(urls, { query: '', filters, sort: 'date' }), '/search?office=stadt&office=kreis&topic=verkehr&from=2026-01-01&lang=de');
  assert.equal(searchUrl(urls, { query: 'a&b "c"', filters: { ...filters, offices: [] }, sort: 'date' }), '/search?q=a%26b+%22c%22&topic=verkehr&from=2026-01-01&lang=de&sort=date');
});

test('office options are escaped once and marked selected per search', () => {
  const options = officeOptions([{ slug: 'stadt', name: 'Stadt <Musterhausen> & Co' }, { slug: 'kreis', name: 'Kreis "Süd"' }]);
  assert.equal(options, '<option value="stadt">Stadt &lt;Musterhausen&gt; &amp; Co</option>\n<option value="kreis">Kreis &quot;Süd&quot;</option>');
  const view = (offices: string[]) => searchPageView(result({ filters: { offices, topic: null, region: null, from: null, to: null, language: null } }), { officeOptionsHtml: options, topics: [], regions: [] }, createTranslator('de', 'Europe/Berlin'), urls).form;
  assert.equal(view(['kreis']).officeOptionsHtml, '<option value="stadt">Stadt &lt;Musterhausen&gt; &amp; Co</option>\n<option value="kreis" selected>Kreis &quot;Süd&quot;</option>');
  assert.equal(view(['kreis']).allOffices.selected, false);
  assert.equal(view([]).officeOptionsHtml, options);
  assert.equal(view([]).allOffices.selected, true);
});
