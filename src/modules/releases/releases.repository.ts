// All Kysely code for releases. Plain functions; the first parameter is the executor (db or trx).
import { expressionBuilder, sql, type CompiledQuery, type ExpressionBuilder, type Kysely, type RawBuilder } from 'kysely';
import { isRowId, type DB, type NewRow, type Row, type RowUpdate } from '../../db/database.ts';
import { dialectOf, integerList, jsonArrayFrom, jsonObjectFrom, orderedJoin, releasesIndexedBy, type Dialect } from '../../db/dialect.ts';
import { hasPublicPageAt, isDueAt, isPublicAt, isScheduled, isWithdrawnAt, lastPublicChangeOf } from './release.ts';

export interface PublicFilter {
  /** ISO time; only releases public at this moment are listed. */
  now: string;
  officeId?: number;
  /** Any of these offices (the API's `office`, repeatable). */
  officeIds?: number[];
  topicId?: number;
  regionId?: number;
  /** Release-date range, inclusive from, exclusive to (`YYYY-MM-DD`). */
  dateFrom?: string;
  dateBefore?: string;
  /** Only these releases (search fetches its page of hits by id). */
  ids?: number[];
  language?: 'de' | 'en';
  /** Withdrawn releases too (`hasPublicPageAt`): the API's sync shows them so clients can take them down. */
  withWithdrawn?: boolean;
  /** Only releases whose last public change (release.ts `lastPublicChange`) is at or after this ISO time. */
  changedSince?: string;
}

const applyFilter = (eb: ExpressionBuilder<DB, 'releases'>, f: PublicFilter) => {
  const conditions = [f.withWithdrawn ? hasPublicPageAt(eb, f.now) : isPublicAt(eb, f.now)];
  if (f.officeId !== undefined) conditions.push(eb('releases.office_id', '=', f.officeId));
  if (f.officeIds !== undefined) conditions.push(eb('releases.office_id', 'in', f.officeIds.length > 0 ? f.officeIds : [-1]));
  if (f.language !== undefined) conditions.push(eb('releases.language', '=', f.language));
  if (f.changedSince !== undefined) conditions.push(eb(lastPublicChangeOf(eb), '>=', f.changedSince));
  if (f.topicId !== undefined)
    conditions.push(eb.exists(eb.selectFrom('release_topics as rt').whereRef('rt.release_id', '=', 'releases.id').where('rt.topic_id', '=', f.topicId).select('rt.release_id')));
  if (f.regionId !== undefined)
    conditions.push(eb.exists(eb.selectFrom('release_regions as rr').whereRef('rr.release_id', '=', 'releases.id').where('rr.region_id', '=', f.regionId).select('rr.release_id')));
  if (f.dateFrom !== undefined) conditions.push(eb('releases.release_date', '>=', f.dateFrom));
  if (f.dateBefore !== undefined) conditions.push(eb('releases.release_date', '<', f.dateBefore));
  if (f.ids !== undefined) conditions.push(eb('releases.id', 'in', f.ids.length > 0 ? f.ids : [-1]));
  return eb.and(conditions);
};

const topicsOf = (eb: ExpressionBuilder<DB, 'releases'>, dialect: Dialect) =>
  jsonArrayFrom(dialect, eb.selectFrom('release_topics as rt').innerJoin('topics as t', 't.id', 'rt.topic_id').whereRef('rt.release_id', '=', 'releases.id').select(['t.slug', 't.name']).orderBy('t.name'));

const regionsOf = (eb: ExpressionBuilder<DB, 'releases'>, dialect: Dialect) =>
  jsonArrayFrom(dialect, eb.selectFrom('release_regions as rr').innerJoin('regions as g', 'g.id', 'rr.region_id').whereRef('rr.release_id', '=', 'releases.id').select(['g.slug', 'g.name']).orderBy('g.name'));

