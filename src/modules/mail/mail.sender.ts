// The sender: claims due outbox rows with a lease, has each composed (mail.compose.ts), hands it to
// the mailer and records the outcome: sent; back to queued with a backoff after a temporary
// failure; failed after a permanent one, which counts toward suspending the address. See
// CONTEXT.md: sender, lease, temporary and permanent failure.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { isOwnerGone, processOwner } from '../../lib/process-owner.ts';
import { SUSPEND_AFTER_FAILURES } from '../subscriptions/subscriptions.service.ts';
import { findSubscriptionById, updateSubscription } from '../subscriptions/subscriptions.repository.ts';
import { classifySendError, type Mailer } from './mailer.ts';
import type { Composer } from './mail.compose.ts';
import * as outbox from './outbox.repository.ts';

/** Attempts after which a temporarily failing mail is given up. */
export const MAX_ATTEMPTS = 8;
/** The first retry after a temporary failure (MAIL_RETRY_AFTER); the pause doubles with each attempt. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;
/** Backoff before attempt n+1: `first` (1 min), twice that, four times … capped at 6 h. */
export const backoffMs = (attempts: number, first = DEFAULT_RETRY_AFTER_MS): number => Math.min(first * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
/**
 * A claim holds for this long and is renewed every third of it while the sender still works on
 * the rows; a sender that died lets go within it, and its rows are claimed again.
 */
export const LEASE_MS = 30_000;

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
  /** The first retry after a temporary failure, in ms (MAIL_RETRY_AFTER); default one minute. */
  retryAfterMs?: number;
}

export const createSender = ({ db, clock, mailer, composer, retryAfterMs = DEFAULT_RETRY_AFTER_MS }: SenderDeps) => {
  const nowIso = () => clock.now().toISOString();
  /**
   * Mails the mailer took but whose outcome the database refused (a full disk): recorded first on
   * the next run, before anything is claimed, so this process never sends them again.
   */
  const unrecorded = new Map<number, { sent_at: string; message_id: string }>();
  const recordSent = async (id: number, values: { sent_at: string; message_id: string }) => {
    await outbox.updateOutbox(db, id, { status: 'sent', lease_until: null, last_error: null, ...values });
    unrecorded.delete(id);
  };

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
    let info;
    try {
      info = await mailer.send(message);
    } catch (raw) {
      const error = classifySendError(raw);
      const now = nowIso();
      if (error.temporary && row.attempts < MAX_ATTEMPTS) {
        await outbox.updateOutbox(db, row.id, { status: 'queued', lease_until: null, last_error: error.message, next_attempt_at: new Date(clock.now().getTime() + backoffMs(row.attempts, retryAfterMs)).toISOString() });
        report.retried++;
      } else {
        await outbox.updateOutbox(db, row.id, { status: 'failed', lease_until: null, last_error: error.message });
        if (!error.temporary) await recordPermanentFailure(row.subscription_id, now);
        report.failed++;
      }
      return;
    }
    const sent = { sent_at: nowIso(), message_id: info.messageId };
    unrecorded.set(row.id, sent);
    await recordSent(row.id, sent);
    report.sent++;
  };

  return {
    /**
     * Claims and sends due outbox rows until none are due or `limit` is reached, `concurrency`
     * at a time, renewing the lease of the rows still in hand. A crash leaves claimed rows leased;
     * the next run on this machine puts them back at once (their owner is gone), any other sender
     * claims them when the lease has run out; so only a message already handed to the mail server
     * may go out twice. When the database refuses to record an outcome, the run stops at once: no
     * more mail is sent than can be recorded. An aborted `signal` (the job's lease was lost) stops it
     * after the batch in hand.
     */
    async sendDue({ limit = 10_000, concurrency = 8, batch = 200, signal }: { limit?: number; concurrency?: number; batch?: number; signal?: AbortSignal | undefined } = {}): Promise<SendReport> {
      const report: SendReport = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
      for (const [id, sent] of unrecorded) await recordSent(id, sent);
      // The rows of a sender that died on this machine (kill -9, a crash) go back at once, not
      // when their lease runs out.
      for (const owner of await outbox.listLeaseOwners(db)) if (isOwnerGone(owner)) await outbox.releaseLeasesOf(db, owner);
      // Re-read releases and digest windows on every call: a release withdrawn since the last
      // call is not mailed any more.
      composer.forget();
      let handled = 0;
      while (handled < limit && !signal?.aborted) {
        const now = clock.now();
        const claimed = await outbox.claimDue(db, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), Math.min(batch, limit - handled), processOwner);
        if (claimed.length === 0) break;
        handled += claimed.length;
        const inHand = new Set(claimed.map((row) => row.id));
        const renewal = setInterval(() => {
          // A renewal that fails (a busy or full database) only lets the lease run out.
          if (inHand.size > 0) outbox.renewLeases(db, [...inHand], new Date(clock.now().getTime() + LEASE_MS).toISOString()).catch(() => {});
        }, LEASE_MS / 3);
        renewal.unref();
        let next = 0;
        let failure: { error: unknown } | undefined;
        const worker = async () => {
          while (!failure && next < claimed.length) {
            const row = claimed[next++]!;
            try {
              await deliver(row, report);
              inHand.delete(row.id);
            } catch (error) {
              failure ??= { error };
            }
          }
        };
        try {
          await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
        } finally {
          clearInterval(renewal);
        }
        if (failure) throw failure.error;
      }
      return report;
    },

    nextDueAt: () => outbox.nextDueAt(db),
  };
};

export type Sender = ReturnType<typeof createSender>;
