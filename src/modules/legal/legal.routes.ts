// The public imprint and privacy pages. With IMPRINT_URL / PRIVACY_URL set they live elsewhere and
// these addresses send there; otherwise they show what platform admins wrote, or a visible note
// while nothing is written yet.
import type { FastifyInstance } from 'fastify';
import type { LegalKind } from '../../db/database.ts';
import { legalPath } from './legal.links.ts';

export default async function legalRoutes(app: FastifyInstance) {
  const { config } = app;
  const { urls } = app.services;
  for (const kind of ['imprint', 'privacy'] as const satisfies readonly LegalKind[]) {
    const elsewhere = kind === 'imprint' ? config.imprintUrl : config.privacyUrl;
    app.get(legalPath(urls, kind), { config: { pageCache: true } }, async function showLegalPage(request, reply) {
      if (elsewhere) return reply.redirect(elsewhere, 302);
      const page = await app.services.legal.get(kind);
      const t = request.t.t;
      return reply.page('legal/page', {
        title: t(`legal.${kind}.title`),
        bodyHtml: page.bodyHtml,
        empty: page.bodyMarkdown === '',
        updated: page.updatedAt ? request.t.date(page.updatedAt) : '',
        canonical: urls.absolute(legalPath(urls, kind)),
      });
    });
  }
}
