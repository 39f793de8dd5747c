// Applications to join: a press office asks on the public page; the applicant confirms the address
// by a mailed link (double opt-in); platform admins then see it and accept (the office is created
// and its owner invited) or decline it with a message. Mail goes through the outbox
// (applications.mail.ts composes it when the sender sends). See CONTEXT.md.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import { isSlug } from '../../lib/slug.ts';
import { isEmail, normaliseEmail } from '../auth/auth.service.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import type { Office, OfficesService } from '../offices/offices.service.ts';
import type { Tokens } from '../subscriptions/subscriptions.tokens.ts';
import * as repo from './applications.repository.ts';
import { oneLine } from '../../lib/input-text.ts';

/** How long the confirmation link holds; unconfirmed applications are deleted after it. */
export const CONFIRM_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Applications one address may send per day. */
const PER_ADDRESS_PER_DAY = 3;
const LIMITS = { organisation: 200, contactName: 200, email: 254, website: 300, reason: 3000, message: 5000 } as const;

export interface ApplicationInput {
  organisation: string;
  contactName: string;
  email: string;
  website: string;
  reason: string;
}

export interface Application extends ApplicationInput {
  id: number;
  lang: 'de' | 'en';
  status: repo.ApplicationRow['status'];
  createdAt: string;
  confirmedAt: string | null;
  decidedAt: string | null;
  decidedBy: string;
  decisionMessage: string;
  officeSlug: string | null;
}


const toApplication = (row: repo.ApplicationRow & { decided_by_email?: string | null; office_slug?: string | null }): Application => ({
  id: row.id,
  organisation: row.organisation,
  contactName: row.contact_name,
  email: row.email,
  website: row.website,
  reason: row.reason,
  lang: row.lang,
  status: row.status,
  createdAt: row.created_at,
  confirmedAt: row.confirmed_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by_email ?? '',
  decisionMessage: row.decision_message,
  officeSlug: row.office_slug ?? null,
});

export interface ApplicationsServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  tokens: Tokens;
  events: EventBus;
  offices: OfficesService;
  audit: AuditService;
}

