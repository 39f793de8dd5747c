// Public topic and region pages.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { queryOf, toLocation } from '../../lib/urls.ts';
import { PageQuery, SlugParams } from '../releases/releases.schemas.ts';
import { showListing } from '../releases/releases.listing.ts';
import type { TermTable } from './taxonomies.service.ts';

const kinds = [
  { table: 'topics', param: 'topic', heading: 'topic.title', label: 'topics.label' },
  { table: 'regions', param: 'region', heading: 'region.title', label: 'regions.label' },
] as const;

export default async function taxonomiesRoutes(app: FastifyInstance) {
  const { taxonomies, urls } = app.services;

  for (const kind of kinds) {
    const index = kind.table === 'topics' ? urls.topics() : urls.regions();
    const path = (slug: string) => (kind.table === 'topics' ? urls.topic(slug) : urls.region(slug));
    // The directory takes no query parameters: `/topics?page=2` is `/topics`, one entry of the page cache, not one each.
    app.get(index, { config: { pageCache: { query: [] } } }, async function showTermsPage(request, reply) {
      const terms = await taxonomies.listWithCounts(kind.table as TermTable);
      return reply.page('taxonomies/index', {
        heading: request.t.t(kind.label),
        terms: terms.map((t) => ({ ...t, url: path(t.slug) })),
        canonical: urls.absolute(index),
      });
    });

    app.get<{ Params: Record<string, string>; Querystring: PageQuery }>(
      `${index}/:${kind.param}`,
      { schema: { params: SlugParams(kind.param), querystring: PageQuery }, config: { pageCache: true } },
      async function showTermPage(request, reply) {
        const slug = request.params[kind.param] ?? '';
        const term = await taxonomies.find(kind.table, slug);
        if (!term) {
          // A renamed or merged term: its old address moved for good.
          const moved = await taxonomies.findRedirect(kind.table, slug);
          if (moved) return reply.redirect(toLocation(path(moved) + queryOf(request.url)), 301);
          throw new NotFoundError();
        }
        return showListing(request, reply, {
          filter: kind.table === 'topics' ? { topicId: term.id } : { regionId: term.id },
          basePath: path(term.slug),
          template: 'releases/list',
          data: { heading: request.t.t(kind.heading, { name: term.name }), subscribeTarget: { kind: kind.param, value: term.slug, name: term.name }, breadcrumb: { name: request.t.t(kind.label), url: index } },
          feedHeading: request.t.t(kind.heading, { name: term.name }),
        });
      },
    );
  }
}
