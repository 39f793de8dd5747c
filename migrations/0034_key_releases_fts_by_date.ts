import { sql, type Kysely } from 'kysely';
import { foldText, htmlToText, INDEX_SOURCE_COLUMNS, type IndexSourceRow } from './0031_populate_releases_fts.ts';

// Re-keys the search index by date. An entry's rowid becomes −(day × 2^32 + id), the day being the
// release date as days since 1970 (see src/modules/search/search.keys.ts), so FTS5 reads matches
// newest first, forwards, without a lookup per match, and a date range is a rowid range.
// releases_fts_keys remembers each release's key. releases_fts_titles holds title, subtitle and facets
// alone under the same keys: its short lists tell which matches have the text in the title.
// The index is created anew, with `_` as a word character: facet tokens start with it (`_o12`), a
// user's word never can (queries are folded into letters and digits), so words need no column
// filter to stay out of the facets, and FTS5 needs no positions to check an AND of words. A last
// column, `pairs`, holds each word joined to the next (`neue_zahlen`): a phrase becomes one token
// (or an AND of them) instead of two long lists read side by side with their positions. The facets lose their date tokens (decade, year, month), which the rowid
// range replaces, and gain `all`, which every entry has (for a search by date range alone). The
// covering index of the old query-time checks goes, and so do scheduled releases: they enter the
// index when they are published (search.indexer.ts). Frozen in time, like 0031.
const KEY_SPAN = 2 ** 32;
const key = (releaseDate: string, id: number): number => {
  const [year, month, day] = releaseDate.split('-').map(Number);
  return -((Date.UTC(year!, month! - 1, day!) / 86_400_000) * KEY_SPAN + id);
};

const facets = (r: { office_id: number; language: string; topic_ids: string | null; region_ids: string | null }): string => {
  const ids = (list: string | null) => (list ? list.split(',').filter(Boolean) : []);
  return ['_all', `_o${r.office_id}`, ...ids(r.topic_ids).map((id) => `_t${id}`), ...ids(r.region_ids).map((id) => `_g${id}`), `_l${r.language}`].join(' ');
};

const pairsOf = (texts: string[]): string =>
  texts
    .flatMap((text) => {
      const words = text === '' ? [] : text.split(' ');
      return words.slice(1).map((word, i) => `${words[i]}_${word}`);
    })
    .join(' ');

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table releases_fts_keys (
      release_id integer primary key references releases (id) on delete cascade,
      key integer not null
    )
  `.execute(db);
  await sql`
    create virtual table releases_fts_titles using fts5(
      title, subtitle, facets,
      content = '', contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 2 tokenchars '_'",
      prefix = '3'
    )
  `.execute(db);
  await sql`drop table releases_fts_terms`.execute(db);
  await sql`drop table releases_fts`.execute(db);
  await sql`
    create virtual table releases_fts using fts5(
      title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs,
      content = '', contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 2 tokenchars '_'",
      prefix = '3'
    )
  `.execute(db);
  await sql`create virtual table releases_fts_terms using fts5vocab(releases_fts, 'instance')`.execute(db);
  // Newest first (ids follow publication): keys ascend from the newest date, and FTS5 builds its
  // lists fastest in rowid order.
  let after = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const { rows } = await sql<IndexSourceRow>`
      select ${INDEX_SOURCE_COLUMNS}
      from releases r join offices o on o.id = r.office_id
      where r.status = 'published' and r.id < ${after}
      order by r.id desc limit ${BATCH}
    `.execute(db);
    if (rows.length === 0) break;
    for (const r of rows) {
      const k = key(r.release_date, r.id);
      const text = [r.title, r.subtitle, r.dateline, htmlToText(r.body_html), r.captions, r.office_name, r.topics, r.regions].map(foldText);
      const [title, subtitle, dateline, body, captions, office, topics, regions] = text;
      await sql`
        insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs)
        values (${BigInt(k)}, ${title}, ${subtitle}, ${dateline}, ${body}, ${captions}, ${office}, ${topics}, ${regions}, ${facets(r)}, ${pairsOf(text)})
      `.execute(db);
      await sql`insert into releases_fts_titles (rowid, title, subtitle, facets) values (${BigInt(k)}, ${title}, ${subtitle}, ${facets(r)})`.execute(db);
      await sql`insert into releases_fts_keys (release_id, key) values (${r.id}, ${k})`.execute(db);
    }
    after = rows.at(-1)!.id;
  }
  await sql`drop index if exists releases_search`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0034 cannot be undone: restore a backup taken before the upgrade');
}
