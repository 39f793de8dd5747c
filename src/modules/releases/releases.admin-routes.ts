// The office dashboard, the release editor and the workflow (preview, publish, schedule, correct,
// withdraw, delete) and photos. Registered inside the /admin/offices/:office scope, so the user is
// logged in, the CSRF token checked and the office checked before any handler runs. Every POST
// answers 303 with a flash message, or re-renders its form with 422 when input is invalid.
// `releasesAdminRootRoutes` gives back a form kept from an expired session (/admin/resume/:token).
import { photoErrorMessage } from '../media/photos.service.ts';
import { attachmentErrorMessage } from '../media/attachments.service.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { zonedTime } from '../../lib/zoned-time.ts';
import { isSlug } from '../../lib/slug.ts';
import type { AdminOptions } from '../admin/admin.routes.ts';
import { OfficeParams, TokenParams } from '../admin/admin.schemas.ts';
import { errorsView } from '../admin/admin.views.ts';
import { actorOf, officeNav, officeOf, officeUrls, resolveOffice } from '../admin/office-access.ts';
import { readPostedForm, type PostedForm } from '../admin/upload.ts';
import { KEPT_FORM_PATH } from '../auth/require-user.ts';
import { EditorBody, NoteBody, ReleaseIdParams, ReleaseListQuery, ScheduleBody } from './releases.admin-schemas.ts';
import {
  contactsView,
  editorValuesFromBody,
  editorValuesFromRelease,
  fileEditsFromValues,
  filesView,
  newEditorValues,
  previewHtml,
  releaseAdminView,
  releaseInputFromValues,
  statusOf,
  termsView,
  type EditorValues,
} from './releases.editor.ts';
import type { Release } from './release.ts';
import { fileEditErrors, fileFields, type AttachmentFile, type PhotoFile } from './release-files.ts';
import { validateReleaseInput, type ObsoleteFiles } from './releases.service.ts';

export type EditorMode = 'new' | 'edit' | 'correct';

interface EditorState {
  mode: EditorMode;
  release?: Release;
  values: EditorValues;
  /** Errors by field id: the release's fields, the files' words, and the stores' refusals (their codes). */
  errors?: FieldErrors;
  preview?: boolean;
  resumed?: boolean;
  status?: number;
  /** Files were chosen but not stored (the form had errors): they must be chosen again. */
  filesNotKept?: boolean;
  scheduleErrors?: FieldErrors;
  scheduleValue?: string;
  withdrawErrors?: FieldErrors;
  /** The withdrawal reason as typed, shown again with its error. */
  withdrawNote?: string;
}

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

/** At most this many files (new and replacements) are taken in one save; each within its store's limit. */
const EDITOR_MAX_FILES = 10;

/** The photo and attachment stores' refusal codes, which come with their own sentences. */
const PHOTO_CODES = new Set(['empty', 'tooLarge', 'unsupportedType', 'corrupt', 'tooSmall', 'dimensionsTooLarge', 'animated']);
const ATTACHMENT_CODES = new Set(['empty', 'tooLarge', 'unsupportedType', 'corrupt']);
const isPhotoFileField = (field: string) => field === fileFields.newPhotoFile || /^file-\d+$/.test(field);
const isAttachmentFileField = (field: string) => field === fileFields.newAttachmentFile || /^attachment-file-\d+$/.test(field);

