// The one way tests use forms and cookies, as a browser would: `Browser` keeps a cookie jar, reads
// a form from its page (hidden fields and CSRF token, every value as shown, ticked boxes), fills in
// the changes given and posts it (`upload` as multipart, with a file); it follows redirects only
// when asked. `submitForm(app, …)` is the same for a visitor without a jar of their own (public
// forms).
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** The password test users get (admin.ts createUser). */
export const PASSWORD = 'richtig-langes-passwort';

export const encodeForm = (fields: Record<string, string | string[]>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
};

/** A file as a form sends it. */
export interface UploadFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A multipart body with the given fields and one file. */
export const multipartBody = (fields: Record<string, string>, file: UploadFile | null) => {
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
      payload = encodeForm(options.form);
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
  async submitForm(pageUrl: string, selector: string, fields: Record<string, string | string[]> = {}, options: { button?: string; headers?: Record<string, string> } = {}) {
    const { res: page, $ } = await this.get(pageUrl);
    assert.equal(page.statusCode, 200, `GET ${pageUrl}: ${page.statusCode}`);
    return this.submitLoaded($, selector, fields, options);
  }

  /** Like submitForm, for a page already loaded. */
  async submitLoaded($: cheerio.CheerioAPI, selector: string, fields: Record<string, string | string[]> = {}, options: { button?: string; headers?: Record<string, string> } = {}) {
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
    return this.request('POST', form.attr('action')!, { form: { ...values, ...fields }, ...(options.headers ? { headers: options.headers } : {}) });
  }

  /**
   * Posts the multipart form `selector` of a loaded page as a browser does: its hidden fields first
   * (the CSRF token), then `fields` and the file.
   */
  async upload($: cheerio.CheerioAPI, selector: string, fields: Record<string, string>, file: UploadFile | null) {
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

/** A visitor fills in the form `formSelector` on `pageUrl` and sends it: the answer (a 303 is not followed) and its page. */
export const submitForm = async (app: FastifyInstance, pageUrl: string, formSelector: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const res = await new Browser(app).submitForm(pageUrl, formSelector, fields, { headers });
  return { res, $: cheerio.load(res.body) };
};
