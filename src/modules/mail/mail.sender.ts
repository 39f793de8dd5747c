// The sender: claims due outbox rows with a lease, has each composed (mail.compose.ts), hands it to
// the mailer and records the outcome: sent; back to queued with a backoff after a temporary
// failure; failed after a permanent one, which counts toward suspending the address. See
// CONTEXT.md: sender, temporary and permanent failure.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { drainInBatches } from '../../lib/drain.ts';
import { SUSPEND_AFTER_FAILURES } from '../subscriptions/subscriptions.service.ts';
import { findSubscriptionById, updateSubscription } from '../subscriptions/subscriptions.repository.ts';
import { classifySendError, type Mailer } from './mailer.ts';
import type { Composer } from './mail.compose.ts';
import * as outbox from './outbox.repository.ts';

/** Attempts after which a temporarily failing mail is given up. */
export const MAX_ATTEMPTS = 8;
/** Backoff before attempt n+1: 1 min, 2, 4, … capped at 6 h. */
export const backoffMs = (attempts: number): number => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
const LEASE_BASE_MS = 60_000;

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

export interface SenderDeps {
  db: Kysely<DB>;
  clock: Clock;
  mailer: Mailer;
  composer: Composer;
}

export const createSender = ({ db, clock, mailer, composer }: SenderDeps) => {
  const nowIso = () => clock.now().toISOString();

  const recordPermanentFailure = async (subscriptionId: number | null, now: string) => {
    if (subscriptionId === null) return;
    await db.transaction().execute(async (trx) => {
      const row = await findSubscriptionById(trx, subscriptionId);
      if (!row) return;
      const failures = row.permanent_failures + 1;
      const suspend = failures >= SUSPEND_AFTER_FAILURES && row.status === 'active';
      await updateSubscription(trx, subscriptionId, { permanent_failures: failures, ...(suspend ? { status: 'suspended', suspended_at: now } : {}), updated_at: now });
      if (suspend) await outbox.cancelQueuedFor(trx, subscriptionId, 'address suspended');
    });
  };

  /** Sends one claimed row and records the outcome. */
  const deliver = async (row: outbox.OutboxRow, report: SendReport) => {
    let message: Awaited<ReturnType<Composer['compose']>>;
    try {
      message = await composer.compose(row);
    } catch (error) {
      // A message that cannot be built (a header with a line break, a broken template) is not retried.
      await outbox.updateOutbox(db, row.id, { status: 'failed', lease_until: null, last_error: `not built: ${String((error as Error).message).slice(0, 300)}` });
      report.failed++;
      return;
    }
    if ('cancel' in message) {
      await outbox.updateOutbox(db, row.id, { status: 'cancelled', lease_until: null, last_error: message.cancel });
      report.cancelled++;
      return;
    }
    try {
      const info = await mailer.send(message);
      await outbox.updateOutbox(db, row.id, { status: 'sent', lease_until: null, sent_at: nowIso(), message_id: info.messageId, last_error: null });
      report.sent++;
    } catch (raw) {
      const error = classifySendError(raw);
      const now = nowIso();
      if (error.temporary && row.attempts < MAX_ATTEMPTS) {
        await outbox.updateOutbox(db, row.id, { status: 'queued', lease_until: null, last_error: error.message, next_attempt_at: new Date(clock.now().getTime() + backoffMs(row.attempts)).toISOString() });
        report.retried++;
      } else {
        await outbox.updateOutbox(db, row.id, { status: 'failed', lease_until: null, last_error: error.message });
        if (!error.temporary) await recordPermanentFailure(row.subscription_id, now);
        report.failed++;
      }
    }
  };

  return {
    /**
     * Claims and sends due outbox rows until none are due or `limit` is reached, `concurrency`
     * at a time. A crash leaves claimed rows leased; once the lease passes, they are sent again,
     * so only a message already handed to the server may go out twice.
     */
    async sendDue({ limit = 10_000, concurrency = 8, batch = 200 }: { limit?: number; concurrency?: number; batch?: number } = {}): Promise<SendReport> {
      const report: SendReport = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
      // Re-read releases and digest windows on every call: a release withdrawn since the last
      // call is not mailed any more.
      composer.forget();
      await drainInBatches({
        limit,
        batch,
        concurrency,
        claim: (size) => {
          const now = clock.now();
          return outbox.claimDue(db, now.toISOString(), new Date(now.getTime() + LEASE_BASE_MS + batch * 1000).toISOString(), size);
        },
        handle: (row) => deliver(row, report),
      });
      return report;
    },

    nextDueAt: () => outbox.nextDueAt(db),
  };
};

export type Sender = ReturnType<typeof createSender>;
