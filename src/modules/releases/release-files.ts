// The files of a release, photos and attachments, as the editor changes them: what one save asks
// for (`FileEdits`: the words of each file, its place, remove, replace, one new photo and one new
// attachment), the limits of their words, and what a correction changed (`FileChange`, kept in the
// revision history with the old values and told in the correction note). Pure; the database side is
// release-files.service.ts.
import { createTranslator } from '../../i18n/i18n.ts';
import type { FieldErrors } from '../../lib/errors.ts';

/** The most characters each word of a file may have; the editor prints them beside the fields. */
export const FILE_WORD_LIMITS = { alt: 500, caption: 1000, credit: 200, title: 200 } as const;

/** A photo file as the photo store wrote it (modules/media), or a caption without a file (imports). */
export interface PhotoFile {
  path: string | null;
  width?: number;
  height?: number;
  mime?: string;
  bytes?: number;
  /** Responsive sizes (release.ts `PhotoVariant`, written out here: release.ts imports this file's types). */
  variants?: { width: number; height: number; webp: string; jpeg: string }[];
}

export interface PhotoWords {
  alt: string;
  caption: string;
  credit: string;
}

export type NewPhoto = PhotoFile & PhotoWords;

/** A document as the attachment store wrote it. */
export interface AttachmentFile {
  path: string;
  mime: string;
  bytes: number;
  sha256: string;
}

export type NewAttachment = AttachmentFile & { title: string };

export interface PhotoEdit extends PhotoWords {
  id: number;
  /** 1-based place wanted; null keeps the order. */
  position: number | null;
  remove: boolean;
  replacement: PhotoFile | null;
}

export interface AttachmentEdit {
  id: number;
  title: string;
  position: number | null;
  remove: boolean;
  replacement: AttachmentFile | null;
}

/** Everything one save of the editor asks of a release's files. */
export interface FileEdits {
  photos: PhotoEdit[];
  attachments: AttachmentEdit[];
  newPhoto: NewPhoto | null;
  newAttachment: NewAttachment | null;
}

export const noFileEdits = (): FileEdits => ({ photos: [], attachments: [], newPhoto: null, newAttachment: null });

/** A file as it stood (or stands) in a release: what the revision history keeps of it. */
export interface FileRecord {
  path: string | null;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
  sha256?: string;
  alt?: string;
  caption?: string;
  credit?: string;
  title?: string;
}

/**
 * One change a correction made to a photo or an attachment. `number` is its place (1-based) before
 * the correction (after it, for one added); `before` and `after` are the words changed, or the file.
 */
export type FileChange =
  | { kind: 'photo'; change: 'alt' | 'caption' | 'credit'; number: number; before: string; after: string }
  | { kind: 'attachment'; change: 'title'; number: number; before: string; after: string }
  | { kind: 'photo' | 'attachment'; change: 'replaced'; number: number; before: FileRecord; after: FileRecord }
  | { kind: 'photo' | 'attachment'; change: 'added'; number: number; before: null; after: FileRecord }
  | { kind: 'photo' | 'attachment'; change: 'removed'; number: number; before: FileRecord; after: null };

const tooLong = (value: string, max: number) => value.trim().length > max;

/** The errors of the words of one photo; keys are the editor's field ids with `suffix` (`alt-12`, `new-alt`). */
export const photoWordErrors = (words: PhotoWords, field: (name: 'alt' | 'caption' | 'credit') => string): FieldErrors => {
  const errors: FieldErrors = {};
  if (!words.alt.trim()) errors[field('alt')] = 'required';
  else if (tooLong(words.alt, FILE_WORD_LIMITS.alt)) errors[field('alt')] = 'tooLong';
  if (tooLong(words.caption, FILE_WORD_LIMITS.caption)) errors[field('caption')] = 'tooLong';
  if (tooLong(words.credit, FILE_WORD_LIMITS.credit)) errors[field('credit')] = 'tooLong';
  return errors;
};

export const attachmentTitleErrors = (title: string, field: string): FieldErrors => {
  if (!title.trim()) return { [field]: 'required' };
  return tooLong(title, FILE_WORD_LIMITS.title) ? { [field]: 'tooLong' } : {};
};

/** Field ids of the editor's file fields, used as form names, ids and error keys. */
export const fileFields = {
  photo: (id: number, part: 'alt' | 'caption' | 'credit' | 'position' | 'remove' | 'file') => `${part}-${id}`,
  newPhoto: (part: 'alt' | 'caption' | 'credit') => `new-${part}`,
  newPhotoFile: 'photo',
  attachment: (id: number, part: 'title' | 'position' | 'remove' | 'file') => `attachment-${part}-${id}`,
  newAttachmentTitle: 'new-attachment-title',
  newAttachmentFile: 'attachment',
} as const;

/** Every error of the words in `edits` (files are checked by their stores). */
export const fileEditErrors = (edits: FileEdits): FieldErrors => {
  const errors: FieldErrors = {};
  for (const p of edits.photos) if (!p.remove) Object.assign(errors, photoWordErrors(p, (part) => fileFields.photo(p.id, part)));
  for (const a of edits.attachments) if (!a.remove) Object.assign(errors, attachmentTitleErrors(a.title, fileFields.attachment(a.id, 'title')));
  if (edits.newPhoto) Object.assign(errors, photoWordErrors(edits.newPhoto, fileFields.newPhoto));
  if (edits.newAttachment) Object.assign(errors, attachmentTitleErrors(edits.newAttachment.title, fileFields.newAttachmentTitle));
  return errors;
};

/** The sentences a correction note gets for its file changes, in the release's language. */
export const fileChangeSentences = (changes: FileChange[], language: 'de' | 'en'): string[] => {
  const t = createTranslator(language, 'UTC').t;
  return changes.map((c) => {
    if (c.kind === 'photo') return t(`correction.photo.${c.change}`, { n: c.number });
    if (c.change === 'title') return t('correction.attachment.title', { n: c.number, title: c.after });
    const title = (c.change === 'added' ? c.after.title : c.before.title) ?? '';
    return t(`correction.attachment.${c.change}`, { n: c.number, title });
  });
};

/** The author's note with a sentence for each file change appended: „Datum berichtigt. Foto 2 ersetzt.“ */
export const correctionNote = (note: string, changes: FileChange[], language: 'de' | 'en'): string => {
  const sentences = fileChangeSentences(changes, language);
  if (sentences.length === 0) return note;
  const head = /[.!?…:;]$/.test(note) ? note : `${note}.`;
  return [head, ...sentences.map((s) => `${s}.`)].join(' ');
};
