// The media files the database refers to: photo originals, release attachments and office logos.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

export const listStoredMediaPaths = async (db: Kysely<DB>): Promise<{ photos: string[]; attachments: string[]; logos: string[] }> => ({
  photos: (await db.selectFrom('release_photos').select('path').where('path', 'is not', null).execute()).map((r) => r.path!),
  attachments: (await db.selectFrom('release_attachments').select('path').execute()).map((r) => r.path),
  logos: (await db.selectFrom('offices').select('logo_path').where('logo_path', 'is not', null).execute()).map((r) => r.logo_path!),
});
