// The sitemap index and its sitemaps, robots.txt, the language switch and /healthz.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../lib/errors.ts';
import { isLocalPath, toLocation } from '../../lib/urls.ts';
import { lastPublicChange } from '../releases/release.ts';
import { LANG_COOKIE } from '../../plugins/views.ts';

/** Addresses a sitemap may hold (sitemaps.org). */
const SITEMAP_MAX = 50_000;

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export default async function siteRoutes(app: FastifyInstance) {
  const { releases, offices, taxonomies, urls } = app.services;

  app.get('/robots.txt', async function showRobots(_request, reply) {
    return reply
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nDisallow: ${urls.admin.home()}\nDisallow: ${urls.preview('')}\nAllow: /\n\nSitemap: ${urls.absolute(urls.sitemap())}\n`);
  });

  // For a reverse proxy or a monitor: JSON, never cached, no rate limit (a monitor polls it);
  // 503 when the database does not answer.
  app.get('/healthz', async function showHealth(_request, reply) {
    const health = await app.services.health.check();
    return reply
      .code(health.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send({ status: health.ok ? 'ok' : 'error', database: health.database, pendingMail: health.pendingMail, lastJobRun: health.lastJobRun, failingJobs: health.failingJobs });
  });

  // The sitemap index and its sitemaps. A sitemap holds at most 50,000 addresses (sitemaps.org):
  // one file for the listing pages, and one for the releases dated in each month (in parts of
  // 50,000 where a month has more), so that no file is read and written whole for an archive of any
  // size. One answer in every language.
  const urlset = (entries: { path: string; lastModified?: string | undefined }[]) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries
      .map((e) => `<url><loc>${xmlEscape(urls.absolute(e.path))}</loc>${e.lastModified ? `<lastmod>${e.lastModified}</lastmod>` : ''}</url>\n`)
      .join('')}</urlset>\n`;
  const sendXml = (reply: FastifyReply, body: string) => reply.type('application/xml; charset=utf-8').send(body);

  app.get('/sitemap.xml', { config: { pageCache: { shared: true } } }, async function showSitemapIndex(_request, reply) {
    const months = await releases.archiveMonths();
    const files = [urls.sitemapPages(), ...months.flatMap((m) => Array.from({ length: Math.ceil(m.count / SITEMAP_MAX) }, (_, i) => urls.sitemapMonth(m.year, m.month, i + 1)))];
    return sendXml(
      reply,
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${files.map((path) => `<sitemap><loc>${xmlEscape(urls.absolute(path))}</loc></sitemap>\n`).join('')}</sitemapindex>\n`,
    );
  });

  app.get('/sitemaps/pages.xml', { config: { pageCache: { shared: true } } }, async function showPagesSitemap(_request, reply) {
    const [newest, officeList, topics, regions] = await Promise.all([releases.latestPublic({}, 1), offices.listAll(), taxonomies.list('topics'), taxonomies.list('regions')]);
    return sendXml(
      reply,
      urlset([
        { path: urls.home(), lastModified: newest[0] && lastPublicChange({ published_at: newest[0].publishedAt, updated_at: newest[0].updatedAt }) },
        { path: urls.offices() },
        { path: urls.archive() },
        ...officeList.map((o) => ({ path: urls.office(o.slug) })),
        ...topics.map((t) => ({ path: urls.topic(t.slug) })),
        ...regions.map((r) => ({ path: urls.region(r.slug) })),
      ]),
    );
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', { config: { pageCache: { shared: true } } }, async function showReleasesSitemap(request, reply) {
    const match = /^releases-(\d{4})-(\d{2})(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/.exec(request.params.file);
    const [year, month, part] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 1)] : [0, 0, 0];
    if (!match || month < 1 || month > 12) throw new NotFoundError();
    const entries = await releases.sitemapEntries(year, month, SITEMAP_MAX, (part - 1) * SITEMAP_MAX);
    // A month without public releases, or a part beyond its last, is not in the index.
    if (entries.length === 0) throw new NotFoundError();
    return sendXml(reply, urlset(entries.map((e) => ({ path: urls.release(e), lastModified: e.lastModified }))));
  });

  app.get<{ Params: { lang: 'de' | 'en' }; Querystring: { next?: string } }>(
    '/language/:lang',
    {
      schema: {
        params: Type.Object({ lang: Type.Union([Type.Literal('de'), Type.Literal('en')]) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async function switchLanguage(request, reply) {
      // Only local paths: never an open redirect.
      const next = request.query.next && isLocalPath(request.query.next) ? toLocation(request.query.next) : '/';
      const secure = urls.base.startsWith('https:') ? '; Secure' : '';
      reply.header('set-cookie', `${LANG_COOKIE}=${request.params.lang}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${secure}`);
      return reply.redirect(next, 303);
    },
  );
}
