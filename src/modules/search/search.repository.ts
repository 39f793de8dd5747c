// All SQL of search: writing releases_fts and querying it. Plain functions; the first parameter is
// the executor (db or trx). The FTS5 parts are raw SQL, as Kysely has no words for MATCH or bm25.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { SearchDocument } from './search.text.ts';

/** What the index is built from: one release with its office name, term names and captions. */
export const findReleaseForIndex = (db: Kysely<DB>, id: number) =>
  db
    .selectFrom('releases as r')
    .innerJoin('offices as o', 'o.id', 'r.office_id')
    .where('r.id', '=', id)
    .select(['r.id', 'r.status', 'r.title', 'r.subtitle', 'r.dateline', 'r.body_html', 'o.name as office_name'])
    .select([
      sql<string | null>`(select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id)`.as('captions'),
      sql<string | null>`(select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id)`.as('topics'),
      sql<string | null>`(select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id)`.as('regions'),
    ])
    .executeTakeFirst();

export type IndexRow = NonNullable<Awaited<ReturnType<typeof findReleaseForIndex>>>;

export const deleteIndexEntry = (db: Kysely<DB>, id: number) => sql`delete from releases_fts where rowid = ${id}`.execute(db);

export const insertIndexEntry = (db: Kysely<DB>, id: number, d: SearchDocument) =>
  sql`
    insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions)
    values (${id}, ${d.title}, ${d.subtitle}, ${d.dateline}, ${d.body}, ${d.captions}, ${d.office}, ${d.topics}, ${d.regions})
  `.execute(db);

/** Ids of the public releases of an office, to reindex them after the office is renamed. */
export const listIndexedReleaseIdsOfOffice = async (db: Kysely<DB>, officeId: number): Promise<number[]> =>
  (await db.selectFrom('releases').select('id').where('office_id', '=', officeId).where('status', 'in', ['published', 'scheduled']).execute()).map((r) => r.id);

export const countIndexEntries = async (db: Kysely<DB>): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from releases_fts`.execute(db)).rows[0]?.n ?? 0);

export interface SearchFilter {
  /** ISO time; only releases public at this moment are found. */
  now: string;
  officeIds?: number[];
  topicId?: number;
  regionId?: number;
  /** Release-date range, both inclusive (`YYYY-MM-DD`). */
  dateFrom?: string;
  dateTo?: string;
  language?: 'de' | 'en';
}

export type SearchSort = 'relevance' | 'date';

/**
 * bm25 weights in column order: title, subtitle, dateline, body, captions, office, topics, regions.
 * Title and subtitle count most; the body least (it is long and says everything).
 */
const BM25 = sql`bm25(releases_fts, 10.0, 5.0, 2.0, 1.0, 1.5, 2.0, 3.0, 3.0)`;

/** The same visibility rule as releases.repository `isPublicAt`, plus the user's filters. */
const whereVisible = (f: SearchFilter): RawBuilder<unknown> => {
  const parts: RawBuilder<unknown>[] = [sql`r.status in ('published', 'scheduled')`, sql`r.published_at <= ${f.now}`];
  if (f.officeIds && f.officeIds.length > 0) parts.push(sql`r.office_id in (${sql.join(f.officeIds)})`);
  if (f.topicId !== undefined) parts.push(sql`exists (select 1 from release_topics rt where rt.release_id = r.id and rt.topic_id = ${f.topicId})`);
  if (f.regionId !== undefined) parts.push(sql`exists (select 1 from release_regions rr where rr.release_id = r.id and rr.region_id = ${f.regionId})`);
  if (f.dateFrom !== undefined) parts.push(sql`r.release_date >= ${f.dateFrom}`);
  if (f.dateTo !== undefined) parts.push(sql`r.release_date <= ${f.dateTo}`);
  if (f.language !== undefined) parts.push(sql`r.language = ${f.language}`);
  return sql.join(parts, sql` and `);
};

/** Ids of one page of matches (or, without `match`, of filtered public releases), in order. */
export const listMatchingIds = async (
  db: Kysely<DB>,
  match: string | null,
  filter: SearchFilter,
  sort: SearchSort,
  limit: number,
  offset: number,
): Promise<number[]> => {
  // Dates are the release dates people see; among equals the later publication, then the later id.
  const byDate = sql`r.release_date desc, r.published_at desc, r.id desc`;
  const order = match !== null && sort === 'relevance' ? sql`${BM25}, ${byDate}` : byDate;
  const query =
    match === null
      ? sql<{ id: number }>`select r.id from releases r where ${whereVisible(filter)} order by ${order} limit ${limit} offset ${offset}`
      : sql<{ id: number }>`
          select r.id from releases_fts join releases r on r.id = releases_fts.rowid
          where releases_fts match ${match} and ${whereVisible(filter)}
          order by ${order} limit ${limit} offset ${offset}`;
  return (await query.execute(db)).rows.map((r) => r.id);
};

/** The number of matches, counted up to `cap + 1` at most (more is shown as "over cap"). */
export const countMatches = async (db: Kysely<DB>, match: string | null, filter: SearchFilter, cap: number): Promise<number> => {
  const inner =
    match === null
      ? sql`select 1 from releases r where ${whereVisible(filter)} limit ${cap + 1}`
      : sql`select 1 from releases_fts join releases r on r.id = releases_fts.rowid where releases_fts match ${match} and ${whereVisible(filter)} limit ${cap + 1}`;
  const { rows } = await sql<{ n: number }>`select count(*) as n from (${inner})`.execute(db);
  return Number(rows[0]?.n ?? 0);
};
