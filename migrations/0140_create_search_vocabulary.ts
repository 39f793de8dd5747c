import { sql, type Kysely } from 'kysely';

// The vocabulary of the search index, for "Did you mean …?" (src/modules/search/search.suggest.ts).
// `search_terms` holds every folded word of four or more letters the index has taken in (words of
// letters, not numbers or word pairs); `search_term_variants` holds each term under itself and under
// every form with one letter left out (a deletion neighbourhood, as SymSpell keeps one), so the
// terms within one or two edits of a typed word are found by a few seeks on the primary key instead
// of a scan of the vocabulary. Both are only added to: a term whose releases have all left the index
// counts no releases when a suggestion is weighed, and is never suggested. `display` is the word as
// first written (lower case, with its umlauts: bürgermeister for burgermeister), which a suggestion
// shows; null where only the folded form is known (the backfill of 0142).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table search_terms (term text primary key not null, display text) without rowid`.execute(db);
  await sql`
    create table search_term_variants (
      variant text not null,
      term text not null,
      primary key (variant, term)
    ) without rowid
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table search_term_variants`.execute(db);
  await sql`drop table search_terms`.execute(db);
}
