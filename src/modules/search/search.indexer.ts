// Keeps releases_fts in step with releases. The releases service calls `reindexRelease` inside the
// transaction of every change that can alter what search finds, so the index never lags behind.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import * as repo from './search.repository.ts';
import { buildSearchDocument } from './search.text.ts';

/**
 * Rewrites the index entry of one release: published and scheduled releases are indexed (a
 * scheduled one stays invisible until its time by the query-time rule), drafts and withdrawn
 * releases are taken out.
 */
export const reindexRelease = async (trx: Kysely<DB>, id: number): Promise<void> => {
  const row = await repo.findReleaseForIndex(trx, id);
  await repo.deleteIndexEntry(trx, id);
  if (row && (row.status === 'published' || row.status === 'scheduled')) await repo.insertIndexEntry(trx, id, buildSearchDocument(row));
};

/** After an office is renamed: rewrites the entries of its releases (call inside the rename's transaction). */
export const reindexOffice = async (trx: Kysely<DB>, officeId: number): Promise<void> => {
  for (const id of await repo.listIndexedReleaseIdsOfOffice(trx, officeId)) await reindexRelease(trx, id);
};
