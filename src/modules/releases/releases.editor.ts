// View models of the release editor (releases.admin-routes.ts): what the form holds, the
// service's input made from it, and the release as its office sees it. Plain strings, numbers,
// booleans, arrays and SafeHtml.
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { SafeHtml } from '../../lib/safe-html.ts';
import { renderMarkdown } from '../../content/markdown.ts';
import type { Urls } from '../../lib/urls.ts';
import { zonedTime } from '../../lib/zoned-time.ts';
import { CONTACT_FIELDS, effectiveStatus, emptyContact, type ContactBlock, type Release, type ReleaseInput, type Term } from './release.ts';
import { leadWithDateline } from './releases.presenter.ts';
import { fileChangeSentences, type AttachmentFile, type FileChange, type FileEdits, type PhotoFile } from './release-files.ts';

/** The words of the files as typed in the editor, by photo or attachment id; the new file's words. */
export interface FileValues {
  photos: Record<number, { alt: string; caption: string; credit: string; position: string; remove: boolean }>;
  attachments: Record<number, { title: string; position: string; remove: boolean }>;
  newPhoto: { alt: string; caption: string; credit: string };
  newAttachment: { title: string };
}

/** What the editor form holds, exactly as typed. */
export interface EditorValues {
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  topics: string[];
  regions: string[];
  /** `none`, `custom`, or the id of one of the office's contacts. */
  contactChoice: string;
  contact: ContactBlock;
  republicationNotice: string;
  language: 'de' | 'en';
  note: string;
  /** The slug as typed (editable until the first publication); empty: made from the title. */
  slug: string;
  /** The button pressed: `save`, `upload` (save, then back to the files), `preview`. */
  action: string;
  files: FileValues;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** The file fields of a posted editor form (release-files.ts `fileFields` names them). */
const fileValuesFromBody = (body: Record<string, unknown>): FileValues => {
  const files: FileValues = { photos: {}, attachments: {}, newPhoto: { alt: str(body['new-alt']), caption: str(body['new-caption']), credit: str(body['new-credit']) }, newAttachment: { title: str(body['new-attachment-title']) } };
  for (const key of Object.keys(body)) {
    const photo = /^alt-(\d{1,12})$/.exec(key);
    if (photo) {
      const id = Number(photo[1]);
      files.photos[id] = { alt: str(body[key]), caption: str(body[`caption-${id}`]), credit: str(body[`credit-${id}`]), position: str(body[`position-${id}`]), remove: body[`remove-${id}`] !== undefined };
    }
    const attachment = /^attachment-title-(\d{1,12})$/.exec(key);
    if (attachment) {
      const id = Number(attachment[1]);
      files.attachments[id] = { title: str(body[key]), position: str(body[`attachment-position-${id}`]), remove: body[`attachment-remove-${id}`] !== undefined };
    }
  }
  return files;
};

/** The file words of a release as stored: what the editor shows before anything is typed. */
const fileValuesFromRelease = (r: Release): FileValues => ({
  photos: Object.fromEntries(r.photos.map((p, i) => [p.id, { alt: p.alt, caption: p.caption, credit: p.credit, position: String(i + 1), remove: false }])),
  attachments: Object.fromEntries(r.attachments.map((a, i) => [a.id, { title: a.title, position: String(i + 1), remove: false }])),
  newPhoto: { alt: '', caption: '', credit: '' },
  newAttachment: { title: '' },
});

/**
 * The edits one save asks of a release's files (release-files.ts), from what was typed and the files
 * stored for it: only files of `release` whose fields were posted are touched.
 */
export const fileEditsFromValues = (
  files: FileValues,
  release: Pick<Release, 'photos' | 'attachments'> | undefined,
  stored: { newPhoto?: PhotoFile; newAttachment?: AttachmentFile; photos?: Record<number, PhotoFile>; attachments?: Record<number, AttachmentFile> } = {},
): FileEdits => {
  const position = (text: string): number | null => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : null);
  return {
    photos: (release?.photos ?? []).flatMap((p) => {
      const v = files.photos[p.id];
      return v ? [{ id: p.id, alt: v.alt, caption: v.caption, credit: v.credit, position: position(v.position), remove: v.remove, replacement: stored.photos?.[p.id] ?? null }] : [];
    }),
    attachments: (release?.attachments ?? []).flatMap((a) => {
      const v = files.attachments[a.id];
      return v ? [{ id: a.id, title: v.title, position: position(v.position), remove: v.remove, replacement: stored.attachments?.[a.id] ?? null }] : [];
    }),
    newPhoto: stored.newPhoto ? { ...stored.newPhoto, ...files.newPhoto } : null,
    newAttachment: stored.newAttachment ? { ...stored.newAttachment, title: files.newAttachment.title } : null,
  };
};

