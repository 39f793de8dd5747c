// Submitting public forms as a browser would: read the hidden CSRF field and cookie from the page,
// post the form urlencoded with the cookie, and return the answer (303s are not followed).
import type { FastifyInstance } from 'fastify';
import * as cheerio from 'cheerio';

export const cookieFrom = (setCookie: string | string[] | undefined): string =>
  (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(';')[0]).join('; ');

export const encodeForm = (fields: Record<string, string | string[]>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
};

/** GETs `pageUrl`, takes the form's hidden fields and ticked boxes, replaces `fields`, posts it. */
export const submitForm = async (app: FastifyInstance, pageUrl: string, formSelector: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const page = await app.inject({ method: 'GET', url: pageUrl });
  const $ = cheerio.load(page.body);
  const form = $(formSelector).first();
  if (form.length === 0) throw new Error(`no form ${formSelector} on ${pageUrl} (status ${page.statusCode})`);
  const hidden: Record<string, string> = {};
  const prefilled: Record<string, string[]> = {};
  form.find('input[type=hidden], input[type=checkbox][checked], input[type=radio][checked]').each((_, el) => {
    const name = $(el).attr('name')!;
    (prefilled[name] ??= []).push($(el).attr('value') ?? '');
  });
  const res = await app.inject({
    method: 'POST',
    url: form.attr('action') ?? pageUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieFrom(page.headers['set-cookie']), accept: 'text/html', ...headers },
    payload: encodeForm({ ...prefilled, ...fields }),
  });
  return { res, $: cheerio.load(res.body) };
};
