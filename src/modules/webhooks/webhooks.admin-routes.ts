// The admin pages of webhook endpoints, twice from one set of handlers: an office's (below
// /admin/offices/:office/webhooks, owners and platform admins) and the platform's, for every office
// (/admin/webhooks, platform admins). An endpoint is always looked up within its scope, so the id
// of another office's endpoint is a 404. Add, see the secret once, send a test event, rotate the
// secret, switch off and on, remove; the delivery log with status codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { errorsView } from '../admin/admin.views.ts';
import { Text } from '../admin/admin.schemas.ts';
import { actorOf, officeNav, officeOf, requireOwner } from '../admin/office-access.ts';
import { RELEASE_EVENTS, type Endpoint, type EndpointInput } from './webhooks.service.ts';

const WebhookBody = Type.Object({
  url: Type.Optional(Text),
  description: Type.Optional(Text),
  events: Type.Optional(Type.Union([Text, Type.Array(Text, { maxItems: 10 })])),
  _csrf: Type.Optional(Text),
});
type WebhookBody = Static<typeof WebhookBody>;

const WebhookParams = Type.Object({ office: Type.Optional(Type.String({ maxLength: 100 })), webhookId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
type WebhookParams = Static<typeof WebhookParams>;

/** Where the handlers work: an office's endpoints, or the platform's. */
interface Scope {
  officeId: number | null;
  list: string;
  one: (id: number) => string;
  /** What the admin layout needs to show the right navigation. */
  layout: Record<string, unknown>;
}

type ScopeOf = (request: FastifyRequest) => Scope;

const webhookRoutes = (scopeOf: ScopeOf, preHandler: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | undefined) =>
  async function routes(app: FastifyInstance) {
    const { webhooks } = app.services;
    const guard = preHandler ? { preHandler } : {};

    const endpointView = (request: FastifyRequest, e: Endpoint, scope: Scope) => ({
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events.join(', '),
      active: e.status === 'active',
      status: request.t.t(e.status === 'active' ? 'webhooks.status.active' : e.disabledReason === 'failing' ? 'webhooks.status.failing' : 'webhooks.status.disabled'),
      page: scope.one(e.id),
    });

    const showList = async (request: FastifyRequest, reply: FastifyReply, form: { values?: EndpointInput; errors?: FieldErrors; status?: number } = {}) => {
      const scope = scopeOf(request);
      const t = request.t;
      const { errors, errorList } = errorsView(form.errors ?? {}, t);
      const values = form.values ?? { url: '', description: '', events: [...RELEASE_EVENTS] };
      return reply.adminPage(
        'admin/webhooks',
        {
          ...scope.layout,
          title: scope.officeId === null ? t.t('webhooks.platformTitle') : t.t('webhooks.title', { office: officeOf(request).name }),
          intro: scope.officeId === null ? t.t('webhooks.platformIntro') : t.t('webhooks.intro'),
          endpoints: (await webhooks.list(scope.officeId)).map((e) => endpointView(request, e, scope)),
          action: scope.list,
          values,
          eventChoices: RELEASE_EVENTS.map((e) => ({ value: e, label: t.t(`webhooks.event.${e}` as MessageKey), checked: values.events.includes(e) })),
          docs: app.services.urls.api.docs(),
          errors,
          errorList,
        },
        form.status ?? 200,
      );
    };

    app.get('/webhooks', guard, async function showWebhooksPage(request, reply) {
      return showList(request, reply);
    });

    app.post<{ Body: WebhookBody }>('/webhooks', { schema: { body: WebhookBody }, attachValidation: true, ...guard }, async function addWebhook(request, reply) {
      const scope = scopeOf(request);
      const b = request.validationError ? {} : (request.body ?? {});
      const values: EndpointInput = { url: b.url ?? '', description: b.description ?? '', events: [b.events ?? []].flat() };
      let created;
      try {
        created = await webhooks.create(scope.officeId, values, actorOf(request));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return showList(request, reply, { values, errors: error.fields, status: 422 });
      }
      return reply.flash('flash.webhookAdded').redirect(scope.one(created.endpoint.id), 303);
    });

    app.get<{ Params: WebhookParams }>('/webhooks/:webhookId', { schema: { params: WebhookParams }, ...guard }, async function showWebhookPage(request, reply) {
      const scope = scopeOf(request);
      const t = request.t;
      const id = request.params.webhookId;
      const endpoint = await webhooks.find(id, scope.officeId);
      const secret = await webhooks.reveal(id, scope.officeId, request.user!.id);
      const log = await webhooks.log(id, scope.officeId);
      return reply.adminPage('admin/webhook', {
        ...scope.layout,
        title: t.t('webhooks.endpointTitle', { url: endpoint.url }),
        endpoint: {
          ...endpointView(request, endpoint, scope),
          created: t.dateTime(endpoint.createdAt),
          failingSince: endpoint.failingSince ? t.dateTime(endpoint.failingSince) : '',
          failures: endpoint.consecutiveFailures,
          previousUntil: endpoint.previousSecretUntil && endpoint.previousSecretUntil > app.services.clock.now().toISOString() ? t.dateTime(endpoint.previousSecretUntil) : '',
        },
        secret: secret ?? '',
        list: scope.list,
        deliveries: log.map((d) => ({
          at: t.dateTime(d.last_attempt_at ?? d.created_at),
          atIso: d.last_attempt_at ?? d.created_at,
          event: d.type,
          release: d.release_title ?? '',
          status: t.t(`webhooks.delivery.${d.status}` as MessageKey),
          delivered: d.status === 'delivered',
          attempts: d.attempts,
          http: d.response_status === null ? '–' : String(d.response_status),
          error: d.last_error ?? '',
          next: d.status === 'queued' ? t.dateTime(d.next_attempt_at) : '',
        })),
      });
    });

    const action = (verb: 'test' | 'rotate' | 'enable' | 'disable' | 'delete', flash: MessageKey, run: (request: FastifyRequest<{ Params: WebhookParams }>, scope: Scope) => Promise<string>) =>
      app.post<{ Params: WebhookParams }>(`/webhooks/:webhookId/${verb}`, { schema: { params: WebhookParams }, ...guard }, async function changeWebhook(request, reply) {
        const scope = scopeOf(request);
        const to = await run(request, scope);
        return reply.flash(flash).redirect(to, 303);
      });

    action('test', 'flash.webhookTestQueued', async (request, scope) => {
      await webhooks.sendTest(request.params.webhookId, scope.officeId);
      return `${scope.one(request.params.webhookId)}#deliveries`;
    });
    action('rotate', 'flash.webhookRotated', async (request, scope) => {
      await webhooks.rotateSecret(request.params.webhookId, scope.officeId, actorOf(request));
      return scope.one(request.params.webhookId);
    });
    action('enable', 'flash.webhookEnabled', async (request, scope) => {
      await webhooks.setActive(request.params.webhookId, scope.officeId, true, actorOf(request));
      return scope.one(request.params.webhookId);
    });
    action('disable', 'flash.webhookDisabled', async (request, scope) => {
      await webhooks.setActive(request.params.webhookId, scope.officeId, false, actorOf(request));
      return scope.one(request.params.webhookId);
    });
    action('delete', 'flash.webhookRemoved', async (request, scope) => {
      await webhooks.remove(request.params.webhookId, scope.officeId, actorOf(request));
      return scope.list;
    });
  };

/** Below /admin/offices/:office: the office's endpoints, for its owners (and platform admins). */
export const webhooksOfficeAdminRoutes = webhookRoutes((request) => {
  const office = officeOf(request);
  const admin = request.server.services.urls.admin.office(office.slug);
  return { officeId: office.id, list: admin.webhooks(), one: admin.webhook, layout: { office: officeNav(request) } };
}, requireOwner);

/** Below /admin, for platform admins (the scope checks): endpoints that hear of every office. */
export const webhooksPlatformAdminRoutes = webhookRoutes((request) => {
  const { urls } = request.server.services;
  return { officeId: null, list: urls.admin.webhooks(), one: urls.admin.webhook, layout: { platform: 'webhooks' } };
}, undefined);
