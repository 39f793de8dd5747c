// The admin area: ONE encapsulated scope under /admin. Its onRequest hook requireUser admits only
// logged-in users; every POST passes the CSRF check (token from the body or a header, never the URL); a form whose session expired is kept for
// after the next login (require-user.ts). Login, logout and password pages live outside
// (auth.routes.ts). Below /admin/offices/:office, requireOffice checks the user's role there.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import multipart from '@fastify/multipart';
import { KEPT_FORM_PATH, keepExpiredForm, requireUser } from '../auth/require-user.ts';
import type { PhotoStore } from './photo-store.ts';
import { readMultipartCsrf } from './upload.ts';
import { NewOfficeBody, SwitchQuery, TokenParams } from './admin.schemas.ts';
import { ForbiddenError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { officeBase, requireOffice, resolveOffice } from './office-access.ts';
import releasesAdminRoutes, { showEditorForStash } from '../releases/releases.admin-routes.ts';
import officesAdminRoutes from '../offices/offices.admin-routes.ts';
import { editorValuesFromBody, errorsView } from './admin.views.ts';
import mailAdminRoutes from '../mail/mail.admin-routes.ts';
import taxonomiesAdminRoutes from '../taxonomies/taxonomies.admin-routes.ts';
import { requirePlatformAdmin } from './platform-access.ts';
import auditAdminRoutes from '../audit/audit.admin-routes.ts';
import legalAdminRoutes from '../legal/legal.admin-routes.ts';
import applicationsAdminRoutes from '../applications/applications.admin-routes.ts';

export interface AdminOptions {
  photoStore: PhotoStore;
  /** Largest photo or logo upload, in bytes. */
  maxUploadBytes: number;
}

export default async function adminRoutes(app: FastifyInstance, options: AdminOptions) {
  await app.register(multipart, { limits: { fileSize: options.maxUploadBytes, files: 1, fields: 20, fieldSize: 20_000, parts: 25 } });
  app.decorate('adminMaxUpload', options.maxUploadBytes);
  app.decorateRequest('pendingLogin', null);
  app.decorateRequest('adminOffice', null);
  app.decorateRequest('officeRole', null);

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.addHook('onRequest', requireUser);
  app.decorateRequest('multipartCsrf', null);
  app.decorateRequest('uploadParts', null);
  app.addHook('preHandler', readMultipartCsrf);
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    return app.csrfProtection(request, reply, done);
  });
  app.addHook('preHandler', keepExpiredForm);

  const showHome = async (request: FastifyRequest, reply: FastifyReply, form: { values?: { slug: string; name: string }; errors?: FieldErrors; status?: number } = {}) => {
    const user = request.user!;
    const offices = user.isAdmin ? (await app.services.offices.listAll()).map((o) => ({ slug: o.slug, name: o.name })) : user.memberships.map((m) => ({ slug: m.slug, name: m.name }));
    if (offices.length === 1 && !user.isAdmin) return reply.redirect(`/admin/offices/${offices[0]!.slug}`, 303);
    const { errors, errorList } = errorsView(form.errors ?? {}, request.t);
    return reply.adminPage(
      'admin/choose-office',
      {
        title: request.t.t('admin.chooseOffice'),
        offices: offices.map((o) => ({ ...o, url: `/admin/offices/${o.slug}` })),
        pendingApplications: user.isAdmin ? await app.services.applications.countOpen() : 0,
        values: form.values ?? { slug: '', name: '' },
        errors,
        errorList,
      },
      form.status ?? 200,
    );
  };

  app.get('/', async function showAdminHomePage(request, reply) {
    return showHome(request, reply);
  });

  // Platform admins create offices; the new office's owner is then invited from its members page.
  app.post<{ Body: NewOfficeBody }>('/offices', { schema: { body: NewOfficeBody }, attachValidation: true }, async function createOffice(request, reply) {
    if (!request.user!.isAdmin) throw new ForbiddenError('Only platform admins create offices');
    const values = { slug: (request.body?.slug ?? '').trim().toLowerCase(), name: request.body?.name ?? '' };
    let office;
    try {
      office = await app.services.offices.create({ slug: values.slug, name: values.name });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showHome(request, reply, { values, errors: error.fields, status: 422 });
    }
    return reply.flash('flash.officeCreated').redirect(`/admin/offices/${office.slug}/settings`, 303);
  });

  // The office switcher works without JavaScript: a GET form with a select.
  app.get<{ Querystring: SwitchQuery }>('/switch', { schema: { querystring: SwitchQuery } }, async function switchOffice(request, reply) {
    if (!request.query.office) return reply.redirect('/admin', 303);
    const { office } = await resolveOffice(request, request.query.office);
    return reply.redirect(officeBase(office), 303);
  });

  // After a login that followed an expired session: the kept form, shown again to be saved.
  app.get<{ Params: TokenParams }>('/resume/:token', { schema: { params: TokenParams } }, async function showResumedForm(request, reply) {
    const stash = await app.services.auth.takeStash(request.params.token, request.user!.id);
    if (!stash) return reply.flash('auth.resumeGone', 'error').redirect('/admin', 303);
    const match = KEPT_FORM_PATH.exec(stash.path);
    if (!match) {
      const office = /^\/admin\/offices\/([a-z0-9-]+)/.exec(stash.path)?.[1];
      return reply.flash('auth.resumeGone', 'error').redirect(office ? `/admin/offices/${office}` : '/admin', 303);
    }
    const { office, role } = await resolveOffice(request, match[1]!);
    request.adminOffice = office;
    request.officeRole = role;
    const mode = match[3] ? 'correct' : match[2] ? 'edit' : 'new';
    return showEditorForStash(request, reply, { mode, releaseId: match[2] ? Number(match[2]) : null, values: editorValuesFromBody(stash.body) });
  });

  // Subscriber counts, the mail log and the stored .eml files hold subscribers' addresses: platform admins only.
  await app.register(
    async (scope) => {
      scope.addHook('preHandler', async (request) => {
        if (!request.user!.isAdmin) throw new ForbiddenError('Only platform admins see the mail pages');
      });
      await scope.register(mailAdminRoutes);
    },
    { prefix: '/mail' },
  );

  // Topics, regions, legal pages, applications to join and the platform's log: platform admins only.
  await app.register(async (scope) => {
    scope.addHook('preHandler', requirePlatformAdmin);
    await scope.register(taxonomiesAdminRoutes);
    await scope.register(auditAdminRoutes);
    await scope.register(legalAdminRoutes);
    await scope.register(applicationsAdminRoutes);
  });

  await app.register(
    async (scope) => {
      scope.addHook('preHandler', requireOffice);
      // Only our own options: the ones given to this plugin also carry its prefix.
      const own: AdminOptions = { photoStore: options.photoStore, maxUploadBytes: options.maxUploadBytes };
      await scope.register(releasesAdminRoutes, own);
      await scope.register(officesAdminRoutes, own);
    },
    { prefix: '/offices/:office' },
  );
}
