// Accounts, office roles, sessions, one-time links and login throttling. Tokens (session cookies,
// links) are random; only their SHA-256 is stored, so a copy of the database opens no account.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, OfficeRole, Row, TokenPurpose } from '../../db/database.ts';
import { serializeOn } from '../../db/dialect.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { ValidationError } from '../../lib/errors.ts';
import { dummyHash, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, STRONG, verifyPassword } from './passwords.ts';
import * as repo from './users.repository.ts';

export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A session's last-seen time is written at most this often. */
const TOUCH_EVERY_MS = 60 * 1000;
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  'set-password': 72 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
  invite: 7 * 24 * 60 * 60 * 1000,
};
const STASH_TTL_MS = 24 * 60 * 60 * 1000;
/** A kept form holds at most this much (the editor's largest legitimate form is well below). */
export const STASH_MAX_BYTES = 512 * 1024;
/** Forms kept per expired session, and per address within STASH_TTL_MS. */
export const STASH_MAX_PER_SESSION = 5;
export const STASH_MAX_PER_CLIENT = 20;
/** At most one reset mail per account in this time: asking again sooner sends nothing new (the link sent still works). */
export const RESET_MAIL_GAP_MS = 5 * 60 * 1000;
/**
 * Login throttling (see CONTEXT.md): attempts are counted per address typed from browsers that
 * account does not know, and per known browser (its device cookie). The first FREE_LOGIN_ATTEMPTS
 * come at once; after that each waits loginDelayMs; a success starts afresh.
 */
export const FREE_LOGIN_ATTEMPTS = 5;
/** The wait after attempt `n`: none up to the fifth, then 1 minute, doubling with each attempt, at most an hour. */
export const loginDelayMs = (attempts: number): number => (attempts < FREE_LOGIN_ATTEMPTS ? 0 : Math.min(60_000 * 2 ** (attempts - FREE_LOGIN_ATTEMPTS), 60 * 60_000));
/** Attempts further back than this are forgotten. */
export const LOGIN_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A known browser stays known this long after its last login (or one-time link). */
export const DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000;
const DEVICE_SHAPE = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{32})$/;

export type Role = OfficeRole;

export interface Membership {
  officeId: number;
  slug: string;
  name: string;
  role: Role;
}

export interface User {
  id: number;
  email: string;
  isAdmin: boolean;
  memberships: Membership[];
}

/** A session that existed and has expired, and its user: what a kept form is bound to. */
export interface ExpiredSession {
  userId: number;
  sessionHash: string;
}

export type LoginResult =
  | { ok: true; user: User; sessionToken: string; deviceToken: string | null }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
const EMAIL_SHAPE = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
export const isEmail = (email: string): boolean => EMAIL_SHAPE.test(email) && email.length <= 254;

export const checkPassword = (password: string, repeat: string): void => {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError('Password too short', { password: 'passwordTooShort' });
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError('Password too long', { password: 'tooLong' });
  if (password !== repeat) throw new ValidationError('Passwords differ', { passwordRepeat: 'passwordMismatch' });
};

/** The mails the auth module sends (mail/account-mail.ts writes them). */
export type AccountMailKind = 'password-reset' | 'invitation';

/** What an account mail says, with the link's token made just now. */
export interface AccountLink {
  token: string;
  /** How long the link is valid, from now. */
  validMs: number;
  /** For an invitation: the office, the role offered, who invites. */
  officeName: string;
  role: 'owner' | 'editor' | null;
  inviterEmail: string;
}

/** Makes the link of an account mail (`mintMailLink`), or says why the mail is not to go out. */
export type AccountLinks = (mail: { outboxId: number; kind: AccountMailKind; email: string; tokenHash: string | null }) => Promise<AccountLink | { cancel: string }>;

/**
 * The mail outbox, as account mails use it: services.ts passes the mail module's
 * (outbox.repository.ts), so this module does not import mail (which imports releases, which
 * imports auth).
 */
export interface AccountMailOutbox {
  /** Queues an account mail, due at once; `userTokenHash` names its link where it has one already. */
  queue(db: Kysely<DB>, mail: { kind: AccountMailKind; email: string; lang: 'de' | 'en'; userTokenHash?: string }, now: string): Promise<void>;
  /** Records what the sender learnt: the hash of the link the mail carries, or that its address is to be forgotten. */
  update(db: Kysely<DB>, outboxId: number, values: { email?: null; user_token_hash?: string }): Promise<unknown>;
}