export const editorValuesFromBody = (body: Record<string, unknown>): EditorValues => {
  const contact = emptyContact();
  for (const f of CONTACT_FIELDS) contact[f] = str(body[`contact_${f}`]);
  return {
    title: str(body.title),
    subtitle: str(body.subtitle),
    releaseDate: str(body.releaseDate),
    dateline: str(body.dateline),
    bodyMarkdown: str(body.bodyMarkdown).replace(/\r\n/g, '\n'),
    topics: list(body.topics),
    regions: list(body.regions),
    contactChoice: str(body.contactChoice) || 'none',
    contact,
    republicationNotice: str(body.republicationNotice),
    language: str(body.language) === 'en' ? 'en' : 'de',
    note: str(body.note),
    slug: str(body.slug).trim(),
    action: str(body.action),
    files: fileValuesFromBody(body),
  };
};

const sameContact = (a: ContactBlock, b: ContactBlock) => CONTACT_FIELDS.every((f) => (a[f] ?? '') === (b[f] ?? ''));

/** A press contact of the office, as the offices service lists them. */
export type OfficeContact = ContactBlock & { id: number };

export const editorValuesFromRelease = (r: Release, contacts: OfficeContact[]): EditorValues => {
  const match = r.contact ? contacts.find((c) => sameContact(c, r.contact!)) : undefined;
  return {
    title: r.title,
    subtitle: r.subtitle,
    releaseDate: r.releaseDate,
    dateline: r.dateline,
    bodyMarkdown: r.bodyMarkdown,
    topics: r.topics.map((t) => t.slug),
    regions: r.regions.map((t) => t.slug),
    contactChoice: match ? String(match.id) : r.contact ? 'custom' : 'none',
    contact: r.contact && !match ? r.contact : emptyContact(),
    republicationNotice: r.republicationNotice,
    language: r.language,
    note: '',
    slug: r.slug,
    action: '',
    files: fileValuesFromRelease(r),
  };
};

export const newEditorValues = (office: { defaultContactId: number | null; republicationNotice: string; language: 'de' | 'en' }, contacts: OfficeContact[], today: string): EditorValues => {
  const chosen = contacts.find((c) => c.id === office.defaultContactId) ?? contacts[0];
  return {
    title: '',
    subtitle: '',
    releaseDate: today,
    dateline: '',
    bodyMarkdown: '',
    topics: [],
    regions: [],
    contactChoice: chosen ? String(chosen.id) : 'none',
    contact: emptyContact(),
    republicationNotice: office.republicationNotice,
    language: office.language,
    note: '',
    slug: '',
    action: '',
    files: { photos: {}, attachments: {}, newPhoto: { alt: '', caption: '', credit: '' }, newAttachment: { title: '' } },
  };
};

/** The service's input from the form: the chosen office contact is copied in, or the one written. */
export const releaseInputFromValues = (v: EditorValues, contacts: OfficeContact[]): ReleaseInput => {
  let contact: ContactBlock | null = null;
  if (v.contactChoice === 'custom') contact = v.contact;
  else if (v.contactChoice !== 'none') {
    const found = contacts.find((c) => String(c.id) === v.contactChoice);
    if (found) contact = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, found[f]])) as unknown as ContactBlock;
  }
  return {
    title: v.title,
    subtitle: v.subtitle,
    releaseDate: v.releaseDate,
    dateline: v.dateline,
    bodyMarkdown: v.bodyMarkdown,
    contact,
    republicationNotice: v.republicationNotice,
    topics: v.topics,
    regions: v.regions,
    language: v.language,
  };
};

/** The body as it will be shown, dateline in front: the editor's server-rendered preview. */
export const previewHtml = (v: EditorValues): SafeHtml => leadWithDateline(renderMarkdown(v.bodyMarkdown), v.dateline);

export const termsView = (terms: Term[], selected: string[]) => terms.map((t) => ({ slug: t.slug, name: t.name, checked: selected.includes(t.slug) }));

