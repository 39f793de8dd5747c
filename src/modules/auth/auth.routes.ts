// Login, logout, password reset and one-time links (set password, accept invitation). Registered
// outside the /admin scope, so that scope needs no URL allow-list. A successful login, and opening a
// valid one-time link, leave a device cookie: that browser is then throttled on its own, not with
// the strangers who type the same address (auth.service.ts, login).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.ts';
import { isLocalPath, toLocation } from '../../lib/urls.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { SESSION_COOKIE } from '../../plugins/session.ts';
import { ForgotBody, LoginBody, LoginQuery, SetPasswordBody, TokenParams } from './auth.schemas.ts';
import { optionalUser } from './require-user.ts';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';
import { DEVICE_TTL_MS } from './auth.service.ts';

/** A browser the account knows (auth.service.ts, login throttling): sent to /login only. */
const DEVICE_COOKIE = 'herold_device';

/** Only paths inside the admin area are followed after login. */
const safeNext = (next: string | undefined): string => (next && /^\/admin(?:[/?]|$)/.test(next) && !next.includes('//') && isLocalPath(next) ? toLocation(next) : '/admin');

export default async function authRoutes(app: FastifyInstance) {
  const { auth, urls } = app.services;
  const csrf = app.csrfProtection;
  const deviceCookie = { path: urls.login(), httpOnly: true, sameSite: 'lax' as const, secure: app.config.publicUrl.startsWith('https:'), maxAge: DEVICE_TTL_MS / 1000 };
  const rememberDevice = (reply: FastifyReply, token: string | null) => (token ? reply.setCookie(DEVICE_COOKIE, token, deviceCookie) : reply);
  // Per IP (each form its own count); over it, the form is shown again with what was typed (429).
  // The per-address throttle lives in the auth service.
  const loginLimit = { max: 20, timeWindow: '10 minutes' };

  const showLogin = (reply: FastifyReply, values: { email?: string; next?: string; resume?: string }, error: MessageKey | null = null, status = 200) =>
    reply.adminPage('auth/login', { title: reply.request.t.t('auth.login.title'), values: { email: values.email ?? '', next: values.next ?? '', resume: values.resume ?? '' }, loginError: error ? reply.request.t.t(error) : '' }, status);

  app.get<{ Querystring: LoginQuery }>('/login', { schema: { querystring: LoginQuery } }, async function showLoginPage(request, reply) {
    await optionalUser(request);
    if (request.user && !request.query.resume) return reply.redirect(safeNext(request.query.next), 303);
    return showLogin(reply, { ...(request.query.next ? { next: request.query.next } : {}), ...(request.query.resume ? { resume: request.query.resume } : {}) });
  });

  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: { body: LoginBody }, attachValidation: true, preHandler: [app.formRateLimit('login', loginLimit), csrf] },
    async function logIn(request, reply) {
      if (request.validationError) return showLogin(reply, {}, 'auth.login.failed', 400);
      const { email, password, next, resume } = request.body;
      if (request.rateLimited) return showLogin(reply, { email, ...(next ? { next } : {}), ...(resume ? { resume } : {}) }, 'field.rateLimited', 429);
      const result = await auth.login(email, password, request.cookies[DEVICE_COOKIE]);
      if (!result.ok) {
        request.log.warn({ event: 'auth.login.failed', reason: result.reason }, 'login failed');
        const values = { email, ...(next ? { next } : {}), ...(resume ? { resume } : {}) };
        if (result.reason === 'invalid') return showLogin(reply, values, 'auth.login.failed', 401);
        reply.header('retry-after', Math.ceil(result.retryAfterMs / 1000));
        return showLogin(reply, values, 'auth.login.throttled', 429);
      }
      rememberDevice(reply, result.deviceToken);
      request.log.info({ event: 'auth.login', userId: result.user.id }, 'logged in');
      // A session this browser held before ends now; the new one has a fresh token.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await auth.closeSession(previous);
      reply.setSessionCookie(result.sessionToken);
      if (resume) return reply.redirect(urls.admin.resume(resume), 303);
      return reply.flash('auth.login.welcome').redirect(safeNext(next), 303);
    },
  );

  app.post('/logout', { preHandler: csrf }, async function logOut(request, reply) {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.closeSession(token);
    return reply.clearSessionCookie().flash('auth.loggedOut').redirect(urls.login(), 303);
  });

  const showForgot = (reply: FastifyReply, email = '', error: MessageKey | null = null, status = 200) =>
    reply.adminPage('auth/forgot', { title: reply.request.t.t('auth.forgot.title'), values: { email }, formError: error ? reply.request.t.t(error) : '' }, status);

  app.get('/forgot-password', async function showForgotPasswordPage(_request, reply) {
    return showForgot(reply);
  });

  app.post<{ Body: ForgotBody }>(
    '/forgot-password',
    { schema: { body: ForgotBody }, attachValidation: true, preHandler: [app.formRateLimit('forgot-password', loginLimit), csrf] },
    async function requestPasswordReset(request, reply) {
      if (request.rateLimited) return showForgot(reply, request.validationError ? '' : request.body.email, 'field.rateLimited', 429);
      // Queued, never sent here: the same work and the same answer whether or not the address has an account.
      await auth.requestReset(request.validationError ? '' : request.body.email, request.lang);
      return reply.flash('auth.forgot.sent').redirect(urls.login(), 303);
    },
  );

  const showSetPassword = async (request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) => {
    const found = await auth.findToken(request.params.token);
    if (!found) return reply.adminPage('auth/link-invalid', { title: request.t.t('auth.link.invalidTitle') }, 404);
    const office = found.officeId !== null ? await app.services.offices.findById(found.officeId) : undefined;
    const needsPassword = !(found.purpose === 'invite' && found.hasAccount);
    const t = request.t.t;
    const errorList = Object.entries(errors).map(([field, key]) => ({ field, text: t(`field.${key}` as MessageKey) }));
    return reply.adminPage(
      'auth/set-password',
      {
        title: t(found.purpose === 'invite' ? 'auth.invite.title' : found.purpose === 'reset' ? 'auth.reset.title' : 'auth.setPassword.title'),
        purpose: found.purpose,
        email: found.email,
        officeName: office?.name ?? '',
        role: found.role ? t(`role.${found.role}` as MessageKey) : '',
        needsPassword,
        minLength: MIN_PASSWORD_LENGTH,
        action: urls.setPassword(request.params.token),
        errors: Object.fromEntries(errorList.map((e) => [e.field, e.text])),
        errorList,
      },
      status,
    );
  };

  app.get<{ Params: TokenParams }>('/set-password/:token', { schema: { params: TokenParams } }, async function showSetPasswordPage(request, reply) {
    // Opening the link proves the mailbox: this browser may log in at once, however throttled the address is.
    rememberDevice(reply, await auth.deviceTokenForLink(request.params.token));
    return showSetPassword(request, reply);
  });

  app.post<{ Params: TokenParams; Body: SetPasswordBody }>(
    '/set-password/:token',
    { schema: { params: TokenParams, body: SetPasswordBody }, attachValidation: true, preHandler: [app.formRateLimit('set-password', loginLimit), csrf] },
    async function setPassword(request, reply) {
      if (request.rateLimited) return showSetPassword(request, reply, { password: 'rateLimited' }, 429);
      if (request.validationError) return showSetPassword(request, reply, { password: 'invalid' }, 422);
      try {
        const user = await auth.useToken(request.params.token, request.body.password ?? null, request.body.passwordRepeat ?? null);
        request.log.info({ event: 'auth.password.set', userId: user.id }, 'one-time link used');
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        if (error.fields.token) return reply.adminPage('auth/link-invalid', { title: request.t.t('auth.link.invalidTitle') }, 404);
        return showSetPassword(request, reply, error.fields, 422);
      }
      // Any session in this browser belonged to the old password: end it.
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.closeSession(token);
      return reply.clearSessionCookie().flash('auth.passwordSet').redirect(urls.login(), 303);
    },
  );
}
