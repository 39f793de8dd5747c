// Admin-area test helpers: users with a password, CSRF tokens, images to upload. Browsing, forms
// and uploads are forms.ts (Browser, multipartBody).
import type * as cheerio from 'cheerio';
import type { TestContext } from 'node:test';
import type { Services } from '../../src/services.ts';
import { buildTestApp } from './app.ts';
import { createOffice } from './factories.ts';
import { Browser, PASSWORD } from './forms.ts';

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

/** An app with office `stadt` and its editor anna@example.org logged in, in `browser`. */
export const officeEditor = async (t: TestContext, env: Record<string, string> = {}) => {
  const ctx = await buildTestApp(t, { env });
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(ctx.app.services, { email: 'anna@example.org', officeId: office.id, role: 'editor' });
  const browser = new Browser(ctx.app);
  await browser.login('anna@example.org');
  return { ...ctx, office, browser };
};
