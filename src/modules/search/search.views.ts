// View model of the search page and the one builder of search URLs (stable parameter order, so a
// search has one shareable address; search feeds can reuse `searchParams`).
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import type { Paths } from '../../lib/urls.ts';
import type { Term } from '../releases/release.ts';
import { releaseWhen } from '../../content/release-when.ts';
import { COUNT_CAP, type AppliedFilters, type SearchResult, type SearchSort } from './search.service.ts';

/** The query string of a search: q, office…, topic, region, from, to, lang, sort, page. */
export const searchParams = (s: { query: string; filters: AppliedFilters; sort: SearchSort }, page = 1): URLSearchParams => {
  const params = new URLSearchParams();
  const q = s.query.trim();
  if (q) params.set('q', q);
  for (const office of s.filters.offices) params.append('office', office);
  if (s.filters.topic) params.set('topic', s.filters.topic);
  if (s.filters.region) params.set('region', s.filters.region);
  if (s.filters.from) params.set('from', s.filters.from);
  if (s.filters.to) params.set('to', s.filters.to);
  if (s.filters.language) params.set('lang', s.filters.language);
  // Only a sort that differs from the default is written down.
  const defaultSort: SearchSort = q ? 'relevance' : 'date';
  if (s.sort !== defaultSort) params.set('sort', s.sort);
  if (page > 1) params.set('page', String(page));
  return params;
};

export const searchUrl = (paths: Pick<Paths, 'search'>, s: { query: string; filters: AppliedFilters; sort: SearchSort }, page = 1): string => paths.search(searchParams(s, page).toString());

interface Choices {
  /** The offices as <option>s (`officeOptions`), made once per content version. */
  officeOptionsHtml: SafeHtml;
  topics: Term[];
  regions: Term[];
}

const option = (value: string, label: string, selected: boolean) => ({ value, label, selected });

/**
 * Every office as an <option>, escaped, none selected. A portal has hundreds of offices and the list
 * changes only with the content, so it is made once per content version, not on every search.
 */
export const officeOptions = (offices: readonly { slug: string; name: string }[]): SafeHtml =>
  trustHtml(offices.map((o) => `<option value="${escapeHtml(o.slug)}">${escapeHtml(o.name)}</option>`).join('\n'));

/** Office options with these offices selected. */
const selectOffices = (options: SafeHtml, slugs: readonly string[]): SafeHtml =>
  trustHtml(slugs.reduce<string>((html, slug) => html.replace(`<option value="${escapeHtml(slug)}">`, `<option value="${escapeHtml(slug)}" selected>`), options));

export const searchPageView = (result: SearchResult, choices: Choices, t: Translator, paths: Paths) => {
  const f = result.filters;
  const countLabel = !result.searched
    ? ''
    : result.totalIsCapped
      ? t.t('search.countCapped', { count: COUNT_CAP.toLocaleString(t.lang === 'de' ? 'de-DE' : 'en-GB') })
      : result.total === 1
        ? t.t('search.countOne')
        : t.t('search.count', { count: result.total.toLocaleString(t.lang === 'de' ? 'de-DE' : 'en-GB') });
  const q = result.query.trim();
  return {
    heading: t.t('search.heading'),
    title: q ? t.t('search.titleFor', { query: q.length > 80 ? `${q.slice(0, 80)}…` : q }) : t.t('search.title'),
    form: {
      q: result.query,
      officeMultiple: f.offices.length > 1,
      allOffices: option('', t.t('search.allOffices'), f.offices.length === 0),
      officeOptionsHtml: selectOffices(choices.officeOptionsHtml, f.offices),
      topics: [option('', t.t('search.allTopics'), !f.topic), ...choices.topics.map((x) => option(x.slug, x.name, f.topic === x.slug))],
      regions: [option('', t.t('search.allRegions'), !f.region), ...choices.regions.map((x) => option(x.slug, x.name, f.region === x.slug))],
      languages: [option('', t.t('search.allLanguages'), !f.language), option('de', t.t('search.lang.de'), f.language === 'de'), option('en', t.t('search.lang.en'), f.language === 'en')],
      sorts: [option('relevance', t.t('search.sort.relevance'), result.sort === 'relevance'), option('date', t.t('search.sort.date'), result.sort === 'date')],
      from: f.from ?? '',
      to: f.to ?? '',
    },
    hints: result.hints.map((h) => t.t(`search.hint.${h}` as MessageKey)),
    // "Meinten Sie …?": the corrected search with the same filters and sort.
    suggestion: result.suggestion === null ? null : { text: result.suggestion, url: searchUrl(paths, { ...result, query: result.suggestion }) },
    searched: result.searched,
    countLabel,
    items: result.items.map((r) => ({
      id: r.id,
      url: paths.release(r),
      titleHtml: r.titleHtml,
      lang: r.language,
      date: t.date(r.releaseDate),
      dateIso: r.releaseDate,
      when: releaseWhen(r, t),
      dateline: r.dateline,
      office: { name: r.office.name, url: paths.office(r.office.slug) },
      snippetHtml: r.snippetHtml,
    })),
    pagination:
      result.pages > 1
        ? {
            label: t.t('pagination.page', { page: result.page, pages: result.pages }),
            newerUrl: result.page > 1 ? searchUrl(paths, result, result.page - 1) : null,
            olderUrl: result.page < result.pages ? searchUrl(paths, result, result.page + 1) : null,
          }
        : null,
  };
};
