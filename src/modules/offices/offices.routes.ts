// Public office pages: the directory and each office's profile with its releases.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { PageQuery, SlugParams } from '../releases/releases.schemas.ts';
import { showListing } from '../releases/releases.listing.ts';
import { contactView } from '../releases/releases.presenter.ts';
import { filterOffices, MAX_FILTER_LENGTH, webHref } from './offices.views.ts';

const OfficeParams = SlugParams('office');

export default async function officesRoutes(app: FastifyInstance) {
  const { offices, urls, federation } = app.services;

  app.get('/offices', { config: { pageCache: { query: ['q'] } } }, async function showOfficesPage(request, reply) {
    const list = await offices.listWithCounts();
    // The filter box (a GET form, so it works without JavaScript): any value is a filter text, never an error.
    const raw = (request.query as Record<string, unknown>).q;
    const q = (typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : '').trim().slice(0, MAX_FILTER_LENGTH);
    const shown = filterOffices(list, q);
    return reply.page('offices/index', {
      offices: shown.map((o) => ({ ...o, url: urls.office(o.slug), logo: o.logoPath ? urls.media(o.logoPath) : null })),
      filter: {
        q,
        resetUrl: urls.offices(),
        count: q ? request.t.t('offices.filterCount', { count: shown.length, total: list.length }) : '',
        none: q && shown.length === 0 ? request.t.t('offices.filterNone', { query: q }) : '',
      },
      canonical: urls.absolute(urls.offices()),
    });
  });

  app.get<{ Params: { office: string }; Querystring: PageQuery }>(
    '/offices/:office',
    { schema: { params: OfficeParams, querystring: PageQuery }, config: { pageCache: true } },
    async function showOfficePage(request, reply) {
      const office = await offices.findBySlug(request.params.office);
      if (!office) throw new NotFoundError();
      // At once: on PostgreSQL each is a round trip of its own.
      const [contacts, fediverse] = await Promise.all([offices.contacts(office.id), federation.officeStatus(office)]);
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
