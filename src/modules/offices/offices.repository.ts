// Press offices and their press contacts.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/database.ts';
import { dialectOf, joinedText } from '../../db/dialect.ts';
import { countPublicReleasesPer } from '../releases/releases.repository.ts';

export const findOfficeBySlug = (db: Kysely<DB>, slug: string): Promise<Row<'offices'> | undefined> =>
  db.selectFrom('offices').selectAll().where('slug', '=', slug).executeTakeFirst();

export const findOfficeById = (db: Kysely<DB>, id: number): Promise<Row<'offices'> | undefined> =>
  db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();

/** Every office with the number of its releases public at `now` (releases repository `countPublicReleasesPer`). */
export const listOfficesWithCounts = async (db: Kysely<DB>, now: string) => {
  const counts = await countPublicReleasesPer(db, 'office', now);
  const offices = await db
    .selectFrom('offices as o')
    .select(['o.id', 'o.slug', 'o.name', 'o.description_html', 'o.website', 'o.logo_path'])
    // The towns of its contacts, for the directory's filter by place.
    .select(sql<string | null>`(select ${joinedText(dialectOf(db), sql.ref('c.town'), ',', { distinct: true })} from contacts c where c.office_id = o.id and c.town <> '')`.as('towns'))
    .orderBy('o.name')
    .execute();
  return offices.map((office) => ({ ...office, releaseCount: counts.get(office.id) ?? 0 }));
};

export const listAllOffices = (db: Kysely<DB>): Promise<Row<'offices'>[]> =>
  db.selectFrom('offices').selectAll().orderBy('name').execute();

export const insertOffice = async (db: Kysely<DB>, values: NewRow<'offices'>): Promise<number> =>
  (await db.insertInto('offices').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateOffice = (db: Kysely<DB>, id: number, values: RowUpdate<'offices'>) =>
  db.updateTable('offices').set(values).where('id', '=', id).execute();

export const listContacts = (db: Kysely<DB>, officeId: number): Promise<Row<'contacts'>[]> =>
  db.selectFrom('contacts').selectAll().where('office_id', '=', officeId).orderBy('position').orderBy('id').execute();

export const findContact = (db: Kysely<DB>, officeId: number, id: number): Promise<Row<'contacts'> | undefined> =>
  db.selectFrom('contacts').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const insertContact = async (db: Kysely<DB>, values: NewRow<'contacts'>): Promise<number> =>
  (await db.insertInto('contacts').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateContact = (db: Kysely<DB>, officeId: number, id: number, values: RowUpdate<'contacts'>) =>
  db.updateTable('contacts').set(values).where('office_id', '=', officeId).where('id', '=', id).execute();

export const deleteContact = (db: Kysely<DB>, officeId: number, id: number) => db.deleteFrom('contacts').where('office_id', '=', officeId).where('id', '=', id).execute();
