// The rules of webhook endpoints: who has which (an office's, or the platform's for every office),
// what a valid endpoint is (webhooks.address.ts), its secret (made here, shown once to the user who
// made it, rotated with a day's overlap), switching it off and on, and the test event. Events of
// releases are queued by `announceReleaseChange`, which the releases service calls in the transaction of
// each public change (services.ts wires it as the `announce` port); the sender (webhooks.sender.ts)
// delivers them. See CONTEXT.md.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';
import type { PublicChange, ReleasesService } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { releaseJson } from '../api/api.render.ts';
import type { ApiWebhookEvent } from '../api/api.schemas.ts';
import { resolveTarget } from './webhooks.address.ts';
import * as repo from './webhooks.repository.ts';
import { newSecret } from './webhooks.sign.ts';

/** The events of releases an endpoint can ask for. */
export const RELEASE_EVENTS = ['release.published', 'release.corrected', 'release.withdrawn'] as const;
export type ReleaseEvent = (typeof RELEASE_EVENTS)[number];

const EVENT_OF: Record<PublicChange, ReleaseEvent> = { published: 'release.published', corrected: 'release.corrected', withdrawn: 'release.withdrawn' };

/** Releases that went public longer ago than this are not announced as published (imports of old releases), as mail does. */
export const ANNOUNCE_HORIZON_MS = 48 * 60 * 60 * 1000;
/** How long the user who made a secret may see it (once). */
const REVEAL_MS = 10 * 60 * 1000;
/** How long the previous secret signs too after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface Endpoint {
  id: number;
  /** Null: the platform's endpoint, for every office. */
  officeId: number | null;
  url: string;
  description: string;
  events: ReleaseEvent[];
  status: 'active' | 'disabled';
  /** `failing` (disabled by the sender) or `manual`; empty while active. */
  disabledReason: string;
  disabledAt: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
  /** Until when the previous secret signs too, after a rotation. */
  previousSecretUntil: string | null;
  createdAt: string;
}

const parseEvents = (json: string): ReleaseEvent[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? RELEASE_EVENTS.filter((e) => value.includes(e)) : [];
  } catch {
    return [];
  }
};

export const toEndpoint = (row: repo.EndpointRow): Endpoint => ({
  id: row.id,
  officeId: row.office_id,
  url: row.url,
  description: row.description,
  events: parseEvents(row.events_json),
  status: row.status,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at,
  failingSince: row.failing_since,
  consecutiveFailures: row.consecutive_failures,
  previousSecretUntil: row.previous_secret_until,
  createdAt: row.created_at,
});

export interface EndpointInput {
  url: string;
  description: string;
  events: string[];
}

export interface WebhooksServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  urls: Urls;
  releases: Pick<ReleasesService, 'newestPublic'>;
  audit?: AuditService;
  /** WEBHOOK_ALLOW_PRIVATE: loopback and private addresses, and plain http, are allowed. */
  allowPrivate: boolean;
}

