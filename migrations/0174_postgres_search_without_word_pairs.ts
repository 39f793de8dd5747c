import { PostgresAdapter, sql, type Kysely } from 'kysely';

// PostgreSQL's search index no longer holds word pairs (`neue_zahlen`): its phrases match by
// positions, and the pairs doubled the documents every search reads. They are taken out of the
// entries written before. SQLite's FTS5 index keeps its pairs column: nothing to do there.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    update release_search set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme ~ '^[^_]+_'))
    where exists (select 1 from unnest(document) where lexeme ~ '^[^_]+_')`.execute(db);
}

export async function down(): Promise<void> {}
