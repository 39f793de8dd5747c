// Admin-area test helpers: users, a cookie jar, login, and submitForm (reads the form and its CSRF
// token from the page, posts it with the changes given, and follows the 303).
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Services } from '../../src/services.ts';

export const PASSWORD = 'richtig-langes-passwort';

export const createUser = async (
  services: Services,
  { email, officeId, role, isAdmin = false, password = PASSWORD }: { email: string; officeId?: number; role?: 'owner' | 'editor'; isAdmin?: boolean; password?: string },
) => {
  const { user } = await services.auth.addUser({ email, isAdmin, ...(officeId !== undefined && role ? { officeId, role } : {}) });
  await services.auth.setPassword(user.id, password);
  return user;
};

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private store(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, url: string, options: { form?: Record<string, string | string[]>; headers?: Record<string, string>; payload?: Buffer | string } = {}) {
    const headers: Record<string, string> = { ...(this.cookies.size ? { cookie: this.cookieHeader } : {}), ...options.headers };
    let payload = options.payload;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      payload = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    this.store(res);
    return res;
  }

  async get(url: string) {
    const res = await this.request('GET', url);
    return { res, $: cheerio.load(res.body) };
  }

  /** Follows redirects of GETs until a page. */
  async follow(res: LightMyRequestResponse) {
    let current = res;
    for (let i = 0; i < 5 && current.statusCode >= 300 && current.statusCode < 400; i++) current = await this.request('GET', String(current.headers.location));
    return { res: current, $: cheerio.load(current.body) };
  }

  /**
   * Reads the form `selector` on `pageUrl`, fills in `fields` over its current values, posts it.
   * `button` names the submit button's value for `action`.
   */
  async submitForm(pageUrl: string, selector: string, fields: Record<string, string | string[]> = {}, options: { button?: string } = {}) {
    const { res: page, $ } = await this.get(pageUrl);
    assert.equal(page.statusCode, 200, `GET ${pageUrl}: ${page.statusCode}`);
    return this.submitLoaded($, selector, fields, options);
  }

  /** Like submitForm, for a page already loaded. */
  async submitLoaded($: cheerio.CheerioAPI, selector: string, fields: Record<string, string | string[]> = {}, options: { button?: string } = {}) {
    const form = $(selector).first();
    assert.equal(form.length, 1, `form ${selector}`);
    const values: Record<string, string | string[]> = {};
    form.find('input, textarea, select').each((_, el) => {
      const e = $(el);
      const name = e.attr('name');
      const type = e.attr('type');
      if (!name || type === 'submit' || type === 'file') return;
      if ((type === 'checkbox' || type === 'radio') && e.attr('checked') === undefined) return;
      const value = el.tagName === 'textarea' ? e.text() : el.tagName === 'select' ? (e.find('option[selected]').attr('value') ?? e.find('option').first().attr('value') ?? '') : (e.attr('value') ?? '');
      if (type === 'checkbox') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
      else values[name] = value;
    });
    if (options.button) values.action = options.button;
    return this.request('POST', form.attr('action')!, { form: { ...values, ...fields } });
  }

  /**
   * Posts the multipart form `selector` of a loaded page as a browser does: its hidden fields first
   * (the CSRF token), then `fields` and the file.
   */
  async upload($: cheerio.CheerioAPI, selector: string, fields: Record<string, string>, file: { field: string; filename: string; contentType: string; data: Buffer } | null) {
    const form = $(selector).first();
    assert.equal(form.length, 1, `form ${selector}`);
    const hidden: Record<string, string> = {};
    form.find('input[type=hidden]').each((_, el) => {
      hidden[$(el).attr('name')!] = $(el).attr('value') ?? '';
    });
    const body = multipartBody({ ...hidden, ...fields }, file);
    return this.request('POST', form.attr('action')!, { payload: body.payload, headers: { 'content-type': body.contentType } });
  }

  async login(email: string, password = PASSWORD) {
    const res = await this.submitForm('/login', 'form[action="/login"]', { email, password });
    assert.equal(res.statusCode, 303, `login as ${email}: ${res.statusCode}`);
    return res;
  }
}

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
