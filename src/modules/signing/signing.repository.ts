// Signing keys (public halves) and signed versions of releases.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row } from '../../db/database.ts';
import { hasPublicPageAt } from '../releases/release.ts';

export const findCurrentKey = (db: Kysely<DB>, officeId: number): Promise<Row<'signing_keys'> | undefined> =>
  db.selectFrom('signing_keys').selectAll().where('office_id', '=', officeId).where('retired_at', 'is', null).executeTakeFirst();

export const findKey = (db: Kysely<DB>, id: string): Promise<Row<'signing_keys'> | undefined> => db.selectFrom('signing_keys').selectAll().where('id', '=', id).executeTakeFirst();

export const insertKeyIfNone = (db: Kysely<DB>, values: NewRow<'signing_keys'>) => db.insertInto('signing_keys').values(values).onConflict((oc) => oc.doNothing()).execute();

export const retireKey = (db: Kysely<DB>, id: string, at: string) => db.updateTable('signing_keys').set({ retired_at: at }).where('id', '=', id).execute();

/** Every key ever made, with its office, oldest first (the well-known key list). */
export const listKeys = (db: Kysely<DB>) =>
  db
    .selectFrom('signing_keys as k')
    .innerJoin('offices as o', 'o.id', 'k.office_id')
    .select(['k.id', 'k.office_id', 'k.public_jwk', 'k.created_at', 'k.retired_at', 'o.slug as office_slug', 'o.name as office_name'])
    .orderBy('k.created_at')
    .orderBy(sql`k.retired_at is null`)
    .orderBy('k.retired_at')
    .execute();

export const listKeysOfOffice = (db: Kysely<DB>, officeId: number) =>
    db
    .selectFrom('signing_keys')
    .selectAll()
    .where('office_id', '=', officeId)
    .orderBy('created_at', 'desc')
    .orderBy(sql`retired_at is null`, 'desc')
    .orderBy('retired_at', 'desc')
    .execute();

export const findLatestSignature = (db: Kysely<DB>, releaseId: number): Promise<Row<'release_signatures'> | undefined> =>
  db.selectFrom('release_signatures').selectAll().where('release_id', '=', releaseId).orderBy('version', 'desc').limit(1).executeTakeFirst();

/** Every signed version of a release, newest first. */
export const listSignatures = (db: Kysely<DB>, releaseId: number): Promise<Row<'release_signatures'>[]> =>
  db.selectFrom('release_signatures').selectAll().where('release_id', '=', releaseId).orderBy('version', 'desc').execute();

export const insertSignature = (db: Kysely<DB>, values: NewRow<'release_signatures'>) => db.insertInto('release_signatures').values(values).execute();

/** Releases with a signed version whose title has these words (`title_key`), at most `limit`. */
export const listReleaseIdsByTitle = async (db: Kysely<DB>, keys: string[], limit: number): Promise<number[]> =>
  keys.length === 0
    ? []
    : (await db.selectFrom('release_signatures').select('release_id').distinct().where('title_key', 'in', keys).orderBy('release_id', 'desc').limit(limit).execute()).map((r) => r.release_id);

/**
 * Releases with a public page (public now, or withdrawn) whose present state has no signature: none
 * at all, or none since their last change. The sweep signs them (releases public before signing
 * existed, or a signing that failed).
 */
export const listUnsignedReleaseIds = async (db: Kysely<DB>, now: string, limit: number): Promise<number[]> =>
  (
    await db
      .selectFrom('releases')
      .select('releases.id')
      .where((eb) => hasPublicPageAt(eb, now))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('release_signatures as s')
              .select(sql`1`.as('one'))
              .whereRef('s.release_id', '=', 'releases.id')
              .whereRef('s.signed_at', '>=', 'releases.updated_at'),
          ),
        ),
      )
      .orderBy('releases.id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
