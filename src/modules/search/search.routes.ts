// The public search page (GET /search, a plain form whose URL holds the whole query) and the feeds
// of a search (GET /search/feed.rss|atom|json with the same parameters), built by the feeds builder
// from the same service call, newest first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Term } from '../releases/release.ts';
import { ValidationError } from '../../lib/errors.ts';
import { FEED_CONTENT_TYPES, FEED_FORMATS } from '../../lib/feed-formats.ts';
import { createFeedItemCache, feedBody } from '../feeds/feeds.builder.ts';
import { DEFAULT_FEED_LIMIT, FEED_LIMIT_RULE } from '../feeds/feeds.schemas.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { feedLinks, feedTitle } from '../releases/releases.views.ts';
import { describeFollowedSearch, followedSearchParams, type SearchNames } from './search.follow.ts';
import { SearchFeedQuery, SearchQuery } from './search.schemas.ts';
import type { SearchFilters, SearchResult } from './search.service.ts';
import { officeOptions, searchPageView, searchUrl } from './search.views.ts';
import type { SafeHtml } from '../../lib/safe-html.ts';

interface Choices {
  officeOptionsHtml: SafeHtml;
  topics: Term[];
  regions: Term[];
  names: SearchNames;
}

/** A search feed differs only by the search's parameters and `limit`; sort and page are ignored. */
const SEARCH_FEED_CACHE = { shared: true, maxAge: 300, query: ['q', 'office', 'topic', 'region', 'from', 'to', 'lang', 'limit'] } as const;

const filtersOf = (query: SearchFeedQuery): SearchFilters => ({
  ...(query.office ? { offices: query.office } : {}),
  ...(query.topic !== undefined ? { topic: query.topic } : {}),
  ...(query.region !== undefined ? { region: query.region } : {}),
  ...(query.from !== undefined ? { from: query.from } : {}),
  ...(query.to !== undefined ? { to: query.to } : {}),
  ...(query.lang !== undefined ? { language: query.lang } : {}),
});

