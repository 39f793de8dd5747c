import { sql, type Kysely } from 'kysely';

// Rebuilds the search index for two changes of what it holds:
// - folding now starts with Unicode compatibility normalisation (NFKC), so CO₂ is co2, ½ is 1⁄2
//   (the words 1 and 2), the ligature ﬁ is fi and full-width letters are plain ones, in the index as
//   in every query;
// - the office column holds the name in the release's contact block beside the office name, so a
//   press contact's name finds their releases.
// Every entry is written anew under its key (releases_fts_keys), newest first, as 0034 did; only
// published releases are indexed (a scheduled one enters when published). Frozen in time: the rules
// below are a copy of src/modules/search/search.text.ts as of this migration. At a million releases
// this takes about as long as the 0034 backfill (half an hour); it stops and resumes as a whole.
const WORD = /[\p{L}\p{N}]+/gu;

const foldWord = (text: string): string => {
  const letters = /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
  return letters.replace(/(?<![aeiouyq])([aou])e/g, '$1');
};

const foldText = (text: string | null): string => (foldWord(text ?? '').match(WORD) ?? []).join(' ');

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

interface Row {
  id: number;
  title: string;
  subtitle: string;
  dateline: string;
  body_text: string;
  office_name: string;
  contact_name: string | null;
  office_id: number;
  language: string;
  release_date: string;
  topic_ids: string | null;
  region_ids: string | null;
  captions: string | null;
  topics: string | null;
  regions: string | null;
}

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into releases_fts (releases_fts) values ('delete-all')`.execute(db);
  await sql`insert into releases_fts_titles (releases_fts_titles) values ('delete-all')`.execute(db);
  await sql`delete from releases_fts_keys`.execute(db);
  let after = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const { rows } = await sql<Row>`
      select r.id, r.title, r.subtitle, r.dateline, r.body_text, r.office_id, r.language, r.release_date,
        o.name as office_name, json_extract(r.contact_json, '$.name') as contact_name,
        (select group_concat(rt.topic_id) from release_topics rt where rt.release_id = r.id) as topic_ids,
        (select group_concat(rr.region_id) from release_regions rr where rr.release_id = r.id) as region_ids,
        (select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id) as captions,
        (select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id) as topics,
        (select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id) as regions
      from releases r join offices o on o.id = r.office_id
      where r.status = 'published' and r.id < ${after}
      order by r.id desc limit ${BATCH}
    `.execute(db);
    if (rows.length === 0) break;
    for (const r of rows) {
      const k = BigInt(key(r.release_date, r.id));
      const office = r.contact_name ? `${r.office_name} ${r.contact_name}` : r.office_name;
      const text = [r.title, r.subtitle, r.dateline, r.body_text, r.captions, office, r.topics, r.regions].map(foldText);
      const [title, subtitle, dateline, body, captions, officeText, topics, regions] = text;
      const f = facets(r);
      await sql`
        insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs)
        values (${k}, ${title}, ${subtitle}, ${dateline}, ${body}, ${captions}, ${officeText}, ${topics}, ${regions}, ${f}, ${pairsOf(text)})
      `.execute(db);
      await sql`insert into releases_fts_titles (rowid, title, subtitle, facets) values (${k}, ${title}, ${subtitle}, ${f})`.execute(db);
      await sql`insert into releases_fts_keys (release_id, key) values (${r.id}, ${k})`.execute(db);
    }
    after = rows.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('0141 cannot be undone: restore a backup taken before the upgrade');
}
