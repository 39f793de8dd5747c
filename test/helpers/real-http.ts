// The test Browser (cookie jar, forms with their CSRF token, uploads) over real HTTP to a server in
// another process: an `inject` that sends the request on loopback with fetch and answers in the
// shape of light-my-request's response, which is all Browser reads.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Browser } from './forms.ts';

interface InjectOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: Buffer | string;
}

const parseSetCookie = (line: string) => {
  const [pair = '', ...attributes] = line.split(';');
  const at = pair.indexOf('=');
  const cookie: { name: string; value: string; expires?: Date; maxAge?: number } = { name: pair.slice(0, at).trim(), value: decodeURIComponent(pair.slice(at + 1).trim()) };
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=');
    if (/^\s*expires\s*$/i.test(key)) cookie.expires = new Date(value);
    if (/^\s*max-age\s*$/i.test(key)) cookie.maxAge = Number(value);
  }
  return cookie;
};

/** Sends one request to `base` (no redirects followed), answering like `app.inject`. */
export const httpInject =
  (base: string, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}) =>
  async ({ method, url, headers = {}, payload }: InjectOptions): Promise<LightMyRequestResponse> => {
    const res = await fetch(new URL(url, base), {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(payload !== undefined ? { body: typeof payload === 'string' ? payload : new Uint8Array(payload) } : {}),
    });
    const body = await res.text();
    const responseHeaders: Record<string, string | string[]> = Object.fromEntries(res.headers);
    const setCookie = res.headers.getSetCookie();
    if (setCookie.length > 0) responseHeaders['set-cookie'] = setCookie;
    return {
      statusCode: res.status,
      statusMessage: res.statusText,
      headers: responseHeaders,
      body,
      payload: body,
      rawPayload: Buffer.from(body),
      cookies: setCookie.map(parseSetCookie),
      json: () => JSON.parse(body),
    } as unknown as LightMyRequestResponse;
  };

/** A Browser whose requests go over real HTTP to `base`. */
export const httpBrowser = (base: string, options: { timeoutMs?: number } = {}): Browser => new Browser({ inject: httpInject(base, options) } as unknown as FastifyInstance);
