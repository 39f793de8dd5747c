// The rules of e-mail subscriptions: double opt-in sign-up, confirmation with consent record,
// the manage page's changes, unsubscribing (which deletes the address's data), the purge of
// unconfirmed sign-ups. Owns the transactions. See CONTEXT.md for the words used here.
import { randomBytes } from 'node:crypto';
import { domainToASCII, domainToUnicode } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB, Frequency, TargetKind } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { ValidationError, type FieldErrors } from '../../lib/errors.ts';
import * as repo from './subscriptions.repository.ts';
import type { Tokens } from './subscriptions.tokens.ts';
import { decodeFollowedSearch, describeFollowedSearch } from '../search/search.follow.ts';

export const FREQUENCIES: readonly Frequency[] = ['immediately', 'daily', 'weekly'];
/** Kinds a visitor can follow from the forms (`all`: every release, value `ALL_RELEASES`); `search` is added by the search module. */
export const FORM_KINDS = ['all', 'office', 'topic', 'region'] as const;
/** The one value of an `all` target. */
export const ALL_RELEASES = '*';
export type FormKind = (typeof FORM_KINDS)[number];

export const CONFIRM_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Sign-ups per address within 24 hours beyond which no further confirmation mail is sent. */
export const MAX_REQUESTS_PER_ADDRESS_PER_DAY = 3;
/** Permanent delivery failures after which an address is suspended. */
export const SUSPEND_AFTER_FAILURES = 3;

export interface Target {
  kind: TargetKind;
  value: string;
}

/** Slugs chosen per kind; `all` holds `ALL_RELEASES` when every release is followed. */
export type TargetSelection = Record<Exclude<FormKind, 'all'>, string[]> & { all?: string[] };

export interface SignUpInput {
  email: string;
  frequency: string;
  targets: TargetSelection;
  /** Searches to follow, each as its search URL's query string (`q=…&office=…`). */
  searches?: string[];
  lang: 'de' | 'en';
  ip: string;
}

/** At most this many searches per sign-up. */
export const MAX_SEARCHES_PER_SIGN_UP = 5;

/** What the subscriptions need of the search module: the canonical target of a search. */
export interface SearchTargets {
  followTarget(queryString: string): Promise<{ value: string } | undefined>;
}

export interface NamedTarget extends Target {
  name: string;
}

export interface SubscriptionDetails {
  id: number;
  email: string;
  frequency: Frequency;
  lang: 'de' | 'en';
  status: 'active' | 'suspended';
  targets: NamedTarget[];
  manageToken: string;
  unsubscribeToken: string;
}

// The local part: the ASCII characters RFC 5322 allows unquoted, and any letter, mark or digit
// (RFC 6531, internationalised addresses: täglich@example.net, sent with SMTPUTF8). The domain: a
// host name, also an internationalised one (IDNA; checked in its ASCII form, stored readably).
const LOCAL_PART = /^[\p{L}\p{M}\p{N}.!#$%&'*+/=?^_`{|}~-]+$/u;
const ASCII_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The address as stored: trimmed, NFC, lower-cased, the domain in its Unicode form; undefined when
 * it is not a plain, safe address (quoted local parts, IP literals and comments are refused).
 */
export const normaliseEmail = (raw: string): string | undefined => {
  if (/[\r\n]/.test(raw)) return undefined;
  const email = raw.trim().normalize('NFC').toLowerCase();
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local) || Buffer.byteLength(local) > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253 || !ASCII_DOMAIN.test(ascii)) return undefined;
  const stored = `${local}@${domainToUnicode(ascii)}`;
  return Buffer.byteLength(stored) > 254 ? undefined : stored;
};

export interface SubscriptionsServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  events: EventBus;
  tokens: Tokens;
  /** Without it, a sign-up with a search is refused as invalid. */
  search?: SearchTargets;
  /** Puts the confirmation mail of a sign-up into the mail outbox, in the sign-up's transaction (services.ts passes the mail module's). */
  queueConfirmation: (trx: Kysely<DB>, requestId: number, now: string) => Promise<void>;
}

