// Keeps releases_fts in step with releases. The releases service calls `reindexRelease` inside the
// transaction of every change that can alter what search finds, so the index never lags behind.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { isPublic } from '../releases/release.ts';
import * as repo from './search.repository.ts';
import { searchKey } from './search.keys.ts';
import { deletionVariants, isVocabularyTerm, writtenForms } from './search.suggest.ts';
import { buildSearchDocument, type SearchDocument } from './search.text.ts';

/**
 * Adds the words of a document that the vocabulary lacks (for suggestions, search.suggest.ts), each
 * with the form it is written in (`originals`: the texts the document was folded from), and gives
 * known terms without a written form (the 0142 backfill's) the one found here.
 */
const addToVocabulary = async (trx: Kysely<DB>, d: SearchDocument, originals: readonly (string | null)[]): Promise<void> => {
  const words = new Set<string>();
  for (const text of [d.title, d.subtitle, d.dateline, d.body, d.captions, d.office, d.topics, d.regions])
    for (const word of text.split(' ')) if (isVocabularyTerm(word)) words.add(word);
  const known = new Map((await repo.listKnownTerms(trx, [...words])).map((k) => [k.term, k.display]));
  const added = [...words].filter((w) => !known.has(w));
  const unwritten = [...known].filter(([, display]) => display === null).map(([term]) => term);
  if (added.length === 0 && unwritten.length === 0) return;
  const display = writtenForms(originals, new Set([...added, ...unwritten]));
  await repo.insertVocabulary(trx, added.map((term) => ({ term, display: display.get(term) ?? null, variants: deletionVariants(term) })));
  await repo.fillTermDisplays(trx, unwritten.flatMap((term) => (display.has(term) ? [{ term, display: display.get(term)! }] : [])));
};

/**
 * Rewrites the index entry of one release, and adds its new words to the vocabulary: a release public at `now` (release.ts `isPublic`) is
 * indexed; drafts, scheduled and withdrawn releases are taken out. A scheduled release enters the
 * index in the transaction that publishes it when its time comes (publishDue), so the index never
 * holds anything under embargo and a search needs no check against the release rows. The entry's
 * key follows the release date (search.keys.ts); the old entry is found through the key it was
 * written under.
 */
export const reindexRelease = async (trx: Kysely<DB>, id: number, now: string): Promise<void> => {
  const row = await repo.findReleaseForIndex(trx, id);
  const old = await repo.findIndexKey(trx, id);
  if (old !== undefined) await repo.deleteIndexEntry(trx, id, old);
  if (row && isPublic(row, now)) {
    const document = buildSearchDocument(row);
    await repo.insertIndexEntry(trx, id, searchKey(row.release_date, id), document);
    await addToVocabulary(trx, document, [row.title, row.subtitle, row.dateline, row.body_text, row.captions, row.office_name, row.contact_name, row.topics, row.regions]);
  }
};

/** After an office is renamed: rewrites the entries of its releases (call inside the rename's transaction). */
export const reindexOffice = async (trx: Kysely<DB>, officeId: number, now: string): Promise<void> => {
  for (const id of await repo.listIndexedReleaseIdsOfOffice(trx, officeId, now)) await reindexRelease(trx, id, now);
};
