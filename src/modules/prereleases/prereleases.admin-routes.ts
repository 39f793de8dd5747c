// The office's side of an embargoed pre-release, below the release in the editor
// (`/admin/offices/{office}/releases/{id}/prerelease`): choose accredited journalists (all, or some),
// confirm and send; send to more later; see per recipient when it was sent and opened and what was
// downloaded; remove a recipient or withdraw the pre-release from everyone. Registered inside the
// /admin/offices/:office scope: logged in, CSRF checked, the office checked (another office's
// release answers 404 like a missing one). Every POST answers 303 with a flash message.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { actorOf, officeNav, officeOf, officeUrls } from '../admin/office-access.ts';
import type { Release } from '../releases/release.ts';
import { isEmbargoed } from './prereleases.service.ts';
import { recipientsTableView } from './prereleases.views.ts';
import { PrereleaseParams, RemoveBody, SendBody } from './prereleases.schemas.ts';

const releaseOfOffice = async (request: FastifyRequest, id: number): Promise<Release> => {
  const release = await request.server.services.releases.findById(id);
  if (!release || release.office.id !== officeOf(request).id) throw new NotFoundError();
  return release;
};

export default async function prereleasesAdminRoutes(app: FastifyInstance) {
  const { prereleases, clock } = app.services;
  const pageUrl = (request: FastifyRequest, id: number) => `${officeUrls(request).release(id)}/prerelease`;

  const showPage = async (request: FastifyRequest, reply: FastifyReply, release: Release, state: { errors?: Record<string, string>; who?: string; chosen?: string[]; status?: number } = {}) => {
    const t = request.t;
    const now = clock.now().toISOString();
    const candidates = await prereleases.candidates(release.office.id, release.id);
    const chosen = new Set(state.chosen ?? []);
    return reply.adminPage(
      'admin/prerelease',
      {
        title: t.t('prerelease.title', { title: release.title }),
        office: officeNav(request),
        release: { title: release.title, editUrl: officeUrls(request).release(release.id), until: release.publishedAt ? t.t('embargo.banner', { until: t.dateTime(release.publishedAt) }) : '' },
        embargoed: isEmbargoed(release, now),
        actionUrl: pageUrl(request, release.id),
        candidates: candidates.map((c) => ({ id: c.id, label: c.medium ? `${c.name} (${c.medium})` : c.name, email: c.email, recipient: c.recipient, checked: chosen.has(String(c.id)) })),
        open: candidates.filter((c) => !c.recipient).length,
        who: state.who ?? 'all',
        errors: state.errors ?? {},
        recipients: recipientsTableView(await prereleases.recipientsOf(release.id), t),
      },
      state.status,
    );
  };

  app.get<{ Params: PrereleaseParams }>('/releases/:id/prerelease', { schema: { params: PrereleaseParams } }, async function showPrereleasePage(request, reply) {
    return showPage(request, reply, await releaseOfOffice(request, request.params.id));
  });

  app.post<{ Params: PrereleaseParams; Body: SendBody }>('/releases/:id/prerelease', { schema: { params: PrereleaseParams, body: SendBody }, attachValidation: true }, async function sendPrerelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    const body = request.validationError ? {} : (request.body ?? {});
    const who = body.who === 'chosen' ? 'chosen' : 'all';
    const chosen = [body.journalist ?? []].flat();
    const errors: Record<string, string> = {};
    if (body.confirm !== 'yes') errors.confirm = request.t.t('prerelease.error.confirm');
    const ids = chosen.map(Number);
    if (who === 'chosen' && (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n < 1))) errors.journalists = request.t.t('prerelease.error.choose');
    if (Object.keys(errors).length > 0) return showPage(request, reply, release, { errors, who, chosen, status: 422 });
    let added: number;
    try {
      added = await prereleases.send(release, who === 'all' ? 'all' : ids, actorOf(request));
    } catch (error) {
      if (error instanceof ValidationError) return showPage(request, reply, release, { errors: { journalists: request.t.t('prerelease.error.choose') }, who, chosen, status: 422 });
      if (error instanceof ConflictError) return showPage(request, reply, release, { errors: { confirm: request.t.t('prerelease.error.notEmbargoed') }, who, chosen, status: 409 });
      throw error;
    }
    return reply.flash(added > 0 ? 'flash.prereleaseSent' : 'flash.prereleaseNobody', added > 0 ? 'success' : 'error').redirect(pageUrl(request, release.id), 303);
  });

  app.post<{ Params: PrereleaseParams; Body: RemoveBody }>('/releases/:id/prerelease/remove', { schema: { params: PrereleaseParams, body: RemoveBody }, attachValidation: true }, async function removePrereleaseRecipient(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    const recipient = request.validationError ? NaN : Number(request.body?.recipient);
    if (!Number.isSafeInteger(recipient) || recipient < 1) throw new NotFoundError();
    try {
      await prereleases.remove(release, recipient, actorOf(request));
    } catch (error) {
      if (error instanceof ConflictError) throw new NotFoundError();
      throw error;
    }
    return reply.flash('flash.prereleaseRemoved').redirect(pageUrl(request, release.id), 303);
  });

  app.post<{ Params: PrereleaseParams }>('/releases/:id/prerelease/withdraw', { schema: { params: PrereleaseParams } }, async function withdrawPrerelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    await prereleases.withdraw(release, actorOf(request));
    return reply.flash('flash.prereleaseWithdrawn').redirect(pageUrl(request, release.id), 303);
  });
}
