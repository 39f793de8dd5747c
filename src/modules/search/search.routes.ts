// The public search page: GET /search, a plain form whose URL holds the whole query.
import type { FastifyInstance } from 'fastify';
import { absoluteUrl, paths } from '../../lib/urls.ts';
import { SearchQuery } from './search.schemas.ts';
import { searchPageView, searchUrl } from './search.views.ts';

export default async function searchRoutes(app: FastifyInstance) {
  const { search, offices, taxonomies } = app.services;

  // Not page-cached: every query is different, and the benchmark measures the search itself.
  app.get<{ Querystring: SearchQuery }>('/search', { schema: { querystring: SearchQuery } }, async function showSearchPage(request, reply) {
    const query = request.query;
    // A submitted form sends its empty fields too; answer with the short, shareable URL.
    const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    if (raw !== '' && [...new URLSearchParams(raw).values()].some((v) => v === '')) {
      const kept = new URLSearchParams([...new URLSearchParams(raw)].filter(([, v]) => v !== ''));
      const rest = kept.toString();
      return reply.redirect(`${paths.search()}${rest ? `?${rest}` : ''}`, 302);
    }
    const result = await search.search(
      query.q ?? '',
      {
        ...(query.office ? { offices: query.office } : {}),
        ...(query.topic !== undefined ? { topic: query.topic } : {}),
        ...(query.region !== undefined ? { region: query.region } : {}),
        ...(query.from !== undefined ? { from: query.from } : {}),
        ...(query.to !== undefined ? { to: query.to } : {}),
        ...(query.lang !== undefined ? { language: query.lang } : {}),
      },
      { page: query.page ?? 1, ...(query.sort !== undefined ? { sort: query.sort } : {}) },
    );
    // Past the last page: the last page that exists.
    if (result.searched && result.total > 0 && (query.page ?? 1) > result.pages) return reply.redirect(searchUrl(result, result.pages), 302);
    const [officeList, topics, regions] = await Promise.all([offices.listAll(), taxonomies.list('topics'), taxonomies.list('regions')]);
    const view = searchPageView(result, { offices: officeList, topics, regions }, request.t);
    return reply.page('search/index', {
      ...view,
      query: result.query,
      robots: 'noindex, follow',
      canonical: absoluteUrl(app.config.publicUrl, searchUrl(result, result.page)),
    });
  });
}
