// Public release pages: home, release page and its plain text, archive.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { renderReleaseText } from '../../content/release-text.ts';
import { ArchiveParams, PageQuery, ReleaseParams } from './releases.schemas.ts';
import { showListing } from './releases.listing.ts';
import { presentRelease } from './releases.presenter.ts';
import { monthRange } from './release.ts';
import { aroundView, feedLinks, feedTitle, releasePageView } from './releases.views.ts';

const RELEASE_REF = /^(\d{1,12})(?:-([a-z0-9-]*))?(\.txt|\.sig)?$/;

export default async function releasesRoutes(app: FastifyInstance) {
  const { releases, urls, pressKits } = app.services;
  const { config } = app;


  app.get<{ Querystring: PageQuery }>('/', { schema: { querystring: PageQuery }, config: { pageCache: true } }, async function showHomePage(request, reply) {
    return showListing(request, reply, {
      filter: {},
      basePath: urls.home(),
      template: 'releases/home',
      data: { heading: request.t.t('home.title'), intro: request.t.t('home.intro', { site: config.siteName }) },
      feedHeading: request.t.t('home.title'),
    });
  });

  app.get<{ Params: ReleaseParams }>('/releases/:ref', { schema: { params: ReleaseParams }, config: { pageCache: true } }, async function showReleasePage(request, reply) {
    const match = RELEASE_REF.exec(request.params.ref);
    if (!match) throw new NotFoundError();
    if (match[3] === '.sig' && !match[2]) {
      // Every signed version (modules/signing): for a release with a public page only.
      const file = await app.services.signing.signatureFile(Number(match[1]));
      if (!file) throw new NotFoundError();
      return reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').header('link', `<${file.page}>; rel="canonical"`).send(JSON.stringify(file, null, 2));
    }
    const release = await releases.findPublic(Number(match[1]));
    if (!release) throw new NotFoundError();
    const view = presentRelease(release, urls);
    if (match[3] === '.txt') {
      const text = renderReleaseText(view, { timeZone: config.timeZone, siteName: config.siteName, siteUrl: urls.base });
      return reply.type('text/plain; charset=utf-8').header('link', `<${view.links.page.url}>; rel="canonical"`).send(text);
    }
    if (match[3] || match[2] !== release.slug) return reply.redirect(view.links.page.path, 301);
    const page = releasePageView(view, request.t, config.siteName, await pressKits.pageDownloads(release, view, request.log));
    // Cached with the page (the page cache is keyed by the content version, which every public change bumps).
    const around = await releases.around(release);
    return reply.page('releases/show', {
      release: page,
      around: aroundView(around, urls, request.t, release.office.name),
      canonical: page.canonical,
      activityPub: view.links.activity.url,
      feeds: feedLinks(urls, view.office.link.path, feedTitle(release.office.name, config.siteName)),
    });
  });

  app.get('/archive', { config: { pageCache: true } }, async function showArchivePage(request, reply) {
    const months = await releases.archiveMonths();
    const years = new Map<number, { year: number; months: { label: string; url: string; count: number }[] }>();
    for (const m of months) {
      const year = years.get(m.year) ?? { year: m.year, months: [] };
      year.months.push({ label: request.t.month(m.year, m.month), url: urls.archiveMonth(m.year, m.month), count: m.count });
      years.set(m.year, year);
    }
    return reply.page('releases/archive', { years: [...years.values()], canonical: urls.absolute(urls.archive()) });
  });

  app.get<{ Params: ArchiveParams; Querystring: PageQuery }>(
    '/archive/:year/:month',
    { schema: { params: ArchiveParams, querystring: PageQuery }, config: { pageCache: true } },
    async function showArchiveMonthPage(request, reply) {
      const { year, month } = request.params;
      const label = request.t.month(year, month);
      return showListing(request, reply, {
        filter: monthRange(year, month),
        basePath: urls.archiveMonth(year, month),
        template: 'releases/list',
        data: { heading: request.t.t('archive.month', { month: label }), breadcrumb: { name: request.t.t('archive.title'), url: urls.archive() } },
      });
    },
  );
}
