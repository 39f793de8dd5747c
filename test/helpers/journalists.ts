// Journalist test helpers: sign up through the form, read the mailed login link, use it.
import assert from 'node:assert/strict';
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

