// The private preview link of a release: works without login for whoever holds the unguessable
// token, marked "preview", never indexed and never cached (no `config.pageCache`).
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { Type, type Static } from '@sinclair/typebox';
import { presentRelease } from './releases.presenter.ts';
import { releasePageView } from './releases.views.ts';

const PreviewParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
type PreviewParams = Static<typeof PreviewParams>;

export default async function releasesPreviewRoutes(app: FastifyInstance) {
  app.get<{ Params: PreviewParams }>('/preview/:token', { schema: { params: PreviewParams } }, async function showPreviewPage(request, reply) {
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer');
    const release = await app.services.releases.findByPreviewToken(request.params.token);
    if (!release) throw new NotFoundError();
    const view = releasePageView(presentRelease(release, app.services.urls), request.t, app.config.siteName);
    return reply.page('releases/show', { release: { ...view, jsonLd: null }, previewBanner: true, robots: 'noindex, nofollow', canonical: null, title: `${request.t.t('release.preview')}: ${view.title}` });
  });
}
