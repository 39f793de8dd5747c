// Public subscription pages: the sign-up form, confirmation, the manage page and unsubscribing
// (including the RFC 8058 one-click POST). Tokens come from the mails; see subscriptions.tokens.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { PUBLIC_CSRF_FIELD } from '../../plugins/public-csrf.ts';
import { FORM_KINDS, type Target, type TargetSelection } from './subscriptions.service.ts';
import { ManageBody, ManageQuery, SubscribeBody, SubscribeQuery, TokenParams } from './subscriptions.schemas.ts';
import { emptySelection, errorMessages, frequencyOptions, manageView, targetGroups, targetLabel } from './subscriptions.views.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const selectionOf = (source: Partial<Record<'all' | 'office' | 'topic' | 'region', string | string[]>>): TargetSelection => ({
  all: list(source.all),
  office: list(source.office),
  topic: list(source.topic),
  region: list(source.region),
});

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

export default async function subscriptionsRoutes(app: FastifyInstance) {
  const { subscriptions, urls } = app.services;
  // Over the limit, the form is shown again with what was typed (429).
  const ipLimit = app.formRateLimit('subscribe', { max: 10, timeWindow: '1 hour' });
  const tokenLimit = app.rateLimit({ max: 60, timeWindow: '1 minute' });

  interface FormValues {
    email: string;
    frequency: string;
    selection: TargetSelection;
    /** Searches to follow, as query strings (from the search page's "alert me" link). */
    searches: string[];
  }

  const showForm = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FieldErrors = {}, status = 200, notice = '') => {
    const choices = await subscriptions.choices();
    const searches = await subscriptions.describeSearches(values.searches);
    // A search that cannot be followed is named at once, not only after the form is sent.
    if (searches.length < new Set(values.searches).size && !errors.targets) errors = { ...errors, targets: 'invalidSearch' };
    noStore(reply);
    return reply.page(
      'subscriptions/subscribe',
      {
        title: request.t.t('subscribe.title'),
        robots: 'noindex',
        csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
        values: { email: values.email },
        groups: targetGroups(choices, request.t, values.selection),
        searches: searches.map((x, i) => ({ id: `search-${i}`, value: x.value, name: x.name })),
        frequencies: frequencyOptions(request.t, values.frequency),
        errors: errorMessages(errors, request.t),
        hasErrors: Object.keys(errors).length > 0,
        notice,
      },
      status,
    );
  };

  const invalidLink = (request: FastifyRequest, reply: FastifyReply) =>
    noStore(reply).page('subscriptions/message', { title: request.t.t('subscribe.invalidLink.title'), heading: request.t.t('subscribe.invalidLink.title'), text: request.t.t('subscribe.invalidLink.text'), link: { url: urls.subscribe(), name: request.t.t('subscribe.title') }, robots: 'noindex' }, 404);

  app.get<{ Querystring: SubscribeQuery }>('/subscribe', { schema: { querystring: SubscribeQuery } }, async function showSubscribePage(request, reply) {
    const q = request.query;
    return showForm(request, reply, { email: q.email ?? '', frequency: q.frequency ?? 'immediately', selection: selectionOf(q), searches: list(q.search) });
  });

  app.post<{ Body: SubscribeBody }>('/subscribe', { schema: { body: SubscribeBody }, attachValidation: true, preHandler: ipLimit }, async function subscribe(request, reply) {
    const body = (request.body ?? {}) as SubscribeBody;
    const values: FormValues = { email: typeof body.email === 'string' ? body.email : '', frequency: typeof body.frequency === 'string' ? body.frequency : 'immediately', selection: request.validationError ? emptySelection() : selectionOf(body), searches: request.validationError ? [] : list(body.search) };
    if (request.rateLimited) return showForm(request, reply, values, {}, 429, request.t.t('field.rateLimited'));
    if (request.validationError) return showForm(request, reply, values, { email: values.email ? 'invalid' : 'required' }, 422);
    if (!request.publicCsrfOk()) return showForm(request, reply, values, {}, 403, request.t.t('subscribe.error.csrf'));
    // The compact form on the home page asks for the address first and the choices here.
    if (FORM_KINDS.every((k) => (values.selection[k] ?? []).length === 0) && values.searches.length === 0 && body.choose === '1') return showForm(request, reply, values);
    try {
      await subscriptions.signUp({ email: values.email, frequency: values.frequency, targets: values.selection, searches: values.searches, lang: request.lang, ip: request.ip });
    } catch (error) {
      if (error instanceof ValidationError) return showForm(request, reply, values, error.fields, 422);
      throw error;
    }
    return reply.redirect(urls.subscription.sent(), 303);
  });

  app.get('/subscribe/sent', async function showSentPage(request, reply) {
    return noStore(reply).page('subscriptions/message', { title: request.t.t('subscribe.sent.title'), heading: request.t.t('subscribe.sent.title'), text: request.t.t('subscribe.sent.text'), robots: 'noindex' });
  });

  app.get('/subscribe/removed', async function showRemovedPage(request, reply) {
    return noStore(reply).page('subscriptions/message', { title: request.t.t('unsubscribe.removed.title'), heading: request.t.t('unsubscribe.removed.title'), text: request.t.t('unsubscribe.removed.text'), robots: 'noindex' });
  });

  const showConfirmPage = async (request: FastifyRequest, reply: FastifyReply, token: string, status = 200, notice = '') => {
    const what = await subscriptions.readConfirmation(token);
    if (!what) return invalidLink(request, reply);
    return noStore(reply).page(
      'subscriptions/confirm',
      {
        title: request.t.t('subscribe.confirm.title'),
        robots: 'noindex',
        email: what.email,
        targets: what.targets.map((x) => targetLabel(x, (key) => request.t.t(key as MessageKey))),
        frequency: request.t.t(`subscribe.frequency.${what.frequency}`),
        action: urls.subscription.confirm(token),
        csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
        notice,
      },
      status,
    );
  };

  // A GET only shows what would be confirmed: link scanners that fetch every URL confirm nothing.
  app.get<{ Params: TokenParams }>('/subscribe/confirm/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function showConfirmationPage(request, reply) {
    return showConfirmPage(request, reply, request.params.token);
  });

  app.post<{ Params: TokenParams }>('/subscribe/confirm/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function confirmSubscription(request, reply) {
    if (!request.publicCsrfOk()) return showConfirmPage(request, reply, request.params.token, 403, request.t.t('subscribe.error.csrf'));
    const subscription = await subscriptions.confirm(request.params.token, request.ip);
    if (!subscription) return invalidLink(request, reply);
    return reply.redirect(`${urls.subscription.manage(subscription.manageToken)}?m=confirmed`, 303);
  });

  const showManage = async (request: FastifyRequest, reply: FastifyReply, token: string, opts: { message?: string; errors?: FieldErrors; status?: number; frequency?: string } = {}) => {
    const s = await subscriptions.findByManageToken(token);
    if (!s) return invalidLink(request, reply);
    const choices = await subscriptions.choices();
    const followed = new Set(s.targets.map((x) => `${x.kind}:${x.value}`));
    return noStore(reply).page(
      'subscriptions/manage',
      {
        title: request.t.t('manage.title'),
        robots: 'noindex',
        subscription: manageView(s, request.t),
        frequencies: frequencyOptions(request.t, opts.frequency ?? s.frequency),
        groups: targetGroups(choices, request.t, emptySelection(), followed),
        action: urls.subscription.manage(token),
        deleteAction: urls.subscription.manageDelete(token),
        csrf: { field: PUBLIC_CSRF_FIELD, token: reply.publicCsrfToken() },
        message: opts.message ?? '',
        errors: errorMessages(opts.errors ?? {}, request.t),
        hasErrors: Object.keys(opts.errors ?? {}).length > 0,
      },
      opts.status ?? 200,
    );
  };

  app.get<{ Params: TokenParams; Querystring: ManageQuery }>(
    '/subscribe/manage/:token',
    { schema: { params: TokenParams, querystring: ManageQuery }, preHandler: tokenLimit },
    async function showManagePage(request, reply) {
      const m = request.query.m;
      const message = m === 'confirmed' ? request.t.t('manage.confirmed') : m === 'saved' ? request.t.t('manage.saved') : '';
      return showManage(request, reply, request.params.token, { message });
    },
  );

  app.post<{ Params: TokenParams; Body: ManageBody }>(
    '/subscribe/manage/:token',
    { schema: { params: TokenParams, body: ManageBody }, attachValidation: true, preHandler: tokenLimit },
    async function updateSubscription(request, reply) {
      const { token } = request.params;
      if (request.validationError) return showManage(request, reply, token, { errors: { targets: 'unknown' }, status: 422 });
      if (!request.publicCsrfOk()) return showManage(request, reply, token, { message: request.t.t('subscribe.error.csrf'), status: 403 });
      const current = await subscriptions.findByManageToken(token);
      if (!current) return invalidLink(request, reply);
      const body = request.body ?? {};
      const keep = new Set(list(body.keep));
      const remove: Target[] = current.targets.filter((x) => !keep.has(`${x.kind}:${x.value}`)).map(({ kind, value }) => ({ kind, value }));
      const frequency = body.frequency ?? current.frequency;
      try {
        await subscriptions.update(token, { frequency, remove, add: selectionOf(body) });
      } catch (error) {
        if (error instanceof ValidationError) return showManage(request, reply, token, { errors: error.fields, status: 422, frequency });
        throw error;
      }
      return reply.redirect(`${urls.subscription.manage(token)}?m=saved`, 303);
    },
  );

  app.post<{ Params: TokenParams }>('/subscribe/manage/:token/delete', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function deleteSubscription(request, reply) {
    const { token } = request.params;
    if (!request.publicCsrfOk()) return showManage(request, reply, token, { message: request.t.t('subscribe.error.csrf'), status: 403 });
    if (!(await subscriptions.unsubscribe(token, 'manage'))) return invalidLink(request, reply);
    return reply.redirect(urls.subscription.removed(), 303);
  });

  // Unsubscribe links from mails. The GET asks (scanners must not unsubscribe anyone); the POST
  // is RFC 8058's one-click endpoint, authenticated by its token alone, so it has no CSRF check.
  await app.register(async (scope) => {
    // Mail clients post `List-Unsubscribe=One-Click` as multipart/form-data or urlencoded; the
    // body carries nothing we need beyond its arrival.
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, {}));
    scope.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, {}));

    scope.get<{ Params: TokenParams }>('/unsubscribe/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function showUnsubscribePage(request, reply) {
      if (!(await subscriptions.isUnsubscribeToken(request.params.token))) return invalidLink(request, reply);
      return noStore(reply).page('subscriptions/unsubscribe', {
        title: request.t.t('unsubscribe.title'),
        robots: 'noindex',
        text: request.t.t('unsubscribe.text', { site: app.config.siteName }),
        action: urls.subscription.unsubscribe(request.params.token),
      });
    });

    scope.post<{ Params: TokenParams }>('/unsubscribe/:token', { schema: { params: TokenParams }, preHandler: tokenLimit }, async function unsubscribe(request, reply) {
      const { token } = request.params;
      const genuine = await subscriptions.isUnsubscribeToken(token);
      if (!genuine) return invalidLink(request, reply);
      await subscriptions.unsubscribe(token, 'unsubscribe');
      const accept = request.headers.accept ?? '';
      const fromBrowserForm = /text\/html/.test(accept) && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') && !(request.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'];
      if (fromBrowserForm) return reply.redirect(urls.subscription.removed(), 303);
      return noStore(reply).type('text/plain; charset=utf-8').send('Unsubscribed.\n');
    });
  });
}