export const createSubscriptionsService = ({ db, clock, events, tokens, search, queueConfirmation }: SubscriptionsServiceDeps) => {
  const nowIso = () => clock.now().toISOString();

  const choices = () => repo.listTargetChoices(db);

  /** Searches (query strings) as canonical targets; one that cannot be followed is a field error. */
  const resolveSearches = async (searches: readonly string[], errors: FieldErrors): Promise<Target[]> => {
    const targets: Target[] = [];
    const unique = [...new Set(searches)];
    if (unique.length > MAX_SEARCHES_PER_SIGN_UP) {
      errors.targets = 'tooMany';
      return [];
    }
    for (const raw of unique) {
      const found = search ? await search.followTarget(raw) : undefined;
      if (found) targets.push({ kind: 'search', value: found.value });
      else errors.targets = 'invalidSearch';
    }
    return targets;
  };

  /** Validates slugs against what exists; unknown ones are a field error. */
  const resolveTargets = async (selection: TargetSelection, errors: FieldErrors): Promise<Target[]> => {
    const all = await choices();
    const known: Record<FormKind, Set<string>> = {
      all: new Set([ALL_RELEASES]),
      office: new Set(all.offices.map((o) => o.slug)),
      topic: new Set(all.topics.map((o) => o.slug)),
      region: new Set(all.regions.map((o) => o.slug)),
    };
    const targets: Target[] = [];
    for (const kind of FORM_KINDS) {
      for (const value of new Set(selection[kind] ?? [])) {
        if (known[kind].has(value)) targets.push({ kind, value });
        else errors.targets = 'unknown';
      }
    }
    return targets;
  };

  const nameTargets = async (targets: Target[]): Promise<NamedTarget[]> => {
    const all = await choices();
    const names: Record<string, Map<string, string>> = {
      office: new Map(all.offices.map((o) => [o.slug, o.name])),
      topic: new Map(all.topics.map((o) => [o.slug, o.name])),
      region: new Map(all.regions.map((o) => [o.slug, o.name])),
    };
    return targets.map((t) => ({ ...t, name: t.kind === 'search' ? searchName(t.value, names) : (names[t.kind]?.get(t.value) ?? t.value) }));
  };

  /** A followed search, readably: „text“ · office · topic · …; the raw value if it is not one. */
  const searchName = (value: string, names: Record<string, Map<string, string>>): string => {
    const followed = decodeFollowedSearch(value);
    return followed ? describeFollowedSearch(followed, { offices: names.office!, topics: names.topic!, regions: names.region! }) : value;
  };

  /** Searches (query strings) readably, for the sign-up form; those that cannot be followed are left out. */
  const describeSearches = async (searches: readonly string[]): Promise<{ value: string; name: string }[]> => {
    const out: { value: string; name: string }[] = [];
    for (const raw of [...new Set(searches)].slice(0, MAX_SEARCHES_PER_SIGN_UP)) {
      const found = search ? await search.followTarget(raw) : undefined;
      if (found) out.push({ value: raw, name: (await nameTargets([{ kind: 'search', value: found.value }]))[0]!.name });
    }
    return out;
  };

  const details = async (row: NonNullable<Awaited<ReturnType<typeof repo.findSubscriptionById>>>): Promise<SubscriptionDetails> => ({
    id: row.id,
    email: row.email,
    frequency: row.frequency,
    lang: row.lang,
    status: row.status,
    targets: await nameTargets(await repo.listTargets(db, row.id)),
    manageToken: tokens.sign({ p: 'manage', s: row.id, k: row.token_key }),
    unsubscribeToken: tokens.sign({ p: 'unsubscribe', s: row.id, k: row.token_key }),
  });

  const findByToken = async (token: string, purpose: 'manage' | 'unsubscribe') => {
    const payload = tokens.verify(token, purpose);
    if (!payload) return undefined;
    const row = await repo.findSubscriptionById(db, payload.s);
    return row && row.token_key === payload.k ? row : undefined;
  };

  const service = {
    choices,
    describeSearches,

    /**
     * Records a sign-up and queues its confirmation mail. Answers the same whether or not the
     * address is known; beyond the per-address limit it silently does nothing.
     */
    async signUp(input: SignUpInput): Promise<void> {
      const errors: FieldErrors = {};
      const email = normaliseEmail(input.email);
      if (!input.email.trim()) errors.email = 'required';
      else if (!email) errors.email = 'invalid';
      const frequency = FREQUENCIES.find((f) => f === input.frequency);
      if (!frequency) errors.frequency = 'invalid';
      const targets = [...(await resolveTargets(input.targets, errors)), ...(await resolveSearches(input.searches ?? [], errors))];
      if (targets.length === 0 && !errors.targets) errors.targets = 'required';
      if (targets.length > 200) errors.targets = 'tooMany';
      if (Object.keys(errors).length > 0 || !email || !frequency) throw new ValidationError('The sign-up is incomplete or invalid', errors);

      const now = clock.now();
      const queued = await db.transaction().execute(async (trx) => {
        const since = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
        if ((await repo.countRequestsSince(trx, email, since)) >= MAX_REQUESTS_PER_ADDRESS_PER_DAY) return false;
        const requestId = await repo.insertRequest(trx, {
          email,
          frequency,
          lang: input.lang,
          targets_json: JSON.stringify(targets),
          nonce: randomBytes(12).toString('base64url'),
          ip_hash: input.ip ? tokens.hashIp(input.ip) : null,
          created_at: now.toISOString(),
        });
        await queueConfirmation(trx, requestId, now.toISOString());
        return true;
      });
      if (queued) events.emit('mail.queued', { count: 1 });
    },

    /** The confirmation token for a request (used when the confirmation mail is rendered). */
    confirmationToken(request: { id: number; nonce: string; created_at: string }): string {
      return tokens.sign({ p: 'confirm', r: request.id, n: request.nonce, x: Math.floor((new Date(request.created_at).getTime() + CONFIRM_TTL_MS) / 1000) });
    },

    /** What a confirmation link would confirm; undefined when the link is invalid, used or expired. */
    async readConfirmation(token: string): Promise<{ email: string; frequency: Frequency; targets: NamedTarget[] } | undefined> {
      const payload = tokens.verify(token, 'confirm');
      if (!payload || payload.x * 1000 < clock.now().getTime()) return undefined;
      const request = await repo.findRequest(db, payload.r);
      if (!request || request.nonce !== payload.n) return undefined;
      return { email: request.email, frequency: request.frequency, targets: await nameTargets(JSON.parse(request.targets_json) as Target[]) };
    },

    /**
     * Uses a confirmation link: creates the subscription (or adds to the address's existing one),
     * records the consent and deletes the request. Undefined when the link is invalid, used or expired.
     */
    async confirm(token: string, ip: string): Promise<SubscriptionDetails | undefined> {
      const payload = tokens.verify(token, 'confirm');
      if (!payload || payload.x * 1000 < clock.now().getTime()) return undefined;
      const now = nowIso();
      const id = await db.transaction().execute(async (trx) => {
        const request = await repo.findRequest(trx, payload.r);
        if (!request || request.nonce !== payload.n) return undefined;
        const targets = JSON.parse(request.targets_json) as Target[];
        const consent = { confirmedAt: now, requestedAt: request.created_at, frequency: request.frequency, targets, ipHash: ip ? tokens.hashIp(ip) : null };
        const existing = await repo.findSubscriptionByEmail(trx, request.email);
        let subscriptionId: number;
        if (existing) {
          subscriptionId = existing.id;
          const history = JSON.parse(existing.consent_json) as unknown[];
          await repo.updateSubscription(trx, existing.id, {
            frequency: request.frequency,
            lang: request.lang,
            status: 'active',
            permanent_failures: 0,
            suspended_at: null,
            confirmed_at: now,
            consent_json: JSON.stringify([...history, consent]),
            consent_ip_hash: consent.ipHash,
            updated_at: now,
          });
        } else {
          subscriptionId = await repo.insertSubscription(trx, {
            email: request.email,
            frequency: request.frequency,
            lang: request.lang,
            token_key: randomBytes(12).toString('base64url'),
            confirmed_at: now,
            consent_json: JSON.stringify([consent]),
            consent_ip_hash: consent.ipHash,
            created_at: now,
            updated_at: now,
          });
        }
        await repo.insertTargets(trx, subscriptionId, targets);
        await repo.deleteRequest(trx, request.id);
        return subscriptionId;
      });
      if (id === undefined) return undefined;
      return details((await repo.findSubscriptionById(db, id))!);
    },

    async findByManageToken(token: string): Promise<SubscriptionDetails | undefined> {
      const row = await findByToken(token, 'manage');
      return row ? details(row) : undefined;
    },

    /** What a mail to the subscription needs (address, language, link tokens), without names of targets. */
    async forMail(id: number): Promise<Omit<SubscriptionDetails, 'targets' | 'frequency'> | undefined> {
      const row = await repo.findSubscriptionById(db, id);
      if (!row) return undefined;
      return {
        id: row.id,
        email: row.email,
        lang: row.lang,
        status: row.status,
        manageToken: tokens.sign({ p: 'manage', s: row.id, k: row.token_key }),
        unsubscribeToken: tokens.sign({ p: 'unsubscribe', s: row.id, k: row.token_key }),
      };
    },

    async findById(id: number): Promise<SubscriptionDetails | undefined> {
      const row = await repo.findSubscriptionById(db, id);
      return row ? details(row) : undefined;
    },

    /** The manage page's save: frequency, items to stop following, items to add. */
    async update(token: string, change: { frequency: string; remove: Target[]; add: TargetSelection }): Promise<SubscriptionDetails | undefined> {
      const row = await findByToken(token, 'manage');
      if (!row) return undefined;
      const errors: FieldErrors = {};
      const frequency = FREQUENCIES.find((f) => f === change.frequency);
      if (!frequency) errors.frequency = 'invalid';
      const add = await resolveTargets(change.add, errors);
      if (Object.keys(errors).length > 0 || !frequency) throw new ValidationError('The change is invalid', errors);
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        await repo.deleteTargets(trx, row.id, change.remove);
        await repo.insertTargets(trx, row.id, add);
        await repo.updateSubscription(trx, row.id, { frequency, updated_at: now });
      });
      return details((await repo.findSubscriptionById(db, row.id))!);
    },

    /**
     * Unsubscribes from everything: deletes the subscription, its targets, consent record, queued
     * and logged mails (by cascade) and pending sign-ups of the address. True when something was deleted.
     */
    async unsubscribe(token: string, purpose: 'manage' | 'unsubscribe'): Promise<boolean> {
      const row = await findByToken(token, purpose);
      if (!row) return false;
      await db.transaction().execute(async (trx) => {
        await repo.deleteRequestsByEmail(trx, row.email);
        await repo.deleteSubscription(trx, row.id);
      });
      return true;
    },

    /**
     * Unsubscribes an address from everything, for requests that arrive by mail (the `mailto:` of
     * List-Unsubscribe, handled by `herold unsubscribe`). True when something was deleted.
     */
    async unsubscribeEmail(raw: string): Promise<boolean> {
      const email = normaliseEmail(raw);
      if (!email) return false;
      return db.transaction().execute(async (trx) => {
        const row = await repo.findSubscriptionByEmail(trx, email);
        const requests = await repo.deleteRequestsByEmail(trx, email);
        if (row) await repo.deleteSubscription(trx, row.id);
        return row !== undefined || requests.some((r) => Number(r.numDeletedRows) > 0);
      });
    },

    /** Whether the token is a genuine unsubscribe token (its subscription may be gone already). */
    async isUnsubscribeToken(token: string): Promise<boolean> {
      return tokens.verify(token, 'unsubscribe') !== undefined;
    },

    /** Deletes sign-ups not confirmed within 7 days. Idempotent. */
    async purgeUnconfirmed(): Promise<number> {
      return repo.deleteRequestsBefore(db, new Date(clock.now().getTime() - CONFIRM_TTL_MS).toISOString());
    },

    /** Subscriber counts per followed item and frequency, and totals, for the admin area. */
    async counts() {
      const [byTarget, totals, pending, named] = await Promise.all([repo.countByTarget(db), repo.countTotals(db), repo.countPendingRequests(db), choices()]);
      const names = new Map<string, string>([
        ...named.offices.map((o) => [`office:${o.slug}`, o.name] as [string, string]),
        ...named.topics.map((o) => [`topic:${o.slug}`, o.name] as [string, string]),
        ...named.regions.map((o) => [`region:${o.slug}`, o.name] as [string, string]),
      ]);
      const searchNames = {
        office: new Map(named.offices.map((o) => [o.slug, o.name])),
        topic: new Map(named.topics.map((o) => [o.slug, o.name])),
        region: new Map(named.regions.map((o) => [o.slug, o.name])),
      };
      const rows = new Map<string, { kind: TargetKind; value: string; name: string; immediately: number; daily: number; weekly: number; total: number }>();
      for (const r of byTarget) {
        const key = `${r.kind}:${r.value}`;
        const name = r.kind === 'search' ? searchName(r.value, searchNames) : (names.get(key) ?? r.value);
        const row = rows.get(key) ?? { kind: r.kind, value: r.value, name, immediately: 0, daily: 0, weekly: 0, total: 0 };
        row[r.frequency] += Number(r.n);
        row.total += Number(r.n);
        rows.set(key, row);
      }
      const total = { active: 0, suspended: 0, immediately: 0, daily: 0, weekly: 0 };
      for (const t of totals) {
        total[t.status] += Number(t.n);
        if (t.status === 'active') total[t.frequency] += Number(t.n);
      }
      return { targets: [...rows.values()], totals: total, pending };
    },
  };
  return service;
};

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
