// Topics and regions in the admin area, for platform admins: the list with counts and a form to
// add one; per term a page to rename it (name and slug), merge it into another, or remove it
// (with a confirmation page naming how many releases carry it when it is in use). Registered
// inside the /admin scope (user, CSRF) in a platform-admin-only scope.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { errorsView } from '../admin/admin.views.ts';
import { actorOf } from '../admin/office-access.ts';
import { MergeBody, RemoveBody, TermBody, TermParams } from './taxonomies.schemas.ts';
import type { TermTable } from './taxonomies.service.ts';

const TABLES = ['topics', 'regions'] as const;

interface FormState {
  values?: { name: string; slug: string };
  errors?: FieldErrors;
  status?: number;
}

export default async function taxonomiesAdminRoutes(app: FastifyInstance) {
  const { taxonomies, urls } = app.services;

  for (const table of TABLES) {
    // Links come from the link builder; routes are relative to the /admin prefix this plugin is mounted under.
    const admin = urls.admin.terms(table);
    const base = admin.list();
    const publicPath = (slug: string) => (table === 'topics' ? urls.topic(slug) : urls.region(slug));
    const route = `/${table}`;
    const heading = (request: FastifyRequest) => request.t.t(`terms.${table}.title` as MessageKey);

    const showList = async (request: FastifyRequest, reply: FastifyReply, form: FormState = {}) => {
      const { errors, errorList } = errorsView(form.errors ?? {}, request.t);
      const terms = await taxonomies.listForAdmin(table);
      return reply.adminPage(
        'admin/terms',
        {
          title: heading(request),
          platform: table,
          intro: request.t.t(`terms.${table}.intro` as MessageKey),
          base,
          terms: terms.map((x) => ({ ...x, url: admin.term(x.slug), publicUrl: publicPath(x.slug) })),
          values: form.values ?? { name: '', slug: '' },
          errors,
          errorList,
        },
        form.status ?? 200,
      );
    };

    const showTerm = async (request: FastifyRequest, reply: FastifyReply, slug: string, form: FormState & { mergeErrors?: FieldErrors } = {}) => {
      const terms = await taxonomies.listForAdmin(table);
      const term = terms.find((x) => x.slug === slug);
      if (!term) throw new NotFoundError();
      const t = request.t;
      const rename = errorsView(form.errors ?? {}, t);
      const merge = errorsView(form.mergeErrors ?? {}, t);
      return reply.adminPage(
        'admin/term',
        {
          title: t.t('terms.editTitle', { name: term.name, slug: term.slug }),
          platform: table,
          base,
          term: { ...term, url: admin.term(term.slug), publicUrl: publicPath(term.slug) },
          usage: t.t('terms.usage', { releases: term.releaseCount, followers: term.followerCount }),
          others: terms.filter((x) => x.slug !== term.slug).map((x) => ({ slug: x.slug, name: x.name })),
          mergeHint: t.t('terms.mergeHint', { name: term.name }),
          values: form.values ?? { name: term.name, slug: term.slug },
          errors: rename.errors,
          mergeErrors: merge.errors,
          errorList: [...rename.errorList, ...merge.errorList],
        },
        form.status ?? 200,
      );
    };

    app.get(route, async function showTermsAdminPage(request, reply) {
      return showList(request, reply);
    });

    app.post<{ Body: TermBody }>(route, { schema: { body: TermBody }, attachValidation: true }, async function addTerm(request, reply) {
      const values = { name: request.validationError ? '' : (request.body.name ?? ''), slug: request.validationError ? '' : (request.body.slug ?? '') };
      try {
        await taxonomies.add(table, values, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showList(request, reply, { values, errors: error.fields, status: 422 });
      }
      return reply.flash('flash.termAdded').redirect(base, 303);
    });

    app.get<{ Params: TermParams }>(`${route}/:slug`, { schema: { params: TermParams } }, async function showTermAdminPage(request, reply) {
      return showTerm(request, reply, request.params.slug);
    });

    app.post<{ Params: TermParams; Body: TermBody }>(`${route}/:slug`, { schema: { params: TermParams, body: TermBody }, attachValidation: true }, async function renameTerm(request, reply) {
      const values = { name: request.validationError ? '' : (request.body.name ?? ''), slug: request.validationError ? '' : (request.body.slug ?? '') };
      let renamed;
      try {
        renamed = await taxonomies.rename(table, request.params.slug, values, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showTerm(request, reply, request.params.slug, { values, errors: error.fields, status: 422 });
      }
      return reply.flash(renamed.slug === request.params.slug ? 'flash.termSaved' : 'flash.termRenamed').redirect(admin.term(renamed.slug), 303);
    });

    app.post<{ Params: TermParams; Body: MergeBody }>(`${route}/:slug/merge`, { schema: { params: TermParams, body: MergeBody }, attachValidation: true }, async function mergeTerm(request, reply) {
      const into = request.validationError ? '' : (request.body.into ?? '');
      try {
        await taxonomies.merge(table, request.params.slug, into, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showTerm(request, reply, request.params.slug, { mergeErrors: error.fields, status: 422 });
      }
      return reply.flash('flash.termMerged').redirect(admin.term(into), 303);
    });

    // The question before removing a term in use: how many releases carry it, how many follow it.
    app.get<{ Params: TermParams }>(`${route}/:slug/remove`, { schema: { params: TermParams } }, async function showRemoveTermPage(request, reply) {
      const term = await taxonomies.usage(table, request.params.slug);
      if (!term) throw new NotFoundError();
      const t = request.t;
      return reply.adminPage('admin/term-remove', {
        title: t.t('terms.removeTitle', { name: term.name }),
        platform: table,
        base,
        term: { ...term, url: admin.term(term.slug) },
        text: t.t('terms.removeText', { name: term.name, releases: term.releaseCount, followers: term.followerCount }),
      });
    });

    app.post<{ Params: TermParams; Body: RemoveBody }>(`${route}/:slug/remove`, { schema: { params: TermParams, body: RemoveBody }, attachValidation: true }, async function removeTerm(request, reply) {
      const confirmed = !request.validationError && request.body.confirm === 'yes';
      const result = await taxonomies.remove(table, request.params.slug, { confirmed }, actorOf(request));
      if (!result.removed) return reply.redirect(admin.remove(request.params.slug), 303);
      return reply.flash('flash.termRemoved').redirect(base, 303);
    });
  }
}
