// All Kysely code for applications to join.
import type { Kysely } from 'kysely';
import type { ApplicationStatus, DB, NewRow, Row, RowUpdate } from '../../db/database.ts';

export type ApplicationRow = Row<'office_applications'>;

export const insertApplication = async (db: Kysely<DB>, values: NewRow<'office_applications'>): Promise<number> =>
  (await db.insertInto('office_applications').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const findApplication = (db: Kysely<DB>, id: number): Promise<ApplicationRow | undefined> =>
  db.selectFrom('office_applications').selectAll().where('id', '=', id).executeTakeFirst();

/** Changes an application only while it has status `from`; returns whether it did. */
export const updateApplicationIf = async (db: Kysely<DB>, id: number, from: ApplicationStatus, values: RowUpdate<'office_applications'>): Promise<boolean> =>
  Number((await db.updateTable('office_applications').set(values).where('id', '=', id).where('status', '=', from).executeTakeFirst()).numUpdatedRows) === 1;

export const countApplicationsSince = async (db: Kysely<DB>, email: string, since: string): Promise<number> =>
  Number((await db.selectFrom('office_applications').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', email).where('created_at', '>=', since).executeTakeFirstOrThrow()).n);

/** Applications with who decided them and the office they became. */
const withNames = (db: Kysely<DB>) =>
  db
    .selectFrom('office_applications as a')
    .leftJoin('users as u', 'u.id', 'a.decided_by')
    .leftJoin('offices as o', 'o.id', 'a.office_id')
    .selectAll('a')
    .select(['u.email as decided_by_email', 'o.slug as office_slug']);

/** The applications platform admins see: confirmed ones waiting, then the latest decided. */
export const listApplications = (db: Kysely<DB>, statuses: ApplicationStatus[], limit: number) =>
  withNames(db).where('a.status', 'in', statuses).orderBy('a.decided_at', 'desc').orderBy('a.confirmed_at').limit(limit).execute();

/** One application platform admins may see (confirmed or decided). */
export const findVisibleApplication = (db: Kysely<DB>, id: number) =>
  withNames(db).where('a.id', '=', id).where('a.status', 'in', ['confirmed', 'accepted', 'declined']).executeTakeFirst();

export const countByStatus = async (db: Kysely<DB>, status: ApplicationStatus): Promise<number> =>
  Number((await db.selectFrom('office_applications').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow()).n);

export const deleteUnconfirmedBefore = async (db: Kysely<DB>, before: string): Promise<number> =>
  Number((await db.deleteFrom('office_applications').where('status', '=', 'unconfirmed').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);

export const queueApplicationMail = (db: Kysely<DB>, kind: 'application-confirmation' | 'application-declined', applicationId: number, now: string) =>
  db.insertInto('mail_outbox').values({ kind, application_id: applicationId, subscription_id: null, request_id: null, release_id: null, digest_run_id: null, next_attempt_at: now, created_at: now }).execute();
