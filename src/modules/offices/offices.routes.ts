// Public office pages: the directory and each office's profile with its releases.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { PageQuery, SlugParams } from '../releases/releases.schemas.ts';
import { showListing } from '../releases/releases.listing.ts';
import { contactView } from '../releases/releases.presenter.ts';
import { webHref } from './offices.views.ts';

const OfficeParams = SlugParams('office');

export default async function officesRoutes(app: FastifyInstance) {
  const { offices, urls, federation } = app.services;

  app.get('/offices', { config: { pageCache: true } }, async function showOfficesPage(request, reply) {
    const list = await offices.listWithCounts();
    return reply.page('offices/index', {
      offices: list.map((o) => ({ ...o, url: urls.office(o.slug), logo: o.logoPath ? urls.media(o.logoPath) : null })),
      canonical: urls.absolute(urls.offices()),
    });
  });

  app.get<{ Params: { office: string }; Querystring: PageQuery }>(
    '/offices/:office',
    { schema: { params: OfficeParams, querystring: PageQuery }, config: { pageCache: true } },
    async function showOfficePage(request, reply) {
      const office = await offices.findBySlug(request.params.office);
      if (!office) throw new NotFoundError();
      const contacts = await offices.contacts(office.id);
      const fediverse = await federation.officeStatus(office);
      return showListing(request, reply, {
        filter: { officeId: office.id },
        basePath: urls.office(office.slug),
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
            logo: office.logoPath ? urls.media(office.logoPath) : null,
            opml: urls.officeFeedsOpml(office.slug),
          },
          contacts: contacts.map(contactView),
          // How a Mastodon user finds the office: its handle, searched for in their app.
          fediverse: fediverse.available && fediverse.enabled ? { handle: fediverse.handle, actor: urls.absolute(urls.activityPub.actor(office.slug)) } : null,
          activityPub: fediverse.available && fediverse.enabled ? urls.absolute(urls.activityPub.actor(office.slug)) : null,
        },
      });
    },
  );
}
