// The admin area: ONE encapsulated scope under /admin. Its onRequest hook requireUser admits only
// logged-in users; every POST passes the CSRF check (token from the body or a header, never the
// URL); a form whose session expired is kept for after the next login (require-user.ts). Login,
// logout and password pages live outside (auth.routes.ts). Below /admin/offices/:office,
// requireOffice checks the user's role there.
//
// The modules' own admin routes (releases, offices, mail, and the platform admins' taxonomies,
// legal pages, applications and audit log) are handed in by app.ts, so this scope depends on none
// of them; they use its helpers (office-access.ts, upload.ts, admin.views.ts).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import multipart from '@fastify/multipart';
import { keepExpiredForm, requireUser } from '../auth/require-user.ts';
import type { PhotoStore } from './photo-store.ts';
import { readMultipartCsrf } from './upload.ts';
import { NewOfficeBody, SwitchQuery } from './admin.schemas.ts';
import { ForbiddenError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { requireOffice, resolveOffice } from './office-access.ts';
import { errorsView } from './admin.views.ts';
import { requirePlatformAdmin } from './platform-access.ts';

/** What every module's admin routes get. */
export interface AdminOptions {
  photoStore: PhotoStore;
  /** Largest photo or logo upload, in bytes. */
  maxUploadBytes: number;
}

export interface AdminAreaOptions extends AdminOptions {
  /** Routes directly below /admin (e.g. giving back a form kept from an expired session). */
  root: FastifyPluginAsync<AdminOptions>[];
  /** Routes below /admin/offices/:office, after requireOffice. */
  office: FastifyPluginAsync<AdminOptions>[];
  /** Routes below /admin/mail, for platform admins only (they show subscribers' addresses). */
  mail: FastifyPluginAsync;
  /** Routes directly below /admin for platform admins only (topics, regions, legal pages, applications, the platform's log). */
  platform: FastifyPluginAsync[];
}

export default async function adminRoutes(app: FastifyInstance, options: AdminAreaOptions) {
  const { urls } = app.services;
  await app.register(multipart, { limits: { fileSize: options.maxUploadBytes, files: 1, fields: 20, fieldSize: 20_000, parts: 25 } });
  app.decorate('adminMaxUpload', options.maxUploadBytes);
  app.decorateRequest('pendingLogin', null);
  app.decorateRequest('adminOffice', null);
  app.decorateRequest('officeRole', null);
  // Only our own options: the ones given to this plugin also carry its prefix.
  const own: AdminOptions = { photoStore: options.photoStore, maxUploadBytes: options.maxUploadBytes };

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
    if (offices.length === 1 && !user.isAdmin) return reply.redirect(urls.admin.office(offices[0]!.slug).home(), 303);
    const { errors, errorList } = errorsView(form.errors ?? {}, request.t);
    return reply.adminPage(
      'admin/choose-office',
      {
        title: request.t.t('admin.chooseOffice'),
        offices: offices.map((o) => ({ ...o, url: urls.admin.office(o.slug).home() })),
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
    return reply.flash('flash.officeCreated').redirect(urls.admin.office(office.slug).settings(), 303);
  });

  // The office switcher works without JavaScript: a GET form with a select.
  app.get<{ Querystring: SwitchQuery }>('/switch', { schema: { querystring: SwitchQuery } }, async function switchOffice(request, reply) {
    if (!request.query.office) return reply.redirect(urls.admin.home(), 303);
    const { office } = await resolveOffice(request, request.query.office);
    return reply.redirect(urls.admin.office(office.slug).home(), 303);
  });

  for (const routes of options.root) await app.register(routes, own);

  await app.register(
    async (scope) => {
      scope.addHook('preHandler', requirePlatformAdmin);
      await scope.register(options.mail);
    },
    { prefix: '/mail' },
  );

  // Topics, regions, legal pages, applications to join and the platform's log: platform admins only.
  await app.register(async (scope) => {
    scope.addHook('preHandler', requirePlatformAdmin);
    for (const routes of options.platform) await scope.register(routes);
  });

  await app.register(
    async (scope) => {
      scope.addHook('preHandler', requireOffice);
      for (const routes of options.office) await scope.register(routes, own);
    },
    { prefix: '/offices/:office' },
  );
}
