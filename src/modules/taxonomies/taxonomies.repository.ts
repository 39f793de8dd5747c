// Topics and regions: slug + name, shared by all offices. Both tables have the same shape; the
// releases carrying them are in release_topics / release_regions, old slugs in term_redirects.
import { sql, type Kysely } from 'kysely';
import type { DB, Row } from '../../db/database.ts';
import { countPublicReleasesPer } from '../releases/releases.repository.ts';

export type TermTable = 'topics' | 'regions';

/** The join table and its column for a term table (one place, so the casts stay here). */
const joinOf = (table: TermTable) =>
  table === 'topics' ? ({ join: 'release_topics', column: 'topic_id' } as const) : ({ join: 'release_regions', column: 'region_id' } as const);

export const listTerms = (db: Kysely<DB>, table: TermTable): Promise<Row<'topics'>[]> =>
  db.selectFrom(table).selectAll().orderBy('name').execute();

export const findTermBySlug = (db: Kysely<DB>, table: TermTable, slug: string): Promise<Row<'topics'> | undefined> =>
  db.selectFrom(table).selectAll().where('slug', '=', slug).executeTakeFirst();

export const findTermById = (db: Kysely<DB>, table: TermTable, id: number): Promise<Row<'topics'> | undefined> =>
  db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();

export const findTermByName = (db: Kysely<DB>, table: TermTable, name: string): Promise<Row<'topics'> | undefined> =>
  db.selectFrom(table).selectAll().where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst();

/** The term an old slug of a renamed or merged term points to. */
export const findTermByOldSlug = (db: Kysely<DB>, table: TermTable, slug: string): Promise<Row<'topics'> | undefined> =>
  db
    .selectFrom('term_redirects as r')
    .innerJoin(`${table} as t` as 'topics as t', 't.id', 'r.term_id')
    .select(['t.id', 't.slug', 't.name'])
    .where('r.kind', '=', table)
    .where('r.old_slug', '=', slug)
    .executeTakeFirst();

export const insertTerm = async (db: Kysely<DB>, table: TermTable, slug: string, name: string): Promise<number> => {
  const row = await db.insertInto(table).values({ slug, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
};

export const updateTerm = (db: Kysely<DB>, table: TermTable, id: number, values: { slug: string; name: string }) =>
  db.updateTable(table).set(values).where('id', '=', id).execute();

export const deleteTerm = (db: Kysely<DB>, table: TermTable, id: number) => db.deleteFrom(table).where('id', '=', id).execute();

/** Every release carrying the term (any status), by id. */
export const listReleaseIdsWithTerm = async (db: Kysely<DB>, table: TermTable, termId: number): Promise<number[]> => {
  const { join, column } = joinOf(table);
  const { rows } = await sql<{ release_id: number }>`select release_id from ${sql.table(join)} where ${sql.ref(column)} = ${termId}`.execute(db);
  return rows.map((r) => r.release_id);
};

/** Gives every release carrying `fromId` the term `intoId` instead (once), and drops `fromId`'s rows. */
export const moveReleaseTerms = async (db: Kysely<DB>, table: TermTable, fromId: number, intoId: number): Promise<void> => {
  const { join, column } = joinOf(table);
  await sql`insert into ${sql.table(join)} (release_id, ${sql.ref(column)}) select release_id, ${intoId} from ${sql.table(join)} where ${sql.ref(column)} = ${fromId} on conflict do nothing`.execute(db);
  await sql`delete from ${sql.table(join)} where ${sql.ref(column)} = ${fromId}`.execute(db);
};

export const insertRedirect = (db: Kysely<DB>, table: TermTable, oldSlug: string, termId: number, now: string) =>
  db
    .insertInto('term_redirects')
    .values({ kind: table, old_slug: oldSlug, term_id: termId, created_at: now })
    .onConflict((oc) => oc.columns(['kind', 'old_slug']).doUpdateSet({ term_id: termId, created_at: now }))
    .execute();

/** A slug in use again (a new term, or a term renamed back) no longer redirects. */
export const deleteRedirect = (db: Kysely<DB>, table: TermTable, oldSlug: string) =>
  db.deleteFrom('term_redirects').where('kind', '=', table).where('old_slug', '=', oldSlug).execute();

export const moveRedirects = (db: Kysely<DB>, table: TermTable, fromId: number, intoId: number) =>
  db.updateTable('term_redirects').set({ term_id: intoId }).where('kind', '=', table).where('term_id', '=', fromId).execute();

export const deleteRedirectsTo = (db: Kysely<DB>, table: TermTable, termId: number) =>
  db.deleteFrom('term_redirects').where('kind', '=', table).where('term_id', '=', termId).execute();

/** Terms with the number of releases public at `now` (releases repository `countPublicReleasesPer`), for directory pages. */
export const listTermsWithCounts = async (db: Kysely<DB>, table: TermTable, now: string) => {
  const counts = await countPublicReleasesPer(db, table === 'topics' ? 'topic' : 'region', now);
  const terms = await db.selectFrom(table).select(['id', 'slug', 'name']).orderBy('name').execute();
  return terms.map((term) => ({ slug: term.slug, name: term.name, releaseCount: counts.get(term.id) ?? 0 }));
};

/** For the admin area: every term with the number of releases carrying it (any status) and of subscriptions following it. */
export const listTermsForAdmin = (db: Kysely<DB>, table: TermTable) => {
  const { join, column } = joinOf(table);
  const kind = table === 'topics' ? 'topic' : 'region';
  return db
    .selectFrom(table)
    .select(['id', 'slug', 'name'])
    .select((eb) =>
      eb
        .selectFrom(`${join} as j` as 'release_topics as j')
        .whereRef(`j.${column}` as 'j.topic_id', '=', `${table}.id` as 'topics.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('releaseCount'),
    )
    .select((eb) =>
      eb
        .selectFrom('subscription_targets as s')
        .where('s.kind', '=', kind)
        .whereRef('s.value', '=', `${table}.slug` as 'topics.slug')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('followerCount'),
    )
    .orderBy('name')
    .execute();
};
