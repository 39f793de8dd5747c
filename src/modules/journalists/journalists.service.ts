// Journalists: accounts of their own (no password: a mailed login link), sessions of their own, and
// accreditations — a journalist asks an office, its owners accept or refuse with a message, and may
// revoke; platform admins accredit platform-wide. Every step is in the audit log; mails go through
// the outbox (journalists.mail.ts composes them when they are sent). See CONTEXT.md.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { serializeOn } from '../../db/dialect.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { isEmail, normaliseEmail } from '../auth/auth.service.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import * as repo from './journalists.repository.ts';
import { oneLine } from '../../lib/input-text.ts';

/** A mailed (or CLI-printed) login link holds this long, and opens once. */
export const LOGIN_LINK_TTL_MS = 60 * 60 * 1000;
/** A mailed link to confirm a new address holds this long, and opens once. */
export const ADDRESS_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** At most one login mail per journalist in this time: asking again sooner sends nothing new (the link sent still works). */
export const LOGIN_MAIL_GAP_MS = 2 * 60 * 1000;
/** A journalist's session ends after this long without a request, or this long after login. */
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;
export const LIMITS = { name: 200, medium: 200, pressCard: 100, message: 2000 } as const;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
const cleanMessage = (s: string): string => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, ' ').trim();

export interface Journalist {
  id: number;
  email: string;
  name: string;
  medium: string;
  pressCard: string;
  lang: 'de' | 'en';
  prereleaseMail: boolean;
  decisionMail: boolean;
  createdAt: string;
  confirmedAt: string | null;
  vouchedAt: string | null;
}

export interface SignupInput {
  name: string;
  medium: string;
  email: string;
  pressCard: string;
}

export interface ProfileInput {
  name: string;
  medium: string;
  pressCard: string;
  lang: 'de' | 'en';
  prereleaseMail: boolean;
  decisionMail: boolean;
}

export type AccreditationStatus = repo.AccreditationStatus;

export interface Accreditation {
  id: number;
  status: AccreditationStatus;
  officeId: number | null;
  officeSlug: string | null;
  officeName: string | null;
  requestMessage: string;
  decisionMessage: string;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string;
  journalist: { id: number; email: string; name: string; medium: string; pressCard: string };
}

export type Decision = 'accept' | 'refuse' | 'revoke';

const toJournalist = (row: repo.JournalistRow): Journalist => ({
  id: row.id,
  email: row.email,
  name: row.name,
  medium: row.medium,
  pressCard: row.press_card,
  lang: row.lang === 'en' ? 'en' : 'de',
  prereleaseMail: row.prerelease_mail === 1,
  decisionMail: row.decision_mail === 1,
  createdAt: row.created_at,
  confirmedAt: row.confirmed_at,
  vouchedAt: row.vouched_at,
});

const toAccreditation = (row: repo.AccreditationDetails): Accreditation => ({
  id: row.id,
  status: row.status,
  officeId: row.office_id,
  officeSlug: row.office_slug,
  officeName: row.office_name,
  requestMessage: row.request_message,
  decisionMessage: row.decision_message,
  requestedAt: row.requested_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by_email ?? '',
  journalist: { id: row.journalist_id, email: row.journalist_email, name: row.journalist_name, medium: row.journalist_medium, pressCard: row.journalist_press_card },
});

/** How the audit log names a journalist. */
const subjectOf = (j: { name: string; medium: string; email: string }) => `${j.name}${j.medium ? ` (${j.medium})` : ''} <${j.email}>`;

/** The decision that moves an accreditation, from which statuses, to which, and the audit action. */
const TRANSITIONS: Record<Decision, { from: AccreditationStatus[]; to: AccreditationStatus; action: 'accreditation.accepted' | 'accreditation.refused' | 'accreditation.revoked'; messageRequired: boolean }> = {
  accept: { from: ['requested'], to: 'accepted', action: 'accreditation.accepted', messageRequired: false },
  refuse: { from: ['requested'], to: 'refused', action: 'accreditation.refused', messageRequired: true },
  revoke: { from: ['accepted'], to: 'revoked', action: 'accreditation.revoked', messageRequired: true },
};

