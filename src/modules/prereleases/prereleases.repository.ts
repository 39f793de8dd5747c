// All Kysely code of embargoed pre-releases: recipients, their events, the accredited journalists
// of an office, and the outbox rows of the pre-release mails. Plain functions, executor first.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/database.ts';
import { accreditedJournalists, type AccreditedJournalist as JournalistsAccredited } from '../journalists/journalists.repository.ts';

export type RecipientRow = Row<'prerelease_recipients'>;
export type EventKind = Row<'prerelease_events'>['kind'];

/** A journalist who may receive an office's releases before their time. */
export type AccreditedJournalist = Omit<JournalistsAccredited, 'prereleaseMail'>;

/**
 * The journalists an office may send a pre-release to: accredited by the journalists module's one
 * rule (`accreditedJournalists`: accepted for the office or platform-wide, address confirmed or
 * vouched for by the operator), and wanting pre-releases by mail.
 */
export const listAccreditedJournalists = async (db: Kysely<DB>, officeId: number): Promise<AccreditedJournalist[]> =>
  (await accreditedJournalists(db, officeId)).filter((j) => j.prereleaseMail).map(({ prereleaseMail: _wanted, ...journalist }) => journalist);

export const insertRecipient = async (db: Kysely<DB>, values: NewRow<'prerelease_recipients'>): Promise<number | undefined> => {
  const row = await db.insertInto('prerelease_recipients').values(values).returning('id').executeTakeFirst();
  return row?.id ?? undefined;
};

export const findRecipientById = (db: Kysely<DB>, id: number) => db.selectFrom('prerelease_recipients').selectAll().where('id', '=', id).executeTakeFirst();

export const findRecipientByTokenHash = (db: Kysely<DB>, tokenHash: string) => db.selectFrom('prerelease_recipients').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const listRecipientsOfRelease = (db: Kysely<DB>, releaseId: number) =>
  db.selectFrom('prerelease_recipients').selectAll().where('release_id', '=', releaseId).orderBy('name').orderBy('id').execute();

export const updateRecipient = (db: Kysely<DB>, id: number, values: RowUpdate<'prerelease_recipients'>) => db.updateTable('prerelease_recipients').set(values).where('id', '=', id).execute();

/** Counts an open of the personal page. */
export const recordOpen = (db: Kysely<DB>, id: number, now: string) =>
  db
    .updateTable('prerelease_recipients')
    .set((eb) => ({ first_opened_at: eb.fn.coalesce('first_opened_at', sql.val(now)), last_opened_at: now, open_count: eb('open_count', '+', 1) }))
    .where('id', '=', id)
    .execute();

export const insertEvent = (db: Kysely<DB>, values: NewRow<'prerelease_events'>) => db.insertInto('prerelease_events').values(values).execute();

/** The events of a release's recipients, oldest first. */
export const listEventsOfRelease = (db: Kysely<DB>, releaseId: number) =>
  db
    .selectFrom('prerelease_events as e')
    .innerJoin('prerelease_recipients as r', 'r.id', 'e.recipient_id')
    .select(['e.recipient_id', 'e.kind', 'e.detail', 'e.at'])
    .where('r.release_id', '=', releaseId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();

/** The pre-release mail of a recipient, due at once; never twice (unique per recipient). */
export const queuePrereleaseMail = (db: Kysely<DB>, recipientId: number, releaseId: number, now: string) =>
  sql`INSERT INTO mail_outbox (kind, prerelease_recipient_id, release_id, status, attempts, next_attempt_at, created_at)
      VALUES ('prerelease', ${recipientId}, ${releaseId}, 'queued', 0, ${now}, ${now}) ON CONFLICT DO NOTHING`.execute(db);

/** A change mail (`moved:<time>`, `cancelled`, `withdrawn`) of a recipient; never twice for one change. */
// No release_id: the release may be deleted before the mail goes out, which must not take the mail with it.
export const queueChangeMail = (db: Kysely<DB>, recipientId: number, changeKey: string, now: string) =>
  sql`INSERT INTO mail_outbox (kind, prerelease_recipient_id, change_key, status, attempts, next_attempt_at, created_at)
      VALUES ('prerelease-changed', ${recipientId}, ${changeKey}, 'queued', 0, ${now}, ${now}) ON CONFLICT DO NOTHING`.execute(db);

/** The pre-release mail of a recipient not yet sent is not sent any more (the link was revoked before). */
export const cancelQueuedMail = (db: Kysely<DB>, recipientId: number, reason: string) =>
  db.updateTable('mail_outbox').set({ status: 'cancelled', last_error: reason }).where('prerelease_recipient_id', '=', recipientId).where('kind', '=', 'prerelease').where('status', '=', 'queued').execute();

/** Whether the recipient's pre-release mail went out (a change mail is only for those who got it). */
export const wasSent = async (db: Kysely<DB>, recipientId: number): Promise<boolean> =>
  (await db.selectFrom('mail_outbox').select('id').where('prerelease_recipient_id', '=', recipientId).where('kind', '=', 'prerelease').where('status', 'in', ['sent', 'sending']).executeTakeFirst()) !== undefined;

/**
 * A journalist deleted their account: their recipient rows keep name and medium (the office's leak
 * tracing) but lose the address and the journalist; links still open end (`removed`), and their
 * mails not yet sent are cancelled.
 */
export const forgetJournalist = async (db: Kysely<DB>, journalistId: number, now: string): Promise<void> => {
  const ids = (await db.selectFrom('prerelease_recipients').select('id').where('journalist_id', '=', journalistId).execute()).map((r) => r.id);
  if (ids.length === 0) return;
  await db.updateTable('mail_outbox').set({ status: 'cancelled', last_error: 'journalist deleted' }).where('prerelease_recipient_id', 'in', ids).where('status', '=', 'queued').execute();
  await db.updateTable('prerelease_recipients').set({ revoked_at: now, revoked_reason: 'removed' }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
  await db.updateTable('prerelease_recipients').set({ email: '', journalist_id: null }).where('id', 'in', ids).execute();
};
