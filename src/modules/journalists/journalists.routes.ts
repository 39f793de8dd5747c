// The journalists' public pages: sign up, log in by a mailed link (no password), their account
// (profile, notification settings, accreditations, asking an office for accreditation, changing the
// address through a link mailed to the new one, deleting the account), log out.
// Their session has a cookie of its own (`herold_journalist`), separate from the press officers'
// one, so it never opens anything under /admin. Forms are CSRF-protected like the other public
// forms (plugins/public-csrf.ts) and rate-limited per IP like the login (20 POSTs in 10 minutes).
// A login or address link's GET only shows a button: mail scanners open links, and must not use them up.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { PUBLIC_CSRF_FIELD } from '../../plugins/public-csrf.ts';
import { AccountQuery, AddressBody, DeleteAccountBody, LoginBody, ProfileBody, RequestBody, SignupBody, TokenParams } from './journalists.schemas.ts';
import { SESSION_MAX_MS, type Journalist, type SignupInput } from './journalists.service.ts';
import { accountView, fieldErrors } from './journalists.views.ts';

/** The journalist's session cookie: its own name, never the press officers' `herold_session`. */
export const JOURNALIST_COOKIE = 'herold_journalist';

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

/** The journalist of the request's session, if it is live. */
export const currentJournalist = async (request: FastifyRequest): Promise<Journalist | undefined> => {
  const token = request.cookies[JOURNALIST_COOKIE];
  return token ? request.server.services.journalists.resumeSession(token) : undefined;
};

interface AccountState {
  profile?: { values: Record<string, string | boolean>; errors: FieldErrors };
  address?: { values: { email: string }; errors: FieldErrors };
  request?: { values: { office: string; message: string }; errors: FieldErrors };
}

