// Builds the search index of a benchmark database in bulk, as the release service would have
// written it row by row (search.indexer.ts): every published release, newest first. Used by the
// search bench and by bench/data.ts for the soak and the page bench at scale.
import SQLite from 'better-sqlite3';
import { searchKey } from '../src/modules/search/search.keys.ts';
import { buildSearchDocument } from '../src/modules/search/search.text.ts';
import { deletionVariants, isVocabularyTerm, writtenForms } from '../src/modules/search/search.suggest.ts';

export function buildSearchIndex(file: string) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const select = db.prepare(`
    select r.id, r.title, r.subtitle, r.dateline, r.body_text, r.office_id, r.language, r.release_date, o.name as office_name, json_extract(r.contact_json, '$.name') as contact_name,
      (select group_concat(rt.topic_id) from release_topics rt where rt.release_id = r.id) as topic_ids,
      (select group_concat(rr.region_id) from release_regions rr where rr.release_id = r.id) as region_ids,
      (select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id) as captions,
      (select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id) as topics,
      (select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id) as regions
    from releases r join offices o on o.id = r.office_id
    where r.status = 'published' and r.id < ? order by r.id desc limit 5000`);
  const insert = db.prepare(`insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertKey = db.prepare(`insert into releases_fts_keys (release_id, key) values (?, ?)`);
  const insertTitle = db.prepare(`insert into releases_fts_titles (rowid, title, subtitle, facets) values (?, ?, ?, ?)`);
  const t0 = performance.now();
  // Newest first: keys ascend from the newest date, and FTS5 builds its lists fastest in rowid order.
  let after = Number.MAX_SAFE_INTEGER;
  let n = 0;
  // The vocabulary for suggestions (search.suggest.ts), as the indexer keeps it: each term with the
  // form the release that brought it writes it in (its `display`).
  const vocabulary = new Map<string, string | null>();
  for (;;) {
    const rows = select.all(after) as (Parameters<typeof buildSearchDocument>[0] & { id: number })[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        const d = buildSearchDocument(r);
        const added = new Set<string>();
        for (const text of [d.title, d.subtitle, d.dateline, d.body, d.captions, d.office, d.topics, d.regions])
          for (const word of text.split(' ')) if (isVocabularyTerm(word) && !vocabulary.has(word)) added.add(word);
        const written = writtenForms([r.title, r.subtitle, r.dateline, r.body_text, r.captions, r.office_name, r.contact_name, r.topics, r.regions], added);
        for (const term of added) vocabulary.set(term, written.get(term) ?? null);
        const key = searchKey(r.release_date, r.id);
        insertKey.run(r.id, key);
        insertTitle.run(BigInt(key), d.title, d.subtitle, d.facets);
        insert.run(BigInt(key), d.title, d.subtitle, d.dateline, d.body, d.captions, d.office, d.topics, d.regions, d.facets, d.pairs);
      }
    })();
    n += rows.length;
    after = rows.at(-1)!.id;
  }
  const insertTerm = db.prepare(`insert or ignore into search_terms (term, display) values (?, ?)`);
  const insertVariant = db.prepare(`insert or ignore into search_term_variants (variant, term) values (?, ?)`);
  db.transaction(() => {
    for (const [term, display] of vocabulary) {
      insertTerm.run(term, display);
      for (const variant of deletionVariants(term)) insertVariant.run(variant, term);
    }
  })();
  const t1 = performance.now();
  db.prepare(`insert into releases_fts (releases_fts) values ('optimize')`).run();
  db.prepare(`insert into releases_fts_titles (releases_fts_titles) values ('optimize')`).run();
  const t2 = performance.now();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return { indexed: n, terms: vocabulary.size, buildMs: t1 - t0, optimizeMs: t2 - t1 };
}
