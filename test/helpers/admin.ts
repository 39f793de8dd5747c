// Admin-area test helpers: users with a password, CSRF tokens, uploads. Browsing and forms are
// forms.ts (Browser).
import type * as cheerio from 'cheerio';
import type { Services } from '../../src/services.ts';

import { PASSWORD } from './forms.ts';

export const createUser = async (
  services: Services,
  { email, officeId, role, isAdmin = false, password = PASSWORD }: { email: string; officeId?: number; role?: 'owner' | 'editor'; isAdmin?: boolean; password?: string },
) => {
  const { user } = await services.auth.addUser({ email, isAdmin, ...(officeId !== undefined && role ? { officeId, role } : {}) });
  await services.auth.setPassword(user.id, password);
  return user;
};

/** The CSRF token of a page. */
export const csrfOf = ($: cheerio.CheerioAPI): string => $('input[name="_csrf"]').first().attr('value') ?? '';

/** A small valid PNG (width×height, one colour), made with sharp. */
export const pngImage = async (width = 400, height = 300): Promise<Buffer> => {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();
};

/** A multipart body with the given fields and one file. */
export const multipartBody = (fields: Record<string, string>, file: { field: string; filename: string; contentType: string; data: Buffer } | null) => {
  const boundary = `----herold${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
};
