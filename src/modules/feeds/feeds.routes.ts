// Feeds of every listing (all releases, each office, topic and region) in RSS, Atom and JSON Feed;
// the feeds page for journalists; OPML lists of every feed and of each office's; WebSub pings when WEBSUB_HUB is set.
// Rendered feeds are kept by the page cache (src/plugins/page-cache.ts) until the content version changes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { FEED_CONTENT_TYPES, FEED_FORMATS, type FeedFormat } from '../../lib/feed-formats.ts';
import { queryOf, toLocation } from '../../lib/urls.ts';
import type { ListFilter } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { feedLinks, feedTitle } from '../releases/releases.views.ts';
import { buildOpml, createFeedItemCache, feedBody, type FeedListing, type OpmlOutline } from './feeds.builder.ts';
import { DEFAULT_FEED_LIMIT, FEED_LIMIT_RULE, FeedQuery } from './feeds.schemas.ts';
import { startWebSubPings } from './feeds.websub.ts';

type Scope = 'all' | 'office' | 'topic' | 'region';

const SCOPES: { scope: Scope; prefix: string; param: string | null }[] = [
  { scope: 'all', prefix: '', param: null },
  { scope: 'office', prefix: '/offices/:office', param: 'office' },
  { scope: 'topic', prefix: '/topics/:topic', param: 'topic' },
  { scope: 'region', prefix: '/regions/:region', param: 'region' },
];

/** Feeds are the same in every UI language, change only with the content, and differ only by `limit`. */
const FEED_CACHE = { shared: true, maxAge: 300, query: ['limit'] } as const;

