// Public office pages: the directory and each office's profile with its releases.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { absoluteUrl, paths } from '../../lib/urls.ts';
import { PageQuery, SlugParams } from '../releases/releases.schemas.ts';
import { showListing } from '../releases/releases.listing.ts';
import { contactLines } from '../releases/releases.views.ts';

const OfficeParams = SlugParams('office');

/**
 * The office website as a link target: http(s) as it is, a bare host (as imports bring them) with
 * https:// before it, anything else (`javascript:`, `data:`) no link at all. The settings form checks
 * the scheme, but offices made by the import or the CLI do not pass through it.
 */
const webHref = (website: string): string => {
  const w = website.trim();
  if (/^https?:\/\/\S+$/i.test(w)) return w;
  if (/^[\p{L}\p{N}][\p{L}\p{N}.-]*\.[\p{L}]{2,}(?:[/?#]\S*)?$/u.test(w)) return `https://${w}`;
  return '';
};

export default async function officesRoutes(app: FastifyInstance) {
  const { offices } = app.services;

  app.get('/offices', { config: { pageCache: true } }, async function showOfficesPage(request, reply) {
    const list = await offices.listWithCounts();
    return reply.page('offices/index', {
      offices: list.map((o) => ({ ...o, url: paths.office(o.slug), logo: o.logoPath ? paths.media(o.logoPath) : null })),
      canonical: absoluteUrl(app.config.publicUrl, paths.offices()),
    });
  });

  app.get<{ Params: { office: string }; Querystring: PageQuery }>(
    '/offices/:office',
    { schema: { params: OfficeParams, querystring: PageQuery }, config: { pageCache: true } },
    async function showOfficePage(request, reply) {
      const office = await offices.findBySlug(request.params.office);
      if (!office) throw new NotFoundError();
      const contacts = await offices.contacts(office.id);
      return showListing(request, reply, {
        filter: { officeId: office.id },
        basePath: paths.office(office.slug),
        template: 'offices/show',
        feedHeading: office.name,
        data: {
          heading: office.name,
          subscribeTarget: { kind: 'office', value: office.slug, name: office.name },
          office: {
            name: office.name,
            slug: office.slug,
            descriptionHtml: office.descriptionHtml,
            website: webHref(office.website),
            logo: office.logoPath ? paths.media(office.logoPath) : null,
          },
          contacts: contacts.map(contactLines),
        },
      });
    },
  );
}