/** What an office or a platform admin may do with an accreditation in each status. */
export const decisionsFor = (status: AccreditationStatus): Decision[] => (Object.keys(TRANSITIONS) as Decision[]).filter((d) => TRANSITIONS[d].from.includes(status));

export interface JournalistsServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  audit: AuditService;
  /**
   * Told, in the transaction that deletes a journalist, before the row goes: services.ts passes the
   * pre-releases' `forgetJournalist`, which keeps their recipient rows (name, medium: the office's
   * leak tracing) but drops the address, ends their links and cancels mail not yet sent.
   */
  onDelete?: (trx: Kysely<DB>, journalistId: number, now: string) => Promise<void>;
}

export const createJournalistsService = ({ db, clock, events, audit, onDelete = async () => {} }: JournalistsServiceDeps) => {
  const now = () => clock.now();
  const iso = (ms = 0) => new Date(now().getTime() + ms).toISOString();

  const checkProfile = (input: { name: string; medium: string; pressCard: string }): { name: string; medium: string; pressCard: string; errors: FieldErrors } => {
    const clean = { name: oneLine(input.name), medium: oneLine(input.medium), pressCard: oneLine(input.pressCard) };
    const errors: FieldErrors = {};
    for (const field of ['name', 'medium', 'pressCard'] as const) if (clean[field].length > LIMITS[field]) errors[field] = 'tooLong';
    if (!clean.name) errors.name = 'required';
    return { ...clean, errors };
  };

  const checkMessage = (message: string, required: boolean): string => {
    const text = cleanMessage(message);
    if (required && !text) throw new ValidationError('A message is needed', { message: 'required' });
    if (text.length > LIMITS.message) throw new ValidationError('Too long', { message: 'tooLong' });
    return text;
  };

  /** Opens a session: a random token for the cookie, only its hash stored. */
  const openSession = async (journalistId: number): Promise<string> => {
    const token = newToken();
    const at = iso();
    await repo.deleteExpiredSessions(db, at, iso(-SESSION_IDLE_MS));
    await repo.insertSession(db, { id_hash: hashToken(token), journalist_id: journalistId, created_at: at, last_seen_at: at, expires_at: iso(SESSION_MAX_MS) });
    return token;
  };

  /** A new login link for the journalist: ends every open one, so only the newest works. */
  const issueLink = async (trx: Kysely<DB>, journalistId: number): Promise<string> => {
    const token = newToken();
    await repo.deleteOpenTokens(trx, journalistId);
    await repo.insertToken(trx, { token_hash: hashToken(token), journalist_id: journalistId, purpose: 'login', created_at: iso(), expires_at: iso(LOGIN_LINK_TTL_MS) });
    return token;
  };

  /** The decision mail, unless the journalist switched it off; a newer decision replaces one not yet sent. */
  const queueDecisionMail = async (trx: Kysely<DB>, accreditation: repo.AccreditationDetails, at: string): Promise<boolean> => {
    await repo.cancelQueuedDecisionMail(trx, accreditation.id);
    if (accreditation.journalist_decision_mail !== 1) return false;
    await repo.queueMail(trx, { kind: 'accreditation-decision', journalistId: accreditation.journalist_id, accreditationId: accreditation.id }, at);
    return true;
  };

  const service = {
    async findById(id: number): Promise<Journalist | undefined> {
      const row = await repo.findJournalistById(db, id);
      return row ? toJournalist(row) : undefined;
    },

    async findByEmail(email: string): Promise<Journalist | undefined> {
      const row = await repo.findJournalistByEmail(db, normaliseEmail(email));
      return row ? toJournalist(row) : undefined;
    },

    /**
     * A journalist signs up. The answer is the same whether or not the address has an account: a
     * new account is created and sent a login link; an existing one is only sent a login link (its
     * details are not changed by a stranger). Field errors are thrown all at once.
     */
    async signup(input: SignupInput, lang: 'de' | 'en'): Promise<void> {
      const { name, medium, pressCard, errors } = checkProfile(input);
      const email = normaliseEmail(input.email);
      if (!email) errors.email = 'required';
      else if (!isEmail(email)) errors.email = 'invalidEmail';
      if (Object.keys(errors).length > 0) throw new ValidationError('Invalid sign-up', errors);
      const at = iso();
      await db.transaction().execute(async (trx) => {
        const existing = await repo.findJournalistByEmail(trx, email);
        const id = existing?.id ?? (await repo.insertJournalist(trx, { email, name, medium, press_card: pressCard, lang, created_at: at }));
        await repo.queueMail(trx, { kind: 'journalist-login', journalistId: id, email, lang: existing ? (existing.lang === 'en' ? 'en' : 'de') : lang }, at);
      });
      events.emit('mail.queued', { count: 1 });
    },

    /**
     * Someone asks for a login link for this address. The same work for every address: one outbox
     * row; whether the address has an account is decided when the mail is sent (`mintLoginLink`).
     */
    async requestLogin(emailInput: string, lang: 'de' | 'en'): Promise<void> {
      const email = normaliseEmail(emailInput).slice(0, 254);
      if (!isEmail(email)) return;
      await repo.queueMail(db, { kind: 'journalist-login', email, lang }, iso());
      events.emit('mail.queued', { count: 1 });
    },

    /**
     * For the sender: the login link of a login mail, made now (only its hash is stored). No mail
     * for an address without an account (the address is forgotten), nor when the journalist was sent
     * a link less than LOGIN_MAIL_GAP_MS ago.
     */
    async mintLoginLink(mail: { outboxId: number; journalistId: number | null; email: string | null }): Promise<{ token: string; validMs: number; journalist: Journalist } | { cancel: string }> {
      return db.transaction().execute(async (trx) => {
        const row = mail.journalistId !== null ? await repo.findJournalistById(trx, mail.journalistId) : mail.email ? await repo.findJournalistByEmail(trx, mail.email) : undefined;
        if (!row) {
          await repo.forgetOutboxAddress(trx, mail.outboxId);
          return { cancel: 'no account' };
        }
        await serializeOn(trx, `journalist-login-mail:${row.id}`);
        const latest = await repo.latestTokenAt(trx, row.id);
        if (latest && new Date(latest).getTime() > now().getTime() - LOGIN_MAIL_GAP_MS) return { cancel: 'a login link was sent minutes ago' };
        return { token: await issueLink(trx, row.id), validMs: LOGIN_LINK_TTL_MS, journalist: toJournalist(row) };
      });
    },

    /** The journalist an unused, unexpired login link opens, or undefined. */
    async findLoginLink(token: string): Promise<Journalist | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const link = await repo.findToken(db, hashToken(token));
      if (!link || link.used_at !== null || link.expires_at <= iso() || link.purpose !== 'login') return undefined;
      return service.findById(link.journalist_id);
    },

    /** Uses a login link (once): the address is confirmed, a session opened. */
    async useLoginLink(token: string): Promise<{ journalist: Journalist; sessionToken: string } | undefined> {
      const journalist = await service.findLoginLink(token);
      if (!journalist) return undefined;
      const at = iso();
      const used = await db.transaction().execute(async (trx) => {
        if (!(await repo.markTokenUsed(trx, hashToken(token), at))) return false;
        if (!journalist.confirmedAt) await repo.updateJournalist(trx, journalist.id, { confirmed_at: at });
        return true;
      });
      if (!used) return undefined;
      return { journalist: (await service.findById(journalist.id))!, sessionToken: await openSession(journalist.id) };
    },

    /** The journalist of a live session, or undefined. */
    async resumeSession(token: string): Promise<Journalist | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const idHash = hashToken(token);
      const row = await repo.findSession(db, idHash);
      if (!row) return undefined;
      const nowMs = now().getTime();
      const seen = new Date(row.last_seen_at).getTime();
      if (row.expires_at <= iso() || seen + SESSION_IDLE_MS <= nowMs) return undefined;
      if (nowMs - seen >= TOUCH_EVERY_MS) await repo.touchSession(db, idHash, iso());
      return service.findById(row.journalist_id);
    },

    async closeSession(token: string): Promise<void> {
      if (TOKEN_SHAPE.test(token)) await repo.deleteSession(db, hashToken(token));
    },

    /** Changes the journalist's own details and notification settings (the address stays: it is the login). */
    async updateProfile(journalistId: number, input: ProfileInput): Promise<void> {
      const { name, medium, pressCard, errors } = checkProfile(input);
      if (Object.keys(errors).length > 0) throw new ValidationError('Invalid profile', errors);
      await repo.updateJournalist(db, journalistId, { name, medium, press_card: pressCard, lang: input.lang, prerelease_mail: input.prereleaseMail ? 1 : 0, decision_mail: input.decisionMail ? 1 : 0 });
    },

    async accreditationsOf(journalistId: number): Promise<Accreditation[]> {
      return (await repo.listAccreditationsOfJournalist(db, journalistId)).map(toAccreditation);
    },

    /**
     * A journalist asks an office for accreditation, with a message. Asking again after a refusal
     * or revocation moves the same row back to `requested`; a request that is open or accepted
     * cannot be made again. The office's owners are told by mail; the audit log records it.
     */
    async requestAccreditation(journalist: Journalist, officeId: number, message: string): Promise<void> {
      const text = checkMessage(message, false);
      const at = iso();
      const queued = await db.transaction().execute(async (trx) => {
        const office = await trx.selectFrom('offices').select(['id', 'language']).where('id', '=', officeId).executeTakeFirst();
        if (!office) throw new ValidationError('No such office', { office: 'unknown' });
        const existing = await repo.findAccreditationOf(trx, journalist.id, officeId);
        let id: number;
        if (!existing) {
          id = await repo.insertAccreditation(trx, { journalist_id: journalist.id, office_id: officeId, status: 'requested', request_message: text, requested_at: at });
        } else {
          const values = { status: 'requested' as const, request_message: text, requested_at: at, decided_at: null, decided_by: null, decision_message: '' };
          if (!(await repo.updateAccreditationIf(trx, existing.id, ['refused', 'revoked'], values))) throw new ValidationError('Asked already', { office: existing.status === 'accepted' ? 'accreditedAlready' : 'requestedAlready' });
          id = existing.id;
          await repo.cancelQueuedDecisionMail(trx, id);
        }
        await audit.record({ officeId, actor: null, byName: journalist.email, action: 'accreditation.requested', subject: subjectOf(journalist), detail: text }, trx);
        const owners = await repo.listOwnerEmails(trx, officeId);
        const lang = office.language === 'en' ? 'en' : 'de';
        for (const email of owners) await repo.queueMail(trx, { kind: 'accreditation-request', email, lang, accreditationId: id }, at);
        return owners.length;
      });
      if (queued > 0) events.emit('mail.queued', { count: queued });
    },

    /** An office's accreditation by id; another office's (or a platform-wide one) is not found. */
    async findForOffice(officeId: number, id: number): Promise<Accreditation | undefined> {
      const row = await repo.findAccreditation(db, id);
      return row && row.office_id === officeId ? toAccreditation(row) : undefined;
    },

    /** An office's accreditations: open requests, accredited journalists, and the earlier ones (refused, revoked). */
    async officeOverview(officeId: number) {
      const all = (await repo.listAccreditationsOfOffice(db, officeId)).map(toAccreditation);
      return {
        open: all.filter((a) => a.status === 'requested'),
        accepted: all.filter((a) => a.status === 'accepted').sort((a, b) => a.journalist.name.localeCompare(b.journalist.name)),
        history: all.filter((a) => a.status === 'refused' || a.status === 'revoked'),
      };
    },

    /**
     * An owner (or platform admin) accepts or refuses a request, or revokes an accreditation, with
     * a message (needed to refuse and revoke). `officeId` null is the platform-wide accreditation.
     * Recorded in the audit log; the journalist is told by mail unless they switched it off.
     */
    async decide(scope: { officeId: number | null }, id: number, decision: Decision, message: string, actor: Actor | null, byName?: string): Promise<Accreditation> {
      const rule = TRANSITIONS[decision];
      const text = checkMessage(message, rule.messageRequired);
      const at = iso();
      const { row, mailed } = await db.transaction().execute(async (trx) => {
        const before = await repo.findAccreditation(trx, id);
        if (!before || before.office_id !== scope.officeId) throw new NotFoundError('No such accreditation');
        if (!(await repo.updateAccreditationIf(trx, id, rule.from, { status: rule.to, decision_message: text, decided_at: at, decided_by: actor?.id ?? null }))) {
          throw new ValidationError('Decided already', { accreditation: 'decided' });
        }
        const row = (await repo.findAccreditation(trx, id))!;
        await audit.record({ officeId: scope.officeId, actor, ...(byName ? { byName } : {}), action: rule.action, subject: subjectOf({ name: row.journalist_name, medium: row.journalist_medium, email: row.journalist_email }), detail: text }, trx);
        return { row, mailed: await queueDecisionMail(trx, row, at) };
      });
      if (mailed) events.emit('mail.queued', { count: 1 });
      return toAccreditation(row);
    },

    /**
     * Accredits a journalist directly, as accepted: platform-wide (officeId null, a platform admin)
     * or for an office (the CLI). Also from a refused, revoked or open request; an accepted one
     * stays as it is (returns false).
     */
    async accredit(journalistId: number, officeId: number | null, message: string, actor: Actor | null, byName?: string): Promise<boolean> {
      const text = checkMessage(message, false);
      const at = iso();
      const result = await db.transaction().execute(async (trx) => {
        const journalist = await repo.findJournalistById(trx, journalistId);
        if (!journalist) throw new NotFoundError('No such journalist');
        const existing = await repo.findAccreditationOf(trx, journalistId, officeId);
        if (existing?.status === 'accepted') return { changed: false, mailed: false };
        const values = { status: 'accepted' as const, decision_message: text, decided_at: at, decided_by: actor?.id ?? null };
        const id = existing ? existing.id : await repo.insertAccreditation(trx, { journalist_id: journalistId, office_id: officeId, requested_at: at, ...values });
        if (existing && !(await repo.updateAccreditationIf(trx, id, ['requested', 'refused', 'revoked'], values))) return { changed: false, mailed: false };
        await audit.record({ officeId, actor, ...(byName ? { byName } : {}), action: 'accreditation.accepted', subject: subjectOf(journalist), detail: text }, trx);
        return { changed: true, mailed: await queueDecisionMail(trx, (await repo.findAccreditation(trx, id))!, at) };
      });
      if (result.mailed) events.emit('mail.queued', { count: 1 });
      return result.changed;
    },

    /** Revokes a journalist's platform-wide accreditation (platform admins). */
    async revokePlatform(journalistId: number, message: string, actor: Actor): Promise<void> {
      const existing = await repo.findAccreditationOf(db, journalistId, null);
      if (!existing || existing.status !== 'accepted') throw new ValidationError('Not accredited platform-wide', { accreditation: 'decided' });
      await service.decide({ officeId: null }, existing.id, 'revoke', message, actor);
    },

    /** Every journalist with their platform-wide accreditation and how many offices accredited them (platform admins). */
    async listAll(limit = 1000) {
      const [rows, platform, counts] = await Promise.all([repo.listJournalists(db, limit), repo.listPlatformAccreditations(db), repo.countAcceptedByJournalist(db)]);
      const byJournalist = new Map(platform.map((a) => [a.journalist_id, toAccreditation(a)]));
      return rows.map((row) => ({ ...toJournalist(row), platform: byJournalist.get(row.id) ?? null, offices: counts.get(row.id) ?? 0 }));
    },

    /** The accreditations of one journalist (platform admins). */
    async accreditationsForAdmin(journalistId: number) {
      const journalist = await service.findById(journalistId);
      if (!journalist) return undefined;
      return { journalist, accreditations: await service.accreditationsOf(journalistId) };
    },

    /**
     * The operator's way in (`herold journalist add`): finds or creates the journalist, vouches for
     * the address, accredits them (an office, or platform-wide with officeId null) and returns a
     * login link's token, valid like a mailed one.
     */
    async addByOperator(input: SignupInput & { lang?: 'de' | 'en' }, officeId: number | null): Promise<{ journalist: Journalist; created: boolean; accredited: boolean; token: string }> {
      const { name, medium, pressCard, errors } = checkProfile(input);
      const email = normaliseEmail(input.email);
      if (!isEmail(email)) errors.email = 'invalidEmail';
      if (Object.keys(errors).length > 0) throw new ValidationError('Invalid journalist', errors);
      const at = iso();
      const { id, created } = await db.transaction().execute(async (trx) => {
        const existing = await repo.findJournalistByEmail(trx, email);
        if (existing) {
          if (!existing.vouched_at) await repo.updateJournalist(trx, existing.id, { vouched_at: at });
          return { id: existing.id, created: false };
        }
        return { id: await repo.insertJournalist(trx, { email, name, medium, press_card: pressCard, lang: input.lang ?? 'de', created_at: at, vouched_at: at }), created: true };
      });
      const accredited = await service.accredit(id, officeId, '', null, 'CLI');
      const token = await db.transaction().execute((trx) => issueLink(trx, id));
      return { journalist: (await service.findById(id))!, created, accredited, token };
    },

    /**
     * The journalist asks to change their address to `emailInput`: nothing changes yet; a link to
     * confirm goes to the new address (made when the mail is sent), replacing an earlier open one.
     */
    async requestAddressChange(journalist: Journalist, emailInput: string): Promise<void> {
      const email = normaliseEmail(emailInput);
      if (!email) throw new ValidationError('An address is needed', { email: 'required' });
      if (!isEmail(email)) throw new ValidationError('Not an address', { email: 'invalidEmail' });
      if (email.toLowerCase() === journalist.email.toLowerCase()) throw new ValidationError('The same address', { email: 'sameAddress' });
      const at = iso();
      await db.transaction().execute(async (trx) => {
        await repo.insertAddressChange(trx, { journalist_id: journalist.id, new_email: email, created_at: at });
        await repo.queueMail(trx, { kind: 'journalist-address', journalistId: journalist.id, email, lang: journalist.lang }, at);
      });
      events.emit('mail.queued', { count: 1 });
    },

    /**
     * For the sender: the confirmation link of an address-change mail, made now (only its hash is
     * stored). No mail when the change was replaced or confirmed meanwhile, or when the address
     * belongs to another account by now (whose existence the journalist does not learn).
     */
    async mintAddressLink(mail: { journalistId: number | null; email: string | null }): Promise<{ token: string; validMs: number; journalist: Journalist; email: string } | { cancel: string }> {
      if (mail.journalistId === null || !mail.email) return { cancel: 'no journalist' };
      const { journalistId, email } = mail;
      return db.transaction().execute(async (trx) => {
        const row = await repo.findJournalistById(trx, journalistId);
        const change = row ? await repo.findOpenAddressChange(trx, row.id, email) : undefined;
        if (!row || !change) return { cancel: 'address change replaced or done' };
        const holder = await repo.findJournalistByEmail(trx, email);
        if (holder && holder.id !== row.id) return { cancel: 'the address has an account' };
        const token = newToken();
        await repo.updateAddressChange(trx, Number(change.id), { token_hash: hashToken(token), expires_at: iso(ADDRESS_LINK_TTL_MS) });
        return { token, validMs: ADDRESS_LINK_TTL_MS, journalist: toJournalist(row), email };
      });
    },

    /** The change an unused, unexpired confirmation link stands for, or undefined. */
    async findAddressLink(token: string): Promise<{ journalist: Journalist; email: string } | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const change = await repo.findAddressChangeByTokenHash(db, hashToken(token));
      if (!change || change.used_at !== null || !change.expires_at || change.expires_at <= iso()) return undefined;
      const journalist = await service.findById(change.journalist_id);
      return journalist ? { journalist, email: change.new_email } : undefined;
    },

    /**
     * Uses a confirmation link (once): the new address becomes the login (and is proven); the old
     * one is told by mail; the audit log records it. `taken` when another account has the address
     * by now; undefined for a link that does not (or no longer) work.
     */
    async confirmAddressChange(token: string): Promise<{ journalist: Journalist } | { taken: true } | undefined> {
      const link = await service.findAddressLink(token);
      if (!link) return undefined;
      const at = iso();
      const result = await db.transaction().execute(async (trx): Promise<{ taken: true } | { journalistId: number } | undefined> => {
        const change = await repo.findAddressChangeByTokenHash(trx, hashToken(token));
        if (!change) return undefined;
        const holder = await repo.findJournalistByEmail(trx, change.new_email);
        if (holder && holder.id !== change.journalist_id) return { taken: true };
        if (!(await repo.markAddressChangeUsed(trx, Number(change.id), at))) return undefined;
        const before = (await repo.findJournalistById(trx, change.journalist_id))!;
        await repo.updateJournalist(trx, before.id, { email: change.new_email, confirmed_at: at });
        // Login links made for the old address end with it.
        await repo.deleteOpenTokens(trx, before.id);
        await repo.queueMail(trx, { kind: 'journalist-address-changed', journalistId: before.id, email: before.email, lang: before.lang === 'en' ? 'en' : 'de' }, at);
        await audit.record({ officeId: null, actor: null, byName: change.new_email, action: 'journalist.address-changed', subject: subjectOf({ ...before, email: change.new_email }), detail: `${before.email} → ${change.new_email}` }, trx);
        return { journalistId: before.id };
      });
      if (!result) return undefined;
      if ('taken' in result) return result;
      events.emit('mail.queued', { count: 1 });
      return { journalist: (await service.findById(result.journalistId))! };
    },

    /**
     * The journalist deletes their account: the account, its sessions and links, its accreditations
     * (open requests end; their owners' request mails are not sent) go; pre-release recipient rows
     * keep name and medium for the office's leak tracing but lose the address (`onDelete`). Written
     * to the audit log of each office the journalist had an accreditation with, and the platform's,
     * naming them without their address.
     */
    async deleteAccount(journalistId: number): Promise<void> {
      const at = iso();
      await db.transaction().execute(async (trx) => {
        const row = await repo.findJournalistById(trx, journalistId);
        if (!row) throw new NotFoundError('No such journalist');
        const offices = new Set((await repo.listAccreditationsOfJournalist(trx, journalistId)).map((a) => a.office_id).filter((id): id is number => id !== null));
        await onDelete(trx, journalistId, at);
        const subject = `${row.name}${row.medium ? ` (${row.medium})` : ''}`;
        for (const officeId of [null, ...offices]) await audit.record({ officeId, actor: null, byName: subject, action: 'journalist.deleted', subject, detail: '' }, trx);
        await repo.deleteJournalist(trx, journalistId);
      });
    },

    /** For the mail composer: the accreditation an outbox row names. */
    forMail: (accreditationId: number) => repo.findAccreditation(db, accreditationId),

    /** The journalists the pre-release may send an office's release to (journalists.repository.ts). */
    accreditedJournalists: (officeId: number) => repo.accreditedJournalists(db, officeId),
  };
  return service;
};

export type JournalistsService = ReturnType<typeof createJournalistsService>;
