// Reads a multipart upload (one file and a few text fields) into memory, within the size limit.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.ts';

export interface Upload {
  fields: Record<string, string>;
  file: { data: Buffer; filename: string } | null;
}

export const readUpload = async (request: FastifyRequest): Promise<Upload> => {
  const fields: Record<string, string> = {};
  let file: Upload['file'] = null;
  if (!request.isMultipart()) throw new ValidationError('Not a file upload', { photo: 'photoMissing' });
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (data.length > 0 && !file) file = { data, filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ValidationError('File too large', { photo: 'photoTooLarge' });
    // Anything else the multipart parser refuses (a cut-off body, a missing boundary, a broken part
    // header) is a bad upload from the client, not a server fault.
    throw new ValidationError(`Upload failed${code ? ` (${code})` : ''}`, { photo: 'photoMissing' });
  }
  return { fields, file };
};
