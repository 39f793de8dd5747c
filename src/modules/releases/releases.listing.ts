// Shared by every paginated public listing: home, office, topic, region, archive month.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withPage } from '../../lib/urls.ts';
import type { ListFilter } from './releases.service.ts';
import { feedLinks, feedTitle, paginationView, summaryView } from './releases.views.ts';

export const PER_PAGE = 20;

export interface ListingOptions {
  filter: ListFilter;
  /** Path of page 1 of this listing. */
  basePath: string;
  template: string;
  data?: Record<string, unknown>;
  /** The heading this listing's feeds are titled with; listings without feeds (archive months) leave it out. */
  feedHeading?: string;
}

export const showListing = async (
  request: FastifyRequest<{ Querystring: { page?: number } }>,
  reply: FastifyReply,
  { filter, basePath, template, data = {}, feedHeading }: ListingOptions,
) => {
  const { releases, urls } = request.server.services;
  const requested = request.query.page ?? 1;
  const page = await releases.listPublic(filter, requested, PER_PAGE);
  // Past the last page: the nearest page that exists.
  if (requested > page.pages) return reply.redirect(withPage(basePath, page.pages), 302);
  return reply.page(template, {
    ...data,
    items: page.items.map((item) => summaryView(item, request.t, urls)),
    pagination: paginationView(page, basePath, request.t),
    listingPath: basePath,
    canonical: urls.absolute(withPage(basePath, page.page)),
    ...(feedHeading ? { feeds: feedLinks(urls, basePath, feedTitle(feedHeading, request.server.config.siteName)) } : {}),
  });
};
