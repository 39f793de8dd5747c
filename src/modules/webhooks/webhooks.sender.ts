// The webhook sender: claims due deliveries with a lease (as the mail sender does), renders each
// event's body once (the API's release JSON, from the presenter's view), signs it per endpoint
// (webhooks.sign.ts) and POSTs it (webhooks.post.ts). A 2xx is delivered; anything else is retried
// after a growing delay (RETRY_DELAYS_MS, about a day in all) and then failed. An endpoint that has
// failed without a single success for DISABLE_AFTER_MS (and at least DISABLE_MIN_FAILURES
// attempts) is disabled: what waits for it is cancelled and its owners get a mail through the
// outbox, all in one transaction. Run by the `deliver-webhooks` job; never inside a request.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { drainInBatches } from '../../lib/drain.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Urls } from '../../lib/urls.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { releaseJson } from '../api/api.render.ts';
import type { ApiWebhookEvent } from '../api/api.schemas.ts';
import * as repo from './webhooks.repository.ts';
import { postWebhook, type PostResult } from './webhooks.post.ts';
import { messageId, signedHeaders } from './webhooks.sign.ts';

/** Wait before attempt n + 1 after attempt n failed: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h (about 28 h in all). */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint failing without a success for this long is disabled… */
export const DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;
/** …once it has failed at least this many attempts in a row (one outage does not disable it). */
export const DISABLE_MIN_FAILURES = 5;
const TIMEOUT_MS = 10_000;
const LEASE_MS = 60_000;

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
  cancelled: number;
  disabled: number;
}

export interface WebhookSenderDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  urls: Urls;
  releases: Pick<ReleasesService, 'findPublic'>;
  allowPrivate: boolean;
  /** The language of the mail telling owners of a disabled endpoint (the site's; users have none of their own). */
  lang: 'de' | 'en';
  userAgent: string;
  /** Sends one request; tests and the benchmark may stand in. */
  post?: typeof postWebhook;
}

export const createWebhookSender = ({ db, clock, events, urls, releases, allowPrivate, lang, userAgent, post = postWebhook }: WebhookSenderDeps) => {
  const nowIso = () => clock.now().toISOString();

  /** The event's body: rendered once, when it is first sent, then the same bytes for every endpoint and retry. */
  const payloadOf = async (event: repo.EventRow): Promise<string | null> => {
    if (event.payload !== null) return event.payload;
    if (event.release_id === null) return null;
    const release = await releases.findPublic(event.release_id);
    if (!release) return null;
    const body: ApiWebhookEvent = { type: event.type, timestamp: event.created_at, data: releaseJson(presentRelease(release, urls), urls) };
    await repo.setEventPayload(db, event.id, JSON.stringify(body));
    return (await repo.findEvent(db, event.id))?.payload ?? null;
  };

  const succeeded = async (delivery: repo.DeliveryRow, result: PostResult, report: DeliveryReport) => {
    const now = nowIso();
    await db.transaction().execute(async (trx) => {
      await repo.updateDelivery(trx, delivery.id, { status: 'delivered', lease_until: null, response_status: result.status, last_error: null, delivered_at: now });
      await repo.updateEndpoint(trx, delivery.endpoint_id, { consecutive_failures: 0, failing_since: null });
    });
    report.delivered++;
  };

  const failedAttempt = async (delivery: repo.DeliveryRow, endpoint: repo.EndpointRow, result: PostResult, report: DeliveryReport) => {
    const now = nowIso();
    const giveUp = delivery.attempts >= MAX_ATTEMPTS;
    const failures = endpoint.consecutive_failures + 1;
    const failingSince = endpoint.failing_since ?? now;
    const disable = endpoint.status === 'active' && failures >= DISABLE_MIN_FAILURES && Date.parse(now) - Date.parse(failingSince) >= DISABLE_AFTER_MS;
    const recipients = disable ? await repo.listResponsibleEmails(db, endpoint.office_id) : [];
    await db.transaction().execute(async (trx) => {
      const error = (result.error ?? 'failed').slice(0, 300);
      if (giveUp || disable) await repo.updateDelivery(trx, delivery.id, { status: 'failed', lease_until: null, response_status: result.status, last_error: error });
      else await repo.updateDelivery(trx, delivery.id, { status: 'queued', lease_until: null, response_status: result.status, last_error: error, next_attempt_at: new Date(clock.now().getTime() + RETRY_DELAYS_MS[delivery.attempts - 1]!).toISOString() });
      await repo.updateEndpoint(trx, endpoint.id, { consecutive_failures: failures, failing_since: failingSince });
      if (disable) {
        await repo.updateEndpoint(trx, endpoint.id, { status: 'disabled', disabled_reason: 'failing', disabled_at: now, updated_at: now });
        await repo.cancelWaiting(trx, endpoint.id, 'endpoint disabled');
        await repo.queueDisabledMail(trx, endpoint.id, recipients, lang, now);
      }
    });
    if (giveUp || disable) report.failed++;
    else report.retried++;
    if (disable) {
      report.disabled++;
      if (recipients.length > 0) events.emit('mail.queued', { count: recipients.length });
    }
  };

  /** One claimed delivery: checked again, rendered, signed, sent, recorded. */
  const deliver = async (delivery: repo.DeliveryRow, report: DeliveryReport) => {
    const endpoint = await repo.findEndpoint(db, delivery.endpoint_id);
    const event = await repo.findEvent(db, delivery.event_id);
    const cancel = async (reason: string) => {
      await repo.updateDelivery(db, delivery.id, { status: 'cancelled', lease_until: null, last_error: reason });
      report.cancelled++;
    };
    if (!endpoint || !event) return cancel('endpoint or event gone');
    // A test goes to a disabled endpoint too (to see whether it works again); nothing else does.
    if (endpoint.status !== 'active' && event.type !== 'webhook.test') return cancel('endpoint disabled');
    const body = await payloadOf(event);
    if (body === null) return cancel('release gone');
    const now = clock.now();
    const secrets = [endpoint.secret, ...(endpoint.previous_secret && endpoint.previous_secret_until && endpoint.previous_secret_until > now.toISOString() ? [endpoint.previous_secret] : [])];
    const result = await post(endpoint.url, { body, headers: signedHeaders(secrets, messageId(event.id), now, body), allowPrivate, timeoutMs: TIMEOUT_MS, userAgent });
    if (result.ok) await succeeded(delivery, result, report);
    else await failedAttempt(delivery, (await repo.findEndpoint(db, endpoint.id)) ?? endpoint, result, report);
  };

  return {
    /**
     * Claims and sends due deliveries until none are due or `limit` is reached, `concurrency` at a
     * time (one slow receiver holds up one of them). A crash leaves claimed rows leased; once the
     * lease passes they are sent again, so a receiver may see a message twice (same `webhook-id`).
     */
    async deliverDue({ limit = 10_000, concurrency = 16, batch = 100, signal }: { limit?: number; concurrency?: number; batch?: number; signal?: AbortSignal | undefined } = {}): Promise<DeliveryReport> {
      const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0, cancelled: 0, disabled: 0 };
      await drainInBatches({
        limit,
        batch,
        concurrency,
        claim: (size) => {
          const now = clock.now();
          return repo.claimDue(db, now.toISOString(), new Date(now.getTime() + LEASE_MS + batch * TIMEOUT_MS).toISOString(), size);
        },
        handle: (row) => deliver(row, report),
        signal,
      });
      return report;
    },

    nextDueAt: () => repo.nextDueAt(db),
  };
};

export type WebhookSender = ReturnType<typeof createWebhookSender>;
