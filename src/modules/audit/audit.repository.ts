// All Kysely code for the audit log.
import type { Kysely } from 'kysely';
import type { DB, NewRow } from '../../db/database.ts';

export const insertAuditEvent = (db: Kysely<DB>, values: NewRow<'audit_events'>) => db.insertInto('audit_events').values(values).execute();

/** An office's events, or the platform's (officeId null). */
export const listAuditEvents = (db: Kysely<DB>, officeId: number | null, limit: number, offset: number) =>
  db
    .selectFrom('audit_events')
    .selectAll()
    .where('office_id', officeId === null ? 'is' : '=', officeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();

export const countAuditEvents = async (db: Kysely<DB>, officeId: number | null): Promise<number> =>
  Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', officeId === null ? 'is' : '=', officeId).executeTakeFirstOrThrow()).n);
