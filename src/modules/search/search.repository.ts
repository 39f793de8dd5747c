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
    .select(['r.id', 'r.status', 'r.title', 'r.subtitle', 'r.dateline', 'r.body_html', 'r.office_id', 'r.language', 'r.release_date', 'o.name as office_name'])
    .select([
      sql<string | null>`(select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id)`.as('captions'),
      sql<string | null>`(select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id)`.as('topics'),
      sql<string | null>`(select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id)`.as('regions'),
      sql<string | null>`(select group_concat(rt.topic_id) from release_topics rt where rt.release_id = r.id)`.as('topic_ids'),
      sql<string | null>`(select group_concat(rr.region_id) from release_regions rr where rr.release_id = r.id)`.as('region_ids'),
    ])
    .executeTakeFirst();

export type IndexRow = NonNullable<Awaited<ReturnType<typeof findReleaseForIndex>>>;

export const deleteIndexEntry = (db: Kysely<DB>, id: number) => sql`delete from releases_fts where rowid = ${id}`.execute(db);

export const insertIndexEntry = (db: Kysely<DB>, id: number, d: SearchDocument) =>
  sql`
    insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets)
    values (${id}, ${d.title}, ${d.subtitle}, ${d.dateline}, ${d.body}, ${d.captions}, ${d.office}, ${d.topics}, ${d.regions}, ${d.facets})
  `.execute(db);

/** Ids of the public releases of an office, to reindex them after the office is renamed. */
export const listIndexedReleaseIdsOfOffice = async (db: Kysely<DB>, officeId: number): Promise<number[]> =>
  (await db.selectFrom('releases').select('id').where('office_id', '=', officeId).where('status', 'in', ['published', 'scheduled']).execute()).map((r) => r.id);

/**
 * Up to `limit` index terms starting with `prefix`. Steps from term to term through the instance
 * vocabulary (each step reads one row), so a common term costs no more than a rare one.
 */
export const listTermsWithPrefix = async (db: Kysely<DB>, prefix: string, limit: number): Promise<string[]> => {
  const end = `${prefix}\uffff`;
  const { rows } = await sql<{ term: string }>`
    with recursive t(term, n) as (
      select (select term from releases_fts_terms where term >= ${prefix} and term < ${end} limit 1), 1
      union all
      select (select term from releases_fts_terms where term >= t.term || char(1) and term < ${end} limit 1), n + 1 from t
      where t.term is not null and n < ${limit}
    )
    select term from t where term is not null`.execute(db);
  return rows.map((r) => r.term);
};

/** How many releases each term occurs in, counted up to `cap + 1` (so a common word costs little). */
export const countTermDocs = async (db: Kysely<DB>, terms: string[], cap: number): Promise<Map<string, number>> => {
  if (terms.length === 0) return new Map();
  const counts = terms.map((t) => sql`(select count(*) from (select 1 from releases_fts where releases_fts match ${`"${t}"`} limit ${cap + 1}))`);
  const { rows } = await sql<Record<string, number>>`select ${sql.join(counts.map((c, i) => sql`${c} as ${sql.ref(`n${i}`)}`))}`.execute(db);
  const row = rows[0] ?? {};
  return new Map(terms.map((t, i) => [t, Number(row[`n${i}`] ?? 0)]));
};

