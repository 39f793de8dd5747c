// The office dashboard, the release editor and the workflow (preview, publish, schedule, correct,
// withdraw, delete) and photos. Registered inside the /admin/offices/:office scope, so the user is
// logged in, the CSRF token checked and the office checked before any handler runs. Every POST
// answers 303 with a flash message, or re-renders its form with 422 when input is invalid.
// `releasesAdminRootRoutes` gives back a form kept from an expired session (/admin/resume/:token).
import { photoErrorMessage } from '../media/photos.service.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { zonedTime } from '../../lib/zoned-time.ts';
import type { AdminOptions } from '../admin/admin.routes.ts';
import { OfficeParams, TokenParams } from '../admin/admin.schemas.ts';
import { errorsView } from '../admin/admin.views.ts';
import { actorOf, officeNav, officeOf, officeUrls, resolveOffice } from '../admin/office-access.ts';
import { readUpload } from '../admin/upload.ts';
import { KEPT_FORM_PATH } from '../auth/require-user.ts';
import { EditorBody, MoveBody, NoteBody, PhotoParams, PhotoWordsBody, ReleaseIdParams, ScheduleBody } from './releases.admin-schemas.ts';
import {
  contactsView,
  editorValuesFromBody,
  editorValuesFromRelease,
  newEditorValues,
  previewHtml,
  releaseAdminView,
  releaseInputFromValues,
  statusOf,
  termsView,
  type EditorValues,
} from './releases.editor.ts';
import type { Release } from './release.ts';

export type EditorMode = 'new' | 'edit' | 'correct';

interface EditorState {
  mode: EditorMode;
  release?: Release;
  values: EditorValues;
  errors?: FieldErrors;
  preview?: boolean;
  resumed?: boolean;
  status?: number;
  photoErrors?: FieldErrors;
  scheduleErrors?: FieldErrors;
  scheduleValue?: string;
  withdrawErrors?: FieldErrors;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A release of the request's office, or 404 (also for another office's release). */
const releaseOfOffice = async (request: FastifyRequest, id: number): Promise<Release> => {
  const release = await request.server.services.releases.findById(id);
  if (!release || release.office.id !== officeOf(request).id) throw new NotFoundError();
  return release;
};

/**
 * The editor takes bodies far beyond what a release may hold (the site's limit is 1 MB), so that a
 * text too long is answered by the service (422, the editor shown again with everything typed)
 * rather than by a 413 page that loses it: 100,000 characters of umlauts are 600 KB as a form.
 */
const EDITOR_BODY_LIMIT = 8 * 1024 * 1024;

/** Renders the editor (new, edit or correct) with everything the page shows around it. */
const showEditor = async (request: FastifyRequest, reply: FastifyReply, state: EditorState) => {
  const { services, config } = request.server;
  const office = officeOf(request);
  const t = request.t;
  const admin = officeUrls(request);
  const [contacts, topics, regions] = await Promise.all([services.offices.contacts(office.id), services.taxonomies.list('topics'), services.taxonomies.list('regions')]);
  const v = state.values;
  const { errors, errorList } = errorsView(state.errors ?? {}, t);
  const nowIso = services.clock.now().toISOString();
  const release = state.release ? releaseAdminView(state.release, t, config.timeZone, nowIso, services.urls) : null;
  const action = state.mode === 'new' ? admin.releases() : state.mode === 'correct' ? admin.correct(state.release!.id) : admin.release(state.release!.id);
  const title = state.mode === 'new' ? t.t('editor.newTitle') : state.mode === 'correct' ? t.t('editor.correctTitle', { title: state.release!.title }) : t.t('editor.editTitle', { title: state.release!.title });
  return reply.adminPage(
    'admin/editor',
    {
      title,
      heading: title,
      office: officeNav(request),
      mode: state.mode,
      action,
      values: v,
      errors,
      errorList,
      resumed: Boolean(state.resumed),
      preview: state.preview ? { title: v.title, subtitle: v.subtitle, bodyHtml: previewHtml(v) } : null,
      topics: termsView(topics, v.topics),
      regions: termsView(regions, v.regions),
      contacts: contactsView(contacts),
      release,
      previewUrl: state.release ? services.urls.preview((await services.releases.findPreviewToken(state.release.id)) ?? '') : '',
      photoErrors: {
        ...errorsView(state.photoErrors ?? {}, t, { max: mb(request.server.adminMaxUpload) }).errors,
        // The photo store's own refusals (unsupportedType, corrupt, tooLarge, …) come with their own sentences.
        ...(state.photoErrors?.photo && MEDIA_CODES.has(state.photoErrors.photo) ? { photo: photoErrorMessage(state.photoErrors.photo, t, request.server.services.photos) } : {}),
      },
      scheduleErrors: errorsView(state.scheduleErrors ?? {}, t).errors,
      withdrawErrors: errorsView(state.withdrawErrors ?? {}, t).errors,
      scheduleValue: state.scheduleValue ?? (release?.publishAtLocal || zonedTime(config.timeZone).toLocal(services.clock.now().getTime() + 60 * 60 * 1000).replace(/:\d\d$/, ':00')),
      timeZone: config.timeZone,
    },
    state.status ?? 200,
  );
};

