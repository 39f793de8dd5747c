// Followers, what they were told of each release, and Fedify's key-value store and message queue.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row } from '../../db/database.ts';
import { isPublicAt } from '../releases/release.ts';

// --- Offices -----------------------------------------------------------------------------------

/** An office by slug, with its federation switch. */
export const findOffice = (db: Kysely<DB>, slug: string) =>
  db.selectFrom('offices').select(['id', 'slug', 'name', 'description_html', 'website', 'logo_path', 'language', 'created_at', 'is_federated']).where('slug', '=', slug).executeTakeFirst();

export type OfficeRow = NonNullable<Awaited<ReturnType<typeof findOffice>>>;

export const countFederatedOffices = async (db: Kysely<DB>): Promise<number> =>
  Number((await db.selectFrom('offices').select((eb) => eb.fn.countAll<number>().as('n')).where('is_federated', '=', 1).executeTakeFirstOrThrow()).n);

export const countPublicReleasesOfFederatedOffices = async (db: Kysely<DB>, now: string): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('releases')
        .innerJoin('offices', 'offices.id', 'releases.office_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('offices.is_federated', '=', 1)
        .where((eb) => isPublicAt(eb, now))
        .executeTakeFirstOrThrow()
    ).n,
  );

// --- Followers ---------------------------------------------------------------------------------

export const upsertFollower = (db: Kysely<DB>, values: NewRow<'federation_followers'>) =>
  db
    .insertInto('federation_followers')
    .values(values)
    .onConflict((oc) => oc.columns(['office_id', 'actor_id']).doUpdateSet({ inbox_url: values.inbox_url, shared_inbox_url: values.shared_inbox_url ?? null, follow_id: values.follow_id ?? '' }))
    .execute();

export const deleteFollower = (db: Kysely<DB>, officeId: number, actorId: string) => db.deleteFrom('federation_followers').where('office_id', '=', officeId).where('actor_id', '=', actorId).execute();

/** A remote account is gone (it was deleted, or its inbox answers 410): it follows nothing here any more. */
export const deleteFollowerEverywhere = (db: Kysely<DB>, actorId: string) => db.deleteFrom('federation_followers').where('actor_id', '=', actorId).execute();

export const listFollowers = (db: Kysely<DB>, officeId: number): Promise<Row<'federation_followers'>[]> =>
  db.selectFrom('federation_followers').selectAll().where('office_id', '=', officeId).orderBy('id').execute();