export const countIndexEntries = async (db: Kysely<DB>): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from releases_fts`.execute(db)).rows[0]?.n ?? 0);

/** What SQL checks beside the MATCH expression (office, terms and language are facets in FTS5). */
export interface SearchFilter {
  /** ISO time; only releases public at this moment are found. */
  now: string;
  /** Release-date range, both inclusive (`YYYY-MM-DD`); the facets narrow it to months first. */
  dateFrom?: string;
  dateTo?: string;
}

export type SearchSort = 'relevance' | 'date';

/**
 * How the candidates are ordered. `date`: release date. `bm25`: bm25 score of `rankMatch` (the
 * full expression), then date. `tiers`: releases matching `rankMatch` (the text in title or
 * subtitle) first, then date: the ranking for broad queries, whose bm25 would cost too much.
 */
export type Ranking = { kind: 'date' } | { kind: 'bm25'; rankMatch: string } | { kind: 'tiers'; rankMatch: string };

/**
 * bm25 weights in column order: title, subtitle, dateline, body, captions, office, topics,
 * regions, facets. Title and subtitle count most; the body least (it is long and says everything).
 */
const BM25 = sql`bm25(releases_fts, 10.0, 5.0, 2.0, 1.0, 1.5, 2.0, 3.0, 3.0, 0.0)`;

/**
 * How many of the newest matches are ranked. Below this every match is ranked; above it the newest
 * CANDIDATES are (newest by id, which follows publication), so a word found in half a million
 * releases still answers in milliseconds. Must exceed the count cap, so every page can be reached.
 */
export const CANDIDATES = 1100;

/** The same visibility rule as releases.repository `isPublicAt`, plus the exact date bounds. */
const whereVisible = (f: SearchFilter): RawBuilder<unknown> => {
  const parts: RawBuilder<unknown>[] = [sql`r.status in ('published', 'scheduled')`, sql`r.published_at <= ${f.now}`];
  if (f.dateFrom !== undefined) parts.push(sql`r.release_date >= ${f.dateFrom}`);
  if (f.dateTo !== undefined) parts.push(sql`r.release_date <= ${f.dateTo}`);
  return sql.join(parts, sql` and `);
};

/**
 * One page of matches, in order, and how many matches are visible among the candidates. The FTS5
 * side runs first and alone (newest CANDIDATES matches, with their bm25 score); only those rows are
 * joined to releases, through the narrow covering index releases_search, to check visibility and
 * sort. `visible` is exact while it is below CANDIDATES; it is undefined when the page is empty.
 */
export const listMatches = async (
  db: Kysely<DB>,
  match: string,
  filter: SearchFilter,
  ranking: Ranking,
  limit: number,
  offset: number,
): Promise<{ ids: number[]; visible: number | undefined }> => {
  // Dates are the release dates people see; among equals the later publication, then the later id.
  const byDate = sql`r.release_date desc, r.published_at desc, r.id desc`;
  // The ranking pass reads only the candidates' rowid range, so it touches at most those rows.
  const scores =
    ranking.kind === 'date'
      ? sql`select null as id, 0 as score where 0`
      : sql`select rowid as id, ${ranking.kind === 'bm25' ? BM25 : sql`-1`} as score from releases_fts
          where releases_fts match ${ranking.rankMatch} and rowid >= (select min(id) from c)`;
  const { rows } = await sql<{ id: number; visible: number }>`
    with c as materialized (
      select rowid as id from releases_fts where releases_fts match ${match}
      order by rowid desc limit ${CANDIDATES}
    ),
    s as materialized (${scores})
    select r.id, count(*) over () as visible
    from c cross join releases r indexed by releases_search on r.id = c.id
    left join s on s.id = c.id
    where ${whereVisible(filter)}
    order by coalesce(s.score, 0), ${byDate} limit ${limit} offset ${offset}`.execute(db);
  return { ids: rows.map((r) => r.id), visible: rows[0] === undefined ? undefined : Number(rows[0].visible) };
};

/** The number of visible matches, counted up to `cap + 1` at most; for a page past the last one. */
export const countMatches = async (db: Kysely<DB>, match: string, filter: SearchFilter, cap: number): Promise<number> => {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from (
      select 1 from releases_fts cross join releases r indexed by releases_search on r.id = releases_fts.rowid
      where releases_fts match ${match} and ${whereVisible(filter)}
      limit ${cap + 1}
    )`.execute(db);
  return Number(rows[0]?.n ?? 0);
};

/**
 * Whether one release is found by a MATCH expression and the filter: the search restricted to that
 * row, which FTS5 answers by seeking to it in each term's list. For e-mail alerts.
 *
 * The restriction is the range `rowid >= id AND rowid <= id`, not `rowid = id`: FTS5 (SQLite
 * 3.54.1, as bundled by better-sqlite3) ignores `rowid = ?` beside a MATCH and returns every
 * match, and SQLite does not re-check a constraint the virtual table took. The join checks the id once more.
 */
export const releaseMatches = async (db: Kysely<DB>, match: string, filter: SearchFilter, releaseId: number): Promise<boolean> => {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from releases_fts cross join releases r on r.id = releases_fts.rowid
    where releases_fts match ${match} and releases_fts.rowid >= ${releaseId} and releases_fts.rowid <= ${releaseId}
      and r.id = ${releaseId} and ${whereVisible(filter)}`.execute(db);
  return rows.length > 0;
};
