// The private preview link of a release: works without login for whoever holds the unguessable
// token, marked "preview", never indexed and never cached (no `config.pageCache`). It shows a draft
// or a scheduled release before its time; once the release is public, or withdrawn, the link leads
// to its public page and shows nothing the public page does not. Its photos load through a cookie
// scoped to the release's media folder (see modules/media/media.routes.ts).
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.ts';
import { Type, type Static } from '@sinclair/typebox';
import { presentRelease } from './releases.presenter.ts';
import { releasePageView } from './releases.views.ts';
import { previewMediaCookie } from '../media/media.routes.ts';

const PreviewParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
type PreviewParams = Static<typeof PreviewParams>;

export default async function releasesPreviewRoutes(app: FastifyInstance) {
  const secure = app.config.publicUrl.startsWith('https:');
  app.get<{ Params: PreviewParams }>('/preview/:token', { schema: { params: PreviewParams } }, async function showPreviewPage(request, reply) {
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer');
    const release = await app.services.releases.findByPreviewToken(request.params.token);
    if (!release) throw new NotFoundError();
    if (!app.services.releases.isPreviewable(release)) return reply.redirect(app.services.urls.release(release), 303);
    const cookie = previewMediaCookie(release.id);
    reply.setCookie(cookie.name, request.params.token, { path: cookie.path, httpOnly: true, sameSite: 'lax', secure, maxAge: 12 * 60 * 60 });
    const view = releasePageView(presentRelease(release, app.services.urls), request.t, app.config.siteName);
    return reply.page('releases/show', { release: { ...view, jsonLd: null }, previewBanner: true, robots: 'noindex, nofollow', canonical: null, title: `${request.t.t('release.preview')}: ${view.title}` });
  });
}
