// Topics and regions: platform admins add, rename (name and slug), merge and remove them, in the
// admin area and on the command line. Every change is one transaction that also moves what hangs
// on the term: the releases carrying it (and their search index entries, which hold its name),
// the subscriptions following it (by slug), stored searches filtering by it, and the old slugs,
// which keep redirecting (term_redirects). Each change bumps the content version (page cache) and
// is written to the platform's audit log.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { isSlug, slugify } from '../../lib/slug.ts';
import type { Term } from '../releases/release.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';
import * as repo from './taxonomies.repository.ts';
import { oneLine } from '../../lib/input-text.ts';

export type { TermTable } from './taxonomies.repository.ts';

export const TERM_NAME_MAX = 100;

export interface TaxonomiesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit?: AuditService;
  /** Bumps the content version: a new topic or region shows on the directory pages and the feeds page. */
  contentChanged?: (trx: Kysely<DB>, now: string) => Promise<void>;
  /** Keeps the search index in step (it holds the terms' names); services.ts passes search.indexer's reindexRelease. */
  reindex?: (trx: Kysely<DB>, releaseId: number, now: string) => Promise<void>;
  /** What follows a term (subscriptions, stored searches); services.ts passes subscriptions.terms.ts. */
  follows?: TermFollows;
}

/** Subscriptions and stored searches that follow a term, moved with it (subscriptions/subscriptions.terms.ts). */
export interface TermFollows {
  searchesFiltering(trx: Kysely<DB>, kind: 'topic' | 'region', slug: string): Promise<number>;
  move(trx: Kysely<DB>, kind: 'topic' | 'region', from: string, to: string | null): Promise<void>;
}

const NO_FOLLOWS: TermFollows = { searchesFiltering: async () => 0, move: async () => {} };

/** A term as the admin area lists it. */
export interface TermUsage extends Term {
  /** Releases carrying it, in any state (drafts too). */
  releaseCount: number;
  /** Subscriptions following it. */
  followerCount: number;
}

/** What removing a term in use needs first: a confirmation that names how much carries it. */
export type RemoveResult = { removed: true; releaseCount: number } | { removed: false; releaseCount: number; followerCount: number };

const singular = (table: repo.TermTable) => (table === 'topics' ? 'topic' : 'region');

