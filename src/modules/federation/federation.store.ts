// Fedify's key-value store and message queue, kept in our SQLite database (migration 0093), so that
// queued deliveries and received activities survive a restart. @fedify/sqlite exists, but only for
// Fedify 1.x (a 2.x build is a development release) and on node:sqlite, a second driver beside
// better-sqlite3; these two small classes over the same Kysely connection are simpler to keep.
//
// The queue is drained by our own job (`federation-deliver`, and `deliverDue()` in tests) rather
// than by Fedify's `listen()` loop: like the mail sender it claims a due message with a lease, hands
// it to Fedify (`processQueuedTask`), and deletes it when done. A process that dies mid-delivery
// leaves the lease to run out, and the message is delivered again (activity ids are stable, so a
// second delivery changes nothing at the other end). Fedify retries failed deliveries itself, with
// backoff, by queueing them again with a delay.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions, MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions } from '@fedify/fedify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import * as repo from './federation.repository.ts';

/** Keys are arrays of strings; stored as their JSON, so a prefix is a prefix of the text (without the closing bracket). */
const keyText = (key: KvKey): string => JSON.stringify(key);
const prefixText = (prefix: KvKey): string => JSON.stringify(prefix).slice(0, -1);

const ms = (duration: { total(unit: 'millisecond'): number } | undefined): number => (duration ? duration.total('millisecond') : 0);

export class SqliteKvStore implements KvStore {
  readonly #db: Kysely<DB>;
  readonly #clock: Clock;
  constructor(db: Kysely<DB>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  #now = () => this.#clock.now().toISOString();
  #expiry = (options?: KvStoreSetOptions) => (options?.ttl ? new Date(this.#clock.now().getTime() + ms(options.ttl)).toISOString() : null);

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = await repo.findKv(this.#db, keyText(key), this.#now());
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await repo.upsertKv(this.#db, keyText(key), JSON.stringify(value), this.#expiry(options));
  }

  async delete(key: KvKey): Promise<void> {
    await repo.deleteKv(this.#db, keyText(key));
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return repo.swapKv(this.#db, keyText(key), expectedValue === undefined ? undefined : JSON.stringify(expectedValue), JSON.stringify(newValue), this.#expiry(options), this.#now());
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    for (const row of await repo.listKv(this.#db, prefix ? prefixText(prefix) : '', this.#now())) {
      const key = JSON.parse(row.key) as KvKey;
      if (prefix && !prefix.every((part, i) => key[i] === part)) continue;
      yield { key, value: JSON.parse(row.value) };
    }
  }

  /** Removes expired entries (the federation-deliver job does, now and then). */
  purgeExpired = () => repo.purgeExpiredKv(this.#db, this.#now());
}

export interface QueueOptions {
  /** Told when messages were queued (the scheduler wakes the delivery job). */
  onEnqueued?: (count: number) => void;
  /** How long a claimed message is someone's: longer than any one delivery takes. */
  leaseMs?: number;
}

export class SqliteMessageQueue implements MessageQueue {
  /** Fedify retries failed deliveries itself. */
  readonly nativeRetrial = false;
  readonly #db: Kysely<DB>;
  readonly #clock: Clock;
  readonly #onEnqueued: (count: number) => void;
  readonly #leaseMs: number;

  constructor(db: Kysely<DB>, clock: Clock, { onEnqueued = () => {}, leaseMs = 5 * 60_000 }: QueueOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#onEnqueued = onEnqueued;
    this.#leaseMs = leaseMs;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const now = this.#clock.now();
    const notBefore = new Date(now.getTime() + Math.max(0, ms(options?.delay))).toISOString();
    await repo.insertMessages(
      this.#db,
      messages.map((m) => ({ message: JSON.stringify(m), ordering_key: options?.orderingKey ?? null, not_before: notBefore, created_at: now.toISOString() })),
    );
    this.#onEnqueued(messages.length);
  }

  /** Not used: the federation-deliver job drains the queue (`drain`). Resolves when told to stop. */
  listen(_handler: (message: unknown) => Promise<void> | void, options?: { signal?: AbortSignal }): Promise<void> {
    return new Promise((resolve) => {
      if (!options?.signal) return;
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const { queued, ready } = await repo.countMessages(this.#db, this.#clock.now().toISOString());
    return { queued, ready, delayed: queued - ready };
  }

  /**
   * Hands every due message to `handle`, one at a time, until none is due (messages queued on the
   * way, such as the Accept of a Follow, included). A message whose handling throws is tried again
   * later (1, 2, 4 … minutes, five times), then dropped. Returns how many were handled.
   */
  async drain(handle: (message: unknown) => Promise<void>, { limit = 1000, onError }: { limit?: number; onError?: (error: unknown, attempts: number) => void } = {}): Promise<number> {
    let handled = 0;
    while (handled < limit) {
      const now = this.#clock.now();
      const claimed = await repo.claimMessage(this.#db, now.toISOString(), new Date(now.getTime() + this.#leaseMs).toISOString());
      if (!claimed) break;
      handled++;
      try {
        await handle(JSON.parse(claimed.message));
        await repo.deleteMessage(this.#db, claimed.id);
      } catch (error) {
        onError?.(error, claimed.attempts);
        if (claimed.attempts >= 5) await repo.deleteMessage(this.#db, claimed.id);
        else await repo.retryMessage(this.#db, claimed.id, new Date(this.#clock.now().getTime() + 60_000 * 2 ** (claimed.attempts - 1)).toISOString(), String(error));
      }
    }
    return handled;
  }
}
