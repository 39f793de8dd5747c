// All Kysely code for subscriptions, their targets and pending sign-up requests.
import { sql, type Kysely } from 'kysely';
import type { DB, Frequency, NewRow, Row, RowUpdate, TargetKind } from '../../db/database.ts';

export interface TargetRow {
  kind: TargetKind;
  value: string;
}

export const insertRequest = async (db: Kysely<DB>, values: NewRow<'subscription_requests'>): Promise<number> =>
  (await db.insertInto('subscription_requests').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const findRequest = (db: Kysely<DB>, id: number): Promise<Row<'subscription_requests'> | undefined> =>
  db.selectFrom('subscription_requests').selectAll().where('id', '=', id).executeTakeFirst();

export const countRequestsSince = async (db: Kysely<DB>, email: string, since: string): Promise<number> =>
  Number((await db.selectFrom('subscription_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', email).where('created_at', '>=', since).executeTakeFirstOrThrow()).n);

export const deleteRequest = (db: Kysely<DB>, id: number) => db.deleteFrom('subscription_requests').where('id', '=', id).execute();

export const deleteRequestsByEmail = (db: Kysely<DB>, email: string) => db.deleteFrom('subscription_requests').where('email', '=', email).execute();

export const deleteRequestsBefore = async (db: Kysely<DB>, before: string): Promise<number> =>
  Number((await db.deleteFrom('subscription_requests').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);

export const findSubscriptionByEmail = (db: Kysely<DB>, email: string): Promise<Row<'subscriptions'> | undefined> =>
  db.selectFrom('subscriptions').selectAll().where('email', '=', email).executeTakeFirst();

export const findSubscriptionById = (db: Kysely<DB>, id: number): Promise<Row<'subscriptions'> | undefined> =>
  db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();

export const insertSubscription = async (db: Kysely<DB>, values: NewRow<'subscriptions'>): Promise<number> =>
  (await db.insertInto('subscriptions').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateSubscription = (db: Kysely<DB>, id: number, values: RowUpdate<'subscriptions'>) =>
  db.updateTable('subscriptions').set(values).where('id', '=', id).execute();

export const deleteSubscription = (db: Kysely<DB>, id: number) => db.deleteFrom('subscriptions').where('id', '=', id).execute();

export const listTargets = (db: Kysely<DB>, subscriptionId: number): Promise<TargetRow[]> =>
  db.selectFrom('subscription_targets').select(['kind', 'value']).where('subscription_id', '=', subscriptionId).orderBy('kind').orderBy('value').execute();

export const insertTargets = async (db: Kysely<DB>, subscriptionId: number, targets: TargetRow[]): Promise<void> => {
  if (targets.length === 0) return;
  await db
    .insertInto('subscription_targets')
    .values(targets.map((t) => ({ subscription_id: subscriptionId, kind: t.kind, value: t.value })))
    .onConflict((oc) => oc.doNothing())
    .execute();
};

export const deleteTargets = async (db: Kysely<DB>, subscriptionId: number, targets: TargetRow[]): Promise<void> => {
  for (const t of targets) {
    await db.deleteFrom('subscription_targets').where('subscription_id', '=', subscriptionId).where('kind', '=', t.kind).where('value', '=', t.value).execute();
  }
};

/** Names of offices, topics and regions by slug, for forms and mails. */
export const listTargetChoices = async (db: Kysely<DB>) => ({
  offices: await db.selectFrom('offices').select(['slug', 'name']).orderBy('name').execute(),
  topics: await db.selectFrom('topics').select(['slug', 'name']).orderBy('name').execute(),
  regions: await db.selectFrom('regions').select(['slug', 'name']).orderBy('name').execute(),
});

/** Confirmed subscriptions per followed item and frequency (for the admin area), in one query. */
export const countByTarget = (db: Kysely<DB>) =>
  db
    .selectFrom('subscription_targets as t')
    .innerJoin('subscriptions as s', 's.id', 't.subscription_id')
    .select(['t.kind', 't.value', 's.frequency'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.status', '=', 'active')
    .groupBy(['t.kind', 't.value', 's.frequency'])
    .orderBy('t.kind')
    .orderBy('t.value')
    .execute();

export const countTotals = (db: Kysely<DB>) =>
  db
    .selectFrom('subscriptions')
    .select(['status', 'frequency'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['status', 'frequency'])
    .execute();

export const countPendingRequests = async (db: Kysely<DB>): Promise<number> =>
  Number((await db.selectFrom('subscription_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export type { Frequency };

/** Every subscription following (kind, from) follows (kind, to) instead; one row each, never two. */
export const moveTargetValue = async (db: Kysely<DB>, kind: TargetKind, from: string, to: string): Promise<void> => {
  if (from === to) return;
  await sql`insert into subscription_targets (subscription_id, kind, value)
    select subscription_id, kind, ${to} from subscription_targets where kind = ${kind} and value = ${from} on conflict do nothing`.execute(db);
  await db.deleteFrom('subscription_targets').where('kind', '=', kind).where('value', '=', from).execute();
};

export const deleteTargetValue = (db: Kysely<DB>, kind: TargetKind, value: string) =>
  db.deleteFrom('subscription_targets').where('kind', '=', kind).where('value', '=', value).execute();

/** Stored searches (search.follow.ts JSON) whose `topic` or `region` filter names `slug`. */
export const listSearchTargetsFiltering = async (db: Kysely<DB>, filter: 'topic' | 'region', slug: string): Promise<string[]> =>
  (await db.selectFrom('subscription_targets').select('value').distinct().where('kind', '=', 'search').execute())
    .map((r) => r.value)
    .filter((value) => filterOf(value, filter) === slug);

const filterOf = (value: string, filter: 'topic' | 'region'): unknown => {
  try {
    return (JSON.parse(value) as { filters?: Record<string, unknown> } | null)?.filters?.[filter];
  } catch {
    return undefined;
  }
};
