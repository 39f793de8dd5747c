// The few places where SQLite and PostgreSQL need different SQL, named. Everything else in the
// repositories is written once, in SQL both understand (`on conflict do nothing`, `coalesce`, …).
import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import * as postgresJson from 'kysely/helpers/postgres';
import * as sqliteJson from 'kysely/helpers/sqlite';

export type Dialect = 'sqlite' | 'postgres';

/** Which database this executor (a Kysely instance or a transaction) talks to. */
export const dialectOf = (db: Kysely<any>): Dialect => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');

/** A subquery's rows as one JSON array (a string on SQLite, parsed on PostgreSQL; `fromJson` takes both). */
export const jsonArrayFrom = <O>(dialect: Dialect, subquery: Parameters<typeof sqliteJson.jsonArrayFrom<O>>[0]): ReturnType<typeof sqliteJson.jsonArrayFrom<O>> =>
  dialect === 'postgres' ? (postgresJson.jsonArrayFrom(subquery) as ReturnType<typeof sqliteJson.jsonArrayFrom<O>>) : sqliteJson.jsonArrayFrom(subquery);

/** A subquery's first row as one JSON object, or null. */
export const jsonObjectFrom = <O>(dialect: Dialect, subquery: Parameters<typeof sqliteJson.jsonObjectFrom<O>>[0]): ReturnType<typeof sqliteJson.jsonObjectFrom<O>> =>
  dialect === 'postgres' ? (postgresJson.jsonObjectFrom(subquery) as ReturnType<typeof sqliteJson.jsonObjectFrom<O>>) : sqliteJson.jsonObjectFrom(subquery);

/**
 * A list of integers as a one-column subquery for `in (…)`: one bound parameter whatever the
 * length (SQLite allows 32,766 parameters a statement, and a statement per length fills the cache).
 */
export const integerList = (dialect: Dialect, values: readonly number[]): RawBuilder<number> =>
  dialect === 'postgres' ? sql<number>`(select unnest(${values.map(Number)}::integer[]))` : sql<number>`(select value from json_each(${JSON.stringify(values)}))`;

/** A list of texts as a one-column subquery for `in (…)`, one bound parameter whatever the length. */
export const textList = (dialect: Dialect, values: readonly string[]): RawBuilder<string> =>
  dialect === 'postgres' ? sql<string>`(select unnest(${[...values]}::text[]))` : sql<string>`(select value from json_each(${JSON.stringify(values)}))`;

/**
 * An inner join that SQLite must take in the order written (its CROSS JOIN, which its planner never
 * reorders); PostgreSQL has no such hint and no CROSS JOIN with ON, so a plain join.
 */
export const orderedJoin = (dialect: Dialect): RawBuilder<unknown> => (dialect === 'postgres' ? sql`join` : sql`cross join`);

/**
 * The releases table read through one of its indexes, as a table reference named `releases`, for
 * the columns the index holds: `releases_state` (id, status, published_at, updated_at, language,
 * corrected_at; migrations 0179, 0182) and `releases_dated` (release_date, published_at, id of
 * public releases; 0181). A query wanting other columns joins the table again. SQLite keeps
 * status and the dates after the bodies, on overflow pages, and its planner looks releases up by row
 * id, or through another index on the dates, where the named one would spare it reading the rows
 * (the archive's months: 216 ms at 100,000 releases, 25 ms through `releases_dated`); INDEXED BY
 * makes it read the index. PostgreSQL keeps bodies out of line and has no such hint.
 */
export const releasesIndexedBy = (dialect: Dialect, index: 'releases_state' | 'releases_dated'): RawBuilder<unknown> =>
  dialect === 'postgres' ? sql`releases` : sql`releases indexed by ${sql.id(index)}`;

/** The values of a group joined by a separator (`group_concat` / `string_agg`). */
export const joinedText = (dialect: Dialect, value: Expression<unknown>, separator: string, { distinct = false } = {}): RawBuilder<string | null> =>
  dialect === 'postgres'
    ? sql<string | null>`string_agg(${distinct ? sql`distinct ` : sql``}(${value})::text, ${sql.lit(separator)})`
    : distinct
      ? sql<string | null>`group_concat(distinct ${value})` // SQLite takes no separator with distinct; callers that need one say ','
      : sql<string | null>`group_concat(${value}, ${sql.lit(separator)})`;

/** Whether a text column holding a JSON array of strings contains the value. */
export const jsonArrayHas = (dialect: Dialect, column: Expression<string>, value: string): RawBuilder<boolean> =>
  dialect === 'postgres'
    ? sql<boolean>`(${column})::jsonb ? ${value}`
    : sql<boolean>`exists (select 1 from json_each(${column}) where value = ${value})`;

/**
 * Makes the transaction `trx` wait for every other transaction that locked the same `name` to end,
 * for a check-then-write that two transactions must not do at once (e.g. "no reset mail in the last
 * five minutes, so send one"). SQLite runs one write transaction at a time already; on PostgreSQL
 * this takes a transaction-scoped advisory lock on the name's hash (released at commit or rollback).
 */
export const serializeOn = async (trx: Kysely<any>, name: string): Promise<void> => {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
};