/** The columns of a release in a list, but for its body: the base of a search hit and of a summary. */
const LIST_COLUMNS = [
  'releases.id',
  'releases.slug',
  'releases.title',
  'releases.subtitle',
  'releases.release_date',
  'releases.dateline',
  'releases.language',
  'releases.published_at',
  'releases.updated_at',
  'releases.corrected_at',
  'offices.slug as office_slug',
  'offices.name as office_name',
  'offices.id as office_id',
] as const;

/**
 * The fields of a result list (search) for these releases, if public at `now`: no terms, photos or
 * corrections, so no subqueries. Unordered. The ids go in as one JSON array, so the SQL is the same
 * for every page and is prepared once (a search runs it every time); visibility is `isPublicAt`, as
 * everywhere.
 */
export const listPublicCards = (db: Kysely<DB>, ids: number[], now: string) =>
  db
    .selectFrom('releases')
    .innerJoin('offices', 'offices.id', 'releases.office_id')
    .where(sql<number>`releases.id`, 'in', integerList(dialectOf(db), ids))
    .where((eb) => isPublicAt(eb, now))
    .select([...LIST_COLUMNS, 'releases.body_text'])
    .execute();

/** What of LIST_COLUMNS `releases_state` holds (migration 0182); the others are read from the row, `r`. */
const STATE_COLUMNS = new Set<string>(['releases.language', 'releases.published_at', 'releases.updated_at', 'releases.corrected_at']);
const ITEM_COLUMNS_FROM_STATE = sql.raw(LIST_COLUMNS.map((column) => (column.startsWith('releases.') && !STATE_COLUMNS.has(column) ? `r.${column.slice('releases.'.length)}` : column)).join(', '));

/**
 * List items of the releases `ids` selects that are public at `now` (`isPublicAt`), the newest
 * first: the lists beside a release. What a list item shows after the body (language, the dates,
 * and status for the check) comes from the index `releases_state` (migrations 0179, 0182), not the
 * row: on SQLite those columns lie on the row's overflow pages, and the first release page after a
 * publish read a topic's 40 releases whole (1.0 ms cold; 0.24 ms from the index). The table read
 * through the index is `releases`; `r` is the row, for the columns before the body.
 */
const newestPublicItems = async (db: Kysely<DB>, now: string, ids: RawBuilder<number>): Promise<ListItemRow[]> => {
  const dialect = dialectOf(db);
  const { rows } = await sql<ListItemRow>`
    select ${ITEM_COLUMNS_FROM_STATE}
    from ${releasesIndexedBy(dialect, 'releases_state')} ${orderedJoin(dialect)} releases r on r.id = releases.id join offices on offices.id = r.office_id
    where releases.id in ${ids} and ${isPublicAt(expressionBuilder<DB, 'releases'>(), now)}
    order by releases.published_at desc, releases.id desc`.execute(db);
  return rows;
};

/**
 * The newest releases of an office public at `now`: "more from this press office" on its release
 * pages. Their ids come from the end of `releases_listed_office`.
 */
export const listNewestOfOffice = (db: Kysely<DB>, officeId: number, now: string, limit: number) =>
  newestPublicItems(
    db,
    now,
    sql<number>`(select releases.id from releases where releases.office_id = ${officeId} and ${isPublicAt(expressionBuilder<DB, 'releases'>(), now)}
      order by releases.published_at desc, releases.id desc limit ${limit})`,
  );

/** Per topic, how many of its newest public releases (by id) the lists beside a release draw on. */
const RELATED_PER_TOPIC = 40;

/**
 * Up to 40 of a topic's releases public at `now` (`isPublicAt`), those with the highest ids (the
 * last made, nearly always the newest), newest published first: what "related releases" on a
 * release page draw on. The topic's releases are walked from the end of the index on (topic_id,
 * release_id) and each is checked in `releases_state` without reading its row, until 40 are public: a topic with a hundred thousand releases costs as little as
 * a small one, and drafts and scheduled releases on top of it are passed over (taking the 40 newest
 * ids first, public or not, left the lists empty on a site with 40 drafts or scheduled releases on a
 * topic).
 */
