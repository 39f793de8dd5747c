// Topics and regions.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { slugify } from '../../lib/slug.ts';
import type { Term } from '../releases/release.ts';
import * as repo from './taxonomies.repository.ts';

export type { TermTable } from './taxonomies.repository.ts';

export interface TaxonomiesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Bumps the content version: a new topic or region shows on the directory pages and the feeds page. */
  contentChanged?: (trx: Kysely<DB>, now: string) => Promise<void>;
}

export const createTaxonomiesService = ({ db, clock, contentChanged = async () => {} }: TaxonomiesServiceDeps) => ({
  list: async (table: repo.TermTable): Promise<Term[]> => (await repo.listTerms(db, table)).map(({ slug, name }) => ({ slug, name })),

  listWithCounts: async (table: repo.TermTable) =>
    (await repo.listTermsWithCounts(db, table, clock.now().toISOString())).map((t) => ({ slug: t.slug, name: t.name, releaseCount: Number(t.releaseCount ?? 0) })),

  find: async (table: repo.TermTable, slug: string): Promise<(Term & { id: number }) | undefined> => repo.findTermBySlug(db, table, slug),

  /** The slug of the term with this name, or of a new one made for it. */
  async ensure(table: repo.TermTable, name: string, executor: Kysely<DB> = db): Promise<string> {
    const existing = (await repo.findTermByName(executor, table, name.trim())) ?? (await repo.findTermBySlug(executor, table, slugify(name)));
    if (existing) return existing.slug;
    const slug = slugify(name);
    await repo.insertTerm(executor, table, slug, name.trim());
    await contentChanged(executor, clock.now().toISOString());
    return slug;
  },

  async create(table: repo.TermTable, slug: string, name: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await repo.insertTerm(trx, table, slug, name);
      await contentChanged(trx, clock.now().toISOString());
    });
  },
});

export type TaxonomiesService = ReturnType<typeof createTaxonomiesService>;
