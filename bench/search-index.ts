// Builds the search index of a benchmark database in bulk, as the release service would have
// written it row by row (search.indexer.ts): every public release, newest first. Used by the
// search bench and by bench/data.ts for the soak and the page bench at scale; bench/postgres.ts
// writes the same documents into PostgreSQL's index (`indexDocuments` is shared).
import SQLite from 'better-sqlite3';
import { isPublic, type ReleaseState } from '../src/modules/releases/release.ts';
import { searchKey } from '../src/modules/search/search.keys.ts';
import { buildSearchDocument, type SearchDocument } from '../src/modules/search/search.text.ts';
import { deletionVariants, isVocabularyTerm, writtenForms } from '../src/modules/search/search.suggest.ts';

export interface IndexEntry {
  releaseId: number;
  key: number;
  document: SearchDocument;
}

/** The vocabulary for suggestions (search.suggest.ts), as the indexer keeps it: each term with the form the release that brought it writes it in. */
export type Vocabulary = Map<string, string | null>;

/**
 * The index entries of the public releases of a SQLite benchmark database, newest first, in batches
 * of 5,000; `vocabulary` gathers their terms on the way, as the indexer does.
 */
export function* indexDocuments(db: SQLite.Database, vocabulary: Vocabulary, now = new Date().toISOString()): Generator<IndexEntry[]> {
  const select = db.prepare(`
    select r.id, r.status, r.published_at, r.title, r.subtitle, r.dateline, r.body_text, r.office_id, r.language, r.release_date, o.name as office_name, json_extract(r.contact_json, '$.name') as contact_name,
      (select group_concat(rt.topic_id) from release_topics rt where rt.release_id = r.id) as topic_ids,
      (select group_concat(rr.region_id) from release_regions rr where rr.release_id = r.id) as region_ids,
      (select group_concat(p.caption || ' ' || p.alt, ' ') from release_photos p where p.release_id = r.id) as captions,
      (select group_concat(t.name, ' ') from release_topics rt join topics t on t.id = rt.topic_id where rt.release_id = r.id) as topics,
      (select group_concat(g.name, ' ') from release_regions rr join regions g on g.id = rr.region_id where rr.release_id = r.id) as regions
    from releases r join offices o on o.id = r.office_id
    where r.status in ('published', 'scheduled') and r.id < ? order by r.id desc limit 5000`);
  // Newest first: keys ascend from the newest date, and FTS5 builds its lists fastest in rowid order.
  let after = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = select.all(after) as (Parameters<typeof buildSearchDocument>[0] & ReleaseState & { id: number })[];
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    const batch: IndexEntry[] = [];
    for (const r of rows) {
      if (!isPublic(r, now)) continue;
      const d = buildSearchDocument(r);
      const added = new Set<string>();
      for (const text of [d.title, d.subtitle, d.dateline, d.body, d.captions, d.office, d.topics, d.regions])
        for (const word of text.split(' ')) if (isVocabularyTerm(word) && !vocabulary.has(word)) added.add(word);
      const written = writtenForms([r.title, r.subtitle, r.dateline, r.body_text, r.captions, r.office_name, r.contact_name, r.topics, r.regions], added);
      for (const term of added) vocabulary.set(term, written.get(term) ?? null);
      batch.push({ releaseId: r.id, key: searchKey(r.release_date, r.id), document: d });
    }
    yield batch;
  }
}

/** The vocabulary's terms with their deletion variants, as search_terms and search_term_variants hold them. */
export const vocabularyRows = (vocabulary: Vocabulary) => [...vocabulary].map(([term, display]) => ({ term, display, variants: deletionVariants(term) }));

export function buildSearchIndex(file: string) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(`insert into releases_fts (rowid, title, subtitle, dateline, body, captions, office, topics, regions, facets, pairs) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertKey = db.prepare(`insert into releases_fts_keys (release_id, key) values (?, ?)`);
  const insertTitle = db.prepare(`insert into releases_fts_titles (rowid, title, subtitle, facets) values (?, ?, ?, ?)`);
  const t0 = performance.now();
  let n = 0;
  const vocabulary: Vocabulary = new Map();
  for (const batch of indexDocuments(db, vocabulary)) {
    db.transaction(() => {
      for (const { releaseId, key, document: d } of batch) {
        insertKey.run(releaseId, key);
        insertTitle.run(BigInt(key), d.title, d.subtitle, d.facets);
        insert.run(BigInt(key), d.title, d.subtitle, d.dateline, d.body, d.captions, d.office, d.topics, d.regions, d.facets, d.pairs);
      }
    })();
    n += batch.length;
  }
  const insertTerm = db.prepare(`insert or ignore into search_terms (term, display) values (?, ?)`);
  const insertVariant = db.prepare(`insert or ignore into search_term_variants (variant, term) values (?, ?)`);
  db.transaction(() => {
    for (const { term, display, variants } of vocabularyRows(vocabulary)) {
      insertTerm.run(term, display);
      for (const variant of variants) insertVariant.run(variant, term);
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