/** The name of each editor field as its label says, for the error summary („Titel: Bitte ausfüllen.“). */
const fieldLabel = (field: string, release: Release | undefined, t: FastifyRequest['t']): string | undefined => {
  const simple: Record<string, MessageKey> = {
    title: 'editor.title',
    subtitle: 'editor.subtitle',
    slug: 'editor.slug',
    releaseDate: 'release.date',
    dateline: 'editor.dateline',
    language: 'editor.language',
    bodyMarkdown: 'editor.body',
    topics: 'topics.label',
    regions: 'regions.label',
    contact: 'release.contact',
    republicationNotice: 'release.notice',
    note: 'editor.note',
    publishAt: 'editor.publishAt',
    'withdraw-note': 'editor.withdrawNote',
    photo: 'photo.file',
    'new-alt': 'photo.alt',
    'new-caption': 'photo.caption',
    'new-credit': 'photo.credit',
    attachment: 'attachment.file',
    'new-attachment-title': 'attachment.title',
  };
  if (simple[field]) return t.t(simple[field]);
  const photo = /^(alt|caption|credit|file)-(\d+)$/.exec(field);
  if (photo) {
    const n = (release?.photos.findIndex((p) => p.id === Number(photo[2])) ?? -1) + 1;
    const part = { alt: 'photo.alt', caption: 'photo.caption', credit: 'photo.credit', file: 'photo.replace' }[photo[1]!] as MessageKey;
    return `${t.t('photo.number', { n })}, ${t.t(part)}`;
  }
  const attachment = /^attachment-(title|file)-(\d+)$/.exec(field);
  if (attachment) {
    const n = (release?.attachments.findIndex((a) => a.id === Number(attachment[2])) ?? -1) + 1;
    return `${t.t('attachment.number', { n })}, ${t.t(attachment[1] === 'title' ? 'attachment.title' : 'attachment.replace')}`;
  }
  return undefined;
};