/**
 * /admin/resume/:token, after a login that followed an expired session: the kept form, given back
 * once to its writer, in the editor to be saved again. Other kept forms are not restored.
 */
export async function releasesAdminRootRoutes(app: FastifyInstance) {
  const { auth, urls } = app.services;
  app.get<{ Params: TokenParams }>('/resume/:token', { schema: { params: TokenParams } }, async function showResumedForm(request, reply) {
    const stash = await auth.takeStash(request.params.token, request.user!.id);
    if (!stash) return reply.flash('auth.resumeGone', 'error').redirect(urls.admin.home(), 303);
    const match = KEPT_FORM_PATH.exec(stash.path);
    if (!match) {
      const office = /^\/admin\/offices\/([a-z0-9-]+)/.exec(stash.path)?.[1];
      return reply.flash('auth.resumeGone', 'error').redirect(office ? urls.admin.office(office).home() : urls.admin.home(), 303);
    }
    const { office, role } = await resolveOffice(request, match[1]!);
    request.adminOffice = office;
    request.officeRole = role;
    const mode: EditorMode = match[3] ? 'correct' : match[2] ? 'edit' : 'new';
    const release = match[2] ? await releaseOfOffice(request, Number(match[2])) : undefined;
    return showEditor(request, reply, { mode, ...(release ? { release } : {}), values: editorValuesFromBody(stash.body), resumed: true });
  });
}


const MEDIA_CODES = new Set(['empty', 'tooLarge', 'unsupportedType', 'corrupt', 'tooSmall', 'dimensionsTooLarge', 'animated']);

