// The admin pages of journalists. An office's page "Journalisten / Akkreditierungen" (below
// /admin/offices/:office/journalists, owners and platform admins only; editors get 403): open
// requests to accept or refuse, accredited journalists to revoke, each with a message, and the
// earlier ones. An accreditation is always looked up within the office, so another office's id is
// a 404. The platform's page (/admin/journalists, platform admins): every journalist, accredited
// platform-wide or not, to accredit or revoke. Every step goes to the audit log (the service).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { actorOf, officeNav, officeOf, officeUrls, requireOwner } from '../admin/office-access.ts';
import { AccreditationParams, DecisionBody, JournalistParams } from './journalists.schemas.ts';
import type { Decision } from './journalists.service.ts';
import { accreditationRow, fieldErrors, statusView } from './journalists.views.ts';

/** A decision form that failed: which one, what was typed, what is wrong. */
interface FailedDecision {
  id: number;
  decision: string;
  message: string;
  errors: FieldErrors;
}

const FLASH = { accept: 'journalists.admin.accepted', refuse: 'journalists.admin.refused', revoke: 'journalists.admin.revoked' } as const;

export async function journalistsOfficeAdminRoutes(app: FastifyInstance) {
  const { journalists } = app.services;

  const showPage = async (request: FastifyRequest, reply: FastifyReply, failed: FailedDecision | null = null, status = 200) => {
    const office = officeOf(request);
    const t = request.t;
    const base = officeUrls(request).journalists();
    const { open, accepted, history } = await journalists.officeOverview(office.id);
    const { messages, errorList } = fieldErrors(t, failed?.errors ?? {}, ['message', 'accreditation'], 'journalists.admin.field');
    const withForms = (rows: ReturnType<typeof accreditationRow>[]) =>
      rows.map((r) => ({ ...r, decisions: r.decisions.map((d) => ({ ...d, value: failed && failed.id === r.id && failed.decision === d.decision ? failed.message : '', error: failed && failed.id === r.id && failed.decision === d.decision ? (messages.message ?? '') : '' })) }));
    return reply.adminPage(
      'admin/journalists',
      {
        office: officeNav(request),
        title: t.t('journalists.admin.title', { office: office.name }),
        open: withForms(open.map((a) => accreditationRow(t, a, base))),
        accepted: withForms(accepted.map((a) => accreditationRow(t, a, base))),
        history: history.map((a) => accreditationRow(t, a, base)),
        // The summary links to the form's field, which carries the row's id.
        errorList: errorList.map((e) => ({ ...e, field: failed && e.field === 'message' ? `message-${failed.id}-${failed.decision}` : e.field })),
        publicPage: app.services.urls.office(office.slug),
      },
      status,
    );
  };

  app.get('/journalists', { preHandler: requireOwner }, async function showOfficeJournalistsPage(request, reply) {
    return showPage(request, reply);
  });

  for (const decision of ['accept', 'refuse', 'revoke'] as const satisfies Decision[]) {
    app.post<{ Params: AccreditationParams; Body: DecisionBody }>(
      `/journalists/:accreditationId/${decision}`,
      { schema: { params: AccreditationParams, body: DecisionBody }, attachValidation: true, preHandler: requireOwner },
      async function decideAccreditation(request, reply) {
        if (request.validationError?.validationContext === 'params') throw new NotFoundError();
        const office = officeOf(request);
        const message = request.validationError ? '' : (request.body?.message ?? '');
        const id = request.params.accreditationId;
        if (!(await journalists.findForOffice(office.id, id))) throw new NotFoundError();
        try {
          await journalists.decide({ officeId: office.id }, id, decision, message, actorOf(request));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          if (error.fields.accreditation) return reply.flash('journalists.admin.decidedAlready', 'error').redirect(officeUrls(request).journalists(), 303);
          return showPage(request, reply, { id, decision, message, errors: error.fields }, 422);
        }
        return reply.flash(FLASH[decision]).redirect(officeUrls(request).journalists(), 303);
      },
    );
  }
}

export async function journalistsPlatformAdminRoutes(app: FastifyInstance) {
  const { journalists, urls } = app.services;

  const showPage = async (request: FastifyRequest, reply: FastifyReply, failed: FailedDecision | null = null, status = 200) => {
    const t = request.t;
    const { messages, errorList } = fieldErrors(t, failed?.errors ?? {}, ['message'], 'journalists.admin.field');
    const rows = (await journalists.listAll()).map((j) => {
      const platform = j.platform;
      const accredited = platform?.status === 'accepted';
      const decision = accredited ? 'revoke' : 'accredit';
      const failedHere = failed && failed.id === j.id && failed.decision === decision;
      return {
        id: j.id,
        name: j.name,
        medium: j.medium,
        email: j.email,
        pressCard: j.pressCard,
        known: j.confirmedAt ? t.t('journalists.admin.confirmed', { at: t.dateTime(j.confirmedAt) }) : j.vouchedAt ? t.t('journalists.admin.vouched') : t.t('journalists.admin.unconfirmed'),
        offices: j.offices,
        platform: platform ? { ...statusView(t, platform.status), message: platform.decisionMessage } : null,
        form: { decision, action: `${urls.admin.journalist(j.id)}/${decision}`, label: t.t(`journalists.admin.platform.${decision}`), danger: accredited, required: accredited, value: failedHere ? failed.message : '', error: failedHere ? (messages.message ?? '') : '' },
      };
    });
    return reply.adminPage(
      'admin/platform-journalists',
      {
        title: t.t('journalists.admin.platformTitle'),
        platform: 'journalists',
        journalists: rows,
        errorList: errorList.map((e) => ({ ...e, field: failed ? `message-${failed.id}-${failed.decision}` : e.field })),
      },
      status,
    );
  };

  app.get('/journalists', async function showPlatformJournalistsPage(request, reply) {
    return showPage(request, reply);
  });

  app.post<{ Params: JournalistParams; Body: DecisionBody }>(
    '/journalists/:journalistId/accredit',
    { schema: { params: JournalistParams, body: DecisionBody }, attachValidation: true },
    async function accreditPlatformWide(request, reply) {
      if (request.validationError?.validationContext === 'params') throw new NotFoundError();
      const message = request.validationError ? '' : (request.body?.message ?? '');
      const id = request.params.journalistId;
      try {
        if (!(await journalists.accredit(id, null, message, actorOf(request)))) return reply.flash('journalists.admin.decidedAlready', 'error').redirect(urls.admin.journalists(), 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showPage(request, reply, { id, decision: 'accredit', message, errors: error.fields }, 422);
      }
      return reply.flash('journalists.admin.accepted').redirect(urls.admin.journalists(), 303);
    },
  );

  app.post<{ Params: JournalistParams; Body: DecisionBody }>(
    '/journalists/:journalistId/revoke',
    { schema: { params: JournalistParams, body: DecisionBody }, attachValidation: true },
    async function revokePlatformWide(request, reply) {
      if (request.validationError?.validationContext === 'params') throw new NotFoundError();
      const message = request.validationError ? '' : (request.body?.message ?? '');
      const id = request.params.journalistId;
      if (!(await journalists.findById(id))) throw new NotFoundError();
      try {
        await journalists.revokePlatform(id, message, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        if (error.fields.accreditation) return reply.flash('journalists.admin.decidedAlready', 'error').redirect(urls.admin.journalists(), 303);
        return showPage(request, reply, { id, decision: 'revoke', message, errors: error.fields }, 422);
      }
      return reply.flash('journalists.admin.revoked').redirect(urls.admin.journalists(), 303);
    },
  );
}