export default async function journalistsRoutes(app: FastifyInstance) {
  const { journalists, offices, urls } = app.services;
  const secure = app.config.publicUrl.startsWith('https:');
  const cookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  // Per IP, each form its own count, as the login's; over it the form comes back (429) with what was typed.
  const formLimit = { max: 20, timeWindow: '10 minutes' };
  const tokenLimit = app.rateLimit({ max: 60, timeWindow: '1 minute' });

  const flashOf = (request: FastifyRequest, reply: FastifyReply) => {
    const flash = app.takeFlash(request, reply);
    return flash ? { text: request.t.t(flash.key), kind: flash.kind } : null;
  };

  const page = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200) =>
    noStore(reply).page(template, { robots: 'noindex', flash: flashOf(request, reply), csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() }, notice: '', ...data }, status);

  const message = (request: FastifyRequest, reply: FastifyReply, key: 'sent' | 'invalid', status = 200) =>
    page(request, reply, 'join/message', { title: request.t.t(`journalists.${key}.title`), heading: request.t.t(`journalists.${key}.title`), text: request.t.t(`journalists.${key}.text`) }, status);

  // Sign up.
  const SIGNUP_FIELDS = ['name', 'medium', 'email', 'pressCard'] as const;
  const showSignup = (request: FastifyRequest, reply: FastifyReply, values: SignupInput, errors: FieldErrors = {}, status = 200, notice = '') => {
    const { messages, errorList } = fieldErrors(request.t, errors, SIGNUP_FIELDS, 'journalists.field');
    return page(request, reply, 'journalists/signup', { title: request.t.t('journalists.signup.title'), values, errors: messages, errorList, notice }, status);
  };

  app.get(urls.journalists.signup(), async function showJournalistSignupPage(request, reply) {
    if (await currentJournalist(request)) return reply.redirect(urls.journalists.account(), 303);
    return showSignup(request, reply, { name: '', medium: '', email: '', pressCard: '' });
  });

  app.post<{ Body: SignupBody }>(
    urls.journalists.signup(),
    { schema: { body: SignupBody }, attachValidation: true, preHandler: app.formRateLimit('journalist-signup', formLimit) },
    async function signUpJournalist(request, reply) {
      const body: Partial<SignupBody> = request.validationError ? {} : (request.body ?? {});
      const values: SignupInput = { name: body.name ?? '', medium: body.medium ?? '', email: body.email ?? '', pressCard: body.pressCard ?? '' };
      if (request.rateLimited) return showSignup(request, reply, values, {}, 429, request.t.t('field.rateLimited'));
      if (!request.publicCsrfOk()) return showSignup(request, reply, values, {}, 403, request.t.t('join.error.csrf'));
      try {
        await journalists.signup(values, request.lang);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showSignup(request, reply, values, error.fields, 422);
      }
      return reply.redirect(urls.journalists.sent(), 303);
    },
  );

  app.get(urls.journalists.sent(), async function showJournalistLinkSentPage(request, reply) {
    return message(request, reply, 'sent');
  });

  // Log in: the address, then the link by mail.
  const showLogin = (request: FastifyRequest, reply: FastifyReply, email = '', status = 200, notice = '') =>
    page(request, reply, 'journalists/login', { title: request.t.t('journalists.login.title'), values: { email }, notice }, status);

  app.get(urls.journalists.login(), async function showJournalistLoginPage(request, reply) {
    if (await currentJournalist(request)) return reply.redirect(urls.journalists.account(), 303);
    return showLogin(request, reply);
  });

  app.post<{ Body: LoginBody }>(
    urls.journalists.login(),
    { schema: { body: LoginBody }, attachValidation: true, preHandler: app.formRateLimit('journalist-login', formLimit) },
    async function requestJournalistLogin(request, reply) {
      const email = request.validationError ? '' : (request.body?.email ?? '');
      if (request.rateLimited) return showLogin(request, reply, email, 429, request.t.t('field.rateLimited'));
      if (!request.publicCsrfOk()) return showLogin(request, reply, email, 403, request.t.t('join.error.csrf'));
      // Queued, never sent here: the same work and the same answer whether or not the address has an account.
      await journalists.requestLogin(email, request.lang);
      return reply.redirect(urls.journalists.sent(), 303);
    },
  );

  app.get<{ Params: TokenParams }>('/journalists/login/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function showJournalistLoginLinkPage(request, reply) {
    const journalist = await journalists.findLoginLink(request.params.token);
    if (!journalist) return message(request, reply, 'invalid', 404);
    return page(request, reply, 'journalists/link', {
      title: request.t.t('journalists.link.title'),
      text: request.t.t('journalists.link.text', { email: journalist.email }),
      action: urls.journalists.loginLink(request.params.token),
    });
  });

  app.post<{ Params: TokenParams }>(
    '/journalists/login/:token',
    { schema: { params: TokenParams }, preHandler: app.formRateLimit('journalist-login-link', formLimit) },
    async function logInJournalist(request, reply) {
      if (request.rateLimited) return message(request, reply, 'invalid', 429);
      if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site login');
      const result = await journalists.useLoginLink(request.params.token);
      if (!result) return message(request, reply, 'invalid', 404);
      request.log.info({ event: 'journalist.login', journalistId: result.journalist.id }, 'journalist logged in');
      // A session this browser held before ends now; the new one has a fresh token.
      const previous = request.cookies[JOURNALIST_COOKIE];
      if (previous) await journalists.closeSession(previous);
      reply.setCookie(JOURNALIST_COOKIE, result.sessionToken, { ...cookie, maxAge: SESSION_MAX_MS / 1000 });
      return reply.flash('journalists.welcome').redirect(urls.journalists.account(), 303);
    },
  );

  // The account.
  const showAccount = async (request: FastifyRequest, reply: FastifyReply, journalist: Journalist, state: AccountState = {}, status = 200, preselect = '') => {
    const [accreditations, all] = await Promise.all([journalists.accreditationsOf(journalist.id), offices.listAll()]);
    const view = accountView(request.t, urls, journalist, accreditations, all, { ...state, preselect });
    return page(request, reply, 'journalists/account', { title: request.t.t('journalists.account.title'), ...view }, status);
  };

  /** The logged-in journalist, or a redirect to the login page. */
  const requireJournalist = async (request: FastifyRequest, reply: FastifyReply): Promise<Journalist | undefined> => {
    const journalist = await currentJournalist(request);
    if (!journalist) {
      noStore(reply).flash('journalists.loginFirst', 'error').redirect(urls.journalists.login(), 303);
      return undefined;
    }
    return journalist;
  };

  app.get('/journalists', async function showJournalistsHome(request, reply) {
    return reply.redirect((await currentJournalist(request)) ? urls.journalists.account() : urls.journalists.signup(), 303);
  });

  app.get<{ Querystring: AccountQuery }>(urls.journalists.account(), { schema: { querystring: AccountQuery }, attachValidation: true }, async function showJournalistAccountPage(request, reply) {
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    return showAccount(request, reply, journalist, {}, 200, request.validationError ? '' : (request.query.office ?? ''));
  });

  app.post<{ Body: ProfileBody }>(urls.journalists.account(), { schema: { body: ProfileBody }, attachValidation: true, preHandler: app.formRateLimit('journalist-profile', formLimit) }, async function saveJournalistProfile(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site form');
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    const body: Partial<ProfileBody> = request.validationError ? {} : (request.body ?? {});
    const input = {
      name: body.name ?? '',
      medium: body.medium ?? '',
      pressCard: body.pressCard ?? '',
      lang: body.lang === 'en' ? ('en' as const) : ('de' as const),
      prereleaseMail: body.prereleaseMail === '1',
      decisionMail: body.decisionMail === '1',
    };
    if (request.rateLimited) return showAccount(request, reply, journalist, { profile: { values: input, errors: { name: 'rateLimited' } } }, 429);
    try {
      await journalists.updateProfile(journalist.id, input);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showAccount(request, reply, journalist, { profile: { values: input, errors: error.fields } }, 422);
    }
    return reply.flash('journalists.profileSaved').redirect(urls.journalists.account(), 303);
  });

  app.post<{ Body: RequestBody }>('/journalists/accreditations', { schema: { body: RequestBody }, attachValidation: true, preHandler: app.formRateLimit('accreditation-request', formLimit) }, async function requestAccreditation(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site form');
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    const body: Partial<RequestBody> = request.validationError ? {} : (request.body ?? {});
    const values = { office: body.office ?? '', message: body.message ?? '' };
    if (request.rateLimited) return showAccount(request, reply, journalist, { request: { values, errors: { office: 'rateLimited' } } }, 429);
    const office = values.office ? await offices.findBySlug(values.office) : undefined;
    try {
      if (!office) throw new ValidationError('No such office', { office: values.office ? 'unknown' : 'required' });
      await journalists.requestAccreditation(journalist, office.id, values.message);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showAccount(request, reply, journalist, { request: { values, errors: error.fields } }, 422);
    }
    return reply.flash('journalists.requestSent').redirect(urls.journalists.account(), 303);
  });

  // A new address: a link to confirm it goes to the new address; nothing changes until it is used.
  app.post<{ Body: AddressBody }>(urls.journalists.address(), { schema: { body: AddressBody }, attachValidation: true, preHandler: app.formRateLimit('address-change', formLimit) }, async function requestAddressChange(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site form');
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    const values = { email: (request.validationError ? '' : request.body?.email) ?? '' };
    if (request.rateLimited) return showAccount(request, reply, journalist, { address: { values, errors: { email: 'rateLimited' } } }, 429);
    try {
      await journalists.requestAddressChange(journalist, values.email);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showAccount(request, reply, journalist, { address: { values, errors: error.fields } }, 422);
    }
    return reply.flash('journalists.address.sent').redirect(urls.journalists.account(), 303);
  });

  app.get<{ Params: TokenParams }>('/journalists/address/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function showAddressLinkPage(request, reply) {
    const link = await journalists.findAddressLink(request.params.token);
    if (!link) return message(request, reply, 'invalid', 404);
    return page(request, reply, 'journalists/link', {
      title: request.t.t('journalists.address.linkTitle'),
      text: request.t.t('journalists.address.linkText', { email: link.email, old: link.journalist.email }),
      action: urls.journalists.addressLink(request.params.token),
      button: request.t.t('journalists.address.confirm'),
    });
  });

  app.post<{ Params: TokenParams }>('/journalists/address/:token', { schema: { params: TokenParams }, preHandler: app.formRateLimit('address-confirm', formLimit) }, async function confirmAddressChange(request, reply) {
    if (request.rateLimited) return message(request, reply, 'invalid', 429);
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site form');
    const result = await journalists.confirmAddressChange(request.params.token);
    if (!result) return message(request, reply, 'invalid', 404);
    if ('taken' in result) {
      const t = request.t.t('journalists.address.takenTitle');
      return page(request, reply, 'join/message', { title: t, heading: t, text: request.t.t('journalists.address.takenText') }, 409);
    }
    request.log.info({ event: 'journalist.address-changed', journalistId: result.journalist.id }, 'journalist changed their address');
    return noStore(reply).flash('journalists.address.changed').redirect(urls.journalists.account(), 303);
  });

  // Deleting the account: a page that says what it means, and its form (CSRF, a confirming box).
  const showDelete = (request: FastifyRequest, reply: FastifyReply, journalist: Journalist, error = '', status = 200) =>
    page(request, reply, 'journalists/delete', { title: request.t.t('journalists.delete.title'), email: journalist.email, action: urls.journalists.deleteAccount(), accountUrl: urls.journalists.account(), error }, status);

  app.get(urls.journalists.deleteAccount(), async function showDeleteAccountPage(request, reply) {
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    return showDelete(request, reply, journalist);
  });

  app.post<{ Body: DeleteAccountBody }>(urls.journalists.deleteAccount(), { schema: { body: DeleteAccountBody }, attachValidation: true, preHandler: app.formRateLimit('account-delete', formLimit) }, async function deleteJournalistAccount(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site form');
    const journalist = await requireJournalist(request, reply);
    if (!journalist) return reply;
    if (request.rateLimited) return showDelete(request, reply, journalist, request.t.t('field.rateLimited'), 429);
    if (request.validationError || request.body?.confirm !== 'yes') return showDelete(request, reply, journalist, request.t.t('journalists.delete.confirmRequired'), 422);
    await journalists.deleteAccount(journalist.id);
    request.log.info({ event: 'journalist.deleted', journalistId: journalist.id }, 'journalist deleted their account');
    return noStore(reply).clearCookie(JOURNALIST_COOKIE, cookie).flash('journalists.delete.done').redirect(urls.journalists.signup(), 303);
  });

  app.post(urls.journalists.logout(), async function logOutJournalist(request, reply) {
    if (!request.publicCsrfOk()) throw new ForbiddenError('Cross-site logout');
    const token = request.cookies[JOURNALIST_COOKIE];
    if (token) await journalists.closeSession(token);
    return noStore(reply).clearCookie(JOURNALIST_COOKIE, cookie).flash('journalists.loggedOut').redirect(urls.journalists.login(), 303);
  });
}

