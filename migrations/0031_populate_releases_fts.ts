import { sql, type Kysely } from 'kysely';

// Fills releases_fts with every published or scheduled release that exists already. Frozen in
// time: the folding below is a copy of src/modules/search/search.text.ts as of this migration
// (a later change of the rules ships its own reindex migration; 0034 reuses these helpers).
const WORD = /[\p{L}\p{N}]+/gu;

const foldWord = (text: string): string => {
  const lower = text.toLowerCase();
  const plain = /^[\x00-\x7f]*$/.test(lower) ? lower : lower.replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
  return plain.replace(/(?<![aeiouyq])([aou])e/g, '$1');
};

export const foldText = (text: string | null): string => (foldWord(text ?? '').match(WORD) ?? []).join(' ');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

export const htmlToText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (whole, name: string) => {
      if (name in ENTITIES) return ENTITIES[name]!;
      if (/^#x/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return whole;
    });

/** Filter tokens: office, topics, regions, language, decade, year and month of the release date. */
const facets = (r: { office_id: number; language: string; release_date: string; topic_ids: string | null; region_ids: string | null }): string => {
  const ids = (list: string | null) => (list ? list.split(',').filter(Boolean) : []);
  const [year, month] = r.release_date.split('-');
  return [`o${r.office_id}`, ...ids(r.topic_ids).map((id) => `t${id}`), ...ids(r.region_ids).map((id) => `g${id}`), `l${r.language}`, `d${year!.slice(0, 3)}`, `y${year}`, `m${year}${month}`].join(' ');
};

/** A release with what the index is built from (0034 reads the same). */
export interface IndexSourceRow {
  id: number;
  title: string;
  subtitle: string;
  dateline: string;
  body_html: string;
  office_name: string;
  office_id: number;
  language: string;
  release_date: string;
  topic_ids: string | null;
  region_ids: string | null;
  captions: string | null;
  topics: string | null;
  regions: string | null;
}

/** The select list of IndexSourceRow, for `from releases r join offices o on o.id = r.office_id`. */
export const INDEX_SOURCE_COLUMNS = sql`
  r.id, r.title, r.subtitle, r.dateline, r.body_html, r.office_id, r.language, r.release_date, o.name as office_name,
  (select group_concat(rt.topic_id) from release_topics rt where rt.release_id = r.id) as topic_ids,
  (select group_concat(rr.region_id) from release_regions rr where rr.release_id = r.id) as region_ids,
  (select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id) as captions,
  (select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id) as topics,
  (select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id) as regions`;

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<IndexSourceRow>`
      select ${INDEX_SOURCE_COLUMNS}
      from releases r join offices o on o.id = r.office_id
      where r.status in ('published', 'scheduled') and r.id > ${after}
      order by r.id limit ${BATCH}
    `.execute(db);
    if (rows.length === 0) break;
    for (const r of rows) {
      await sql`
        insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets)
        values (${r.id}, ${foldText(r.title)}, ${foldText(r.subtitle)}, ${foldText(r.dateline)}, ${foldText(htmlToText(r.body_html))},
          ${foldText(r.captions)}, ${foldText(r.office_name)}, ${foldText(r.topics)}, ${foldText(r.regions)}, ${facets(r)})
      `.execute(db);
    }
    after = rows.at(-1)!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from releases_fts`.execute(db);
}
