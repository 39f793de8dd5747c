// CSRF protection for the public forms, which have no session (subscribe, confirm, manage).
//
// A POST passes when either
//  1. it carries a signed double-submit token: the `herold_pcsrf` cookie holds a random value and
//     the form's hidden `_csrf` field holds HMAC-SHA256(SESSION_SECRET, "public-csrf:" + value);
//     `reply.publicCsrfToken()` sets the cookie (once) and returns the field value; or
//  2. the browser says the request is same-origin: `Sec-Fetch-Site: same-origin` (or `none`), or
//     an `Origin` header equal to PUBLIC_URL's origin. This is what lets the compact subscribe
//     form sit in page-cached pages (home, office, topic, region), which cannot carry a per-visitor
//     token; cross-site requests from every current browser carry these headers.
// Otherwise `request.publicCsrfOk` is false. Routes decide what to do: the subscribe form
// re-renders with the values kept and a fresh token (no dead end for an old browser or an expired
// cookie); other forms answer 403. The RFC 8058 one-click unsubscribe POST is token-authenticated
// and deliberately not checked.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

export const PUBLIC_CSRF_COOKIE = 'herold_pcsrf';
export const PUBLIC_CSRF_FIELD = '_csrf';


export default fp(
  async (app, { config }: { config: Config }) => {
    if (!app.hasDecorator('parseCookie')) await app.register(cookie);
    const origin = new URL(config.publicUrl).origin;
    const sign = (value: string) => createHmac('sha256', config.sessionSecret).update(`public-csrf:${value}`).digest('base64url');
    const secure = config.publicUrl.startsWith('https:');

    app.decorateReply('publicCsrfToken', function (this: FastifyReply) {
      let value = this.request.cookies?.[PUBLIC_CSRF_COOKIE];
      if (!value || !/^[A-Za-z0-9_-]{20,64}$/.test(value)) {
        value = randomBytes(24).toString('base64url');
        this.request.cookies[PUBLIC_CSRF_COOKIE] = value;
        this.setCookie(PUBLIC_CSRF_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 });
      }
      return sign(value);
    });

    app.decorateRequest('publicCsrfOk', function (this: FastifyRequest) {
      const site = this.headers['sec-fetch-site'];
      if (site === 'same-origin' || site === 'none') return true;
      if (site === 'cross-site' || site === 'same-site') return false;
      const requestOrigin = this.headers.origin;
      if (typeof requestOrigin === 'string' && requestOrigin !== 'null' && requestOrigin === origin) return true;
      const value = this.cookies?.[PUBLIC_CSRF_COOKIE];
      const body = this.body as Record<string, unknown> | undefined;
      const given = body && typeof body[PUBLIC_CSRF_FIELD] === 'string' ? (body[PUBLIC_CSRF_FIELD] as string) : '';
      if (!value || !given) return false;
      const expected = Buffer.from(sign(value));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    });
  },
  { name: 'public-csrf' },
);