export const listNewestOfTopic = (db: Kysely<DB>, topicSlug: string, now: string) =>
  newestPublicItems(
    db,
    now,
    sql<number>`(select rt.release_id from release_topics rt ${orderedJoin(dialectOf(db))} ${releasesIndexedBy(dialectOf(db), 'releases_state')} on releases.id = rt.release_id
      where rt.topic_id = (select id from topics where slug = ${topicSlug}) and ${isPublicAt(expressionBuilder<DB, 'releases'>(), now)}
      order by rt.release_id desc limit ${RELATED_PER_TOPIC})`,
  );

export type ReleaseCardRow = Awaited<ReturnType<typeof listPublicCards>>[number];
export type ListItemRow = Omit<ReleaseCardRow, 'body_text'>;

/**
 * One page of public release summaries, with office, terms and lead photo, in one query. The page's
 * ids are chosen first (`page`), so bodies and the JSON of terms and photos are read for that page
 * only, not for every public release the sort passes over.
 */
export const listPublicReleases = (db: Kysely<DB>, filter: PublicFilter, limit: number, offset: number) =>
  db
    .with('page', (qb) =>
      qb
        .selectFrom('releases')
        .where((eb) => applyFilter(eb, filter))
        .select('releases.id')
        .orderBy('releases.published_at', 'desc')
        .orderBy('releases.id', 'desc')
        .limit(limit)
        .offset(offset),
    )
    .selectFrom('page')
    .innerJoin('releases', 'releases.id', 'page.id')
    .innerJoin('offices', 'offices.id', 'releases.office_id')
    .select([...LIST_COLUMNS, 'releases.summary'])
    .select((eb) => [
      topicsOf(eb, dialectOf(db)).as('topics'),
      regionsOf(eb, dialectOf(db)).as('regions'),
      jsonObjectFrom(
        dialectOf(db),
        eb
          .selectFrom('release_photos as p')
          .whereRef('p.release_id', '=', 'releases.id')
          .where('p.path', 'is not', null)
          .select(['p.id', 'p.path', 'p.alt', 'p.caption', 'p.credit', 'p.width', 'p.height', 'p.mime', 'p.bytes', 'p.variants_json'])
          .orderBy('p.position')
          .limit(1),
      ).as('lead_photo'),
    ])
    .orderBy('releases.published_at', 'desc')
    .orderBy('releases.id', 'desc')
    .execute();

/** Which of `ids` are releases that exist and are not withdrawn (release.ts `isWithdrawnAt`). */
export const listUnwithdrawnIdsAmong = async (db: Kysely<DB>, ids: number[]): Promise<number[]> =>
  (await db.selectFrom('releases').select('releases.id').where('releases.id', 'in', ids).where((eb) => eb.not(isWithdrawnAt(eb))).execute()).map((r) => r.id);

export type ReleaseSummaryRow = Awaited<ReturnType<typeof listPublicReleases>>[number];

/** The scope of a listing whose count the triggers keep (migration 0131): the site, an office, a topic or a region. */
const countedScope = (f: PublicFilter): { scope: 'site' | 'office' | 'topic' | 'region'; id: number } | null => {
  const { now: _now, officeId, topicId, regionId, ...rest } = f;
  if (Object.values(rest).some((v) => v !== undefined)) return null;
  const given = [officeId, topicId, regionId].filter((v) => v !== undefined).length;
  if (given > 1) return null;
  if (officeId !== undefined) return { scope: 'office', id: officeId };
  if (topicId !== undefined) return { scope: 'topic', id: topicId };
  if (regionId !== undefined) return { scope: 'region', id: regionId };
  return { scope: 'site', id: 0 };
};

