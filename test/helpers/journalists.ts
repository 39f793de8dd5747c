// Journalist test helpers: sign up through the form, read the mailed login link, use it.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/database.ts';
import type { TestApp } from './app.ts';
import { Browser } from './forms.ts';
import { linkIn, type SmtpSink } from './smtp.ts';

export const JOURNALIST = { name: 'Jana Schreiber', medium: 'Musterhausener Anzeiger', email: 'jana@anzeiger.example', pressCard: 'DJV-12345' };

/** Signs up through the form; returns the browser (not logged in yet). */
export const signUp = async (app: TestApp['app'], fields: Partial<typeof JOURNALIST> = {}) => {
  const browser = new Browser(app);
  const res = await browser.submitForm('/journalists/signup', 'form.journalist-form', { ...JOURNALIST, ...fields });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  assert.equal(res.headers.location, '/journalists/sent');
  return browser;
};

/** Sends due mail and returns the path of the newest login link mailed to `email`. */
export const mailedLoginPath = async (app: TestApp['app'], sink: SmtpSink, email = JOURNALIST.email): Promise<string> => {
  await app.services.mail.sendDue();
  const mail = sink.to(email).at(-1);
  assert.ok(mail, `a mail to ${email}`);
  return new URL(linkIn(mail.parsed.text ?? '', '/journalists/login/')).pathname;
};

/** Opens a login link's page and presses its button. */
export const useLink = async (browser: Browser, path: string) => {
  const page = await browser.get(path);
  assert.equal(page.res.statusCode, 200, `GET ${path}`);
  return browser.submitLoaded(page.$, `form[action="${path}"]`);
};

/** A journalist who signed up and logged in through the mailed link. */
export const loggedInJournalist = async (ctx: { app: TestApp['app'] }, sink: SmtpSink, fields: Partial<typeof JOURNALIST> = {}) => {
  const browser = await signUp(ctx.app, fields);
  const res = await useLink(browser, await mailedLoginPath(ctx.app, sink, fields.email ?? JOURNALIST.email));
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/journalists/account');
  return browser;
};

// Journalists and accreditations for the pre-release tests, written straight into their tables
// (0150, 0151) until the journalists module's services are merged.

let counter = 0;

export interface TestJournalist {
  id: number;
  name: string;
  medium: string;
  email: string;
}

/** A confirmed journalist, accredited (`accepted`) with `officeId`, or platform-wide with `null`; `status` for another standing. */
export const createJournalist = async (
  db: Kysely<DB>,
  { name, medium = 'Kasseler Tagblatt', email, officeId, status = 'accepted', prereleaseMail = 1, lang = 'de' }: { name?: string; medium?: string; email?: string; officeId: number | null; status?: 'requested' | 'accepted' | 'refused' | 'revoked'; prereleaseMail?: 0 | 1; lang?: 'de' | 'en' },
): Promise<TestJournalist> => {
  counter++;
  const now = '2026-03-01T09:00:00.000Z';
  const row = {
    name: name ?? `Journalistin ${counter}`,
    medium,
    email: email ?? `journalistin${counter}@redaktion.example`,
  };
  const { id } = await db
    .insertInto('journalists')
    .values({ ...row, lang, prerelease_mail: prereleaseMail, created_at: now, confirmed_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('accreditations').values({ journalist_id: id!, office_id: officeId, status, requested_at: now, decided_at: status === 'requested' ? null : now }).execute();
  return { id: id!, ...row };
};

/** A JPEG of one colour (exiftool writes IPTC into JPEG), made with sharp. */
export const jpegImage = async (width: number, height: number): Promise<Buffer> => {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg({ quality: 90 }).toBuffer();
};