export default async function searchRoutes(app: FastifyInstance) {
  const { search, offices, taxonomies, urls } = app.services;
  const { config } = app;
  // Feeds are written in the site's language, whatever a visitor chose for the pages.
  const siteT = app.translators[config.lang];
  // Followed searches are fetched again and again, mostly with the same releases.
  const itemCache = createFeedItemCache(2 * 1024 * 1024);
  const icon = urls.absolute(app.asset('img/favicon.svg'));

  /** The offices, topics and regions of the filter form and of descriptions, read once per content version. */
  let choicesMemo: { version: number; value: Promise<Choices> } | undefined;
  const choices = async (): Promise<Choices> => {
    const version = await app.services.releases.contentVersion();
    if (choicesMemo?.version !== version) {
      const value = readChoices();
      choicesMemo = { version, value };
      // A failed read is not kept.
      value.catch(() => {
        if (choicesMemo?.value === value) choicesMemo = undefined;
      });
    }
    return choicesMemo.value;
  };
  const readChoices = async (): Promise<Choices> => {
    const [officeList, topics, regions] = await Promise.all([offices.listAll(), taxonomies.list('topics'), taxonomies.list('regions')]);
    const names: SearchNames = {
      offices: new Map(officeList.map((o) => [o.slug, o.name])),
      topics: new Map(topics.map((x) => [x.slug, x.name])),
      regions: new Map(regions.map((x) => [x.slug, x.name])),
    };
    return { officeOptionsHtml: officeOptions(officeList), topics, regions, names };
  };

  /** The canonical query string of a search for its feeds and alerts (no sort, no page). */
  // Spaces as `%20`, as browsers send a query typed into the address bar and as the feed's self link must
  // repeat it (URLSearchParams writes `+`, which the W3C validator reports as SelfDoesntMatchLocation).
  const followParams = (result: SearchResult) => followedSearchParams({ q: result.query, filters: result.filters }).toString().replace(/\+/g, '%20');

  // Not page-cached: every query is different, and the benchmark measures the search itself.
  app.get<{ Querystring: SearchQuery }>('/search', { schema: { querystring: SearchQuery } }, async function showSearchPage(request, reply) {
    const query = request.query;
    // A submitted form sends its empty fields too; answer with the short, shareable URL.
    const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    if (raw !== '' && [...new URLSearchParams(raw).values()].some((v) => v === '')) {
      const kept = new URLSearchParams([...new URLSearchParams(raw)].filter(([, v]) => v !== ''));
      const rest = kept.toString();
      return reply.redirect(urls.search(rest), 302);
    }
    const result = await search.search(query.q ?? '', filtersOf(query), { page: query.page ?? 1, ...(query.sort !== undefined ? { sort: query.sort } : {}) });
    // Past the last page: the last page that exists.
    if (result.searched && result.total > 0 && (query.page ?? 1) > result.pages) return reply.redirect(searchUrl(urls, result, result.pages), 302);
    const { officeOptionsHtml, topics, regions, names } = await choices();
    const view = searchPageView(result, { officeOptionsHtml, topics, regions }, request.t, urls);
    // A search for something can be followed: as a feed, or by e-mail.
    const follow = result.searched ? followParams(result) : '';
    const described = result.searched ? describeFollowedSearch({ q: result.query, filters: result.filters }, names) : '';
    return reply.page('search/index', {
      ...view,
      query: result.query,
      robots: 'noindex, follow',
      canonical: urls.absolute(searchUrl(urls, result, result.page)),
      feeds: result.searched ? feedLinks(urls, urls.search(), feedTitle(request.t.t('search.titleFor', { query: described }), config.siteName), follow) : [],
      feedsLabel: request.t.t('search.feedsLabel'),
      alertUrl: result.searched ? urls.subscribe({ search: follow }) : null,
    });
  });

  for (const format of FEED_FORMATS) {
    app.get<{ Querystring: SearchFeedQuery }>(
      urls.feed(urls.search(), format),
      { schema: { querystring: SearchFeedQuery }, attachValidation: true, config: { pageCache: SEARCH_FEED_CACHE } },
      async function showSearchFeed(request, reply) {
        if (request.validationError) {
          throw new ValidationError(`${FEED_LIMIT_RULE}; office may be given at most 50 times; other values at most 200 characters`, { query: 'invalid' });
        }
        const query = request.query;
        // The same call as the page, newest first; odd values are left out as the page leaves them out.
        const result = await search.search(query.q ?? '', filtersOf(query), { sort: 'date', limit: query.limit ?? DEFAULT_FEED_LIMIT });
        // A feed item carries the whole release, which a hit leaves out.
        const items = (await app.services.releases.publicReleasesByIds(result.items.map((hit) => hit.id))).map((r) => presentRelease(r, urls));
        const { names } = await choices();
        const described = result.searched ? describeFollowedSearch({ q: result.query, filters: result.filters }, names) : '';
        const site = config.siteName;
        const body = feedBody(
          {
            items,
            urls,
            listing: {
              title: feedTitle(described ? siteT.t('search.titleFor', { query: described }) : siteT.t('search.title'), site),
              description: described ? siteT.t('search.feedDescription', { search: described, site }) : siteT.t('search.feedDescriptionAll', { site }),
              path: urls.search(),
              query: result.searched ? followParams(result) : '',
              ...(query.limit !== undefined ? { limit: query.limit } : {}),
              language: config.lang,
              icon,
            },
            t: siteT,
            hub: null,
            emptyUpdated: changedAt(request),
          },
          format,
          itemCache,
        );
        return reply.type(FEED_CONTENT_TYPES[format]).send(body);
      },
    );
  }
}

/** The time of the last public change, as read by the page cache for this request. */
const changedAt = (request: FastifyRequest): string => request.pageCacheChangedAt || new Date(0).toISOString();