/** Renders the editor (new, edit or correct) with everything the page shows around it. */
const showEditor = async (request: FastifyRequest, reply: FastifyReply, state: EditorState) => {
  const { services, config } = request.server;
  const office = officeOf(request);
  const t = request.t;
  const admin = officeUrls(request);
  const [contacts, topics, regions] = await Promise.all([services.offices.contacts(office.id), services.taxonomies.list('topics'), services.taxonomies.list('regions')]);
  const v = state.values;
  const fields = state.errors ?? {};
  const { errors } = errorsView(fields, t);
  // The stores' refusals come with their own sentences, the limits filled in.
  for (const [field, code] of Object.entries(fields)) {
    if (isPhotoFileField(field) && PHOTO_CODES.has(code)) errors[field] = photoErrorMessage(code, t, services.photos);
    else if (isAttachmentFileField(field) && ATTACHMENT_CODES.has(code)) errors[field] = attachmentErrorMessage(code, t, services.attachments);
    else if (code === 'photoMissing' && isAttachmentFileField(field)) errors[field] = t.t('attachment.missing');
  }
  const errorList = Object.entries({ ...errors, ...errorsView(state.scheduleErrors ?? {}, t).errors, ...errorsView(state.withdrawErrors ?? {}, t).errors }).map(([field, text]) => {
    const label = fieldLabel(field, state.release, t);
    return { field, text: label ? `${label}: ${text}` : text };
  });
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
      filesNotKept: Boolean(state.filesNotKept),
      preview: state.preview ? { title: v.title, subtitle: v.subtitle, bodyHtml: previewHtml(v) } : null,
      topics: termsView(topics, v.topics),
      regions: termsView(regions, v.regions),
      contacts: contactsView(contacts),
      release,
      files: filesView(state.release, v.files, errors, t, services.urls),
      photoLimit: t.bytes(services.photos.maxBytes),
      attachmentLimit: t.bytes(services.attachments.maxBytes),
      previewUrl: state.release ? services.urls.preview((await services.releases.findPreviewToken(state.release.id)) ?? '') : '',
      scheduleErrors: errorsView(state.scheduleErrors ?? {}, t).errors,
      withdrawErrors: errorsView(state.withdrawErrors ?? {}, t).errors,
      withdrawNote: state.withdrawNote ?? '',
      scheduleValue: state.scheduleValue ?? (release?.publishAtLocal || zonedTime(config.timeZone).toLocal(services.clock.now().getTime() + 60 * 60 * 1000).replace(/:\d\d$/, ':00')),
      timeZone: config.timeZone,
      // Where static/js/admin.js keeps a local copy of the form while it is being typed.
      localCopyKey: `herold-form:${action}`,
      countText: t.t('editor.count', { count: '{count}', max: '{max}' }),
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



/** The files of one save, stored for the release: what `fileEditsFromValues` takes as `stored`. */
interface StoredFiles {
  newPhoto?: PhotoFile;
  newAttachment?: AttachmentFile;
  photos: Record<number, PhotoFile>;
  attachments: Record<number, AttachmentFile>;
}

export default async function releasesAdminRoutes(app: FastifyInstance, options: AdminOptions) {
  const { releases, releaseFiles, offices, clock, urls, attachments } = app.services;
  const { config } = app;
  const { photoStore } = options;

  const releaseUrl = (request: FastifyRequest, id: number) => officeUrls(request).release(id);

  const conflict = (reply: FastifyReply, request: FastifyRequest, id: number, error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
    return reply.flash('flash.conflict', 'error').redirect(releaseUrl(request, id), 303);
  };

  /** Deletes files no row names any more; a failure is logged, never shown (the change is saved). */
  const deleteFiles = async (request: FastifyRequest, files: ObsoleteFiles) => {
    for (const file of files.obsoletePhotos) await photoStore.deletePhotoFiles(file).catch((err: unknown) => request.log.warn({ err }, 'photo file not removed'));
    for (const file of files.obsoleteAttachments) await attachments.deleteAttachmentFiles(file).catch((err: unknown) => request.log.warn({ err }, 'attachment file not removed'));
  };

  const storedPaths = (stored: StoredFiles): ObsoleteFiles => ({
    obsoletePhotos: [stored.newPhoto, ...Object.values(stored.photos)].flatMap((p) => (p?.path ? [p.path] : [])),
    obsoleteAttachments: [stored.newAttachment, ...Object.values(stored.attachments)].flatMap((a) => (a ? [a.path] : [])),
  });

  /**
   * Stores the files chosen in the editor for `release` (new ones and replacements of its own
   * files), checked by the stores. On any refusal, what was stored is removed again and the
   * refusals come back as a ValidationError naming each file field.
   */
  const storeFiles = async (request: FastifyRequest, release: Release, form: PostedForm, values: EditorValues): Promise<StoredFiles> => {
    const stored: StoredFiles = { photos: {}, attachments: {} };
    const errors: FieldErrors = {};
    for (const [field, file] of Object.entries(form.files)) {
      try {
        const replacedPhoto = /^file-(\d+)$/.exec(field);
        const replacedAttachment = /^attachment-file-(\d+)$/.exec(field);
        if (field === fileFields.newPhotoFile) stored.newPhoto = await photoStore.storeUpload(release.id, file.data, file.filename);
        else if (field === fileFields.newAttachmentFile) stored.newAttachment = await attachments.storeAttachment(release.id, file.data, values.files.newAttachment.title || 'anhang');
        else if (replacedPhoto && release.photos.some((p) => p.id === Number(replacedPhoto[1]))) stored.photos[Number(replacedPhoto[1])] = await photoStore.storeUpload(release.id, file.data, file.filename);
        else if (replacedAttachment && release.attachments.some((a) => a.id === Number(replacedAttachment[1]))) {
          const id = Number(replacedAttachment[1]);
          stored.attachments[id] = await attachments.storeAttachment(release.id, file.data, values.files.attachments[id]?.title || 'anhang');
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) {
          await deleteFiles(request, storedPaths(stored));
          throw error;
        }
        errors[field] = Object.values(error.fields)[0] ?? 'invalid';
      }
    }
    if (Object.keys(errors).length > 0) {
      await deleteFiles(request, storedPaths(stored));
      throw new ValidationError('A file was refused', errors);
    }
    return stored;
  };

  /** Errors found before anything is stored: the text, the files' words, and words typed for a new file that was not chosen. */
  const checkForm = (mode: EditorMode, release: Release | undefined, values: EditorValues, form: PostedForm, input: ReturnType<typeof releaseInputFromValues>): FieldErrors => {
    const chosen = (field: string) => field in form.files;
    const placeholders = {
      ...(chosen(fileFields.newPhotoFile) ? { newPhoto: { path: null } } : {}),
      ...(chosen(fileFields.newAttachmentFile) ? { newAttachment: { path: '', mime: '', bytes: 0, sha256: '' } } : {}),
    };
    const errors: FieldErrors = { ...validateReleaseInput(input), ...fileEditErrors(fileEditsFromValues(values.files, release, placeholders)) };
    const { newPhoto, newAttachment } = values.files;
    if (!chosen(fileFields.newPhotoFile) && (newPhoto.alt.trim() || newPhoto.caption.trim() || newPhoto.credit.trim())) errors[fileFields.newPhotoFile] = 'photoMissing';
    if (!chosen(fileFields.newAttachmentFile) && newAttachment.title.trim()) errors[fileFields.newAttachmentFile] = 'photoMissing';
    if (mode === 'correct' && !values.note.trim()) errors.note = 'required';
    if (mode === 'edit' && values.slug && !isSlug(values.slug)) errors.slug = 'invalidSlug';
    return errors;
  };

  /**
   * One save of the editor, in every mode: the text, the words of the photos and attachments, their
   * places, removals, replacements and the new files, as one change (a correction among them). The
   * text and words are checked before any file is stored; files chosen in a form that is shown again
   * with errors must be chosen again (a browser cannot fill a file field).
   */
  const saveEditor = async (request: FastifyRequest, reply: FastifyReply, mode: EditorMode, release?: Release) => {
    const office = officeOf(request);
    let form: PostedForm;
    try {
      form = await readPostedForm(request, EDITOR_MAX_FILES);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const values = release ? editorValuesFromRelease(release, await offices.contacts(office.id)) : newEditorValues(office, await offices.contacts(office.id), zonedTime(config.timeZone).localDate(clock.now()));
      return showEditor(request, reply, { mode, ...(release ? { release } : {}), values, errors: { photo: 'photoMissing' }, status: 422 });
    }
    const values = editorValuesFromBody(form.body);
    const state = { mode, ...(release ? { release } : {}), values };
    const filesChosen = Object.keys(form.files).length + Object.keys(form.refused).length > 0;
    // The schema reads urlencoded bodies; a multipart one is read above, field by field.
    if (request.validationError && !request.isMultipart()) return showEditor(request, reply, { ...state, errors: { title: 'invalid' }, filesNotKept: filesChosen, status: 422 });
    if (values.action === 'preview') return showEditor(request, reply, { ...state, preview: true, filesNotKept: filesChosen });
    const contacts = await offices.contacts(office.id);
    const input = releaseInputFromValues(values, contacts);
    const errors = { ...checkForm(mode, release, values, form, input), ...form.refused };
    if (Object.keys(errors).length > 0) return showEditor(request, reply, { ...state, errors, filesNotKept: filesChosen, status: 422 });
    const anchor = values.action === 'upload' ? '#files' : '';

    if (mode === 'new') {
      let created: Release;
      try {
        created = await releases.create(office.id, input, { actor: actorOf(request) });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showEditor(request, reply, { ...state, errors: error.fields, filesNotKept: filesChosen, status: 422 });
      }
      // The draft exists now; its files are stored under it. A refused file leaves the draft saved
      // and the editor of the draft shown with the refusal beside the file field.
      let stored: StoredFiles;
      try {
        stored = await storeFiles(request, created, form, values);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const saved = editorValuesFromRelease(created, contacts);
        return showEditor(request, reply, { mode: 'edit', release: created, values: { ...saved, files: { ...saved.files, newPhoto: values.files.newPhoto, newAttachment: values.files.newAttachment } }, errors: error.fields, filesNotKept: true, status: 422 });
      }
      if (stored.newPhoto) await releaseFiles.addPhoto(created.id, { ...stored.newPhoto, ...values.files.newPhoto }, actorOf(request));
      if (stored.newAttachment) await releaseFiles.addAttachment(created.id, { ...stored.newAttachment, title: values.files.newAttachment.title }, actorOf(request));
      return reply.flash('flash.saved').redirect(`${releaseUrl(request, created.id)}${anchor}`, 303);
    }

    const current = release!;
    let stored: StoredFiles;
    try {
      stored = await storeFiles(request, current, form, values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showEditor(request, reply, { ...state, errors: error.fields, filesNotKept: true, status: 422 });
    }
    const edits = fileEditsFromValues(values.files, current, stored);
    let saved: Awaited<ReturnType<typeof releases.update>>;
    try {
      saved =
        mode === 'correct'
          ? await releases.correct(current.id, input, values.note, actorOf(request), edits)
          : await releases.update(current.id, input, actorOf(request), edits, { slug: values.slug });
    } catch (error) {
      await deleteFiles(request, storedPaths(stored));
      if (error instanceof ConflictError) return conflict(reply, request, current.id, error);
      if (!(error instanceof ValidationError)) throw error;
      return showEditor(request, reply, { ...state, errors: error.fields, filesNotKept: filesChosen, status: 422 });
    }
    await deleteFiles(request, saved.obsolete);
    return reply.flash(mode === 'correct' ? 'flash.corrected' : 'flash.saved').redirect(`${releaseUrl(request, current.id)}${anchor}`, 303);
  };

  /** The editor's POST routes read forms with files: larger multipart limits than the admin area's default. */
  const editorRoute = {
    attachValidation: true,
    bodyLimit: EDITOR_BODY_LIMIT,
    config: { multipartLimits: { fileSize: Math.max(app.services.photos.maxBytes, attachments.maxBytes) + 1, files: 200, fields: 1000, fieldSize: EDITOR_BODY_LIMIT, parts: 1200 } },
  } as const;

  /** A release as the admin area's tables show it (views/admin/_release-table.eta). */
  const releaseRow = (request: FastifyRequest, r: Awaited<ReturnType<typeof releases.listForOffice>>[number], nowIso: string) => {
    const t = request.t;
    const admin = officeUrls(request);
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
  };

  app.get<{ Params: OfficeParams }>('/', { schema: { params: OfficeParams } }, async function showDashboardPage(request, reply) {
    const office = officeOf(request);
    const t = request.t;
    const nowIso = clock.now().toISOString();
    const all = (await releases.listForOffice(office.id)).map((r) => releaseRow(request, r, nowIso));
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

  // Every release of the office, newest change first, in pages, filtered by what their titles
  // contain: the dashboard shows the newest only, and an older release is corrected or withdrawn
  // from here. An address with an invalid page or too long a filter shows the first page, saying so.
  app.get<{ Params: OfficeParams; Querystring: ReleaseListQuery }>(
    '/releases',
    { schema: { params: OfficeParams, querystring: ReleaseListQuery }, attachValidation: true },
    async function showReleaseListPage(request, reply) {
      const office = officeOf(request);
      const admin = officeUrls(request);
      const t = request.t;
      const invalid = request.validationError !== undefined;
      const typed = invalid ? '' : (request.query.q ?? '').trim();
      const page = invalid ? 1 : (request.query.page ?? 1);
      const list = await releases.pageOfOffice(office.id, { page, query: typed });
      // A filter of punctuation alone filters nothing: the page says so and lists all.
      const q = list.filtered ? typed : '';
      if (list.page > list.pages) return reply.redirect(admin.releaseList({ q, page: list.pages }), 303);
      const nowIso = clock.now().toISOString();
      return reply.adminPage('admin/releases', {
        title: t.t('releases.list.title', { office: office.name }),
        office: officeNav(request),
        invalid,
        noWords: typed !== '' && !list.filtered,
        q: typed,
        navCurrent: 'releases',
        action: admin.releases(),
        countLabel: t.t(`releases.list.count${q ? 'Filtered' : ''}${list.total === 1 ? 'One' : ''}`, { n: list.total, q }),
        items: list.items.map((r) => releaseRow(request, r, nowIso)),
        pageLabel: t.t('pagination.page', { page: list.page, pages: list.pages }),
        newerUrl: list.page > 1 ? admin.releaseList({ q, page: list.page - 1 }) : '',
        olderUrl: list.page < list.pages ? admin.releaseList({ q, page: list.page + 1 }) : '',
      });
    },
  );

  app.get<{ Params: OfficeParams }>('/releases/new', { schema: { params: OfficeParams } }, async function showNewReleasePage(request, reply) {
    const office = officeOf(request);
    const today = zonedTime(config.timeZone).localDate(clock.now());
    return showEditor(request, reply, { mode: 'new', values: newEditorValues(office, await offices.contacts(office.id), today) });
  });

  app.post<{ Params: OfficeParams; Body: EditorBody }>('/releases', { schema: { params: OfficeParams, body: EditorBody }, ...editorRoute }, async function createRelease(request, reply) {
    return saveEditor(request, reply, 'new');
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

  app.post<{ Params: ReleaseIdParams; Body: EditorBody }>('/releases/:id', { schema: { params: ReleaseIdParams, body: EditorBody }, ...editorRoute }, async function updateRelease(request, reply) {
    return saveEditor(request, reply, 'edit', await releaseOfOffice(request, request.params.id));
  });

  app.get<{ Params: ReleaseIdParams }>('/releases/:id/correct', { schema: { params: ReleaseIdParams } }, async function showCorrectReleasePage(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    if (statusOf(release, clock.now().toISOString()) !== 'published') return reply.redirect(releaseUrl(request, release.id), 303);
    return showEditor(request, reply, { mode: 'correct', release, values: editorValuesFromRelease(release, await offices.contacts(officeOf(request).id)) });
  });

  app.post<{ Params: ReleaseIdParams; Body: EditorBody }>('/releases/:id/correct', { schema: { params: ReleaseIdParams, body: EditorBody }, ...editorRoute }, async function correctRelease(request, reply) {
    return saveEditor(request, reply, 'correct', await releaseOfOffice(request, request.params.id));
  });

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

  // Withdrawal asks first: the reason is shown once more with what withdrawing does, and only the
  // second POST (`confirm=yes`) withdraws.
  app.post<{ Params: ReleaseIdParams; Body: NoteBody }>(
    '/releases/:id/withdraw',
    { schema: { params: ReleaseIdParams, body: NoteBody }, attachValidation: true },
    async function withdrawRelease(request, reply) {
      const release = await releaseOfOffice(request, request.params.id);
      const note = request.validationError ? '' : (request.body.note ?? '');
      const values = editorValuesFromRelease(release, await offices.contacts(officeOf(request).id));
      if (!note.trim()) return showEditor(request, reply, { mode: 'edit', release, values, withdrawErrors: { 'withdraw-note': 'required' }, status: 422 });
      if (note.length > 1000) return showEditor(request, reply, { mode: 'edit', release, values, withdrawErrors: { 'withdraw-note': 'tooLong' }, withdrawNote: note, status: 422 });
      if (statusOf(release, clock.now().toISOString()) !== 'published') return conflict(reply, request, release.id, new ConflictError('Only a published release can be withdrawn'));
      if (request.body.confirm !== 'yes') {
        return reply.adminPage('admin/withdraw-confirm', {
          title: request.t.t('withdraw.confirmTitle', { title: release.title }),
          office: officeNav(request),
          release: { title: release.title, editUrl: releaseUrl(request, release.id), publicUrl: urls.release(release) },
          note,
        });
      }
      try {
        await releases.withdraw(release.id, note, actorOf(request));
      } catch (error) {
        if (error instanceof ValidationError) return showEditor(request, reply, { mode: 'edit', release, values, withdrawErrors: { 'withdraw-note': error.fields.note ?? 'invalid' }, withdrawNote: note, status: 422 });
        return conflict(reply, request, release.id, error);
      }
      return reply.flash('flash.withdrawn').redirect(releaseUrl(request, release.id), 303);
    },
  );

  // A new draft with the text, terms, contact and notice of this release (of any status); files are not copied.
  app.post<{ Params: ReleaseIdParams }>('/releases/:id/duplicate', { schema: { params: ReleaseIdParams } }, async function duplicateRelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    const copy = await releases.duplicate(release.id, actorOf(request));
    return reply.flash('flash.duplicated').redirect(releaseUrl(request, copy.id), 303);
  });

  app.post<{ Params: ReleaseIdParams }>('/releases/:id/delete', { schema: { params: ReleaseIdParams } }, async function deleteRelease(request, reply) {
    const release = await releaseOfOffice(request, request.params.id);
    let files: ObsoleteFiles;
    try {
      files = await releases.deleteDraft(release.id, actorOf(request));
    } catch (error) {
      return conflict(reply, request, release.id, error);
    }
    await deleteFiles(request, files);
    return reply.flash('flash.deleted').redirect(officeUrls(request).home(), 303);
  });
}
