import { sql, type Kysely } from 'kysely';

// Fills the vocabulary tables (0140) with the words the search index holds now, read from its term
// list (the fts5vocab table releases_fts_terms) by stepping from one distinct word to the next:
// one seek per word, word pairs (`radweg_an`) and facet tokens (`_o12`) jumped over. Frozen in time:
// which words count and their variants are a copy of src/modules/search/search.suggest.ts
// `isVocabularyTerm` and `deletionVariants` as of this migration.
const TERM = /^\p{L}{4,40}$/u;

const variantsOf = (term: string): string[] => {
  const letters = [...term];
  const out = new Set([term]);
  for (let i = 0; i < letters.length; i++) out.add([...letters.slice(0, i), ...letters.slice(i + 1)].join(''));
  return [...out];
};

const STEP = 2000;

export async function up(db: Kysely<any>): Promise<void> {
  let from = '';
  for (;;) {
    // The next STEP distinct terms from `from` on (inclusive); a pair or facet token jumps past its first word.
    const { rows } = await sql<{ term: string }>`
      with recursive t(term, n) as (
        select (select term from releases_fts_terms where term >= ${from} limit 1), 0
        union all
        select (
          select term from releases_fts_terms
          where term >= (case when instr(t.term, '_') > 0 then substr(t.term, 1, instr(t.term, '_') - 1) || '\x60' else t.term || char(1) end)
          limit 1
        ), n + 1 from t
        where t.term is not null and n < ${STEP}
      )
      select term from t where term is not null`.execute(db);
    if (rows.length === 0) break;
    const terms = rows.map((r) => r.term).filter((t) => !t.includes('_') && TERM.test(t));
    for (const term of terms) {
      await sql`insert or ignore into search_terms (term) values (${term})`.execute(db);
      for (const variant of variantsOf(term)) await sql`insert or ignore into search_term_variants (variant, term) values (${variant}, ${term})`.execute(db);
    }
    // Fewer than asked: the list has ended (the recursion stops at a null). Otherwise on after the last.
    if (rows.length < STEP + 1) break;
    const last = rows.at(-1)!.term;
    from = last.includes('_') ? `${last.slice(0, last.indexOf('_'))}\x60` : `${last}\u0001`;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from search_term_variants`.execute(db);
  await sql`delete from search_terms`.execute(db);
}
