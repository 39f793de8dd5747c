// The imprint and privacy pages in the admin area, for platform admins: one form each (Markdown).
// Registered in the platform-admin scope of /admin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { LegalKind } from '../../db/database.ts';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { errorsView } from '../admin/admin.views.ts';
import { actorOf } from '../admin/office-access.ts';
import { legalPath } from './legal.links.ts';
import { LEGAL_KINDS } from './legal.service.ts';

const LegalParams = Type.Object({ kind: Type.Union([Type.Literal('imprint'), Type.Literal('privacy')]) });
type LegalParams = Static<typeof LegalParams>;
const LegalBody = Type.Object({ markdown: Type.Optional(Type.String({ maxLength: 200_000 })), _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
type LegalBody = Static<typeof LegalBody>;

export default async function legalAdminRoutes(app: FastifyInstance) {
  const { legal, urls } = app.services;
  const { config } = app;

  const show = async (request: FastifyRequest, reply: FastifyReply, failed?: { kind: LegalKind; markdown: string; errors: FieldErrors }) => {
    const t = request.t.t;
    const { errors, errorList } = errorsView(failed?.errors ?? {}, request.t);
    const pages = await Promise.all(
      LEGAL_KINDS.map(async (kind) => {
        const elsewhere = kind === 'imprint' ? config.imprintUrl : config.privacyUrl;
        const page = await legal.get(kind);
        return {
          kind,
          field: `${kind}Markdown`,
          heading: t(`legal.${kind}.title`),
          markdown: failed?.kind === kind ? failed.markdown : page.bodyMarkdown,
          error: errors[`${kind}Markdown`],
          publicPath: legalPath(urls, kind),
          elsewhere: elsewhere ? t('legal.admin.elsewhere', { url: elsewhere, name: kind === 'imprint' ? 'IMPRINT_URL' : 'PRIVACY_URL' }) : '',
          empty: page.bodyMarkdown === '' && !elsewhere,
          updated: page.updatedAt ? request.t.dateTime(page.updatedAt) : '',
        };
      }),
    );
    return reply.adminPage('admin/legal', { title: t('legal.adminTitle'), platform: 'legal', pages, errorList }, failed ? 422 : 200);
  };

  app.get('/legal', async function showLegalAdminPage(request, reply) {
    return show(request, reply);
  });

  app.post<{ Params: LegalParams; Body: LegalBody }>('/legal/:kind', { schema: { params: LegalParams, body: LegalBody }, attachValidation: true }, async function saveLegalPage(request, reply) {
    if (request.validationError?.validationContext === 'params') return reply.callNotFound();
    const markdown = request.validationError ? '' : (request.body.markdown ?? '');
    try {
      await legal.save(request.params.kind, markdown, actorOf(request));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return show(request, reply, { kind: request.params.kind, markdown, errors: error.fields });
    }
    return reply.flash('flash.legalSaved').redirect(urls.admin.legal(request.params.kind), 303);
  });
}
