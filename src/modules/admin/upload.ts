// Reads a multipart upload (one file and a few text fields) into memory, within the size limit.
// Its CSRF token is the form's first field (`_csrf`, first in the form, so browsers send it first):
// `readMultipartCsrf` reads that part before the CSRF check, and `readUpload` goes on from there.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.ts';

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
  const parts = request.parts();
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
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    throw uploadFailed(error);
  }
  return { fields, file };
};