export const createApplicationsService = ({ db, clock, tokens, events, offices, audit }: ApplicationsServiceDeps) => {
  const now = () => clock.now().toISOString();

  /** The cleaned input, or the field errors (all at once). */
  const check = (input: ApplicationInput): ApplicationInput => {
    const clean = {
      organisation: oneLine(input.organisation),
      contactName: oneLine(input.contactName),
      email: normaliseEmail(input.email),
      website: input.website.trim(),
      reason: input.reason.replace(/\r\n/g, '\n').trim(),
    };
    const errors: FieldErrors = {};
    for (const field of ['organisation', 'contactName', 'email', 'website', 'reason'] as const) {
      if (clean[field].length > LIMITS[field]) errors[field] = 'tooLong';
    }
    if (!clean.organisation) errors.organisation = 'required';
    if (!clean.contactName) errors.contactName = 'required';
    if (!clean.email) errors.email = 'required';
    else if (!errors.email && !isEmail(clean.email)) errors.email = 'invalidEmail';
    if (clean.website && !errors.website && !/^https?:\/\/[^\s"<>]+\.[^\s"<>]+$/.test(clean.website)) errors.website = 'invalidUrl';
    if (!clean.reason) errors.reason = 'required';
    if (Object.keys(errors).length > 0) throw new ValidationError('Invalid application', errors);
    return clean;
  };

  const service = {
    /**
     * Stores an application and queues the confirmation mail. Too many from one address in a day
     * are dropped silently: the answer is the same, so the form tells nobody about anybody.
     */
    async apply(input: ApplicationInput, { lang, ipHash }: { lang: 'de' | 'en'; ipHash: string | null }): Promise<void> {
      const clean = check(input);
      const at = now();
      const since = new Date(clock.now().getTime() - 24 * 60 * 60 * 1000).toISOString();
      const queued = await db.transaction().execute(async (trx) => {
        if ((await repo.countApplicationsSince(trx, clean.email, since)) >= PER_ADDRESS_PER_DAY) return false;
        const id = await repo.insertApplication(trx, {
          organisation: clean.organisation,
          contact_name: clean.contactName,
          email: clean.email,
          website: clean.website,
          reason: clean.reason,
          lang,
          nonce: randomBytes(12).toString('base64url'),
          ip_hash: ipHash,
          created_at: at,
        });
        await repo.queueApplicationMail(trx, 'application-confirmation', id, at);
        return true;
      });
      if (queued) events.emit('mail.queued', { count: 1 });
    },

    /** The link token that confirms an application (put in its confirmation mail). */
    confirmationToken: (row: Pick<repo.ApplicationRow, 'id' | 'nonce' | 'created_at'>): string =>
      tokens.sign({ p: 'application', a: row.id, n: row.nonce, x: new Date(row.created_at).getTime() + CONFIRM_TTL_MS }),

    /** The unconfirmed application a token names, if the token is genuine and unexpired. */
    async readConfirmation(token: string): Promise<Application | undefined> {
      const payload = tokens.verify(token, 'application');
      if (!payload || payload.x < clock.now().getTime()) return undefined;
      const row = await repo.findApplication(db, payload.a);
      return row && row.status === 'unconfirmed' && row.nonce === payload.n ? toApplication(row) : undefined;
    },

    /** Confirms the applicant's address; afterwards platform admins see the application. */
    async confirm(token: string): Promise<boolean> {
      const application = await service.readConfirmation(token);
      if (!application) return false;
      return repo.updateApplicationIf(db, application.id, 'unconfirmed', { status: 'confirmed', confirmed_at: now() });
    },

    async find(id: number): Promise<Application | undefined> {
      const row = await repo.findVisibleApplication(db, id);
      return row ? toApplication(row) : undefined;
    },

    /** Confirmed applications waiting for a decision, the latest decided ones, and how many wait for confirmation. */
    async overview() {
      const [open, decided, unconfirmed] = await Promise.all([
        repo.listApplications(db, ['confirmed'], 500),
        repo.listApplications(db, ['accepted', 'declined'], 50),
        repo.countByStatus(db, 'unconfirmed'),
      ]);
      return { open: open.map(toApplication), decided: decided.map(toApplication), unconfirmed };
    },

    countOpen: () => repo.countByStatus(db, 'confirmed'),

    /**
     * Accepts a confirmed application: creates the office (slug and name as the admin chose; the
     * applicant becomes its press contact) and records the decision. The caller then invites the
     * owner (`auth.invite`, queued in the outbox), as an owner invites members.
     */
    async accept(id: number, choice: { slug: string; name: string }, actor: Actor): Promise<{ office: Office; application: Application }> {
      const application = await service.find(id);
      if (!application) throw new NotFoundError('No such application');
      if (application.status !== 'confirmed') throw new ValidationError('Decided already', { application: 'decided' });
      const slug = choice.slug.trim().toLowerCase();
      if (!isSlug(slug)) throw new ValidationError('Invalid office slug', { slug: 'invalidSlug' });
      const office = await offices.create(
        { slug, name: choice.name || application.organisation, website: application.website, language: application.lang },
        [{ organisation: application.organisation, role: '', name: application.contactName, street: '', postcode: '', town: '', phone: '', fax: '', email: application.email, website: application.website }],
      );
      await db.transaction().execute(async (trx) => {
        await repo.updateApplicationIf(trx, id, 'confirmed', { status: 'accepted', decided_at: now(), decided_by: actor.id, office_id: office.id });
        await audit.record({ officeId: null, actor, action: 'application.accepted', subject: application.organisation, detail: office.slug }, trx);
      });
      return { office, application };
    },

    /** Declines a confirmed application; the message goes to the applicant through the outbox. */
    async decline(id: number, message: string, actor: Actor): Promise<void> {
      const text = message.replace(/\r\n/g, '\n').trim();
      if (!text) throw new ValidationError('A message is needed', { message: 'required' });
      if (text.length > LIMITS.message) throw new ValidationError('Too long', { message: 'tooLong' });
      const at = now();
      const done = await db.transaction().execute(async (trx) => {
        const row = await repo.findApplication(trx, id);
        if (!row) throw new NotFoundError('No such application');
        if (!(await repo.updateApplicationIf(trx, id, 'confirmed', { status: 'declined', decided_at: at, decided_by: actor.id, decision_message: text }))) {
          throw new ValidationError('Decided already', { application: 'decided' });
        }
        await repo.queueApplicationMail(trx, 'application-declined', id, at);
        await audit.record({ officeId: null, actor, action: 'application.declined', subject: row.organisation }, trx);
        return true;
      });
      if (done) events.emit('mail.queued', { count: 1 });
    },

    /** For the mail composer: the application an outbox row names. */
    async forMail(id: number): Promise<repo.ApplicationRow | undefined> {
      return repo.findApplication(db, id);
    },

    /** Deletes applications whose address was not confirmed in time. */
    purgeUnconfirmed: async (): Promise<number> => repo.deleteUnconfirmedBefore(db, new Date(clock.now().getTime() - CONFIRM_TTL_MS).toISOString()),
  };
  return service;
};

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
