// Every addition Herold makes to Fastify's types, in one place: the decorators of the plugins in
// src/plugins/ and app.ts, and what the admin scope sets on a request. Types only: nothing imports
// this file at run time; TypeScript reads it as part of the program.
import type { FastifyRequest } from 'fastify';
import type { Config, Lang } from './config.ts';
import type { Services } from './services.ts';
import type { Translator } from './i18n/i18n.ts';
import type { MessageKey } from './i18n/catalogue.ts';
import type { Flash } from './plugins/session.ts';
import type { PageCacheRoute } from './plugins/page-cache.ts';
import type { ExpiredSession, Role, User } from './modules/auth/auth.service.ts';
import type { Office } from './modules/offices/offices.service.ts';

/** The parts of a multipart request (modules/admin/upload.ts). */
type MultipartParts = ReturnType<FastifyRequest['parts']>;

declare module 'fastify' {
  interface FastifyInstance {
    /** app.ts */
    config: Config;
    /** app.ts: every service, built once (services.ts). */
    services: Services;
    /** plugins/views.ts */
    translators: Record<Lang, Translator>;
    /** plugins/views.ts: the content-hashed URL of a file in static/. */
    asset(file: string): string;
    /** plugins/session.ts: reads and clears the flash message of the request. */
    takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null;
    /** modules/admin/admin.routes.ts: the largest photo or logo upload, in bytes. */
    adminMaxUpload: number;
    /**
     * plugins/security.ts: a per-IP limit for a form route that marks the request (`rateLimited`)
     * instead of refusing it, so the route shows its form again with 429 and what was typed.
     */
    formRateLimit(name: string, options: { max: number; timeWindow: string }): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }

  interface FastifyRequest {
    /** plugins/views.ts: the UI language of the request. */
    lang: Lang;
    t: Translator;
    /** plugins/session.ts: the logged-in user, set by requireUser (admin scope) or optionalUser. */
    user: User | null;
    /** plugins/public-csrf.ts: whether this request passed the public-form CSRF check. */
    publicCsrfOk(): boolean;
    /** plugins/page-cache.ts */
    pageCacheKey: string | null;
    pageCacheVersion: number;
    pageCacheChangedAt: string;
    /** plugins/page-cache.ts: whether the answer came from the cache (logged at debug only, plugins/request-log.ts). */
    pageCacheHit: boolean;
    /** modules/auth/require-user.ts: set when a form arrived without a live session: the session that expired, if there was one. */
    pendingLogin: { expired: ExpiredSession } | null;
    /** modules/admin/office-access.ts `requireOffice`: the office of an /admin/offices/:office route and the user's role there. */
    adminOffice: Office | null;
    officeRole: Role | 'admin' | null;
    /** modules/admin/upload.ts: the `_csrf` field of a multipart form, read by readMultipartCsrf (the CSRF check looks here). */
    multipartCsrf: string | null;
    /** modules/admin/upload.ts: the parts of a multipart form after its first field, for readUpload. */
    uploadParts: MultipartParts | null;
    /** plugins/security.ts `formRateLimit`: over the limit; the route answers 429 with its form and what was typed. */
    rateLimited: boolean;
  }

  interface FastifyReply {
    /** plugins/views.ts: renders `views/<template>.eta` with baseView(request) merged in, as HTML. */
    page(template: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** plugins/session.ts: shows a message on the next page (after a 303). */
    flash(key: MessageKey, kind?: Flash['kind']): FastifyReply;
    setSessionCookie(token: string): FastifyReply;
    clearSessionCookie(): FastifyReply;
    /**
     * plugins/session.ts: renders a page of the admin area (login pages too) in layouts/admin.eta:
     * adds the CSRF token, the flash message and the user, marks it noindex and never cacheable.
     */
    adminPage(template: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** plugins/public-csrf.ts: the hidden-field value for a public form; sets the CSRF cookie when the visitor has none. */
    publicCsrfToken(): string;
  }

  interface FastifyContextConfig {
    /** plugins/page-cache.ts: keep this route's answers until the content version changes. */
    pageCache?: boolean | PageCacheRoute;
    /** admin/upload.ts: the multipart limits of this route's forms, where they exceed the admin area's default. */
    multipartLimits?: { fileSize?: number; files?: number; fields?: number; fieldSize?: number; parts?: number };
    /** modules/api/api.access.ts: a route of the public API: CORS for reads and the per-address rate limit. */
    api?: boolean;
    /** modules/embeds/embeds.routes.ts: a page meant for an <iframe> on any site (plugins/security.ts opens frame-ancestors). */
    embed?: boolean;
  }
}