export default async function feedsRoutes(app: FastifyInstance) {
  const { releases, offices, taxonomies, urls } = app.services;
  const { config } = app;
  // Feeds are written in the site's language, whatever a visitor chose for the pages.
  const t = app.translators[config.lang];
  // The written items of every feed of the site (a release is in its office's, topics', regions' and the site's feeds).
  const itemCache = createFeedItemCache();
  const icon = urls.absolute(app.asset('img/favicon.svg'));

  /** The filter and the description of a listing, or undefined for an unknown slug. */
  const resolveListing = async (scope: Scope, slug: string): Promise<{ filter: ListFilter; listing: FeedListing } | undefined> => {
    const site = config.siteName;
    if (scope === 'all') {
      return {
        filter: {},
        listing: { title: feedTitle(t.t('home.title'), site), description: t.t('home.intro', { site }), path: urls.home(), language: config.lang, icon },
      };
    }
    if (scope === 'office') {
      const office = await offices.findBySlug(slug);
      if (!office) return undefined;
      return {
        filter: { officeId: office.id },
        listing: {
          title: feedTitle(office.name, site),
          description: t.t('feeds.officeDescription', { office: office.name, site }),
          path: urls.office(office.slug),
          language: office.language,
          image: office.logoPath ? urls.absolute(urls.media(office.logoPath)) : null,
          icon,
        },
      };
    }
    const table = scope === 'topic' ? 'topics' : 'regions';
    const term = await taxonomies.find(table, slug);
    if (!term) return undefined;
    return {
      filter: scope === 'topic' ? { topicId: term.id } : { regionId: term.id },
      listing: {
        title: feedTitle(t.t(scope === 'topic' ? 'topic.title' : 'region.title', { name: term.name }), site),
        description: t.t(scope === 'topic' ? 'feeds.topicDescription' : 'feeds.regionDescription', { name: term.name, site }),
        path: scope === 'topic' ? urls.topic(term.slug) : urls.region(term.slug),
        language: config.lang,
        icon,
      },
    };
  };

  for (const { scope, prefix, param } of SCOPES) {
    for (const format of FEED_FORMATS) {
      app.get<{ Params: Record<string, string>; Querystring: FeedQuery }>(
        `${prefix}/feed.${format}`,
        {
          schema: { querystring: FeedQuery, ...(param ? { params: Type.Object({ [param]: Type.String({ maxLength: 100 }) }) } : {}) },
          attachValidation: true,
          config: { pageCache: FEED_CACHE },
        },
        async function showFeed(request, reply) {
          if (request.validationError) {
            if (request.validationError.validationContext === 'params') throw new NotFoundError();
            throw new ValidationError(FEED_LIMIT_RULE, { limit: 'invalid' });
          }
          const slug = param ? (request.params[param] ?? '') : '';
          const resolved = await resolveListing(scope, slug);
          if (!resolved) {
            // The feed of a renamed or merged topic or region moved for good, as its page did.
            const moved = scope === 'topic' || scope === 'region' ? await taxonomies.findRedirect(scope === 'topic' ? 'topics' : 'regions', slug) : undefined;
            if (moved) return reply.redirect(toLocation(urls.feed(scope === 'topic' ? urls.topic(moved) : urls.region(moved), format) + queryOf(request.url)), 301);
            throw new NotFoundError();
          }
          const items = (await releases.latestPublic(resolved.filter, request.query.limit ?? DEFAULT_FEED_LIMIT)).map((r) => presentRelease(r, urls));
          const listing = { ...resolved.listing, ...(request.query.limit !== undefined ? { limit: request.query.limit } : {}) };
          const body = feedBody({ items, urls, listing, t, hub: config.websubHub, emptyUpdated: changedAt(request) }, format, itemCache);
          return reply.type(FEED_CONTENT_TYPES[format]).send(body);
        },
      );
    }
  }

  app.get('/feeds', { config: { pageCache: true } }, async function showFeedsPage(request, reply) {
    const [officeList, topics, regions] = await Promise.all([offices.listAll(), taxonomies.list('topics'), taxonomies.list('regions')]);
    const rt = request.t;
    const group = (items: { name: string; path: string; opml?: string }[]) =>
      items.map((x) => ({ name: x.name, url: x.path, feeds: feedLinks(urls, x.path, feedTitle(x.name, config.siteName)), opml: x.opml ?? null }));
    const allFeeds = feedLinks(urls, urls.home(), feedTitle(rt.t('home.title'), config.siteName));
    return reply.page('feeds/index', {
      allFeeds,
      feeds: allFeeds,
      groups: [
        { heading: rt.t('nav.offices'), id: 'feeds-offices', entries: group(officeList.map((o) => ({ name: o.name, path: urls.office(o.slug), opml: urls.officeFeedsOpml(o.slug) }))) },
        { heading: rt.t('topics.label'), id: 'feeds-topics', entries: group(topics.map((x) => ({ name: x.name, path: urls.topic(x.slug) }))) },
        { heading: rt.t('regions.label'), id: 'feeds-regions', entries: group(regions.map((x) => ({ name: x.name, path: urls.region(x.slug) }))) },
      ].filter((g) => g.entries.length > 0),
      opmlUrl: urls.feedsOpml(),
      canonical: urls.absolute(urls.feeds()),
    });
  });

  /** The RSS feed of a listing as an OPML outline. */
  const outline = (title: string, path: string): OpmlOutline => ({ title, xmlUrl: urls.absolute(urls.feed(path, 'rss')), htmlUrl: urls.absolute(path) });
  const sendOpml = (reply: FastifyReply, name: string, body: string) =>
    reply.type('text/x-opml; charset=utf-8').header('content-disposition', `inline; filename="${name}"`).send(body);

  app.get('/feeds.opml', { config: { pageCache: { shared: true, maxAge: 300 } } }, async function showFeedsOpml(request, reply) {
    const [officeList, topics, regions] = await Promise.all([offices.listAll(), taxonomies.list('topics'), taxonomies.list('regions')]);
    // Every feed there is, grouped as on /feeds: all releases, then each office, topic and region.
    const groups: OpmlOutline[] = [
      { title: t.t('nav.offices'), children: officeList.map((o) => outline(o.name, urls.office(o.slug))) },
      { title: t.t('topics.label'), children: topics.map((x) => outline(t.t('topic.title', { name: x.name }), urls.topic(x.slug))) },
      { title: t.t('regions.label'), children: regions.map((x) => outline(t.t('region.title', { name: x.name }), urls.region(x.slug))) },
    ].filter((g) => g.children.length > 0);
    const body = buildOpml(t.t('feeds.opmlTitle', { site: config.siteName }), changedAt(request), [outline(t.t('feeds.allHeading'), urls.home()), ...groups]);
    return sendOpml(reply, 'feeds.opml', body);
  });

  app.get<{ Params: { office: string } }>(
    '/offices/:office/feeds.opml',
    { schema: { params: Type.Object({ office: Type.String({ maxLength: 100 }) }) }, attachValidation: true, config: { pageCache: { shared: true, maxAge: 300 } } },
    async function showOfficeFeedsOpml(request, reply) {
      const office = request.validationError ? undefined : await offices.findBySlug(request.params.office);
      if (!office) throw new NotFoundError();
      const body = buildOpml(t.t('feeds.officeOpmlTitle', { office: office.name, site: config.siteName }), changedAt(request), [outline(office.name, urls.office(office.slug))]);
      return sendOpml(reply, `${office.slug}-feeds.opml`, body);
    },
  );

  if (config.websubHub) {
    const stop = startWebSubPings({ hub: config.websubHub, urls, events: app.services.events, releases, log: app.log.child({ module: 'websub' }) });
    app.addHook('onClose', async () => stop());
  }
}

/** The time of the last public change, as read by the page cache for this request. */
const changedAt = (request: FastifyRequest): string => request.pageCacheChangedAt || new Date(0).toISOString();

export type { FeedFormat };
