// Cookies, CSRF protection and flash messages. Login sessions themselves live in SQLite (see
// modules/auth): this plugin only reads and writes the cookies that carry them.
//
// CSRF: @fastify/csrf-protection in its cookie mode. A random secret sits in a signed, HttpOnly,
// SameSite=Lax cookie; each form carries a token derived from it in its `_csrf` field (the first
// field of a multipart form, read before the check: modules/admin/upload.ts), a script sends it in
// `X-CSRF-Token`. Never in the URL: a token in a query string ends up in logs, history and
// Referer headers, and a link would be enough to carry it. We chose it over a token stored in
// the server-side session because the same mechanism then also guards the forms shown before
// anyone is logged in (login, password reset, invitations: login CSRF), and because a form posted
// after its session expired can still be checked before it is kept for after the next login. The
// secret is renewed at login and logout, so a secret planted before login is worth nothing after.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { MessageKey } from '../i18n/catalogue.ts';

export const SESSION_COOKIE = 'herold_session';
export const CSRF_COOKIE = 'herold_csrf';
const FLASH_COOKIE = 'herold_flash';

export interface Flash {
  key: MessageKey;
  kind: 'success' | 'error';
}


export default fp(
  async (app, { config }: { config: Config }) => {
    const secure = config.publicUrl.startsWith('https:');
    const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
    await app.register(cookie, { secret: config.sessionSecret, hook: 'onRequest' });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: { ...base, signed: true },
      getToken: (request: FastifyRequest) => {
        const field = (request.body as Record<string, unknown> | undefined)?._csrf;
        return typeof field === 'string' ? field : (request.multipartCsrf ?? (request.headers['x-csrf-token'] as string | undefined));
      },
    });

    app.decorateRequest('user', null);
    app.decorateReply('flash', function (this: FastifyReply, key: MessageKey, kind: Flash['kind'] = 'success') {
      return this.setCookie(FLASH_COOKIE, JSON.stringify({ key, kind }), { ...base, signed: true, maxAge: 60 });
    });
    app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string) {
      return this.setCookie(SESSION_COOKIE, token, base).clearCookie(CSRF_COOKIE, base);
    });
    app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, base).clearCookie(CSRF_COOKIE, base);
    });
    app.decorateReply('adminPage', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
      const request = this.request;
      const flash = app.takeFlash(request, this);
      const user = request.user;
      this.header('cache-control', 'no-store');
      return this.page(template, {
        robots: 'noindex, nofollow',
        csrf: this.generateCsrf(),
        flash: flash ? { text: request.t.t(flash.key), kind: flash.kind } : null,
        user: user ? { email: user.email, isAdmin: user.isAdmin, offices: user.memberships.map((m) => ({ slug: m.slug, name: m.name, role: m.role })) } : null,
        office: null,
        errors: {},
        errorList: [],
        uploadLimit: request.t.bytes(config.photoMaxBytes),
        ...data,
      }, status);
    });
    app.decorate('takeFlash', (request: FastifyRequest, reply: FastifyReply): Flash | null => {
      const raw = request.cookies[FLASH_COOKIE];
      if (!raw) return null;
      reply.clearCookie(FLASH_COOKIE, base);
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || !unsigned.value) return null;
      try {
        const flash = JSON.parse(unsigned.value) as Flash;
        return typeof flash.key === 'string' && request.t.t(flash.key) !== undefined ? flash : null;
      } catch {
        return null;
      }
    });
  },
  { name: 'session', dependencies: ['security'] },
);
