// A small typed event bus. Services emit after their transaction commits; listeners (feed caches,
// mail fan-out, WebSub pings) must never throw into the publisher.
import { EventEmitter } from 'node:events';

export interface HeroldEvents {
  /** A release became public, was corrected, withdrawn, or otherwise changed what the public sees. */
  'release.changed': { id: number; change: 'published' | 'corrected' | 'withdrawn' | 'updated' };
  /** A publication time was set or taken back; the scheduler re-arms its timer. */
  'schedule.changed': { id: number };
  /** Rows were added to the mail outbox; the sender loop wakes up. */
  'mail.queued': { count: number };
  /** Webhook deliveries were queued outside a release change (a test event); the webhook sender wakes up. */
  'webhooks.queued': { count: number };
  /** Activities to deliver (or received ones to process) were queued; the delivery job wakes up. */
  'federation.queued': { count: number };
}

export interface EventBus {
  emit<K extends keyof HeroldEvents>(name: K, payload: HeroldEvents[K]): void;
  on<K extends keyof HeroldEvents>(name: K, listener: (payload: HeroldEvents[K]) => void): () => void;
}

export const createEventBus = (onListenerError: (error: unknown) => void = () => {}): EventBus => {
  const emitter = new EventEmitter();
  return {
    emit: (name, payload) => {
      emitter.emit(name, payload);
    },
    on: (name, listener) => {
      const safe = (payload: HeroldEvents[typeof name]) => {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error);
        }
      };
      const handler = safe as (...args: unknown[]) => void;
      emitter.on(name, handler);
      return () => emitter.off(name, handler);
    },
  };
};
