// All Kysely code for journalists: their accounts, login links, sessions and accreditations, and
// the outbox rows of their mails. `accreditedJournalists` is what the pre-release builds on.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/database.ts';

export type JournalistRow = Row<'journalists'>;
export type AccreditationStatus = Row<'accreditations'>['status'];
export type AccreditationRow = Row<'accreditations'>;

/** Accreditations with the journalist, the office (null: platform-wide) and who decided. */
export interface AccreditationDetails extends AccreditationRow {
  journalist_email: string;
  journalist_name: string;
  journalist_medium: string;
  journalist_press_card: string;
  journalist_lang: 'de' | 'en';
  journalist_decision_mail: number;
  office_slug: string | null;
  office_name: string | null;
  decided_by_email: string | null;
}

const asJournalist = (row: Row<'journalists'> | undefined): JournalistRow | undefined => (row ? (row as JournalistRow) : undefined);

export const findJournalistById = async (db: Kysely<DB>, id: number): Promise<JournalistRow | undefined> =>
  asJournalist(await db.selectFrom('journalists').selectAll().where('id', '=', id).executeTakeFirst());

/** By address, regardless of case (the unique index is on lower(email)). */
export const findJournalistByEmail = async (db: Kysely<DB>, email: string): Promise<JournalistRow | undefined> =>
  asJournalist(await db.selectFrom('journalists').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst());

export const insertJournalist = async (db: Kysely<DB>, values: NewRow<'journalists'>): Promise<number> =>
  Number((await db.insertInto('journalists').values(values).returning('id').executeTakeFirstOrThrow()).id);

export const updateJournalist = (db: Kysely<DB>, id: number, values: RowUpdate<'journalists'>) => db.updateTable('journalists').set(values).where('id', '=', id).execute();

/** Every journalist for the platform admins' page, newest first. */
export const listJournalists = async (db: Kysely<DB>, limit: number): Promise<JournalistRow[]> =>
  (await db.selectFrom('journalists').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()) as JournalistRow[];

// Login links.

export const insertToken = (db: Kysely<DB>, values: NewRow<'journalist_tokens'>) => db.insertInto('journalist_tokens').values(values).execute();