export const countFollowers = async (db: Kysely<DB>, officeId: number): Promise<number> =>
  Number((await db.selectFrom('federation_followers').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

// --- Posts: what followers were told of each release ------------------------------------------

/**
 * Releases of federated offices that followers have not heard of yet: public now (release.ts
 * `isPublicAt`), published since `since` (older ones, imported or public before the office was
 * federated, are not announced), without a post.
 */
export const listReleasesToCreate = async (db: Kysely<DB>, now: string, since: string, limit: number): Promise<number[]> =>
  (
    await db
      .selectFrom('releases')
      .innerJoin('offices', 'offices.id', 'releases.office_id')
      .leftJoin('federation_posts as p', 'p.release_id', 'releases.id')
      .select('releases.id')
      .where('offices.is_federated', '=', 1)
      .where((eb) => isPublicAt(eb, now))
      .where('releases.published_at', '>=', since)
      .where('p.release_id', 'is', null)
      .orderBy('releases.published_at')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** Releases of federated offices whose followers were told of them and not yet of their withdrawal. */
const announcedReleases = (db: Kysely<DB>) =>
  db
    .selectFrom('federation_posts as p')
    .innerJoin('releases', 'releases.id', 'p.release_id')
    .innerJoin('offices', 'offices.id', 'releases.office_id')
    .select('releases.id')
    .where('offices.is_federated', '=', 1)
    .where('p.deleted_at', 'is', null);

/** Announced releases, still public, changed (corrected) since followers last heard of them. */
export const listReleasesToUpdate = async (db: Kysely<DB>, now: string, limit: number): Promise<number[]> =>
  (
    await announcedReleases(db)
      .where((eb) => isPublicAt(eb, now))
      .whereRef('releases.updated_at', '>', 'p.announced_updated_at')
      .orderBy('releases.updated_at')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** Announced releases that were withdrawn and whose Delete is still to send. */
export const listReleasesToDelete = async (db: Kysely<DB>, limit: number): Promise<number[]> =>
  (await announcedReleases(db).where('releases.status', '=', 'withdrawn').orderBy('releases.id').limit(limit).execute()).map((r) => r.id);

export const insertPost = (db: Kysely<DB>, values: NewRow<'federation_posts'>) => db.insertInto('federation_posts').values(values).onConflict((oc) => oc.doNothing()).execute();

export const markPostUpdated = (db: Kysely<DB>, releaseId: number, updatedAt: string) => db.updateTable('federation_posts').set({ announced_updated_at: updatedAt }).where('release_id', '=', releaseId).execute();

export const markPostDeleted = (db: Kysely<DB>, releaseId: number, at: string) => db.updateTable('federation_posts').set({ deleted_at: at }).where('release_id', '=', releaseId).execute();

export const findPost = (db: Kysely<DB>, releaseId: number): Promise<Row<'federation_posts'> | undefined> => db.selectFrom('federation_posts').selectAll().where('release_id', '=', releaseId).executeTakeFirst();

// --- Fedify's key-value store ------------------------------------------------------------------

export const findKv = (db: Kysely<DB>, key: string, now: string) =>
  db
    .selectFrom('federation_kv')
    .select('value')
    .where('key', '=', key)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();

export const upsertKv = (db: Kysely<DB>, key: string, value: string, expiresAt: string | null) =>
  db
    .insertInto('federation_kv')
    .values({ key, value, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, expires_at: expiresAt }))
    .execute();

export const deleteKv = (db: Kysely<DB>, key: string) => db.deleteFrom('federation_kv').where('key', '=', key).execute();

/** Swaps the value when it is `expected` (undefined: when there is none); true when it did. */
export const swapKv = async (db: Kysely<DB>, key: string, expected: string | undefined, value: string, expiresAt: string | null, now: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    const current = await findKv(trx, key, now);
    if (current?.value !== expected) return false;
    await upsertKv(trx, key, value, expiresAt);
    return true;
  });

export const listKv = (db: Kysely<DB>, prefix: string, now: string) =>
  db
    .selectFrom('federation_kv')
    .select(['key', 'value'])
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where(sql<boolean>`substr(key, 1, ${prefix.length}) = ${prefix}`)
    .orderBy('key')
    .execute();

export const purgeExpiredKv = (db: Kysely<DB>, now: string) => db.deleteFrom('federation_kv').where('expires_at', '<=', now).execute();

// --- Fedify's message queue --------------------------------------------------------------------

export const insertMessages = (db: Kysely<DB>, rows: NewRow<'federation_queue'>[]) => db.insertInto('federation_queue').values(rows).execute();

/**
 * Claims the oldest due message (not leased, or its lease run out), setting a lease and counting the
 * attempt; a message with an ordering key waits while an older one with the same key is queued.
 */
export const claimMessage = (db: Kysely<DB>, now: string, leaseUntil: string) =>
  db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('federation_queue as q')
      .select(['q.id'])
      .where('q.not_before', '<=', now)
      .where((eb) => eb.or([eb('q.lease_until', 'is', null), eb('q.lease_until', '<=', now)]))
      .where((eb) =>
        eb.or([
          eb('q.ordering_key', 'is', null),
          eb.not(eb.exists(eb.selectFrom('federation_queue as older').select(sql`1`.as('one')).whereRef('older.ordering_key', '=', 'q.ordering_key').whereRef('older.id', '<', 'q.id'))),
        ]),
      )
      .orderBy('q.not_before')
      .orderBy('q.id')
      .limit(1)
      .executeTakeFirst();
    if (!due) return undefined;
    return trx
      .updateTable('federation_queue')
      .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', due.id)
      .returning(['id', 'message', 'attempts'])
      .executeTakeFirst();
  });

export const deleteMessage = (db: Kysely<DB>, id: number) => db.deleteFrom('federation_queue').where('id', '=', id).execute();

export const retryMessage = (db: Kysely<DB>, id: number, notBefore: string, error: string) =>
  db.updateTable('federation_queue').set({ not_before: notBefore, lease_until: null, last_error: error.slice(0, 500) }).where('id', '=', id).execute();

export const countMessages = async (db: Kysely<DB>, now: string) => {
  const row = await db
    .selectFrom('federation_queue')
    .select((eb) => [eb.fn.countAll<number>().as('queued'), eb.fn.sum<number>(sql`case when not_before <= ${now} then 1 else 0 end`).as('ready')])
    .executeTakeFirstOrThrow();
  return { queued: Number(row.queued), ready: Number(row.ready ?? 0) };
};
