// The two reads of /healthz: the one row every migrated database has, and the mail waiting to go.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

export const readSiteState = (db: Kysely<DB>) => db.selectFrom('site_state').select('content_version').where('id', '=', 1).executeTakeFirstOrThrow();

export const countPending = async (db: Kysely<DB>): Promise<number> =>
  Number((await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'sending']).executeTakeFirstOrThrow()).n);