export default async function releasesAdminRoutes(app: FastifyInstance, options: AdminOptions) {
  const { releases, releasePhotos, offices, clock, urls } = app.services;
  const { config } = app;
  const { photoStore } = options;

  const releaseUrl = (request: FastifyRequest, id: number) => officeUrls(request).release(id);

  /** Re-renders the editor on a ValidationError (422), and passes any other error on. */
  const onInvalid = async (request: FastifyRequest, reply: FastifyReply, error: unknown, state: Omit<EditorState, 'errors' | 'status'>) => {
    if (!(error instanceof ValidationError)) throw error;
    return showEditor(request, reply, { ...state, errors: error.fields, status: 422 });
  };

  const conflict = (reply: FastifyReply, request: FastifyRequest, id: number, error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
    return reply.flash('flash.conflict', 'error').redirect(releaseUrl(request, id), 303);
  };

  app.get<{ Params: OfficeParams }>('/', { schema: { params: OfficeParams } }, async function showDashboardPage(request, reply) {
    const office = officeOf(request);
    const admin = officeUrls(request);
    const t = request.t;
    const nowIso = clock.now().toISOString();
    const all = (await releases.listForOffice(office.id)).map((r) => {
      const status = statusOf(r, nowIso);
      return {
        id: r.id,
        title: r.title,
        status,
        statusLabel: t.t(`status.${status}` as MessageKey),
        date: t.date(r.releaseDate),
        when: status === 'scheduled' && r.publishedAt ? t.dateTime(r.publishedAt) : status === 'published' && r.publishedAt ? t.dateTime(r.publishedAt) : status === 'withdrawn' && r.withdrawnAt ? t.dateTime(r.withdrawnAt) : t.dateTime(r.updatedAt),
        editUrl: admin.release(r.id),
        previewUrl: urls.preview(r.previewToken),
        publicUrl: urls.release(r),
      };
    });
    return reply.adminPage('admin/dashboard', {
      title: t.t('dashboard.title', { office: office.name }),
      office: officeNav(request),
      groups: [
        { key: 'drafts', heading: t.t('dashboard.drafts'), items: all.filter((r) => r.status === 'draft') },
        { key: 'scheduled', heading: t.t('dashboard.scheduled'), items: all.filter((r) => r.status === 'scheduled').reverse() },
        { key: 'published', heading: t.t('dashboard.published'), items: all.filter((r) => r.status === 'published').slice(0, 30) },
        { key: 'withdrawn', heading: t.t('dashboard.withdrawn'), items: all.filter((r) => r.status === 'withdrawn').slice(0, 10) },
      ],
    });
  });

  app.get<{ Params: OfficeParams }>('/releases/new', { schema: { params: OfficeParams } }, async function showNewReleasePage(request, reply) {
    const office = officeOf(request);
    const today = zonedTime(config.timeZone).localDate(clock.now());
    return showEditor(request, reply, { mode: 'new', values: newEditorValues(office, await offices.contacts(office.id), today) });
  });

  app.post<{ Params: OfficeParams; Body: EditorBody }>('/releases', { schema: { params: OfficeParams, body: EditorBody }, attachValidation: true, bodyLimit: EDITOR_BODY_LIMIT }, async function createRelease(request, reply) {
    const office = officeOf(request);
    const values = editorValuesFromBody((request.body ?? {}) as Record<string, unknown>);
    if (request.validationError) return showEditor(request, reply, { mode: 'new', values, errors: { title: 'invalid' }, status: 422 });
    if (request.body.action === 'preview') return showEditor(request, reply, { mode: 'new', values, preview: true });
    let created: Release;
    try {
      created = await releases.create(office.id, releaseInputFromValues(values, await offices.contacts(office.id)), { actor: actorOf(request) });
    } catch (error) {
      return onInvalid(request, reply, error, { mode: 'new', values });
    }
    return reply.flash('flash.saved').redirect(releaseUrl(request, created.id), 303);
  });

  // The live preview of static/js/admin.js: the body as it will be shown, rendered and sanitised here.
  app.post<{ Params: OfficeParams; Body: EditorBody }>('/releases/preview', { schema: { params: OfficeParams, body: EditorBody }, attachValidation: true, bodyLimit: EDITOR_BODY_LIMIT }, async function renderLivePreview(request, reply) {
    const values = editorValuesFromBody(request.validationError ? {} : ((request.body ?? {}) as Record<string, unknown>));
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(previewHtml(values));
  });

  app.get<{ Params: ReleaseIdParams }>('/releases/:id', { schema: { params: ReleaseIdParams } }, async function showEditReleasePage(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    const contacts = await offices.contacts(officeOf(request).id);
    return showEditor(request, reply, { mode: 'edit', release, values: editorValuesFromRelease(release, contacts) });
  });

  app.post<{ Params: ReleaseIdParams; Body: EditorBody }>(
    '/releases/:id',
    { schema: { params: ReleaseIdParams, body: EditorBody }, attachValidation: true, bodyLimit: EDITOR_BODY_LIMIT },
    async function updateRelease(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      const values = editorValuesFromBody((request.body ?? {}) as Record<string, unknown>);
      if (request.validationError) return showEditor(request, reply, { mode: 'edit', release, values, errors: { title: 'invalid' }, status: 422 });
      if (request.body.action === 'preview') return showEditor(request, reply, { mode: 'edit', release, values, preview: true });
      try {
        await releases.update(release.id, releaseInputFromValues(values, await offices.contacts(officeOf(request).id)), actorOf(request));
      } catch (error) {
        if (error instanceof ConflictError) return conflict(reply, request, release.id, error);
        return onInvalid(request, reply, error, { mode: 'edit', release, values });
      }
      return reply.flash('flash.saved').redirect(releaseUrl(request, release.id), 303);
    },
  );

  app.get<{ Params: ReleaseIdParams }>('/releases/:id/correct', { schema: { params: ReleaseIdParams } }, async function showCorrectReleasePage(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    if (statusOf(release, clock.now().toISOString()) !== 'published') return reply.redirect(releaseUrl(request, release.id), 303);
    return showEditor(request, reply, { mode: 'correct', release, values: editorValuesFromRelease(release, await offices.contacts(officeOf(request).id)) });
  });

  app.post<{ Params: ReleaseIdParams; Body: EditorBody }>(
    '/releases/:id/correct',
    { schema: { params: ReleaseIdParams, body: EditorBody }, attachValidation: true, bodyLimit: EDITOR_BODY_LIMIT },
    async function correctRelease(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      const values = editorValuesFromBody((request.body ?? {}) as Record<string, unknown>);
      if (request.validationError) return showEditor(request, reply, { mode: 'correct', release, values, errors: { title: 'invalid' }, status: 422 });
      if (request.body.action === 'preview') return showEditor(request, reply, { mode: 'correct', release, values, preview: true });
      try {
        await releases.correct(release.id, releaseInputFromValues(values, await offices.contacts(officeOf(request).id)), values.note, actorOf(request));
      } catch (error) {
        if (error instanceof ConflictError) return conflict(reply, request, release.id, error);
        return onInvalid(request, reply, error, { mode: 'correct', release, values });
      }
      return reply.flash('flash.corrected').redirect(releaseUrl(request, release.id), 303);
    },
  );

  app.post<{ Params: ReleaseIdParams }>('/releases/:id/publish', { schema: { params: ReleaseIdParams } }, async function publishRelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    try {
      await releases.publish(release.id, actorOf(request));
    } catch (error) {
      return conflict(reply, request, release.id, error);
    }
    return reply.flash('flash.published').redirect(releaseUrl(request, release.id), 303);
  });

  app.post<{ Params: ReleaseIdParams; Body: ScheduleBody }>(
    '/releases/:id/schedule',
    { schema: { params: ReleaseIdParams, body: ScheduleBody }, attachValidation: true },
    async function scheduleRelease(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      const local = request.validationError ? '' : (request.body.publishAt ?? '');
      const values = editorValuesFromRelease(release, await offices.contacts(officeOf(request).id));
      const at = zonedTime(config.timeZone).fromLocal(local);
      if (!at) return showEditor(request, reply, { mode: 'edit', release, values, scheduleErrors: { publishAt: 'invalidTime' }, scheduleValue: local, status: 422 });
      try {
        await releases.schedule(release.id, at, actorOf(request));
      } catch (error) {
        if (error instanceof ValidationError) return showEditor(request, reply, { mode: 'edit', release, values, scheduleErrors: error.fields, scheduleValue: local, status: 422 });
        return conflict(reply, request, release.id, error);
      }
      return reply.flash('flash.scheduled').redirect(releaseUrl(request, release.id), 303);
    },
  );

  app.post<{ Params: ReleaseIdParams }>('/releases/:id/unschedule', { schema: { params: ReleaseIdParams } }, async function unscheduleRelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    try {
      await releases.unschedule(release.id, actorOf(request));
    } catch (error) {
      return conflict(reply, request, release.id, error);
    }
    return reply.flash('flash.unscheduled').redirect(releaseUrl(request, release.id), 303);
  });

  app.post<{ Params: ReleaseIdParams; Body: NoteBody }>(
    '/releases/:id/withdraw',
    { schema: { params: ReleaseIdParams, body: NoteBody }, attachValidation: true },
    async function withdrawRelease(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      const note = request.validationError ? '' : (request.body.note ?? '');
      const values = editorValuesFromRelease(release, await offices.contacts(officeOf(request).id));
      if (!note.trim()) return showEditor(request, reply, { mode: 'edit', release, values, withdrawErrors: { note: 'required' }, status: 422 });
      try {
        await releases.withdraw(release.id, note, actorOf(request));
      } catch (error) {
        if (error instanceof ValidationError) return showEditor(request, reply, { mode: 'edit', release, values, withdrawErrors: error.fields, status: 422 });
        return conflict(reply, request, release.id, error);
      }
      return reply.flash('flash.withdrawn').redirect(releaseUrl(request, release.id), 303);
    },
  );

  app.post<{ Params: ReleaseIdParams }>('/releases/:id/delete', { schema: { params: ReleaseIdParams } }, async function deleteRelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    let files: string[];
    try {
      files = await releases.deleteDraft(release.id, actorOf(request));
    } catch (error) {
      return conflict(reply, request, release.id, error);
    }
    for (const file of files) await photoStore.deletePhotoFiles(file).catch((err: unknown) => request.log.warn({ err }, 'photo file not removed'));
    return reply.flash('flash.deleted').redirect(officeUrls(request).home(), 303);
  });

  // Photos. The photos service takes changes only while the release is editable (release.ts
  // `isEditable`); a published one is changed by a correction, and its ConflictError comes back as a flash.
  const photosUrl = (request: FastifyRequest, id: number) => `${releaseUrl(request, id)}#photos`;

  app.post<{ Params: ReleaseIdParams }>('/releases/:id/photos', { schema: { params: ReleaseIdParams } }, async function uploadPhoto(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    const values = editorValuesFromRelease(release, await offices.contacts(officeOf(request).id));
    try {
      const upload = await readUpload(request);
      const alt = (upload.fields.alt ?? '').trim();
      const errors: FieldErrors = {};
      if (!upload.file) errors.photo = 'photoMissing';
      if (!alt) errors.alt = 'required';
      if (Object.keys(errors).length > 0) throw new ValidationError('Photo incomplete', errors);
      const stored = await photoStore.storeUpload(release.id, upload.file!.data, upload.file!.filename);
      try {
        await releasePhotos.addPhoto(release.id, { path: stored.path, alt, caption: upload.fields.caption ?? '', credit: upload.fields.credit ?? '', width: stored.width, height: stored.height, mime: stored.mime, bytes: stored.bytes, variants: stored.variants }, actorOf(request));
      } catch (error) {
        await photoStore.deletePhotoFiles(stored.path).catch(() => {});
        throw error;
      }
    } catch (error) {
      if (error instanceof ConflictError) return conflict(reply, request, release.id, error);
      if (!(error instanceof ValidationError)) throw error;
      return showEditor(request, reply, { mode: 'edit', release, values, photoErrors: error.fields, status: 422 });
    }
    return reply.flash('flash.photoAdded').redirect(photosUrl(request, release.id), 303);
  });

  app.post<{ Params: PhotoParams; Body: PhotoWordsBody }>(
    '/releases/:id/photos/:photoId',
    { schema: { params: PhotoParams, body: PhotoWordsBody }, attachValidation: true },
    async function updatePhoto(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      if (!release.photos.some((p) => p.id === request.params.photoId)) throw new NotFoundError();
      const body = request.validationError ? {} : request.body;
      try {
        await releasePhotos.updatePhoto(release.id, request.params.photoId, { alt: body.alt ?? '', caption: body.caption ?? '', credit: body.credit ?? '' }, actorOf(request));
      } catch (error) {
        if (error instanceof ConflictError) return conflict(reply, request, release.id, error);
        if (!(error instanceof ValidationError)) throw error;
        const values = editorValuesFromRelease(release, await offices.contacts(officeOf(request).id));
        return showEditor(request, reply, { mode: 'edit', release, values, photoErrors: Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`${k}-${request.params.photoId}`, v])), status: 422 });
      }
      return reply.flash('flash.photoSaved').redirect(`${releaseUrl(request, release.id)}#photo-${request.params.photoId}`, 303);
    },
  );

  app.post<{ Params: PhotoParams; Body: MoveBody }>(
    '/releases/:id/photos/:photoId/move',
    { schema: { params: PhotoParams, body: MoveBody }, attachValidation: true },
    async function movePhoto(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      if (!release.photos.some((p) => p.id === request.params.photoId)) throw new NotFoundError();
      try {
        await releasePhotos.movePhoto(release.id, request.params.photoId, request.body?.direction === 'up' ? -1 : 1);
      } catch (error) {
        return conflict(reply, request, release.id, error);
      }
      return reply.flash('flash.photoMoved').redirect(photosUrl(request, release.id), 303);
    },
  );

  app.post<{ Params: PhotoParams }>('/releases/:id/photos/:photoId/delete', { schema: { params: PhotoParams } }, async function removePhoto(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    if (!release.photos.some((p) => p.id === request.params.photoId)) throw new NotFoundError();
    let file: string | null;
    try {
      file = await releasePhotos.removePhoto(release.id, request.params.photoId, actorOf(request));
    } catch (error) {
      return conflict(reply, request, release.id, error);
    }
    if (file) await photoStore.deletePhotoFiles(file).catch((err: unknown) => request.log.warn({ err }, 'photo file not removed'));
    return reply.flash('flash.photoRemoved').redirect(photosUrl(request, release.id), 303);
  });
}
