// All Kysely code for the imprint and privacy pages.
import type { Kysely } from 'kysely';
import type { DB, LegalKind, Row } from '../../db/database.ts';

export const findLegalPage = (db: Kysely<DB>, kind: LegalKind): Promise<Row<'legal_pages'> | undefined> =>
  db.selectFrom('legal_pages').selectAll().where('kind', '=', kind).executeTakeFirst();

export const upsertLegalPage = (db: Kysely<DB>, values: Row<'legal_pages'>) =>
  db
    .insertInto('legal_pages')
    .values(values)
    .onConflict((oc) => oc.column('kind').doUpdateSet({ body_markdown: values.body_markdown, body_html: values.body_html, updated_at: values.updated_at }))
    .execute();
