// The admin area's gate. `requireUser` (onRequest) admits a request with a live session. Without
// one, a GET goes to the login page (and comes back after). A form POST whose session expired
// while someone was writing is not refused outright: `keepExpiredForm` (preHandler, after the body
// is read and the CSRF token checked) keeps the form server-side and sends the writer to log in;
// after login they get the form back with everything they typed, to save again.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../plugins/session.ts';


/** Reads the session cookie and sets request.user when the session is live. */
export const optionalUser = async (request: FastifyRequest): Promise<{ expiredUserId?: number }> => {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return {};
  const { user, expiredUserId } = await request.server.services.auth.resumeSession(token);
  request.user = user ?? null;
  return expiredUserId !== undefined ? { expiredUserId } : {};
};

const isPlainForm = (request: FastifyRequest) => /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');

export const requireUser = async (request: FastifyRequest, reply: FastifyReply) => {
  const { expiredUserId } = await optionalUser(request);
  if (request.user) return;
  if (request.method === 'POST' && isPlainForm(request)) {
    request.pendingLogin = { expiredUserId: expiredUserId ?? null };
    return;
  }
  reply.header('cache-control', 'no-store');
  if (request.method === 'GET' || request.method === 'HEAD') {
    if (expiredUserId !== undefined) reply.flash('auth.sessionExpired', 'error');
    return reply.redirect(request.server.services.urls.login({ next: request.url }), 303);
  }
  reply.flash(expiredUserId !== undefined ? 'auth.sessionExpiredUpload' : 'auth.loginRequired', 'error');
  return reply.redirect(request.server.services.urls.login(), 303);
};

/** Runs after the CSRF check: keeps a form that arrived without a live session and asks to log in. */
export const keepExpiredForm = async (request: FastifyRequest, reply: FastifyReply) => {
  if (!request.pendingLogin) return;
  // A background request of the page's script (live preview) is not a form to keep.
  if (request.headers['x-requested-with'] === 'fetch') return reply.code(401).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('401 login required\n');
  const body = { ...((request.body as Record<string, unknown> | undefined) ?? {}) };
  delete body._csrf;
  const path = request.url.split('?')[0]!;
  const token = await request.server.services.auth.stashForm(request.pendingLogin.expiredUserId, path, body);
  reply.flash('auth.sessionExpiredKept', 'error').header('cache-control', 'no-store');
  return reply.redirect(request.server.services.urls.login({ resume: token }), 303);
};
