// Topics and regions: slug + name, shared by all offices. Both tables have the same shape.
import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/database.ts';
import { isPublicAt } from '../releases/release.ts';

export type TermTable = 'topics' | 'regions';

export const listTerms = (db: Kysely<DB>, table: TermTable): Promise<Row<'topics'>[]> =>
  db.selectFrom(table).selectAll().orderBy('name').execute();

export const findTermBySlug = (db: Kysely<DB>, table: TermTable, slug: string): Promise<Row<'topics'> | undefined> =>
  db.selectFrom(table).selectAll().where('slug', '=', slug).executeTakeFirst();

export const findTermByName = (db: Kysely<DB>, table: TermTable, name: string): Promise<Row<'topics'> | undefined> =>
  db.selectFrom(table).selectAll().where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst();

export const insertTerm = async (db: Kysely<DB>, table: TermTable, slug: string, name: string): Promise<number> => {
  const row = await db.insertInto(table).values({ slug, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
};

/** Terms with the number of releases public at `now`, for directory pages. */
export const listTermsWithCounts = (db: Kysely<DB>, table: TermTable, now: string) => {
  const join = table === 'topics' ? 'release_topics' : 'release_regions';
  const column = table === 'topics' ? 'topic_id' : 'region_id';
  return db
    .selectFrom(table)
    .select(['slug', 'name'])
    .select((eb) =>
      eb
        .selectFrom(`${join} as j` as 'release_topics as j')
        .innerJoin('releases', 'releases.id', 'j.release_id')
        .whereRef(`j.${column}` as 'j.topic_id', '=', `${table}.id` as 'topics.id')
        .where((w) => isPublicAt(w, now))
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('releaseCount'),
    )
    .orderBy('name')
    .execute();
};