export const contactsView = (contacts: OfficeContact[]) =>
  contacts.map((c) => ({ id: c.id, label: [c.name, c.role, c.organisation].filter(Boolean).join(', ') || String(c.id), block: Object.fromEntries(CONTACT_FIELDS.map((f) => [f, c[f]])) }));

/** What a correction's file changes replaced, for the revision history: the old words, or what the old file was. */
const fileChangesBefore = (changes: FileChange[], language: 'de' | 'en', t: Translator): string[] => {
  const sentences = fileChangeSentences(changes, language);
  return changes.flatMap((c, i) => {
    if (c.before === null) return [];
    if (typeof c.before === 'string') return [`${sentences[i]}. ${t.t('history.before')}: „${c.before}“`];
    const f = c.before;
    const words = [f.title, f.caption, f.credit].filter(Boolean).join(' · ');
    const file = t.t('history.file', { format: (f.path ?? '').split('.').pop()!.toUpperCase(), size: t.bytes(f.bytes) });
    return [`${sentences[i]}. ${t.t('history.before')}: ${words ? `${words}, ` : ''}${file}${f.sha256 ? `, SHA-256 ${f.sha256.slice(0, 12)}…` : ''} (${t.t('history.fileDeleted')})`];
  });
};

/** A release's status as its office sees it (release.ts `effectiveStatus`). */
export const statusOf = (r: Pick<Release, 'status' | 'publishedAt'>, nowIso: string) => effectiveStatus({ status: r.status, published_at: r.publishedAt }, nowIso);

export const releaseAdminView = (r: Release, t: Translator, timeZone: string, nowIso: string, urls: Urls) => {
  const status = statusOf(r, nowIso);
  const admin = urls.admin.office(r.office.slug);
  return {
    id: r.id,
    title: r.title,
    status,
    statusLabel: t.t(`status.${status}` as MessageKey),
    publishedAt: r.publishedAt ? t.dateTime(r.publishedAt) : '',
    publishAtLocal: r.status === 'scheduled' && r.publishedAt ? zonedTime(timeZone).toLocal(r.publishedAt) : '',
    withdrawnAt: r.withdrawnAt ? t.dateTime(r.withdrawnAt) : '',
    withdrawalNote: r.withdrawalNote,
    publicUrl: urls.release(r),
    corrections: r.corrections.map((c) => ({ at: t.dateTime(c.at), note: c.note, before: fileChangesBefore(c.fileChanges, r.language, t) })),
    editUrl: admin.release(r.id),
  };
};

/**
 * The photos and attachments part of the editor form: each file with its words as typed (or as
 * stored), its place and its errors; `errors` are the form's messages by field id.
 */
export const filesView = (r: Pick<Release, 'photos' | 'attachments'> | undefined, v: FileValues, errors: Record<string, string>, t: Translator, urls: Urls) => {
  const photos = r?.photos ?? [];
  const attachments = r?.attachments ?? [];
  return {
    photos: photos.map((p, i) => {
      const typed = v.photos[p.id] ?? { alt: p.alt, caption: p.caption, credit: p.credit, position: String(i + 1), remove: false };
      return {
        id: p.id,
        label: t.t('photo.number', { n: i + 1 }),
        src: p.variants[0]?.jpeg ? urls.media(p.variants[0].jpeg) : p.path ? urls.media(p.path) : '',
        width: p.variants[0]?.width ?? p.width,
        height: p.variants[0]?.height ?? p.height,
        ...typed,
        positions: photos.map((_, n) => ({ value: String(n + 1), selected: String(n + 1) === typed.position })),
      };
    }),
    attachments: attachments.map((a, i) => {
      const typed = v.attachments[a.id] ?? { title: a.title, position: String(i + 1), remove: false };
      return {
        id: a.id,
        label: t.t('attachment.number', { n: i + 1 }),
        href: urls.media(a.path),
        storedTitle: a.title,
        size: t.bytes(a.bytes),
        format: a.path.split('.').pop()!.toUpperCase(),
        ...typed,
        positions: attachments.map((_, n) => ({ value: String(n + 1), selected: String(n + 1) === typed.position })),
      };
    }),
    newPhoto: v.newPhoto,
    newAttachment: v.newAttachment,
    errors,
  };
};
