// sitemap.xml, robots.txt, the language switch and /healthz.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { isLocalPath, toLocation } from '../../lib/urls.ts';
import { LANG_COOKIE } from '../../plugins/views.ts';

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

  app.get('/sitemap.xml', { config: { pageCache: true } }, async function showSitemap(_request, reply) {
    const [entries, officeList, topics, regions] = await Promise.all([
      releases.sitemapEntries(),
      offices.listAll(),
      taxonomies.list('topics'),
      taxonomies.list('regions'),
    ]);
    const lines: string[] = [];
    const add = (path: string, lastmod?: string) =>
      lines.push(`<url><loc>${xmlEscape(urls.absolute(path))}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`);
    add(urls.home(), entries[0]?.updated_at);
    add(urls.offices());
    add(urls.archive());
    for (const o of officeList) add(urls.office(o.slug));
    for (const t of topics) add(urls.topic(t.slug));
    for (const r of regions) add(urls.region(r.slug));
    for (const e of entries) add(urls.release(e), e.updated_at);
    return reply
      .type('application/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`);
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
