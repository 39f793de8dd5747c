// Admin-area test helpers: users with a password, CSRF tokens, images to upload. Browsing, forms
// and uploads are forms.ts (Browser, multipartBody).
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
