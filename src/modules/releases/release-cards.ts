// Release cards (search results) and list items (the lists beside a release page) from their rows,
// in a file of their own: the search threads (search/search.worker.ts) read cards through it
// without loading the releases service and what that brings (Markdown, sanitizing, the catalogue),
// which cost each thread about 40 MB of resident memory.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import * as repo from './releases.repository.ts';

/** A release as the lists beside a release page show it: its head. */
export interface ListItem {
  id: number;
  slug: string;
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  language: 'de' | 'en';
  publishedAt: string;
  updatedAt: string;
  /** When it was last corrected (lists show „aktualisiert am … um …“); null if never. */
  correctedAt: string | null;
  office: { id: number; slug: string; name: string };
}

/**
 * A release as a result list shows it (search hits): no terms, photos or corrections, and the body
 * as plain text (for a snippet).
 */
export type ReleaseCard = ListItem & { bodyText: string };

export const toListItem = (row: repo.ListItemRow): ListItem => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  subtitle: row.subtitle,
  releaseDate: row.release_date,
  dateline: row.dateline,
  language: row.language,
  publishedAt: row.published_at ?? row.updated_at,
  updatedAt: row.updated_at,
  correctedAt: row.corrected_at,
  office: { id: row.office_id, slug: row.office_slug, name: row.office_name },
});

export const toCard = (row: repo.ReleaseCardRow): ReleaseCard => ({ ...toListItem(row), bodyText: row.body_text });

/** These releases as cards, in the order given, leaving out any that is not public at `now`. */
export const publicCardsByIds = async (db: Kysely<DB>, ids: number[], now: string): Promise<ReleaseCard[]> => {
  if (ids.length === 0) return [];
  const byId = new Map((await repo.listPublicCards(db, ids, now)).map((row) => [row.id, toCard(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
};
