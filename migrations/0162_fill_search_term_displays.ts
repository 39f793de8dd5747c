import { sql, type Kysely } from 'kysely';

// Gives the vocabulary terms that have no written form (`display`, null for every term of the 0142
// backfill) the form a release writes them in, so "Meinten Sie …?" shows Bürgermeister, not the
// folded burgermeister. For each such term one release holding it is found through the index (the
// entry's key carries the release id: search.keys.ts), its texts are split into words as written,
// and every still unwritten term among them gets its first written form, so one release answers for
// many terms. A term no indexed release holds keeps null (it is never suggested: it counts no
// releases). Frozen in time: the folding is a copy of src/lib/fold.ts `foldWord`, the written form
// that of src/modules/search/search.suggest.ts `writtenForms`, the key that of search.keys.ts, as of
// this migration.
const WORD = /[\p{L}\p{N}]+/gu;

const foldWord = (text: string): string => {
  const letters = /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
  return letters.replace(/(?<![aeiouyq])([aou])e/g, '$1');
};

/** The release id in an index key (search.keys.ts: -(day * 2^32 + id), a safe integer). */
const KEY_SPAN = 2 ** 32;
const releaseIdOf = (key: number): number => {
  const packed = -key;
  return packed - Math.floor(packed / KEY_SPAN) * KEY_SPAN;
};

interface Texts {
  title: string;
  subtitle: string;
  dateline: string;
  body_text: string;
  office_name: string;
  contact_name: string | null;
  captions: string | null;
  topics: string | null;
  regions: string | null;
}

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const { rows: terms } = await sql<{ term: string }>`select term from search_terms where display is null order by term`.execute(db);
  const unwritten = new Set(terms.map((r) => r.term));
  const found: [string, string][] = [];
  const flush = async () => {
    if (found.length === 0) return;
    await sql`
      update search_terms set display = j.display
      from (select json_extract(value, '$[0]') as term, json_extract(value, '$[1]') as display from json_each(${JSON.stringify(found)})) as j
      where search_terms.term = j.term and search_terms.display is null`.execute(db);
    found.length = 0;
  };
  for (const { term } of terms) {
    if (!unwritten.has(term)) continue;
    unwritten.delete(term);
    // The term as one quoted token (terms are letters only); the newest entry holding it (keys ascend from the newest date).
    const hit = await sql<{ key: number }>`select rowid as key from releases_fts where releases_fts match ${`"${term}"`} order by rowid limit 1`.execute(db);
    const key = hit.rows[0]?.key;
    if (key === undefined) continue;
    const { rows } = await sql<Texts>`
      select r.title, r.subtitle, r.dateline, r.body_text, o.name as office_name, json_extract(r.contact_json, '$.name') as contact_name,
        (select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id) as captions,
        (select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id) as topics,
        (select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id) as regions
      from releases r join offices o on o.id = r.office_id where r.id = ${releaseIdOf(Number(key))}`.execute(db);
    const r = rows[0];
    if (!r) continue;
    let own = false;
    for (const text of [r.title, r.subtitle, r.dateline, r.body_text, r.captions, r.office_name, r.contact_name, r.topics, r.regions])
      for (const written of text?.match(WORD) ?? []) {
        const folded = foldWord(written);
        const display = written.normalize('NFKC').toLowerCase();
        if (folded === term && !own) {
          found.push([term, display]);
          own = true;
        } else if (unwritten.has(folded)) {
          found.push([folded, display]);
          unwritten.delete(folded);
        }
      }
    if (found.length >= BATCH) await flush();
  }
  await flush();
}

export async function down(): Promise<void> {
  // The written forms are kept: the folded form is no better.
}
