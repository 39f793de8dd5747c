// The public page for press offices ("Für Pressestellen"): what joining means, and the application
// form. Sending it stores the application and mails a confirmation link (double opt-in); the link's
// page confirms with a button (a GET never changes anything: mail scanners open links).
// Rate-limited per address; CSRF-protected like the subscribe form (plugins/public-csrf.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { PUBLIC_CSRF_FIELD } from '../../plugins/public-csrf.ts';
import { createTokens } from '../subscriptions/subscriptions.tokens.ts';
import { ApplicationTokenParams, ApplyBody } from './applications.schemas.ts';
import type { ApplicationInput } from './applications.service.ts';

const FIELDS = ['organisation', 'contactName', 'email', 'website', 'reason'] as const;

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

export default async function applicationsRoutes(app: FastifyInstance) {
  const { applications, urls } = app.services;
  const ipLimit = app.rateLimit({ max: 5, timeWindow: '1 hour' });
  const tokenLimit = app.rateLimit({ max: 60, timeWindow: '1 minute' });
  const tokens = createTokens(app.config.sessionSecret);

  const showForm = async (request: FastifyRequest, reply: FastifyReply, values: ApplicationInput, errors: FieldErrors = {}, status = 200, notice = '') => {
    const t = request.t;
    const messages: Record<string, string> = {};
    for (const [field, key] of Object.entries(errors)) messages[field] = t.t(`field.${key}` as MessageKey) ?? t.t('field.invalid');
    noStore(reply);
    return reply.page(
      'join/index',
      {
        title: t.t('join.title'),
        intro: t.t('join.intro', { site: app.config.siteName }),
        csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
        values,
        errors: messages,
        errorList: FIELDS.filter((f) => messages[f]).map((f) => ({ field: f, text: `${t.t(`join.${f}` as MessageKey)}: ${messages[f]}` })),
        notice,
      },
      status,
    );
  };

  const message = (request: FastifyRequest, reply: FastifyReply, key: 'sent' | 'confirmed' | 'invalid', status = 200) =>
    noStore(reply).page('join/message', { title: request.t.t(`join.${key}.title`), heading: request.t.t(`join.${key}.title`), text: request.t.t(`join.${key}.text`), robots: 'noindex' }, status);

  app.get(urls.join.form(), async function showJoinPage(request, reply) {
    return showForm(request, reply, { organisation: '', contactName: '', email: '', website: '', reason: '' });
  });

  app.post<{ Body: ApplyBody }>(urls.join.form(), { schema: { body: ApplyBody }, attachValidation: true, preHandler: ipLimit }, async function applyToJoin(request, reply) {
    const body: Partial<ApplyBody> = request.validationError ? {} : (request.body ?? {});
    const values: ApplicationInput = { organisation: body.organisation ?? '', contactName: body.contactName ?? '', email: body.email ?? '', website: body.website ?? '', reason: body.reason ?? '' };
    if (!request.publicCsrfOk()) return showForm(request, reply, values, {}, 403, request.t.t('join.error.csrf'));
    try {
      await applications.apply(values, { lang: request.lang, ipHash: tokens.hashIp(request.ip) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showForm(request, reply, values, error.fields, 422);
    }
    return reply.redirect(urls.join.sent(), 303);
  });

  app.get(urls.join.sent(), async function showApplicationSentPage(request, reply) {
    return message(request, reply, 'sent');
  });

  app.get(urls.join.confirmed(), async function showApplicationConfirmedPage(request, reply) {
    return message(request, reply, 'confirmed');
  });

  app.get<{ Params: ApplicationTokenParams }>('/join/confirm/:token', { schema: { params: ApplicationTokenParams }, preHandler: tokenLimit }, async function showConfirmApplicationPage(request, reply) {
    const application = await applications.readConfirmation(request.params.token);
    if (!application) return message(request, reply, 'invalid', 404);
    noStore(reply);
    return reply.page('join/confirm', {
      title: request.t.t('join.confirm.title'),
      robots: 'noindex',
      text: request.t.t('join.confirm.text', { organisation: application.organisation, email: application.email }),
      action: urls.join.confirm(request.params.token),
      csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
    });
  });

  app.post<{ Params: ApplicationTokenParams }>('/join/confirm/:token', { schema: { params: ApplicationTokenParams }, preHandler: tokenLimit }, async function confirmApplication(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site confirmation');
    if (!(await applications.confirm(request.params.token))) return message(request, reply, 'invalid', 404);
    return reply.redirect(urls.join.confirmed(), 303);
  });
}
