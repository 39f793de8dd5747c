// The admin area's gate. `requireUser` (onRequest) admits a request with a live session. Without
// one, a GET goes to the login page (and comes back after). A release editor form whose session
// expired while someone was writing is not refused outright: `keepExpiredForm` (preHandler, after
// the body is read and the CSRF token checked) keeps the form server-side, bound to that session's
// user, and sends the writer to log in; after login they get the form back with everything they
// typed, to save again. A form posted without any session (anonymous) is never kept.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../plugins/session.ts';
import type { ExpiredSession } from './auth.service.ts';

/** The forms that are kept when their session expired, and given back after login: the release editor (new, edit, correct). */
export const KEPT_FORM_PATH = /^\/admin\/offices\/([a-z0-9-]+)\/releases(?:\/(\d+)(\/correct)?)?$/;

/** Reads the session cookie and sets request.user when the session is live. */
export const optionalUser = async (request: FastifyRequest): Promise<{ expired?: ExpiredSession }> => {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return {};
  const { user, expired } = await request.server.services.auth.resumeSession(token);
  request.user = user ?? null;
  return expired ? { expired } : {};
};

const isPlainForm = (request: FastifyRequest) => /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');

export const requireUser = async (request: FastifyRequest, reply: FastifyReply) => {
  const { expired } = await optionalUser(request);
  if (request.user) return;
  // A background request of the page's script (live preview) is not a form to keep.
  if (request.headers['x-requested-with'] === 'fetch') return reply.code(401).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('401 login required\n');
  // A form whose session expired is read (and maybe kept, keepExpiredForm); one without any session is not even read.
  if (request.method === 'POST' && isPlainForm(request) && expired) {
    request.pendingLogin = { expired };
    return;
  }
  reply.header('cache-control', 'no-store');
  if (request.method === 'GET' || request.method === 'HEAD') {
    if (expired) reply.flash('auth.sessionExpired', 'error');
    return reply.redirect(request.server.services.urls.login({ next: request.url }), 303);
  }
  reply.flash(expired ? 'auth.sessionExpiredUpload' : 'auth.loginRequired', 'error');
  return reply.redirect(request.server.services.urls.login(), 303);
};

/** Runs after the CSRF check: keeps an editor form whose session expired, and asks to log in. */
export const keepExpiredForm = async (request: FastifyRequest, reply: FastifyReply) => {
  if (!request.pendingLogin) return;
  reply.header('cache-control', 'no-store');
  const { expired } = request.pendingLogin;
  const path = request.url.split('?')[0]!;
  if (KEPT_FORM_PATH.test(path)) {
    const body = { ...((request.body as Record<string, unknown> | undefined) ?? {}) };
    delete body._csrf;
    const token = await request.server.services.auth.stashForm(expired, request.ip, path, body);
    if (token) return reply.flash('auth.sessionExpiredKept', 'error').redirect(request.server.services.urls.login({ resume: token }), 303);
  }
  // Not kept: a form that is not the editor, or one too large or too many.
  return reply.flash('auth.sessionExpired', 'error').redirect(request.server.services.urls.login(), 303);
};