export const createWebhooksService = ({ db, clock, events, urls, releases, audit, allowPrivate }: WebhooksServiceDeps) => {
  const nowIso = () => clock.now().toISOString();
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  const record = async (officeId: number | null, actor: Actor | undefined, action: AuditAction, endpoint: { url: string }, detail = '') => {
    if (actor && audit) await audit.record({ officeId, actor, action, subject: endpoint.url, detail });
  };

  /** An endpoint of this scope (an office's, or the platform's with null); another scope's is not found. */
  const requireEndpoint = async (id: number, officeId: number | null): Promise<repo.EndpointRow> => {
    const row = await repo.findEndpoint(db, id);
    if (!row || row.office_id !== officeId) throw new NotFoundError(`Webhook endpoint ${id} not found`);
    return row;
  };

  /** Checks what was typed; the address rules are webhooks.address.ts's. */
  const validate = async (input: EndpointInput): Promise<{ url: string; description: string; events: ReleaseEvent[] }> => {
    const errors: FieldErrors = {};
    const description = input.description.trim();
    if (description.length > 200) errors.description = 'tooLong';
    const chosen = RELEASE_EVENTS.filter((e) => input.events.includes(e));
    if (chosen.length === 0) errors.events = 'webhookNoEvents';
    let url = input.url.trim();
    if (!url) errors.url = 'required';
    else {
      const target = await resolveTarget(url, allowPrivate);
      if ('problem' in target) errors.url = `webhook.${target.problem}`;
      else url = target.url.toString();
    }
    if (Object.keys(errors).length > 0) throw new ValidationError('The webhook endpoint is invalid', errors);
    return { url, description, events: chosen };
  };

  return {
    list: async (officeId: number | null): Promise<Endpoint[]> => (await repo.listEndpoints(db, officeId)).map(toEndpoint),

    find: async (id: number, officeId: number | null): Promise<Endpoint> => toEndpoint(await requireEndpoint(id, officeId)),

    /** Registers an endpoint; returns it with its secret (shown once to `actor`). */
    async create(officeId: number | null, input: EndpointInput, actor?: Actor): Promise<{ endpoint: Endpoint; secret: string }> {
      const valid = await validate(input);
      const now = nowIso();
      const secret = newSecret();
      const id = await repo.insertEndpoint(db, {
        office_id: officeId,
        url: valid.url,
        description: valid.description,
        events_json: JSON.stringify(valid.events),
        secret,
        reveal_to: actor?.id ?? null,
        reveal_until: actor ? later(REVEAL_MS) : null,
        created_by: actor?.id ?? null,
        created_at: now,
        updated_at: now,
      });
      await record(officeId, actor, 'webhook.added', valid, valid.events.join(', '));
      return { endpoint: toEndpoint((await repo.findEndpoint(db, id))!), secret };
    },

    /** A new secret; the previous one signs too for a day. Shown once to `actor`. */
    async rotateSecret(id: number, officeId: number | null, actor?: Actor): Promise<string> {
      const row = await requireEndpoint(id, officeId);
      const secret = newSecret();
      await repo.updateEndpoint(db, id, {
        secret,
        previous_secret: row.secret,
        previous_secret_until: later(ROTATION_OVERLAP_MS),
        reveal_to: actor?.id ?? null,
        reveal_until: actor ? later(REVEAL_MS) : null,
        updated_at: nowIso(),
      });
      await record(officeId, actor, 'webhook.rotated', row);
      return secret;
    },

    /** The secret, if this user may see it now (once, within minutes of making it); otherwise undefined. */
    async reveal(id: number, officeId: number | null, userId: number): Promise<string | undefined> {
      const row = await requireEndpoint(id, officeId);
      return (await repo.takeReveal(db, id, userId, nowIso())) ? row.secret : undefined;
    },

    /** Switches an endpoint on (counting its failures afresh) or off. */
    async setActive(id: number, officeId: number | null, active: boolean, actor?: Actor): Promise<void> {
      const row = await requireEndpoint(id, officeId);
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        if (active) await repo.updateEndpoint(trx, id, { status: 'active', disabled_reason: '', disabled_at: null, consecutive_failures: 0, failing_since: null, updated_at: now });
        else {
          await repo.updateEndpoint(trx, id, { status: 'disabled', disabled_reason: 'manual', disabled_at: now, updated_at: now });
          await repo.cancelWaiting(trx, id, 'endpoint disabled');
        }
      });
      await record(officeId, actor, active ? 'webhook.enabled' : 'webhook.disabled', row);
    },

    async remove(id: number, officeId: number | null, actor?: Actor): Promise<void> {
      const row = await requireEndpoint(id, officeId);
      await repo.deleteEndpoint(db, id);
      await record(officeId, actor, 'webhook.removed', row);
    },

    /** Queues a `webhook.test` event for this endpoint: the newest release of its office (of any, for the platform's). */
    async sendTest(id: number, officeId: number | null): Promise<void> {
      await requireEndpoint(id, officeId);
      const release = await releases.newestPublic(officeId ?? undefined);
      const now = nowIso();
      const body: ApiWebhookEvent = { type: 'webhook.test', timestamp: now, data: release ? releaseJson(presentRelease(release, urls), urls) : null };
      await repo.queueTestEvent(db, id, officeId, JSON.stringify(body), now);
      events.emit('webhooks.queued', { count: 1 });
    },

    /** The delivery log of an endpoint, newest first. */
    async log(id: number, officeId: number | null, limit = 50) {
      await requireEndpoint(id, officeId);
      return repo.listDeliveries(db, id, limit);
    },

  };
};

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/**
 * The `announce` port of the releases service (services.ts wires it): queues the event of a public
 * change for every endpoint that wants it, in the change's own transaction, so the change and its
 * announcement are stored together; a scheduled release is announced when `publishDue` publishes
 * it, at its time, never before.
 */
export const announceReleaseChange = async (trx: Kysely<DB>, releaseId: number, change: PublicChange, now: string): Promise<void> => {
  await repo.queueReleaseEvent(trx, releaseId, EVENT_OF[change], now, new Date(Date.parse(now) - ANNOUNCE_HORIZON_MS).toISOString());
};
