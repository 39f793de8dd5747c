// All Kysely code for users, memberships, sessions, one-time tokens, form stashes and login throttles.
import { sql, type Kysely } from 'kysely';
import type { DB, NewRow, OfficeRole, Row, RowUpdate } from '../../db/database.ts';

export const findUserByEmail = (db: Kysely<DB>, email: string): Promise<Row<'users'> | undefined> =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserById = (db: Kysely<DB>, id: number): Promise<Row<'users'> | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const insertUser = async (db: Kysely<DB>, values: NewRow<'users'>): Promise<number> =>
  (await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateUser = (db: Kysely<DB>, id: number, values: RowUpdate<'users'>) => db.updateTable('users').set(values).where('id', '=', id).execute();

/** The offices a user belongs to, with role, by office name. */
export const listMembershipsOfUser = (db: Kysely<DB>, userId: number) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('offices as o', 'o.id', 'm.office_id')
    .where('m.user_id', '=', userId)
    .select(['o.id', 'o.slug', 'o.name', 'm.role'])
    .orderBy('o.name')
    .execute();

export const listMembersOfOffice = (db: Kysely<DB>, officeId: number) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.office_id', '=', officeId)
    .select(['u.id', 'u.email', 'm.role', 'u.last_login_at'])
    .orderBy('u.email')
    .execute();

export const upsertMembership = (db: Kysely<DB>, userId: number, officeId: number, role: OfficeRole, now: string) =>
  db
    .insertInto('memberships')
    .values({ user_id: userId, office_id: officeId, role, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'office_id']).doUpdateSet({ role }))
    .execute();

export const insertSession = (db: Kysely<DB>, values: NewRow<'sessions'>) => db.insertInto('sessions').values(values).execute();

export const findSession = (db: Kysely<DB>, idHash: string): Promise<Row<'sessions'> | undefined> =>
  db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();

export const touchSession = (db: Kysely<DB>, idHash: string, now: string) => db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();

export const deleteSession = (db: Kysely<DB>, idHash: string) => db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();

export const deleteSessionsOfUser = (db: Kysely<DB>, userId: number) => db.deleteFrom('sessions').where('user_id', '=', userId).execute();

export const deleteExpiredSessions = (db: Kysely<DB>, now: string, idleBefore: string) =>
  db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)])).execute();

export const insertToken = (db: Kysely<DB>, values: NewRow<'user_tokens'>) => db.insertInto('user_tokens').values(values).execute();

export const findToken = (db: Kysely<DB>, tokenHash: string): Promise<Row<'user_tokens'> | undefined> =>
  db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

/** Marks a token used; returns whether this call was the one that used it. */
export const markTokenUsed = async (db: Kysely<DB>, tokenHash: string, now: string): Promise<boolean> => {
  const result = await db.updateTable('user_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

/**
 * Deletes the account's open password links (reset and set-password), but `keep`: issuing or using
 * one ends every other, so an old link in a mailbox opens nothing once a newer one exists.
 */
export const deleteOpenPasswordTokens = (db: Kysely<DB>, account: { userId: number; email: string }, keep: string | null = null) =>
  db
    .deleteFrom('user_tokens')
    .where('purpose', 'in', ['reset', 'set-password'])
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('user_id', '=', account.userId), eb.and([eb('user_id', 'is', null), eb('email', '=', account.email)])]))
    .$if(keep !== null, (q) => q.where('token_hash', '!=', keep!))
    .execute();

/** A one-time link row with what its mail names: the office and the inviting user's address. */
export const findTokenForMail = (db: Kysely<DB>, tokenHash: string) =>
  db
    .selectFrom('user_tokens as t')
    .leftJoin('offices as o', 'o.id', 't.office_id')
    .leftJoin('users as u', 'u.id', 't.created_by')
    .where('t.token_hash', '=', tokenHash)
    .select(['t.token_hash', 't.purpose', 't.email', 't.user_id', 't.role', 't.created_at', 't.used_at', 'o.name as office_name', 'u.email as inviter_email'])
    .executeTakeFirst();

