// All Kysely code for webhook endpoints, events and deliveries (the webhook outbox). Plain
// functions; the first parameter is the executor (db or trx).
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/database.ts';
import { dialectOf, jsonArrayHas } from '../../db/dialect.ts';

export type EndpointRow = Row<'webhook_endpoints'>;
export type DeliveryRow = Row<'webhook_deliveries'>;
export type EventRow = Row<'webhook_events'>;
export type EventType = EventRow['type'];

/** Endpoints of a scope: one office's (`officeId`), or the platform's own, for every office (null). */
export const listEndpoints = (db: Kysely<DB>, officeId: number | null) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .$if(officeId === null, (q) => q.where('office_id', 'is', null))
    .$if(officeId !== null, (q) => q.where('office_id', '=', officeId!))
    .orderBy('id')
    .execute();

export const findEndpoint = (db: Kysely<DB>, id: number) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();

export const insertEndpoint = async (db: Kysely<DB>, values: NewRow<'webhook_endpoints'>): Promise<number> =>
  (await db.insertInto('webhook_endpoints').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateEndpoint = (db: Kysely<DB>, id: number, values: RowUpdate<'webhook_endpoints'>) => db.updateTable('webhook_endpoints').set(values).where('id', '=', id).execute();

export const deleteEndpoint = (db: Kysely<DB>, id: number) => db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();

/** Takes the secret's one showing: true when this user was the one to see it, and it is still time. */
export const takeReveal = async (db: Kysely<DB>, id: number, userId: number, now: string): Promise<boolean> => {
  const result = await db.updateTable('webhook_endpoints').set({ reveal_to: null, reveal_until: null }).where('id', '=', id).where('reveal_to', '=', userId).where('reveal_until', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
};

/**
 * Queues an event of a release for every active endpoint that wants it (its office's, and the
 * platform's), in the caller's transaction; nothing when no endpoint does. Returns the deliveries
 * queued. `notPublishedBefore`: a release that went public before this time (an import of an old
 * release) is not announced as published.
 */
export const queueReleaseEvent = async (db: Kysely<DB>, releaseId: number, type: EventType, now: string, notPublishedBefore: string): Promise<number> => {
  const release = await db.selectFrom('releases').select(['office_id', 'published_at']).where('id', '=', releaseId).executeTakeFirst();
  if (!release) return 0;
  if (type === 'release.published' && (release.published_at ?? '') < notPublishedBefore) return 0;
  const wanting = (eb: Kysely<DB>) =>
    eb
      .selectFrom('webhook_endpoints as e')
      .where('e.status', '=', 'active')
      .where((w) => w.or([w('e.office_id', 'is', null), w('e.office_id', '=', release.office_id)]))
      .where(jsonArrayHas(dialectOf(db), sql.ref('e.events_json'), type));
  const any = await wanting(db).select('e.id').limit(1).executeTakeFirst();
  if (!any) return 0;
  const eventId = (await db.insertInto('webhook_events').values({ type, release_id: releaseId, office_id: release.office_id, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  const result = await db
    .insertInto('webhook_deliveries')
    .columns(['event_id', 'endpoint_id', 'next_attempt_at', 'created_at'])
    .expression(wanting(db).select((eb) => [eb.val(eventId).as('event_id'), 'e.id', eb.val(now).as('next_attempt_at'), eb.val(now).as('created_at')]))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
};

/** A test event for one endpoint, its body already rendered. */
export const queueTestEvent = async (db: Kysely<DB>, endpointId: number, officeId: number | null, payload: string, now: string): Promise<void> => {
  const eventId = (await db.insertInto('webhook_events').values({ type: 'webhook.test', office_id: officeId, payload, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('webhook_deliveries').values({ event_id: eventId, endpoint_id: endpointId, next_attempt_at: now, created_at: now }).execute();
};

export const findEvent = (db: Kysely<DB>, id: number) => db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();

/** Stores an event's body once; a second sender that rendered it too keeps the first. */
export const setEventPayload = (db: Kysely<DB>, id: number, payload: string) => db.updateTable('webhook_events').set({ payload }).where('id', '=', id).where('payload', 'is', null).execute();

/**
 * Claims up to `limit` due deliveries: queued ones whose time has come, and ones another sender
 * claimed but whose lease ran out (it crashed). Sets the lease and counts the attempt.
 */
export const claimDue = (db: Kysely<DB>, now: string, leaseUntil: string, limit: number): Promise<DeliveryRow[]> =>
  db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'sending', lease_until: leaseUntil, attempts: eb('attempts', '+', 1), last_attempt_at: now }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('status', '=', 'queued'), w('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit),
    )
    .returningAll()
    .execute();

export const updateDelivery = (db: Kysely<DB>, id: number, values: RowUpdate<'webhook_deliveries'>) => db.updateTable('webhook_deliveries').set(values).where('id', '=', id).execute();

/** Cancels what is still waiting for an endpoint (it was disabled). */
export const cancelWaiting = (db: Kysely<DB>, endpointId: number, reason: string) =>
  db.updateTable('webhook_deliveries').set({ status: 'cancelled', lease_until: null, last_error: reason }).where('endpoint_id', '=', endpointId).where('status', '=', 'queued').execute();

export const nextDueAt = async (db: Kysely<DB>): Promise<string | undefined> =>
  (await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('status', 'in', ['queued', 'sending']).executeTakeFirst())?.at ?? undefined;

/** The delivery log of an endpoint, newest first, with the event and its release's title. */
export const listDeliveries = (db: Kysely<DB>, endpointId: number, limit: number) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
    .leftJoin('releases as r', 'r.id', 'v.release_id')
    .select(['d.id', 'd.status', 'd.attempts', 'd.response_status', 'd.last_error', 'd.last_attempt_at', 'd.next_attempt_at', 'd.created_at', 'd.delivered_at', 'v.type', 'v.release_id', 'r.title as release_title'])
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();

/** Who hears of a disabled endpoint: its office's owners; for the platform's (or an office without owners), the platform admins. */
export const listResponsibleEmails = async (db: Kysely<DB>, officeId: number | null): Promise<string[]> => {
  const owners =
    officeId === null
      ? []
      : await db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select('u.email').where('m.office_id', '=', officeId).where('m.role', '=', 'owner').orderBy('u.email').execute();
  if (owners.length > 0) return owners.map((o) => o.email);
  return (await db.selectFrom('users').select('email').where('is_admin', '=', 1).orderBy('email').execute()).map((u) => u.email);
};

/** The message that an endpoint was disabled, one per recipient, into the mail outbox. */
export const queueDisabledMail = async (db: Kysely<DB>, endpointId: number, emails: string[], lang: 'de' | 'en', now: string): Promise<void> => {
  if (emails.length === 0) return;
  await db
    .insertInto('mail_outbox')
    .values(emails.map((email) => ({ kind: 'webhook-disabled' as const, email, lang, webhook_endpoint_id: endpointId, next_attempt_at: now, created_at: now })))
    .execute();
};