export interface AuthServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Says when mail was queued (password resets, invitations), so the sender wakes up. */
  events: EventBus;
  /** Where password-reset and invitation mails go. */
  outbox: AccountMailOutbox;
  /** scrypt parameters; the strong defaults unless a test asks otherwise. */
  scryptParams?: { N: number; r: number; p: number };
  /** SESSION_SECRET: signs the device cookies of known browsers and keys the hashes of addresses; without it no browser is known. */
  secret?: string;
}

export const createAuthService = ({ db, clock, events, outbox, scryptParams = STRONG, secret }: AuthServiceDeps) => {
  const now = () => clock.now();
  const iso = (ms = 0) => new Date(now().getTime() + ms).toISOString();
  const deviceMac = (userId: number, nonce: string) => createHmac('sha256', secret!).update(`herold-device:${userId}.${nonce}`).digest('base64url').slice(0, 32);

  /** The nonce of a device cookie that is genuine and belongs to `userId`, else undefined. */
  const knownDevice = (cookie: string | undefined, userId: number): string | undefined => {
    const match = secret && cookie ? DEVICE_SHAPE.exec(cookie) : null;
    if (!match || Number(match[1]) !== userId) return undefined;
    const given = Buffer.from(match[3]!);
    const expected = Buffer.from(deviceMac(userId, match[2]!));
    return given.length === expected.length && timingSafeEqual(given, expected) ? match[2] : undefined;
  };

  const loadUser = async (row: Row<'users'>): Promise<User> => ({
    id: row.id,
    email: row.email,
    isAdmin: row.is_admin === 1,
    memberships: (await repo.listMembershipsOfUser(db, row.id)).map((m) => ({ officeId: m.id, slug: m.slug, name: m.name, role: m.role })),
  });

  /**
   * A new password: stored, and everything that belonged to the old one ends — every session of the
   * account and every open reset or set-password link (also one not used yet).
   */
  const changePassword = async (trx: Kysely<DB>, account: { userId: number; email: string }, hash: string, at: string) => {
    await repo.updateUser(trx, account.userId, { password_hash: hash, updated_at: at });
    await repo.deleteSessionsOfUser(trx, account.userId);
    await repo.deleteOpenPasswordTokens(trx, account);
  };

  const service = {
    async findUserById(id: number): Promise<User | undefined> {
      const row = await repo.findUserById(db, id);
      return row ? loadUser(row) : undefined;
    },

    async findUserByEmail(email: string): Promise<User | undefined> {
      const row = await repo.findUserByEmail(db, normaliseEmail(email));
      return row ? loadUser(row) : undefined;
    },

    /** Creates the user (or finds the existing one) and grants the role. Returns the user and whether it has a password. */
    async addUser(input: { email: string; isAdmin?: boolean; officeId?: number; role?: Role }): Promise<{ user: User; created: boolean; hasPassword: boolean }> {
      const email = normaliseEmail(input.email);
      if (!isEmail(email)) throw new ValidationError('Invalid e-mail address', { email: 'invalidEmail' });
      const at = iso();
      const { id, created, hasPassword } = await db.transaction().execute(async (trx) => {
        const existing = await repo.findUserByEmail(trx, email);
        let userId = existing?.id;
        if (!userId) userId = await repo.insertUser(trx, { email, password_hash: null, is_admin: input.isAdmin ? 1 : 0, created_at: at, updated_at: at });
        else if (input.isAdmin && existing!.is_admin !== 1) await repo.updateUser(trx, userId, { is_admin: 1, updated_at: at });
        if (input.officeId !== undefined && input.role) await repo.upsertMembership(trx, userId, input.officeId, input.role, at);
        return { id: userId, created: !existing, hasPassword: Boolean(existing?.password_hash) };
      });
      return { user: (await service.findUserById(id))!, created, hasPassword };
    },

    /**
     * A one-time link token. Only its hash is stored. A reset or set-password link ends every other
     * open one of the account (in the same transaction), so only the newest works.
     */
    async issueToken(purpose: TokenPurpose, values: { email: string; userId?: number; officeId?: number; role?: Role; createdBy?: number }): Promise<string> {
      const token = newToken();
      const email = normaliseEmail(values.email);
      await db.transaction().execute(async (trx) => {
        if (purpose !== 'invite' && values.userId !== undefined) await repo.deleteOpenPasswordTokens(trx, { userId: values.userId, email });
        await repo.insertToken(trx, {
          token_hash: hashToken(token),
          purpose,
          email,
          user_id: values.userId ?? null,
          office_id: values.officeId ?? null,
          role: values.role ?? null,
          created_by: values.createdBy ?? null,
          created_at: iso(),
          expires_at: iso(TOKEN_TTL_MS[purpose]),
        });
      });
      return token;
    },

    /** The unused, unexpired token row, or undefined. */
    async findToken(token: string) {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const row = await repo.findToken(db, hashToken(token));
      if (!row || row.used_at !== null || row.expires_at <= iso()) return undefined;
      return { purpose: row.purpose, email: row.email, userId: row.user_id, officeId: row.office_id, role: row.role, hasAccount: row.user_id !== null || Boolean(await repo.findUserByEmail(db, row.email)) };
    },

    /**
     * Uses a set-password, reset or invite link: sets the password (for an invitation to an
     * existing account, leaves it), grants an invited role, ends the user's other sessions.
     */
    async useToken(token: string, password: string | null, repeat: string | null): Promise<User> {
      const found = await service.findToken(token);
      if (!found) throw new ValidationError('The link is invalid or expired', { token: 'linkInvalid' });
      const needsPassword = !(found.purpose === 'invite' && found.hasAccount);
      if (needsPassword) checkPassword(password ?? '', repeat ?? '');
      const hash = needsPassword ? await hashPassword(password!, scryptParams) : null;
      const at = iso();
      const userId = await db.transaction().execute(async (trx) => {
        if (!(await repo.markTokenUsed(trx, hashToken(token), at))) throw new ValidationError('The link was used already', { token: 'linkInvalid' });
        let user = found.userId !== null ? await repo.findUserById(trx, found.userId) : await repo.findUserByEmail(trx, found.email);
        let id = user?.id;
        if (!id) id = await repo.insertUser(trx, { email: found.email, password_hash: null, is_admin: 0, created_at: at, updated_at: at });
        if (hash) await changePassword(trx, { userId: id, email: found.email }, hash, at);
        if (found.purpose === 'invite' && found.officeId !== null && found.role) {
          // An invitation never lowers a role someone already holds.
          const existing = (await repo.listMembershipsOfUser(trx, id)).find((m) => m.id === found.officeId);
          if (existing?.role !== 'owner') await repo.upsertMembership(trx, id, found.officeId, found.role, at);
        }
        return id;
      });
      return (await service.findUserById(userId))!;
    },

    /** For the CLI and tests: sets a password directly (ending the account's sessions and open password links). */
    async setPassword(userId: number, password: string): Promise<void> {
      checkPassword(password, password);
      const hash = await hashPassword(password, scryptParams);
      await db.transaction().execute(async (trx) => {
        const row = await repo.findUserById(trx, userId);
        if (row) await changePassword(trx, { userId, email: row.email }, hash, iso());
      });
    },

    /**
     * Checks the password and opens a session. Answers the same for an unknown address and a
     * wrong password, in about the same time. Attempts are throttled (state in the database, so
     * in every process): from a browser this account knows (`deviceCookie`, given at its last
     * login or by a one-time link) per that browser, from any other per address — so an attacker's
     * failures slow the attacker, never the owner on a known browser. A throttled attempt is not
     * checked at all; it says when to come back.
     */
    async login(emailInput: string, password: string, deviceCookie?: string): Promise<LoginResult> {
      const email = normaliseEmail(emailInput).slice(0, 254);
      const row = await repo.findUserByEmail(db, email);
      const device = row ? knownDevice(deviceCookie, row.id) : undefined;
      const key = device ? `device:${hashToken(device)}` : `account:${hashToken(email)}`;
      const attempts = await repo.countLoginAttempt(db, key, iso(), iso(-LOGIN_WINDOW_MS));
      if (attempts === undefined) {
        const lockedUntil = (await repo.findLoginThrottle(db, key))?.locked_until;
        return { ok: false, reason: 'throttled', retryAfterMs: Math.max(1000, lockedUntil ? new Date(lockedUntil).getTime() - now().getTime() : 0) };
      }
      // Counted from its start: the lock holds at once, also against attempts running in parallel.
      if (attempts >= FREE_LOGIN_ATTEMPTS) await repo.lockLogin(db, key, iso(loginDelayMs(attempts)));
      const matches = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), row?.password_hash ?? (await dummyHash(scryptParams)));
      if (!row || !row.password_hash || !matches) return { ok: false, reason: 'invalid' };
      await repo.deleteLoginThrottle(db, key);
      const sessionToken = await service.openSession(row.id);
      await repo.updateUser(db, row.id, { last_login_at: iso() });
      return { ok: true, user: await loadUser(row), sessionToken, deviceToken: service.deviceToken(row.id) };
    },

    /** A device cookie that makes this browser known to the account; null without a secret. */
    deviceToken(userId: number): string | null {
      if (!secret) return null;
      const nonce = randomBytes(16).toString('base64url');
      return `${userId}.${nonce}.${deviceMac(userId, nonce)}`;
    },

    /**
     * The e-mailed way back in: whoever opens a valid one-time link of an existing account proves
     * they read its mail, so their browser becomes known to the account and may log in at once,
     * whatever strangers did to the address's throttle.
     */
    async deviceTokenForLink(token: string): Promise<string | null> {
      const found = await service.findToken(token);
      if (!found) return null;
      const user = found.userId !== null ? await repo.findUserById(db, found.userId) : await repo.findUserByEmail(db, found.email);
      return user ? service.deviceToken(user.id) : null;
    },

    async openSession(userId: number): Promise<string> {
      const token = newToken();
      const at = iso();
      // Sessions that ended more than a day ago (until then a form posted in them may be kept).
      await repo.deleteExpiredSessions(db, iso(-STASH_TTL_MS), iso(-SESSION_IDLE_MS - STASH_TTL_MS));
      await repo.deleteStaleLoginThrottles(db, iso(-LOGIN_WINDOW_MS));
      await repo.insertSession(db, { id_hash: hashToken(token), user_id: userId, created_at: at, last_seen_at: at, expires_at: iso(SESSION_MAX_MS) });
      return token;
    },

    /**
     * The session's user, or undefined when the session is unknown or expired (idle or absolute).
     * `expired` names a session that existed and has expired, and its user, for keeping their
     * form: an expired session opens nothing, but its row is kept for a day (see openSession) so
     * that a form posted in it can be bound to it.
     */
    async resumeSession(token: string): Promise<{ user?: User; expired?: ExpiredSession }> {
      if (!TOKEN_SHAPE.test(token)) return {};
      const idHash = hashToken(token);
      const row = await repo.findSession(db, idHash);
      if (!row) return {};
      const nowMs = now().getTime();
      if (row.expires_at <= iso() || new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS <= nowMs) return { expired: { userId: row.user_id, sessionHash: idHash } };
      const user = await repo.findUserById(db, row.user_id);
      if (!user) return {};
      if (nowMs - new Date(row.last_seen_at).getTime() >= TOUCH_EVERY_MS) await repo.touchSession(db, idHash, iso());
      return { user: await loadUser(user) };
    },

    async closeSession(token: string): Promise<void> {
      if (TOKEN_SHAPE.test(token)) await repo.deleteSession(db, hashToken(token));
    },

    /**
     * Someone asked for a reset link for this address. The same work for every address, known or
     * not: one outbox row, and nothing is looked up. Whether the address has an account is decided
     * when the mail is sent (`mintMailLink`), outside any request, so no answer can tell.
     */
    async requestReset(emailInput: string, lang: 'de' | 'en'): Promise<void> {
      const email = normaliseEmail(emailInput).slice(0, 254);
      if (!isEmail(email)) return;
      await outbox.queue(db, { kind: 'password-reset', email, lang }, iso());
      events.emit('mail.queued', { count: 1 });
    },

    /** Invites an address to an office: the invitation and its mail are stored together; the mail's link is made when it is sent. */
    async invite(values: { email: string; officeId: number; role: Role; createdBy: number; lang: 'de' | 'en' }): Promise<void> {
      const email = normaliseEmail(values.email);
      if (!isEmail(email)) throw new ValidationError('Invalid e-mail address', { email: 'invalidEmail' });
      await db.transaction().execute(async (trx) => {
        // A link nobody knows, given its real token when the mail goes out.
        const placeholder = hashToken(newToken());
        await repo.insertToken(trx, { token_hash: placeholder, purpose: 'invite', email, user_id: null, office_id: values.officeId, role: values.role, created_by: values.createdBy, created_at: iso(), expires_at: iso(TOKEN_TTL_MS.invite) });
        await outbox.queue(trx, { kind: 'invitation', email, lang: values.lang, userTokenHash: placeholder }, iso());
      });
      events.emit('mail.queued', { count: 1 });
    },

    /**
     * For the sender (mail module): the one-time link the account mail `outboxId` carries, with a
     * token made now. Only its hash is stored (on the link and the outbox row); an earlier token of
     * the same link dies. A reset mail for an address without an account is not sent (and the
     * address is forgotten); one for an account that was sent a reset link less than
     * RESET_MAIL_GAP_MS ago neither. A reset link is issued here, ending the account's other open
     * password links.
     */
    async mintMailLink(mail: { outboxId: number; kind: AccountMailKind; email: string; tokenHash: string | null }): Promise<AccountLink | { cancel: string }> {
      return db.transaction().execute(async (trx): Promise<AccountLink | { cancel: string }> => {
        let hash = mail.tokenHash;
        if (hash === null) {
          if (mail.kind !== 'password-reset') return { cancel: 'no link' };
          const user = await repo.findUserByEmail(trx, normaliseEmail(mail.email));
          if (!user) {
            await outbox.update(trx, mail.outboxId, { email: null });
            return { cancel: 'no account' };
          }
          await serializeOn(trx, `password-reset-mail:${user.id}`);
          const latest = await repo.findLatestOpenReset(trx, user.id);
          if (latest && new Date(latest.created_at).getTime() > now().getTime() - RESET_MAIL_GAP_MS) return { cancel: 'a reset link was sent minutes ago' };
          hash = hashToken(newToken());
          await repo.deleteOpenPasswordTokens(trx, { userId: user.id, email: user.email });
          await repo.insertToken(trx, { token_hash: hash, purpose: 'reset', email: user.email, user_id: user.id, office_id: null, role: null, created_by: null, created_at: iso(), expires_at: iso(TOKEN_TTL_MS.reset) });
        }
        const link = await repo.findTokenForMail(trx, hash);
        if (!link || link.used_at !== null) return { cancel: 'link used or replaced' };
        const token = newToken();
        // The link's term starts when its mail goes out.
        await repo.rekeyToken(trx, hash, hashToken(token), iso(TOKEN_TTL_MS[link.purpose]));
        await outbox.update(trx, mail.outboxId, { user_token_hash: hashToken(token) });
        return { token, validMs: TOKEN_TTL_MS[link.purpose], officeName: link.office_name ?? '', role: link.role, inviterEmail: link.inviter_email ?? '' };
      });
    },

    listMembers: async (officeId: number) =>
      (await repo.listMembersOfOffice(db, officeId)).map((m) => ({ id: m.id, email: m.email, role: m.role, lastLoginAt: m.last_login_at })),

    listOpenInvites: async (officeId: number) => (await repo.listOpenInvites(db, officeId, iso())).map((i) => ({ email: i.email, role: i.role, expiresAt: i.expires_at })),

    /**
     * Keeps a form posted in a session that has expired, for its user only; returns the token that
     * takes it back, or undefined when it is not kept: larger than STASH_MAX_BYTES, or one too many
     * for the session (STASH_MAX_PER_SESSION) or the address (STASH_MAX_PER_CLIENT a day).
     */
    async stashForm(expired: ExpiredSession, address: string, path: string, body: Record<string, unknown>): Promise<string | undefined> {
      const json = JSON.stringify(body);
      if (Buffer.byteLength(json) > STASH_MAX_BYTES) return undefined;
      const client = secret ? createHmac('sha256', secret).update(`herold-client:${address}`).digest('base64url') : hashToken(address);
      const token = newToken();
      return db.transaction().execute(async (trx) => {
        await repo.deleteExpiredStashes(trx, iso());
        if ((await repo.countStashesOfSession(trx, expired.sessionHash)) >= STASH_MAX_PER_SESSION) return undefined;
        if ((await repo.countStashesFromClient(trx, client, iso(-STASH_TTL_MS))) >= STASH_MAX_PER_CLIENT) return undefined;
        await repo.insertStash(trx, { token_hash: hashToken(token), user_id: expired.userId, session_hash: expired.sessionHash, client_hash: client, path, body_json: json, created_at: iso(), expires_at: iso(STASH_TTL_MS) });
        return token;
      });
    },

    /** Takes a kept form back, once, for the user whose session it was kept from (nobody else). */
    async takeStash(token: string, userId: number): Promise<{ path: string; body: Record<string, unknown> } | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const row = await repo.findStash(db, hashToken(token));
      if (!row || row.expires_at <= iso() || row.user_id !== userId) return undefined;
      await repo.deleteStash(db, row.token_hash);
      return { path: row.path, body: JSON.parse(row.body_json) as Record<string, unknown> };
    },
  };
  return service;
};

export type AuthService = ReturnType<typeof createAuthService>;

/** Whether the user may act for the office, and as what. */
export const roleIn = (user: User, officeId: number): Role | 'admin' | undefined =>
  user.isAdmin ? 'admin' : user.memberships.find((m) => m.officeId === officeId)?.role;
