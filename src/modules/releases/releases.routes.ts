// Public release pages: home, release page and its plain text, archive.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { absoluteUrl, paths } from '../../lib/urls.ts';
import { renderReleaseText } from '../../content/release-text.ts';
import { ArchiveParams, PageQuery, ReleaseParams } from './releases.schemas.ts';
import { showListing } from './releases.listing.ts';
import { releaseView } from './releases.views.ts';
import { feedLinks, feedTitle } from '../feeds/feeds.views.ts';

const RELEASE_REF = /^(\d{1,12})(?:-([a-z0-9-]*))?(\.txt)?$/;

export default async function releasesRoutes(app: FastifyInstance) {
  const { releases } = app.services;
  const { config } = app;

  app.get<{ Querystring: PageQuery }>('/', { schema: { querystring: PageQuery }, config: { pageCache: true } }, async function showHomePage(request, reply) {
    return showListing(request, reply, {
      filter: {},
      basePath: paths.home(),
      template: 'releases/home',
      data: { heading: request.t.t('home.title'), intro: request.t.t('home.intro', { site: config.siteName }) },
      feedHeading: request.t.t('home.title'),
    });
  });

  app.get<{ Params: ReleaseParams }>('/releases/:ref', { schema: { params: ReleaseParams }, config: { pageCache: true } }, async function showReleasePage(request, reply) {
    const match = RELEASE_REF.exec(request.params.ref);
    if (!match) throw new NotFoundError();
    const id = Number(match[1]);
    const release = await releases.findPublic(id);
    if (!release) throw new NotFoundError();
    if (match[3]) {
      const text = renderReleaseText(release, {
        timeZone: config.timeZone,
        siteName: config.siteName,
        siteUrl: config.publicUrl,
        releaseUrl: absoluteUrl(config.publicUrl, paths.release(release.id, release.slug)),
        officeFeedUrl: absoluteUrl(config.publicUrl, paths.feed(paths.office(release.office.slug), 'rss')),
        subscribeUrl: absoluteUrl(config.publicUrl, `${paths.subscribe()}?office=${release.office.slug}`),
      });
      return reply.type('text/plain; charset=utf-8').header('link', `<${absoluteUrl(config.publicUrl, paths.release(release.id, release.slug))}>; rel="canonical"`).send(text);
    }
    if (match[2] !== release.slug) return reply.redirect(paths.release(release.id, release.slug), 301);
    const view = releaseView(release, request.t, config);
    return reply.page('releases/show', {
      release: view,
      canonical: view.canonical,
      feeds: feedLinks(config.publicUrl, paths.office(release.office.slug), feedTitle(release.office.name, config.siteName)),
      footerLinks: [
        { name: request.t.t('release.footerFeed'), url: paths.feed(paths.office(release.office.slug), 'rss') },
        { name: request.t.t('release.footerSubscribe'), url: `${paths.subscribe()}?office=${encodeURIComponent(release.office.slug)}` },
      ],
    });
  });

  app.get('/archive', { config: { pageCache: true } }, async function showArchivePage(request, reply) {
    const months = await releases.archiveMonths();
    const years = new Map<number, { year: number; months: { label: string; url: string; count: number }[] }>();
    for (const m of months) {
      const year = years.get(m.year) ?? { year: m.year, months: [] };
      year.months.push({ label: request.t.month(m.year, m.month), url: paths.archiveMonth(m.year, m.month), count: m.count });
      years.set(m.year, year);
    }
    return reply.page('releases/archive', { years: [...years.values()], canonical: absoluteUrl(config.publicUrl, paths.archive()) });
  });

  app.get<{ Params: ArchiveParams; Querystring: PageQuery }>(
    '/archive/:year/:month',
    { schema: { params: ArchiveParams, querystring: PageQuery }, config: { pageCache: true } },
    async function showArchiveMonthPage(request, reply) {
      const { year, month } = request.params;
      const from = `${year}-${String(month).padStart(2, '0')}-01`;
      const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
      const label = request.t.month(year, month);
      return showListing(request, reply, {
        filter: { dateFrom: from, dateBefore: next },
        basePath: paths.archiveMonth(year, month),
        template: 'releases/list',
        data: { heading: request.t.t('archive.month', { month: label }), breadcrumb: { name: request.t.t('archive.title'), url: paths.archive() } },
      });
    },
  );
}