export const findToken = (db: Kysely<DB>, hash: string) => db.selectFrom('journalist_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();

/** Marks an unused link used; returns whether this call did (so a link opens once, also in a race). */
export const markTokenUsed = async (db: Kysely<DB>, hash: string, at: string): Promise<boolean> =>
  Number((await db.updateTable('journalist_tokens').set({ used_at: at }).where('token_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1;

/** Ends the journalist's open login links (a new one is being made) and forgets old used or expired ones. */
export const deleteOpenTokens = (db: Kysely<DB>, journalistId: number) => db.deleteFrom('journalist_tokens').where('journalist_id', '=', journalistId).execute();

export const latestTokenAt = async (db: Kysely<DB>, journalistId: number): Promise<string | undefined> =>
  (await db.selectFrom('journalist_tokens').select((eb) => eb.fn.max('created_at').as('at')).where('journalist_id', '=', journalistId).executeTakeFirst())?.at ?? undefined;

// Sessions.

export const insertSession = (db: Kysely<DB>, values: NewRow<'journalist_sessions'>) => db.insertInto('journalist_sessions').values(values).execute();

export const findSession = (db: Kysely<DB>, idHash: string) => db.selectFrom('journalist_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();

export const touchSession = (db: Kysely<DB>, idHash: string, at: string) => db.updateTable('journalist_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();

export const deleteSession = (db: Kysely<DB>, idHash: string) => db.deleteFrom('journalist_sessions').where('id_hash', '=', idHash).execute();

export const deleteExpiredSessions = (db: Kysely<DB>, now: string, idleBefore: string) =>
  db.deleteFrom('journalist_sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)])).execute();

// Accreditations.

const withDetails = (db: Kysely<DB>) =>
  db
    .selectFrom('accreditations as a')
    .innerJoin('journalists as j', 'j.id', 'a.journalist_id')
    .leftJoin('offices as o', 'o.id', 'a.office_id')
    .leftJoin('users as u', 'u.id', 'a.decided_by')
    .selectAll('a')
    .select([
      'j.email as journalist_email',
      'j.name as journalist_name',
      'j.medium as journalist_medium',
      'j.press_card as journalist_press_card',
      'j.lang as journalist_lang',
      'j.decision_mail as journalist_decision_mail',
      'o.slug as office_slug',
      'o.name as office_name',
      'u.email as decided_by_email',
    ]);

export const findAccreditation = async (db: Kysely<DB>, id: number): Promise<AccreditationDetails | undefined> =>
  (await withDetails(db).where('a.id', '=', id).executeTakeFirst()) as AccreditationDetails | undefined;

/** The journalist's accreditation with an office (null: the platform-wide one). */
export const findAccreditationOf = async (db: Kysely<DB>, journalistId: number, officeId: number | null): Promise<AccreditationDetails | undefined> =>
  (await withDetails(db)
    .where('a.journalist_id', '=', journalistId)
    .$call((q) => (officeId === null ? q.where('a.office_id', 'is', null) : q.where('a.office_id', '=', officeId)))
    .executeTakeFirst()) as AccreditationDetails | undefined;

/** An office's accreditations (every status), open requests first, then by name. */
export const listAccreditationsOfOffice = async (db: Kysely<DB>, officeId: number): Promise<AccreditationDetails[]> =>
  (await withDetails(db).where('a.office_id', '=', officeId).orderBy('a.requested_at', 'desc').orderBy('a.id', 'desc').execute()) as AccreditationDetails[];

export const listAccreditationsOfJournalist = async (db: Kysely<DB>, journalistId: number): Promise<AccreditationDetails[]> =>
  (await withDetails(db).where('a.journalist_id', '=', journalistId).orderBy('o.name').execute()) as AccreditationDetails[];

/** The platform-wide accreditations (office_id null), for the platform admins' page. */
export const listPlatformAccreditations = async (db: Kysely<DB>): Promise<AccreditationDetails[]> =>
  (await withDetails(db).where('a.office_id', 'is', null).execute()) as AccreditationDetails[];

/** How many accepted office accreditations each journalist holds. */
export const countAcceptedByJournalist = async (db: Kysely<DB>): Promise<Map<number, number>> =>
  new Map(
    (await db.selectFrom('accreditations').select(['journalist_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'accepted').where('office_id', 'is not', null).groupBy('journalist_id').execute()).map(
      (r) => [r.journalist_id, Number(r.n)],
    ),
  );

export const insertAccreditation = async (db: Kysely<DB>, values: NewRow<'accreditations'>): Promise<number> =>
  Number((await db.insertInto('accreditations').values(values).returning('id').executeTakeFirstOrThrow()).id);

/** Changes an accreditation only while its status is one of `from`; returns whether it did. */
export const updateAccreditationIf = async (db: Kysely<DB>, id: number, from: AccreditationStatus[], values: RowUpdate<'accreditations'>): Promise<boolean> =>
  Number((await db.updateTable('accreditations').set(values).where('id', '=', id).where('status', 'in', from).executeTakeFirst()).numUpdatedRows) === 1;

/** The owners of an office, to tell them of a request. */
export const listOwnerEmails = async (db: Kysely<DB>, officeId: number): Promise<string[]> =>
  (await db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select('u.email').where('m.office_id', '=', officeId).where('m.role', '=', 'owner').orderBy('u.email').execute()).map((r) => r.email);

// Outbox rows (the mail module sends them; journalists.mail.ts composes them).

export const queueMail = (
  db: Kysely<DB>,
  mail: { kind: 'journalist-login' | 'accreditation-decision' | 'accreditation-request' | 'journalist-address' | 'journalist-address-changed'; email?: string; lang?: 'de' | 'en'; journalistId?: number; accreditationId?: number },
  now: string,
) =>
  db
    .insertInto('mail_outbox')
    .values({
      kind: mail.kind,
      email: mail.email ?? null,
      lang: mail.lang ?? null,
      journalist_id: mail.journalistId ?? null,
      accreditation_id: mail.accreditationId ?? null,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();

/** A newer decision replaces a decision mail not yet sent: only the last word goes out. */
export const cancelQueuedDecisionMail = (db: Kysely<DB>, accreditationId: number) =>
  db
    .updateTable('mail_outbox')
    .set({ status: 'cancelled', last_error: 'a newer decision' })
    .where('accreditation_id', '=', accreditationId)
    .where('kind', '=', 'accreditation-decision')
    .where('status', '=', 'queued')
    .execute();

export const forgetOutboxAddress = (db: Kysely<DB>, outboxId: number) => db.updateTable('mail_outbox').set({ email: null }).where('id', '=', outboxId).execute();

/** A journalist the pre-release may send to: accredited by the office or platform-wide, their address known. */
export interface AccreditedJournalist {
  id: number;
  email: string;
  name: string;
  medium: string;
  lang: 'de' | 'en';
  prereleaseMail: boolean;
}

/**
 * The journalists accredited for an office: accepted by that office, or accepted platform-wide;
 * each once. Only journalists whose address is known: confirmed by a login through a mailed link,
 * or vouched for by an operator (`herold journalist add`). Ordered by name.
 */
export const accreditedJournalists = async (db: Kysely<DB>, officeId: number): Promise<AccreditedJournalist[]> => {
  const rows = await db
    .selectFrom('journalists as j')
    .select(['j.id', 'j.email', 'j.name', 'j.medium', 'j.lang', 'j.prerelease_mail'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accreditations as a')
          .select('a.id')
          .whereRef('a.journalist_id', '=', 'j.id')
          .where('a.status', '=', 'accepted')
          .where((w) => w.or([w('a.office_id', '=', officeId), w('a.office_id', 'is', null)])),
      ),
    )
    .where((eb) => eb.or([eb('j.confirmed_at', 'is not', null), eb('j.vouched_at', 'is not', null)]))
    .orderBy('j.name')
    .orderBy('j.id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), email: r.email, name: r.name, medium: r.medium, lang: r.lang === 'en' ? 'en' : 'de', prereleaseMail: r.prerelease_mail === 1 }));
};

/** Deletes a journalist; sessions, links, address changes, accreditations and their outbox rows go with it (ON DELETE CASCADE). */
export const deleteJournalist = (db: Kysely<DB>, id: number) => db.deleteFrom('journalists').where('id', '=', id).execute();

export type AddressChangeRow = Row<'journalist_address_changes'>;

/** A new open change of address; the journalist's earlier open ones end (one at a time). */
export const insertAddressChange = async (db: Kysely<DB>, values: NewRow<'journalist_address_changes'>): Promise<void> => {
  await db.deleteFrom('journalist_address_changes').where('journalist_id', '=', values.journalist_id).where('used_at', 'is', null).execute();
  await db.insertInto('journalist_address_changes').values(values).execute();
};

/** The journalist's open (unused) change to `email`, if any. */
export const findOpenAddressChange = (db: Kysely<DB>, journalistId: number, email: string) =>
  db.selectFrom('journalist_address_changes').selectAll().where('journalist_id', '=', journalistId).where('new_email', '=', email).where('used_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();

export const findAddressChangeByTokenHash = (db: Kysely<DB>, tokenHash: string) => db.selectFrom('journalist_address_changes').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const updateAddressChange = (db: Kysely<DB>, id: number, values: RowUpdate<'journalist_address_changes'>) => db.updateTable('journalist_address_changes').set(values).where('id', '=', id).execute();

/** Marks an open change used; false when it was used (or replaced) meanwhile. */
export const markAddressChangeUsed = async (db: Kysely<DB>, id: number, at: string): Promise<boolean> =>
  Number((await db.updateTable('journalist_address_changes').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()).numUpdatedRows) === 1;

/** Ends every session of a journalist. */
export const deleteSessionsOf = (db: Kysely<DB>, journalistId: number) => db.deleteFrom('journalist_sessions').where('journalist_id', '=', journalistId).execute();
