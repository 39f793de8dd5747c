// The attachment store: takes an uploaded document (PDF, ODT, DOCX), checks it by its content
// (attachments.sniff.ts) and its size (ATTACHMENT_MAX_MB), and writes it below the media folder as
// `releases/{releaseId}/{key}/{name}.{pdf|odt|docx}`, the name made from its title. No HTTP, no
// database: the admin routes call `storeAttachment` and hand the result to the release files
// service; they call `deleteAttachmentFiles` when a row is gone. See CONTEXT.md beside this file.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../lib/errors.ts';
import { slugify } from '../../lib/slug.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { ATTACHMENT_MIME, sniffDocument, type AttachmentFormat } from './attachments.sniff.ts';
import { mediaResolver, newFileKey } from './media-files.ts';

/** Why an upload was refused; the value of the `attachment` field error (message keys `attachment.error.*`). */
export type AttachmentErrorCode = 'empty' | 'tooLarge' | 'unsupportedType' | 'corrupt';

export interface StoredAttachment {
  /** Below the media folder: `releases/{releaseId}/{key}/{name}.{ext}`. */
  path: string;
  mime: string;
  bytes: number;
  /** Hex SHA-256 of the file: names the exact file in the revision history. */
  sha256: string;
  format: AttachmentFormat;
}

export const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** `releases/{id}/{key}/{name}.{ext}`: a folder owned by one attachment. */
const ATTACHMENT_PATH = /^releases\/\d+\/[A-Za-z0-9_-]{16}\/[a-z0-9-]+\.(pdf|odt|docx)$/;

const refuse = (code: AttachmentErrorCode, message: string): ValidationError => new ValidationError(message, { attachment: code });

/** The message for a refused document, in the reader's language, with the limit filled in. */
export const attachmentErrorMessage = (code: string, t: Translator, store: { maxBytes: number }): string => {
  switch (code) {
    case 'tooLarge':
      return t.t('attachment.error.tooLarge', { max: t.bytes(store.maxBytes) });
    case 'empty':
    case 'corrupt':
      return t.t(`attachment.error.${code}`);
    default:
      return t.t('attachment.error.unsupportedType');
  }
};

export const createAttachmentStore = (options: { mediaDir: string; maxBytes?: number }) => {
  const inside = mediaResolver(options.mediaDir);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  return {
    maxBytes,

    /** Checks a document and stores it; throws a ValidationError with an `attachment` field error when refused. */
    async storeAttachment(releaseId: number, data: Buffer, title: string): Promise<StoredAttachment> {
      if (!Number.isSafeInteger(releaseId) || releaseId <= 0) throw new Error(`Invalid release id ${releaseId}`);
      if (data.length === 0) throw refuse('empty', 'The file is empty');
      if (data.length > maxBytes) throw refuse('tooLarge', `The document is larger than ${maxBytes} bytes`);
      const sniffed = await sniffDocument(data);
      if ('refused' in sniffed) throw refuse(sniffed.refused, sniffed.refused === 'corrupt' ? 'The document is damaged' : 'Only PDF, ODT and DOCX documents are accepted');
      const rel = `releases/${releaseId}/${newFileKey()}/${slugify(title, 60)}.${sniffed.format}`;
      const abs = inside(rel);
      await mkdir(path.dirname(abs), { recursive: true });
      // `wx`: a key is never reused, so an existing file would be a fault, not something to overwrite.
      await writeFile(abs, data, { flag: 'wx' });
      return { path: rel, mime: ATTACHMENT_MIME[sniffed.format], bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), format: sniffed.format };
    },

    /** Removes an attachment's file and its folder; an unknown path shape removes nothing. */
    async deleteAttachmentFiles(attachmentPath: string): Promise<void> {
      if (!ATTACHMENT_PATH.test(attachmentPath)) return;
      await rm(inside(path.posix.dirname(attachmentPath)), { recursive: true, force: true });
    },
  };
};

export type AttachmentStore = ReturnType<typeof createAttachmentStore>;
