// Reads a multipart upload (one file and a few text fields) into memory, within the size limit.
// Its CSRF token is the form's first field (`_csrf`, first in the form, so browsers send it first):
// `readMultipartCsrf` reads that part before the CSRF check, and `readUpload` goes on from there.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.ts';
import { cleanText } from '../../lib/input-text.ts';

export interface Upload {
  fields: Record<string, string>;
  file: { data: Buffer; filename: string } | null;
}

const uploadFailed = (error: unknown): ValidationError => {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ValidationError('File too large', { photo: 'photoTooLarge' });
  // Anything else the multipart parser refuses (a cut-off body, a missing boundary, a broken part
  // header) is a bad upload from the client, not a server fault.
  return new ValidationError(`Upload failed${code ? ` (${code})` : ''}`, { photo: 'photoMissing' });
};

/** preHandler, before the CSRF check: takes the `_csrf` field that opens a multipart form. */
export const readMultipartCsrf = async (request: FastifyRequest): Promise<void> => {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.isMultipart()) return;
  // A route may read larger forms than the area's default (the release editor: `config.multipartLimits`);
  // it reads them with readPostedForm, which notes a file over the limit and reads on.
  const limits = request.routeOptions.config.multipartLimits;
  // (`throwFileSizeLimit` is read by parts() at run time; its type leaves it out.)
  const parts = request.parts(limits ? ({ limits, throwFileSizeLimit: false } as Parameters<typeof request.parts>[0]) : {});
  request.uploadParts = parts;
  try {
    const first = await parts.next();
    const part = first.done ? undefined : first.value;
    if (part && part.type === 'field' && part.fieldname === '_csrf' && typeof part.value === 'string') request.multipartCsrf = part.value;
  } catch {
    // A broken body: no token, so the CSRF check refuses it.
  }
};

export const readUpload = async (request: FastifyRequest): Promise<Upload> => {
  const fields: Record<string, string> = {};
  let file: Upload['file'] = null;
  if (!request.isMultipart()) throw new ValidationError('Not a file upload', { photo: 'photoMissing' });
  try {
    for await (const part of request.uploadParts ?? request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (data.length > 0 && !file) file = { data, filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = cleanText(part.value);
      }
    }
  } catch (error) {
    throw uploadFailed(error);
  }
  return { fields, file };
};

/** A form as posted, urlencoded or multipart: its fields (repeated names as lists) and its non-empty files by field name. */
export interface PostedForm {
  body: Record<string, string | string[]>;
  files: Record<string, { data: Buffer; filename: string }>;
  /** Files chosen but not read: more than `maxFiles`. */
  skippedFiles: number;
  /** File fields whose file was over the upload limit (`tooLarge`), not read. */
  refused: Record<string, 'tooLarge'>;
}

/**
 * Reads a form that may carry files (the release editor): urlencoded as parsed by Fastify, or
 * multipart (after readMultipartCsrf took its token), keeping at most `maxFiles` non-empty files in
 * memory. A broken multipart body is a ValidationError, never a 500.
 */
export const readPostedForm = async (request: FastifyRequest, maxFiles: number): Promise<PostedForm> => {
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return { body: Object.fromEntries(Object.entries(body).filter((e): e is [string, string | string[]] => typeof e[1] === 'string' || Array.isArray(e[1]))), files: {}, skippedFiles: 0, refused: {} };
  }
  const body: Record<string, string | string[]> = {};
  const files: PostedForm['files'] = {};
  const refused: PostedForm['refused'] = {};
  let skippedFiles = 0;
  try {
    for await (const part of request.uploadParts ?? request.parts()) {
      if (part.type === 'file') {
        if (Object.keys(files).length >= maxFiles || !part.filename) {
          part.file.resume();
          if (part.filename) skippedFiles++;
          continue;
        }
        const data = await part.toBuffer();
        if (part.file.truncated) refused[part.fieldname] = 'tooLarge';
        else if (data.length > 0) files[part.fieldname] = { data, filename: part.filename };
      } else if (typeof part.value === 'string') {
        const previous = body[part.fieldname];
        const value = cleanText(part.value);
        body[part.fieldname] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      }
    }
  } catch (error) {
    throw uploadFailed(error);
  }
  return { body, files, skippedFiles, refused };
};