export const createTaxonomiesService = ({ db, clock, audit, contentChanged = async () => {}, reindex: reindexOne = async () => {}, follows = NO_FOLLOWS }: TaxonomiesServiceDeps) => {
  const record = async (trx: Kysely<DB>, actor: Actor | null | undefined, table: repo.TermTable, verb: 'added' | 'renamed' | 'merged' | 'removed', subject: string, detail = '') => {
    if (audit) await audit.record({ officeId: null, actor: actor ?? null, action: `${singular(table)}.${verb}` as AuditAction, subject, detail }, trx);
  };

  /** The cleaned name and slug, or the field errors; `currentId` is the term being renamed. */
  const check = async (trx: Kysely<DB>, table: repo.TermTable, input: { slug: string; name: string }, currentId?: number) => {
    const name = oneLine(input.name);
    const slug = input.slug.trim().toLowerCase() || slugify(name, 60);
    const errors: FieldErrors = {};
    if (!name) errors.name = 'required';
    else if (name.length > TERM_NAME_MAX) errors.name = 'tooLong';
    if (!isSlug(slug)) errors.slug = 'invalidSlug';
    else {
      const holder = await repo.findTermBySlug(trx, table, slug);
      if (holder && holder.id !== currentId) errors.slug = 'taken';
    }
    if (!errors.name) {
      const sameName = await repo.findTermByName(trx, table, name);
      if (sameName && sameName.id !== currentId) errors.name = 'nameTaken';
    }
    if (Object.keys(errors).length > 0) throw new ValidationError('Invalid topic or region', errors);
    return { name, slug };
  };

  const termOf = async (trx: Kysely<DB>, table: repo.TermTable, slug: string) => {
    const term = await repo.findTermBySlug(trx, table, slug);
    if (!term) throw new NotFoundError(`No ${singular(table)} "${slug}"`);
    return term;
  };

  const reindex = async (trx: Kysely<DB>, ids: number[]) => {
    const now = clock.now().toISOString();
    for (const id of ids) await reindexOne(trx, id, now);
  };

  const service = {
    list: async (table: repo.TermTable): Promise<Term[]> => (await repo.listTerms(db, table)).map(({ slug, name }) => ({ slug, name })),

    listWithCounts: async (table: repo.TermTable) =>
      (await repo.listTermsWithCounts(db, table, clock.now().toISOString())).map((t) => ({ slug: t.slug, name: t.name, releaseCount: Number(t.releaseCount ?? 0) })),

    listForAdmin: async (table: repo.TermTable): Promise<TermUsage[]> =>
      (await repo.listTermsForAdmin(db, table)).map((t) => ({ slug: t.slug, name: t.name, releaseCount: Number(t.releaseCount ?? 0), followerCount: Number(t.followerCount ?? 0) })),

    find: async (table: repo.TermTable, slug: string): Promise<(Term & { id: number }) | undefined> => repo.findTermBySlug(db, table, slug),

    /** The current slug of a renamed or merged term, by one of its old slugs. */
    findRedirect: async (table: repo.TermTable, oldSlug: string): Promise<string | undefined> => (await repo.findTermByOldSlug(db, table, oldSlug))?.slug,

    /** How much carries a term: for the confirmation before removing it. */
    async usage(table: repo.TermTable, slug: string): Promise<TermUsage | undefined> {
      return (await service.listForAdmin(table)).find((t) => t.slug === slug);
    },

    /** The slug of the term with this name, or of a new one made for it. */
    async ensure(table: repo.TermTable, name: string, executor: Kysely<DB> = db): Promise<string> {
      const existing = (await repo.findTermByName(executor, table, name.trim())) ?? (await repo.findTermBySlug(executor, table, slugify(name)));
      if (existing) return existing.slug;
      const slug = slugify(name);
      await repo.insertTerm(executor, table, slug, name.trim());
      await repo.deleteRedirect(executor, table, slug);
      await contentChanged(executor, clock.now().toISOString());
      return slug;
    },

    /** Adds a term without checks (tests, demo data). */
    async create(table: repo.TermTable, slug: string, name: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await repo.insertTerm(trx, table, slug, name);
        await repo.deleteRedirect(trx, table, slug);
        await contentChanged(trx, clock.now().toISOString());
      });
    },

    /** Adds a term; the slug is made from the name when empty. */
    async add(table: repo.TermTable, input: { slug: string; name: string }, actor?: Actor | null): Promise<Term> {
      return db.transaction().execute(async (trx) => {
        const { name, slug } = await check(trx, table, input);
        await repo.insertTerm(trx, table, slug, name);
        // An old slug taken by a new term is the new term's from now on.
        await repo.deleteRedirect(trx, table, slug);
        await record(trx, actor, table, 'added', name, slug);
        await contentChanged(trx, clock.now().toISOString());
        return { slug, name };
      });
    },

    /** Renames a term (name, slug or both); its old slug redirects to the new one. */
    async rename(table: repo.TermTable, slug: string, input: { slug: string; name: string }, actor?: Actor | null): Promise<Term> {
      return db.transaction().execute(async (trx) => {
        const term = await termOf(trx, table, slug);
        const next = await check(trx, table, { slug: input.slug || term.slug, name: input.name || term.name }, term.id);
        if (next.slug === term.slug && next.name === term.name) return next;
        await repo.updateTerm(trx, table, term.id, next);
        if (next.slug !== term.slug) {
          await repo.deleteRedirect(trx, table, next.slug);
          await repo.insertRedirect(trx, table, term.slug, term.id, clock.now().toISOString());
          await follows.move(trx, singular(table), term.slug, next.slug);
        }
        // The index holds the term's name (searchable), not its slug.
        if (next.name !== term.name) await reindex(trx, await repo.listReleaseIdsWithTerm(trx, table, term.id));
        const detail = [term.slug !== next.slug ? `${term.slug} → ${next.slug}` : '', term.name !== next.name ? `${term.name} → ${next.name}` : ''].filter(Boolean).join(', ');
        await record(trx, actor, table, 'renamed', next.name, detail);
        await contentChanged(trx, clock.now().toISOString());
        return next;
      });
    },

    /** Merges `from` into `into`: its releases, followers and stored searches move over, its slugs redirect there, and it is gone. */
    async merge(table: repo.TermTable, fromSlug: string, intoSlug: string, actor?: Actor | null): Promise<{ into: Term; moved: number }> {
      return db.transaction().execute(async (trx) => {
        const from = await termOf(trx, table, fromSlug);
        const into = await repo.findTermBySlug(trx, table, intoSlug);
        if (!into) throw new ValidationError('Unknown target', { into: 'unknown' });
        if (into.id === from.id) throw new ValidationError('Merging a term into itself', { into: 'mergeSelf' });
        const ids = await repo.listReleaseIdsWithTerm(trx, table, from.id);
        await repo.moveReleaseTerms(trx, table, from.id, into.id);
        await follows.move(trx, singular(table), from.slug, into.slug);
        await repo.moveRedirects(trx, table, from.id, into.id);
        await repo.deleteTerm(trx, table, from.id);
        await repo.insertRedirect(trx, table, from.slug, into.id, clock.now().toISOString());
        await reindex(trx, ids);
        await record(trx, actor, table, 'merged', from.name, `${from.slug} → ${into.slug} (${ids.length})`);
        await contentChanged(trx, clock.now().toISOString());
        return { into: { slug: into.slug, name: into.name }, moved: ids.length };
      });
    },

    /**
     * Removes a term. One that releases carry or subscriptions follow is removed only when
     * `confirmed`; otherwise nothing happens and the counts are returned for the question.
     */
    async remove(table: repo.TermTable, slug: string, { confirmed }: { confirmed: boolean }, actor?: Actor | null): Promise<RemoveResult> {
      return db.transaction().execute(async (trx) => {
        const term = await termOf(trx, table, slug);
        const usage = (await repo.listTermsForAdmin(trx, table)).find((t) => t.id === term.id)!;
        const releaseCount = Number(usage.releaseCount ?? 0);
        const followerCount = Number(usage.followerCount ?? 0);
        const searches = await follows.searchesFiltering(trx, singular(table), term.slug);
        if ((releaseCount > 0 || followerCount > 0 || searches > 0) && !confirmed) return { removed: false, releaseCount, followerCount };
        const ids = await repo.listReleaseIdsWithTerm(trx, table, term.id);
        await follows.move(trx, singular(table), term.slug, null);
        await repo.deleteRedirectsTo(trx, table, term.id);
        // release_topics / release_regions rows go with it (ON DELETE CASCADE).
        await repo.deleteTerm(trx, table, term.id);
        await reindex(trx, ids);
        await record(trx, actor, table, 'removed', term.name, `${term.slug} (${ids.length})`);
        await contentChanged(trx, clock.now().toISOString());
        return { removed: true, releaseCount: ids.length };
      });
    },
  };
  return service;
};

export type TaxonomiesService = ReturnType<typeof createTaxonomiesService>;
