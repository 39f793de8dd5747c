// The media files the database refers to: photo originals, release attachments and office logos.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { dialectOf, integerList } from '../../db/dialect.ts';

/**
 * The stored photo and attachment paths of these releases, and every office logo: only the
 * releases whose folders are looked at, so a start does not read every photo row of a large site.
 */
export const listStoredMediaPaths = async (db: Kysely<DB>, releaseIds: number[]): Promise<{ photos: string[]; attachments: string[]; logos: string[] }> => {
  const ids = integerList(dialectOf(db), releaseIds);
  return {
    photos:
      releaseIds.length === 0
        ? []
        : (await db.selectFrom('release_photos').select('path').where('release_id', 'in', ids).where('path', 'is not', null).execute()).map((r) => r.path!),
    attachments: releaseIds.length === 0 ? [] : (await db.selectFrom('release_attachments').select('path').where('release_id', 'in', ids).execute()).map((r) => r.path),
    logos: (await db.selectFrom('offices').select('logo_path').where('logo_path', 'is not', null).execute()).map((r) => r.logo_path!),
  };
};