/**
 * The two corrections to the kept counts at `now`, as common table expressions: `due`, the scheduled
 * releases whose time has come before the job flipped them, and `ahead`, the published ones dated
 * after `now`. Both come from their partial indexes (`releases_scheduled`, `releases_published`) and
 * are nearly always empty; `materialized` keeps the planner from walking a scope's releases instead.
 */
const keptCountCorrections = (now: string) => sql`
  with due as materialized (select id, office_id from releases where status = 'scheduled' and published_at <= ${now}),
    ahead as materialized (select id, office_id from releases where status = 'published' and published_at > ${now})`;

/**
 * How many releases are public at `now` under this filter. For the site, an office, a topic or a
 * region: the kept count of published releases (one row, migration 0131), plus the scheduled ones
 * whose time has come before the job flipped them, minus published ones dated after `now`
 * (`keptCountCorrections`, joined in order so SQLite does not walk an office's releases instead).
 * Other filters count the matching rows.
 */
export const countPublicReleases = async (db: Kysely<DB>, filter: PublicFilter): Promise<number> => {
  const scope = countedScope(filter);
  if (scope) {
    const inScope =
      scope.scope === 'site'
        ? sql`true`
        : scope.scope === 'office'
          ? sql`x.office_id = ${scope.id}`
          : scope.scope === 'topic'
            ? sql`exists (select 1 from release_topics rt where rt.release_id = x.id and rt.topic_id = ${scope.id})`
            : sql`exists (select 1 from release_regions rr where rr.release_id = x.id and rr.region_id = ${scope.id})`;
    // `isPublicAt` counted through the kept counts: the published releases, plus the scheduled ones
    // already due (`isDueAt`), less published ones dated ahead (test/unit/published-counts.test.ts
    // holds it equal to counting with `isPublicAt`).
    const { rows } = await sql<{ n: number }>`
      ${keptCountCorrections(filter.now)}
      select coalesce((select n from published_counts where scope = ${scope.scope} and scope_id = ${scope.id}), 0)
        + (select count(*) from due ${orderedJoin(dialectOf(db))} releases x on x.id = due.id where ${inScope})
        - (select count(*) from ahead ${orderedJoin(dialectOf(db))} releases x on x.id = ahead.id where ${inScope}) as n`.execute(db);
    return Number(rows[0]!.n);
  }
  const row = await db
    .selectFrom('releases')
    .where((eb) => applyFilter(eb, filter))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

/**
 * `countPublicReleases` for every office, topic or region at once, by id (the directory pages): the
 * kept counts with `keptCountCorrections`. Counting the public releases of each
 * term through release_topics read every release row: 1.1 s for /topics at 100,000 releases, on the
 * server's one thread, at every first view after a publish. An id with no public release is absent.
 */
export const countPublicReleasesPer = async (db: Kysely<DB>, scope: 'office' | 'topic' | 'region', now: string): Promise<Map<number, number>> => {
  // One statement, so the kept counts and the two corrections are read at one moment: a release
  // published by the job between two reads would otherwise be counted in neither.
  const join = orderedJoin(dialectOf(db));
  const idOf = (from: string) =>
    scope === 'office'
      ? sql`select x.office_id as id, ${sql.lit(from === 'due' ? 1 : -1)} as n from ${sql.table(from)} x`
      : scope === 'topic'
        ? sql`select j.topic_id as id, ${sql.lit(from === 'due' ? 1 : -1)} as n from ${sql.table(from)} x ${join} release_topics j on j.release_id = x.id`
        : sql`select j.region_id as id, ${sql.lit(from === 'due' ? 1 : -1)} as n from ${sql.table(from)} x ${join} release_regions j on j.release_id = x.id`;
  const { rows } = await sql<{ id: number; n: number }>`
    ${keptCountCorrections(now)}
    select id, sum(n) as n from (
      select scope_id as id, n from published_counts where scope = ${scope}
      union all ${idOf('due')}
      union all ${idOf('ahead')}
    ) as counted group by id`.execute(db);
  return new Map(rows.filter((r) => Number(r.n) !== 0).map((r) => [Number(r.id), Number(r.n)]));
};

/** Everything of a release: its columns, office, terms, photos, attachments and corrections (one row a release, no extra queries). */
const fullReleases = (db: Kysely<DB>) =>
  db
    .selectFrom('releases')
    .innerJoin('offices', 'offices.id', 'releases.office_id')
    .selectAll('releases')
    .select(['offices.slug as office_slug', 'offices.name as office_name', 'offices.logo_path as office_logo_path'])
    .select((eb) => [
      topicsOf(eb, dialectOf(db)).as('topics'),
      regionsOf(eb, dialectOf(db)).as('regions'),
      jsonArrayFrom(
        dialectOf(db),
        eb
          .selectFrom('release_photos as p')
          .whereRef('p.release_id', '=', 'releases.id')
          .select(['p.id', 'p.path', 'p.alt', 'p.caption', 'p.credit', 'p.position', 'p.width', 'p.height', 'p.mime', 'p.bytes', 'p.variants_json'])
          .orderBy('p.position')
          .orderBy('p.id'),
      ).as('photos'),
      jsonArrayFrom(
        dialectOf(db),
        eb
          .selectFrom('release_attachments as a')
          .whereRef('a.release_id', '=', 'releases.id')
          .select(['a.id', 'a.title', 'a.path', 'a.mime', 'a.bytes', 'a.sha256', 'a.position'])
          .orderBy('a.position')
          .orderBy('a.id'),
      ).as('attachments'),
      jsonArrayFrom(
        dialectOf(db),
        eb
          .selectFrom('release_revisions as v')
          .whereRef('v.release_id', '=', 'releases.id')
          .select(['v.created_at', 'v.note', 'v.file_changes_json'])
          .orderBy('v.created_at')
          .orderBy('v.id'),
      ).as('revisions'),
    ]);

const releaseById = (db: Kysely<DB>, id: number) => fullReleases(db).where('releases.id', '=', id);
export type ReleaseRow = NonNullable<Awaited<ReturnType<ReturnType<typeof releaseById>['executeTakeFirst']>>>;

/**
 * The release query compiled once per database (and transaction): building and compiling it with
 * Kysely cost more than running it, on every release page not in the page cache. Its one parameter
 * is the id.
 */
const compiledById = new WeakMap<Kysely<DB>, CompiledQuery<ReleaseRow>>();

/** A release with its office, terms, photos and corrections, in one query. */
export const findReleaseById = async (db: Kysely<DB>, id: number): Promise<ReleaseRow | undefined> => {
  if (!isRowId(id)) return undefined;
  let compiled = compiledById.get(db);
  if (!compiled) {
    compiled = releaseById(db, 0).compile();
    if (compiled.parameters.length !== 1) throw new Error(`the release query has ${compiled.parameters.length} parameters, expected only the id`);
    compiledById.set(db, compiled);
  }
  const { rows } = await db.executeQuery<ReleaseRow>({ ...compiled, parameters: [id] });
  return rows[0];
};

/**
 * The newest public releases complete (feeds, digests: every channel that shows whole releases), in
 * one query: the ids are chosen first, so photos and corrections are read for those releases only.
 */
export const listPublicFullReleases = (db: Kysely<DB>, filter: PublicFilter, limit: number): Promise<ReleaseRow[]> =>
  fullReleases(db)
    .where('releases.id', 'in', (eb) =>
      eb
        .selectFrom('releases')
        .where((w) => applyFilter(w, filter))
        .select('releases.id')
        .orderBy('releases.published_at', 'desc')
        .orderBy('releases.id', 'desc')
        .limit(limit),
    )
    .orderBy('releases.published_at', 'desc')
    .orderBy('releases.id', 'desc')
    .execute();

/**
 * Where a page of the API's release list starts: newest publication first (`published`), or oldest
 * last public change first (`changed`, for syncing); `after` is the last release of the page before.
 */
export interface ReleaseKeyset {
  order: 'published' | 'changed';
  after?: { at: string; id: number };
}

/**
 * Releases complete in a stable order, `limit` of them after a keyset position: the ids are chosen
 * first (one ordered walk), then read whole, as feeds read them.
 */
export const listReleasesAfter = (db: Kysely<DB>, filter: PublicFilter, keyset: ReleaseKeyset, limit: number): Promise<ReleaseRow[]> => {
  const changed = keyset.order === 'changed';
  const at = (eb: ExpressionBuilder<DB, 'releases'>) => (changed ? lastPublicChangeOf(eb) : eb.ref('releases.published_at'));
  return fullReleases(db)
    .where('releases.id', 'in', (eb) =>
      eb
        .selectFrom('releases')
        .where((w) => applyFilter(w, filter))
        .$if(keyset.after !== undefined, (q) =>
          q.where((w) => {
            const { at: position, id } = keyset.after!;
            const direction = changed ? '>' : '<';
            return w.or([w(at(w), direction, position), w.and([w(at(w), '=', position), w('releases.id', direction, id)])]);
          }),
        )
        .select('releases.id')
        .orderBy((w) => at(w), changed ? 'asc' : 'desc')
        .orderBy('releases.id', changed ? 'asc' : 'desc')
        .limit(limit),
    )
    .orderBy((eb) => at(eb), changed ? 'asc' : 'desc')
    .orderBy('releases.id', changed ? 'asc' : 'desc')
    .execute();
};

/** Ids of the topics or regions with these slugs (a release's terms), with the slugs not found. */
export const findTermIds = async (db: Kysely<DB>, table: 'topics' | 'regions', slugs: string[]): Promise<{ ids: number[]; unknown: string[] }> => {
  if (slugs.length === 0) return { ids: [], unknown: [] };
  const rows = await db.selectFrom(table).select(['id', 'slug']).where('slug', 'in', slugs).execute();
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  return { ids: [...new Set(slugs)].flatMap((s) => bySlug.get(s) ?? []), unknown: slugs.filter((s) => !bySlug.has(s)) };
};

/** What decides who may see a release's media: its office, status, publication time and preview token. */
export const findReleaseAccess = (db: Kysely<DB>, id: number) =>
  db.selectFrom('releases').select(['id', 'office_id', 'status', 'published_at', 'preview_token']).where('id', '=', id).executeTakeFirst();

/** Another release of the office (not `exceptId`) with this slug. */
export const findReleaseIdBySlug = async (db: Kysely<DB>, officeId: number, slug: string, exceptId: number): Promise<number | undefined> =>
  (await db.selectFrom('releases').select('id').where('office_id', '=', officeId).where('slug', '=', slug).where('id', '!=', exceptId).executeTakeFirst())?.id;

export const findReleaseIdByPreviewToken = async (db: Kysely<DB>, token: string): Promise<number | undefined> =>
  (await db.selectFrom('releases').select('id').where('preview_token', '=', token).executeTakeFirst())?.id;

export const insertRelease = async (db: Kysely<DB>, values: NewRow<'releases'>): Promise<number> =>
  (await db.insertInto('releases').values(values).returning('id').executeTakeFirstOrThrow()).id;

/**
 * Makes a scheduled release whose time has come published; false when it is not scheduled any more
 * or was moved to a later time meanwhile (another process published it, an editor rescheduled it).
 */
export const publishScheduled = async (db: Kysely<DB>, id: number, now: string): Promise<boolean> =>
  Number((await db.updateTable('releases').set({ status: 'published' }).where('id', '=', id).where((eb) => isDueAt(eb, now)).executeTakeFirst()).numUpdatedRows) === 1;

/** Updates a release only while it still has the status `from`; false when it has another by now. */
export const updateReleaseFrom = async (db: Kysely<DB>, id: number, from: Row<'releases'>['status'], values: RowUpdate<'releases'>): Promise<boolean> =>
  Number((await db.updateTable('releases').set(values).where('id', '=', id).where('status', '=', from).executeTakeFirst()).numUpdatedRows) === 1;

export const updateRelease = (db: Kysely<DB>, id: number, values: RowUpdate<'releases'>) =>
  db.updateTable('releases').set(values).where('id', '=', id).execute();

export const replaceReleaseTerms = async (db: Kysely<DB>, releaseId: number, topicIds: number[], regionIds: number[]): Promise<void> => {
  await db.deleteFrom('release_topics').where('release_id', '=', releaseId).execute();
  await db.deleteFrom('release_regions').where('release_id', '=', releaseId).execute();
  if (topicIds.length > 0) await db.insertInto('release_topics').values(topicIds.map((topic_id) => ({ release_id: releaseId, topic_id }))).execute();
  if (regionIds.length > 0) await db.insertInto('release_regions').values(regionIds.map((region_id) => ({ release_id: releaseId, region_id }))).execute();
};

export const insertPhoto = async (db: Kysely<DB>, values: NewRow<'release_photos'>): Promise<number> =>
  (await db.insertInto('release_photos').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const findPhotoById = (db: Kysely<DB>, id: number): Promise<Row<'release_photos'> | undefined> =>
  db.selectFrom('release_photos').selectAll().where('id', '=', id).executeTakeFirst();

export const insertRevision = (db: Kysely<DB>, values: NewRow<'release_revisions'>) => db.insertInto('release_revisions').values(values).execute();

/** Scheduled releases whose time has come. */
export const listDueScheduledIds = async (db: Kysely<DB>, now: string): Promise<number[]> =>
  (await db.selectFrom('releases').select('id').where((eb) => isDueAt(eb, now)).execute()).map((r) => r.id);

export const findNextScheduledAt = async (db: Kysely<DB>): Promise<string | undefined> =>
  (await db.selectFrom('releases').select((eb) => eb.fn.min('published_at').as('at')).where((eb) => isScheduled(eb)).executeTakeFirst())?.at ?? undefined;

/** Months (of the release date) that hold public releases, newest first, with counts. */
export const listArchiveMonths = async (db: Kysely<DB>, now: string): Promise<{ month: string; n: number }[]> => {
  const { rows } = await sql<{ month: string; n: number }>`
    select substr(release_date, 1, 7) as month, count(*) as n from ${releasesIndexedBy(dialectOf(db), 'releases_dated')}
    where ${isPublicAt(expressionBuilder<DB, 'releases'>(), now)} group by month order by month desc`.execute(db);
  return rows;
};

/**
 * Id, slug and dates of the releases public at `now` dated in [dateFrom, dateBefore), for one file
 * of the sitemap: in order of their date, `limit` from `offset`.
 */
export const listPublicReleaseLocations = (db: Kysely<DB>, range: { now: string; dateFrom: string; dateBefore: string }, limit: number, offset: number) =>
  db
    .selectFrom('releases')
    .where((eb) => applyFilter(eb, range))
    .select(['id', 'slug', 'updated_at', 'published_at'])
    .orderBy('release_date')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();

/** The content version and the time of the change that last bumped it. */
export const readSiteState = (db: Kysely<DB>) =>
  db.selectFrom('site_state').select(['content_version', 'changed_at']).where('id', '=', 1).executeTakeFirstOrThrow();

export const bumpContentVersion = (db: Kysely<DB>, now: string) =>
  db
    .updateTable('site_state')
    .set((eb) => ({ content_version: eb('content_version', '+', 1), changed_at: now }))
    .where('id', '=', 1)
    .execute();

/** Releases of an office for the admin area, newest change first (`releases_office_changed`): `limit` from `offset`. */
export const listReleasesOfOffice = (db: Kysely<DB>, officeId: number, limit: number, offset = 0) =>
  officeReleaseRows(db, officeId).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();

/** These releases of an office for the admin area, in no order (the caller orders them). */
export const listReleasesOfOfficeByIds = (db: Kysely<DB>, officeId: number, ids: number[]) =>
  officeReleaseRows(db, officeId).where(sql<number>`releases.id`, 'in', integerList(dialectOf(db), ids)).execute();

const officeReleaseRows = (db: Kysely<DB>, officeId: number) =>
  db
    .selectFrom('releases')
    .where('office_id', '=', officeId)
    .select(['id', 'slug', 'title', 'status', 'release_date', 'published_at', 'updated_at', 'withdrawn_at', 'preview_token']);

/**
 * Every draft and scheduled release of an office, in no order. Their status is read from
 * `releases_state`, for the office's ids from one of the indexes that begin with the office: no row
 * of a published release is read (an office has thousands of those and a few drafts).
 */
export const listUnpublishedOfOffice = async (db: Kysely<DB>, officeId: number) => {
  const { rows } = await sql<{ id: number }>`
    select releases.id from ${releasesIndexedBy(dialectOf(db), 'releases_state')}
    where releases.status in ('draft', 'scheduled') and releases.id in (select x.id from releases x where x.office_id = ${officeId})`.execute(db);
  return rows.length > 0 ? listReleasesOfOfficeByIds(db, officeId, rows.map((r) => Number(r.id))) : [];
};

/** How many releases an office has, of every status (from the index on office and slug). */
export const countReleasesOfOffice = async (db: Kysely<DB>, officeId: number): Promise<number> =>
  Number((await db.selectFrom('releases').where('office_id', '=', officeId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Id and title of every release of an office, newest change first: what the admin area's title filter looks through. */
export const listReleaseTitlesOfOffice = (db: Kysely<DB>, officeId: number) =>
  db.selectFrom('releases').where('office_id', '=', officeId).select(['id', 'title']).orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();

export const listPhotosOfRelease = (db: Kysely<DB>, releaseId: number): Promise<Row<'release_photos'>[]> =>
  db.selectFrom('release_photos').selectAll().where('release_id', '=', releaseId).orderBy('position').orderBy('id').execute();

export const updatePhoto = (db: Kysely<DB>, id: number, values: RowUpdate<'release_photos'>) => db.updateTable('release_photos').set(values).where('id', '=', id).execute();

export const deletePhoto = (db: Kysely<DB>, id: number) => db.deleteFrom('release_photos').where('id', '=', id).execute();

export const insertAttachment = async (db: Kysely<DB>, values: NewRow<'release_attachments'>): Promise<number> =>
  (await db.insertInto('release_attachments').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const listAttachmentsOfRelease = (db: Kysely<DB>, releaseId: number): Promise<Row<'release_attachments'>[]> =>
  db.selectFrom('release_attachments').selectAll().where('release_id', '=', releaseId).orderBy('position').orderBy('id').execute();

export const updateAttachment = (db: Kysely<DB>, id: number, values: RowUpdate<'release_attachments'>) =>
  db.updateTable('release_attachments').set(values).where('id', '=', id).execute();

export const deleteAttachment = (db: Kysely<DB>, id: number) => db.deleteFrom('release_attachments').where('id', '=', id).execute();

/** The attachment stored at `path` (a file of the media folder), with its release's slug for the download name. */
export const findAttachmentByPath = (db: Kysely<DB>, path: string) =>
  db
    .selectFrom('release_attachments as a')
    .innerJoin('releases', 'releases.id', 'a.release_id')
    .select(['a.id', 'a.release_id', 'a.title', 'a.path', 'a.mime', 'a.bytes', 'releases.slug'])
    .where('a.path', '=', path)
    .executeTakeFirst();

export const deleteRelease = (db: Kysely<DB>, id: number) => db.deleteFrom('releases').where('id', '=', id).execute();

export const findReleasePreviewToken = async (db: Kysely<DB>, id: number): Promise<string | null | undefined> =>
  (await db.selectFrom('releases').select('preview_token').where('id', '=', id).executeTakeFirst())?.preview_token;
