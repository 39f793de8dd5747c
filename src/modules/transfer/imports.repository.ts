// Which file an imported release came from (release_imports): the office and the file's SHA-256.
import type { Kysely } from 'kysely';
import type { DB, NewRow } from '../../db/database.ts';

export const findImport = (db: Kysely<DB>, officeId: number, sourceSha256: string) =>
  db.selectFrom('release_imports').select('release_id').where('office_id', '=', officeId).where('source_sha256', '=', sourceSha256).executeTakeFirst();

export const insertImport = async (db: Kysely<DB>, values: NewRow<'release_imports'>): Promise<void> => {
  await db.insertInto('release_imports').values(values).execute();
};
