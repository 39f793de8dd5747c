// Applications to join in the admin area, for platform admins: confirmed applications waiting for a
// decision and the latest decided ones; per application, accept (the office is created and its owner
// invited through the same path as the members page) or decline with a message (mailed through the
// outbox). Registered in the platform-admin scope of /admin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { slugify } from '../../lib/slug.ts';
import { errorsView } from '../admin/admin.views.ts';
import { actorOf } from '../admin/office-access.ts';
import { AcceptBody, ApplicationParams, DeclineBody } from './applications.schemas.ts';
import type { Application } from './applications.service.ts';

interface DetailState {
  accept?: { slug: string; name: string };
  acceptErrors?: FieldErrors;
  message?: string;
  declineErrors?: FieldErrors;
}

export default async function applicationsAdminRoutes(app: FastifyInstance) {
  const { applications, auth, audit, urls } = app.services;

  const row = (request: FastifyRequest, a: Application) => ({
    id: a.id,
    url: urls.admin.application(a.id),
    organisation: a.organisation,
    contactName: a.contactName,
    email: a.email,
    received: request.t.dateTime(a.confirmedAt ?? a.createdAt),
    status: request.t.t(`join.admin.status.${a.status === 'unconfirmed' ? 'confirmed' : a.status}`),
    decided: a.decidedAt ? request.t.t('join.admin.decidedText', { status: request.t.t(`join.admin.status.${a.status === 'accepted' ? 'accepted' : 'declined'}`), at: request.t.dateTime(a.decidedAt), who: a.decidedBy || request.t.t('audit.system') }) : '',
    officeUrl: a.officeSlug ? urls.admin.office(a.officeSlug).home() : '',
  });

  app.get('/applications', async function showApplicationsPage(request, reply) {
    const { open, decided, unconfirmed } = await applications.overview();
    return reply.adminPage('admin/applications', {
      title: request.t.t('join.admin.title'),
      platform: 'applications',
      open: open.map((a) => row(request, a)),
      decided: decided.map((a) => row(request, a)),
      unconfirmed: unconfirmed > 0 ? request.t.t('join.admin.unconfirmed', { count: unconfirmed }) : '',
    });
  });

  const showDetail = async (request: FastifyRequest, reply: FastifyReply, id: number, state: DetailState = {}, status = 200) => {
    const application = await applications.find(id);
    if (!application) throw new NotFoundError('No such application');
    const t = request.t;
    const accept = errorsView(state.acceptErrors ?? {}, t);
    const decline = errorsView(state.declineErrors ?? {}, t);
    return reply.adminPage(
      'admin/application',
      {
        title: t.t('join.admin.detailTitle', { organisation: application.organisation }),
        platform: 'applications',
        application: { ...row(request, application), website: application.website, reason: application.reason, open: application.status === 'confirmed', decisionMessage: application.decisionMessage },
        acceptHint: t.t('join.admin.acceptHint', { email: application.email }),
        accept: state.accept ?? { slug: slugify(application.organisation, 60), name: application.organisation },
        acceptErrors: accept.errors,
        message: state.message ?? '',
        declineErrors: decline.errors,
        errorList: [...accept.errorList, ...decline.errorList],
      },
      status,
    );
  };

  app.get<{ Params: ApplicationParams }>('/applications/:id', { schema: { params: ApplicationParams } }, async function showApplicationPage(request, reply) {
    return showDetail(request, reply, request.params.id);
  });

  app.post<{ Params: ApplicationParams; Body: AcceptBody }>(
    '/applications/:id/accept',
    { schema: { params: ApplicationParams, body: AcceptBody }, attachValidation: true },
    async function acceptApplication(request, reply) {
      if (request.validationError?.validationContext === 'params') throw new NotFoundError();
      const choice = { slug: request.validationError ? '' : (request.body.slug ?? ''), name: request.validationError ? '' : (request.body.name ?? '') };
      let accepted;
      try {
        accepted = await applications.accept(request.params.id, choice, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        if (error.fields.application) return reply.flash('flash.applicationDecided', 'error').redirect(urls.admin.application(request.params.id), 303);
        return showDetail(request, reply, request.params.id, { accept: choice, acceptErrors: error.fields }, 422);
      }
      // The owner's invitation, as an owner invites members; in the applicant's language.
      const { office, application } = accepted;
      await auth.invite({ email: application.email, officeId: office.id, role: 'owner', createdBy: request.user!.id, lang: application.lang });
      await audit.record({ officeId: office.id, actor: actorOf(request), action: 'member.invited', subject: application.email });
      return reply.flash('flash.applicationAccepted').redirect(urls.admin.office(office.slug).members(), 303);
    },
  );

  app.post<{ Params: ApplicationParams; Body: DeclineBody }>(
    '/applications/:id/decline',
    { schema: { params: ApplicationParams, body: DeclineBody }, attachValidation: true },
    async function declineApplication(request, reply) {
      if (request.validationError?.validationContext === 'params') throw new NotFoundError();
      const message = request.validationError ? '' : (request.body.message ?? '');
      try {
        await applications.decline(request.params.id, message, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        if (error.fields.application) return reply.flash('flash.applicationDecided', 'error').redirect(urls.admin.application(request.params.id), 303);
        return showDetail(request, reply, request.params.id, { message, declineErrors: error.fields }, 422);
      }
      return reply.flash('flash.applicationDeclined').redirect(urls.admin.applications(), 303);
    },
  );
}