/** The open reset link of a user issued most recently, if any. */
export const findLatestOpenReset = (db: Kysely<DB>, userId: number) =>
  db.selectFrom('user_tokens').select(['token_hash', 'created_at']).where('user_id', '=', userId).where('purpose', '=', 'reset').where('used_at', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();

/** Gives an open link a new token (and a new term): returns whether it was still open. */
export const rekeyToken = async (db: Kysely<DB>, oldHash: string, newHash: string, expiresAt: string): Promise<boolean> => {
  const result = await db.updateTable('user_tokens').set({ token_hash: newHash, expires_at: expiresAt }).where('token_hash', '=', oldHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

export const listOpenInvites = (db: Kysely<DB>, officeId: number, now: string) =>
  db
    .selectFrom('user_tokens')
    .select(['email', 'role', 'expires_at', 'created_at'])
    .where('office_id', '=', officeId)
    .where('purpose', '=', 'invite')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();

export const insertStash = (db: Kysely<DB>, values: NewRow<'form_stashes'>) => db.insertInto('form_stashes').values(values).execute();

export const findStash = (db: Kysely<DB>, tokenHash: string): Promise<Row<'form_stashes'> | undefined> =>
  db.selectFrom('form_stashes').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const deleteStash = (db: Kysely<DB>, tokenHash: string) => db.deleteFrom('form_stashes').where('token_hash', '=', tokenHash).execute();

export const deleteExpiredStashes = (db: Kysely<DB>, now: string) => db.deleteFrom('form_stashes').where('expires_at', '<=', now).execute();

/** How many forms are kept for the session `sessionHash`. */
export const countStashesOfSession = async (db: Kysely<DB>, sessionHash: string): Promise<number> =>
  Number((await db.selectFrom('form_stashes').select((eb) => eb.fn.countAll<number>().as('n')).where('session_hash', '=', sessionHash).executeTakeFirstOrThrow()).n);

/** How many forms were kept from the address `clientHash` since `since`. */
export const countStashesFromClient = async (db: Kysely<DB>, clientHash: string, since: string): Promise<number> =>
  Number((await db.selectFrom('form_stashes').select((eb) => eb.fn.countAll<number>().as('n')).where('client_hash', '=', clientHash).where('created_at', '>', since).executeTakeFirstOrThrow()).n);

/**
 * Counts a login attempt for `key`, in one statement (so parallel attempts, in any process, all
 * count): the count restarts after a quiet `windowStart`. Returns the count, or undefined while the
 * key is locked (nothing counted then).
 */
export const countLoginAttempt = async (db: Kysely<DB>, key: string, now: string, windowStart: string): Promise<number | undefined> =>
  (
    await db
      .insertInto('login_throttles')
      .values({ key, failures: 1, last_failure_at: now, locked_until: null })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ failures: sql<number>`CASE WHEN login_throttles.last_failure_at <= ${windowStart} THEN 1 ELSE login_throttles.failures + 1 END`, last_failure_at: now })
          .where((eb) => eb.or([eb('login_throttles.locked_until', 'is', null), eb('login_throttles.locked_until', '<=', now)])),
      )
      .returning('failures')
      .executeTakeFirst()
  )?.failures;

export const findLoginThrottle = (db: Kysely<DB>, key: string) => db.selectFrom('login_throttles').selectAll().where('key', '=', key).executeTakeFirst();

export const lockLogin = (db: Kysely<DB>, key: string, until: string) => db.updateTable('login_throttles').set({ locked_until: until }).where('key', '=', key).execute();

export const deleteLoginThrottle = (db: Kysely<DB>, key: string) => db.deleteFrom('login_throttles').where('key', '=', key).execute();

export const deleteStaleLoginThrottles = (db: Kysely<DB>, before: string) =>
  db.deleteFrom('login_throttles').where('last_failure_at', '<=', before).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', before)])).execute();
