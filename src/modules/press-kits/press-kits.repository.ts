// All Kysely code of press kits: which public version of a release has its photos stamped
// (press_kit_stamps, migration 0163). Plain functions; the first parameter is the executor.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { isPublicAt, lastPublicChangeOf } from '../releases/release.ts';

/**
 * Releases public at `now` with a photo file whose last public change has no stamp: never stamped,
 * or changed (corrected) since. The newest first, so what readers are about to open comes first.
 */
export const listUnstampedReleaseIds = async (db: Kysely<DB>, now: string, limit: number): Promise<number[]> =>
  (
    await db
      .selectFrom('releases')
      .select('releases.id')
      .where((eb) => isPublicAt(eb, now))
      .where((eb) => eb.exists(eb.selectFrom('release_photos as p').select(sql`1`.as('one')).whereRef('p.release_id', '=', 'releases.id').where('p.path', 'is not', null)))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('press_kit_stamps as s')
              .select(sql`1`.as('one'))
              .whereRef('s.release_id', '=', 'releases.id')
              .where('s.version', '=', lastPublicChangeOf(eb)),
          ),
        ),
      )
      .orderBy('releases.published_at', 'desc')
      .orderBy('releases.id', 'desc')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** Every release with a stamp row (the sweep checks their folders are still there). */
export const listStampedReleaseIds = async (db: Kysely<DB>): Promise<number[]> => (await db.selectFrom('press_kit_stamps').select('release_id').execute()).map((r) => r.release_id);

/** Records that the photos of `releaseId` are stamped for its public version `version`. */
export const upsertStamp = (db: Kysely<DB>, releaseId: number, version: string, now: string) =>
  db
    .insertInto('press_kit_stamps')
    .values({ release_id: releaseId, version, stamped_at: now })
    .onConflict((oc) => oc.column('release_id').doUpdateSet({ version, stamped_at: now }))
    .execute();

export const deleteStamps = async (db: Kysely<DB>, releaseIds: number[]): Promise<void> => {
  if (releaseIds.length === 0) return;
  await db.deleteFrom('press_kit_stamps').where('release_id', 'in', releaseIds).execute();
};
