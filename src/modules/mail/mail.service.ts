// The outbox and its sender, the instant-notice fan-out and the digests. Everything that leaves
// as mail goes through the outbox table: a publish request or a sign-up only inserts rows; the
// sender loop (started by the scheduler in server.ts) claims due rows with a lease, renders and
// sends them, and records the outcome. See CONTEXT.md for the words used here.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB, OutboxKind } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import { createTranslator, type MessageKey, type Translator } from '../../i18n/i18n.ts';
import { absoluteUrl, paths } from '../../lib/urls.ts';
import { renderReleaseText } from '../../content/release-text.ts';
import type { Release } from '../releases/release.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import type { SubscriptionsService, SubscriptionDetails } from '../subscriptions/subscriptions.service.ts';
import { SUSPEND_AFTER_FAILURES } from '../subscriptions/subscriptions.service.ts';
import { findRequest, findSubscriptionById, listTargets, updateSubscription } from '../subscriptions/subscriptions.repository.ts';
import { subscriptionPaths } from '../subscriptions/subscriptions.paths.ts';
import { classifySendError, type Mailer, type MailMessage } from './mailer.ts';
import { mailDir } from './file-mailer.ts';
import { renderMail, type MailFooter } from './mail.render.ts';
import { latestDuePeriods } from './digest.schedule.ts';
import * as outbox from './outbox.repository.ts';
import { composeAccountMail, isAccountMail, type AccountLinks } from './account-mail.ts';

/** Attempts after which a temporarily failing mail is given up. */
export const MAX_ATTEMPTS = 8;
/** Backoff before attempt n+1: 1 min, 2, 4, … capped at 6 h. */
export const backoffMs = (attempts: number): number => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
/** Releases published longer ago than this are never announced (imports of old releases, first start). */
export const FANOUT_HORIZON_MS = 48 * 60 * 60 * 1000;
const FANOUT_BATCH = 2000;
const LEASE_BASE_MS = 60_000;

/**
 * The search module plugs in here: given a release id and the distinct `search` target values
 * (JSON query + filters), it returns the values whose search matches the release.
 */
export type SearchMatcher = (releaseId: number, values: string[]) => Promise<string[]>;

export interface MailServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  config: Config;
  mailer: Mailer;
  events: EventBus;
  releases: ReleasesService;
  subscriptions: SubscriptionsService;
  searchMatcher?: SearchMatcher;
  /** Mails of other modules in the outbox (applications to join), composed by them, by kind. */
  composers?: Partial<Record<OutboxKind, (row: outbox.OutboxRow) => Promise<MailMessage | { cancel: string }>>>;
  /** Makes the one-time links of password-reset and invitation mails (the auth module). */
  accountLinks?: AccountLinks;
}

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

interface DigestItem {
  title: string;
  date: string;
  dateline: string;
  summary: string;
  url: string;
}

export const createMailService = ({ db, clock, config, mailer, events, releases, subscriptions, searchMatcher, composers = {}, accountLinks }: MailServiceDeps) => {
  const nowIso = () => clock.now().toISOString();
  const translators: Record<'de' | 'en', Translator> = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  const tFor = (lang: 'de' | 'en') => (key: string, params?: Record<string, string | number>) => translators[lang].t(key as MessageKey, params);
  const url = (p: string) => absoluteUrl(config.publicUrl, p);

  const footerFor = (s: Pick<SubscriptionDetails, 'manageToken' | 'unsubscribeToken'> | null): MailFooter => ({
    siteName: config.siteName,
    siteUrl: config.publicUrl,
    senderDetails: config.mailSenderDetails,
    manageUrl: s ? url(subscriptionPaths.manage(s.manageToken)) : null,
    unsubscribeUrl: s ? url(subscriptionPaths.unsubscribe(s.unsubscribeToken)) : null,
  });

  // Per-release parts every instant notice of that release shares (renderReleaseText is not cheap).
  const releaseCache = new Map<number, { release: Release; text: string } | null>();
  const releaseParts = async (id: number) => {
    if (releaseCache.has(id)) return releaseCache.get(id)!;
    const release = await releases.findPublic(id);
    const value =
      release && release.status !== 'withdrawn'
        ? {
            release,
            text: renderReleaseText(release, {
              siteName: config.siteName,
              siteUrl: config.publicUrl,
              releaseUrl: url(paths.release(release.id, release.slug)),
              officeFeedUrl: url(paths.feed(paths.office(release.office.slug), 'rss')),
              subscribeUrl: url(`${subscriptionPaths.subscribe()}?office=${release.office.slug}`),
            }),
          }
        : null;
    if (releaseCache.size > 50) releaseCache.clear();
    releaseCache.set(id, value);
    return value;
  };

  // Per-run digest content: the releases of the window, matched per subscription in memory.
  const runCache = new Map<number, { releases: outbox.WindowRelease[]; frequency: 'daily' | 'weekly'; start: string; end: string } | null>();
  const runParts = async (runId: number) => {
    if (runCache.has(runId)) return runCache.get(runId)!;
    const run = await outbox.findDigestRunById(db, runId);
    const value = run ? { releases: await outbox.listWindowReleases(db, run.window_start, run.window_end, nowIso()), frequency: run.frequency, start: run.window_start, end: run.window_end } : null;
    if (runCache.size > 4) runCache.clear();
    runCache.set(runId, value);
    return value;
  };

  /** Builds the message of an outbox row, or a reason not to send it any more. */
  const compose = async (row: outbox.OutboxRow): Promise<MailMessage | { cancel: string }> => {
    const composer = composers[row.kind];
    if (composer) return composer(row);
    if (isAccountMail(row)) return composeAccountMail(row, config, accountLinks, tFor(row.lang ?? config.lang));
    if (row.kind === 'confirmation') {
      const request = row.request_id === null ? undefined : await findRequest(db, row.request_id);
      if (!request) return { cancel: 'sign-up no longer pending' };
      const t = tFor(request.lang);
      const what = await subscriptions.readConfirmation(subscriptions.confirmationToken(request));
      if (!what) return { cancel: 'sign-up expired' };
      return renderMail(
        config,
        {
          to: request.email,
          subject: t('mail.confirm.subject', { site: config.siteName }),
          template: 'confirmation',
          lang: request.lang,
          data: {
            confirmUrl: url(subscriptionPaths.confirm(subscriptions.confirmationToken(request))),
            targets: what.targets.map((x) => `${t(`subscribe.kind.${x.kind}`)}: ${x.name}`),
            frequency: t(`subscribe.frequency.${what.frequency}`),
            siteName: config.siteName,
          },
          footer: footerFor(null),
        },
        t,
      );
    }
    const sub = row.subscription_id === null ? undefined : await subscriptions.forMail(row.subscription_id);
    if (!sub) return { cancel: 'unsubscribed' };
    if (sub.status !== 'active') return { cancel: 'address suspended' };
    const t = tFor(sub.lang);
    const fmt = translators[sub.lang];
    if (row.kind === 'instant') {
      const parts = row.release_id === null ? null : await releaseParts(row.release_id);
      if (!parts) return { cancel: 'release not public' };
      const r = parts.release;
      return renderMail(
        config,
        {
          to: sub.email,
          subject: `${r.office.name}: ${r.title}`,
          template: 'instant',
          lang: sub.lang,
          unsubscribeToken: sub.unsubscribeToken,
          data: {
            releaseText: parts.text,
            release: { title: r.title, subtitle: r.subtitle, date: fmt.date(r.releaseDate), dateline: r.dateline, office: r.office.name, url: url(paths.release(r.id, r.slug)), bodyHtml: r.bodyHtml, lang: r.language },
          },
          footer: footerFor(sub),
        },
        t,
      );
    }
    // digest
    const run = row.digest_run_id === null ? null : await runParts(row.digest_run_id);
    if (!run) return { cancel: 'digest run gone' };
    const targets = await listTargets(db, sub.id);
    const follows = (kind: string, value: string) => targets.some((x) => x.kind === kind && x.value === value);
    const searchValues = targets.filter((x) => x.kind === 'search').map((x) => x.value);
    const groups = new Map<string, DigestItem[]>();
    for (const r of run.releases) {
      let match = follows('office', r.office_slug) || r.topic_slugs.split(' ').some((s) => s && follows('topic', s)) || r.region_slugs.split(' ').some((s) => s && follows('region', s));
      if (!match && searchValues.length > 0 && searchMatcher) match = (await searchMatcher(r.id, searchValues)).length > 0;
      if (!match) continue;
      const list = groups.get(r.office_name) ?? [];
      list.push({ title: r.title, date: fmt.date(r.release_date), dateline: r.dateline, summary: r.summary, url: url(paths.release(r.id, r.slug)) });
      groups.set(r.office_name, list);
    }
    const count = [...groups.values()].reduce((n, l) => n + l.length, 0);
    if (count === 0) return { cancel: 'nothing new' };
    return renderMail(
      config,
      {
        to: sub.email,
        subject: t(run.frequency === 'daily' ? 'mail.digest.subjectDaily' : 'mail.digest.subjectWeekly', { site: config.siteName, count, date: fmt.date(run.end) }),
        template: 'digest',
        lang: sub.lang,
        unsubscribeToken: sub.unsubscribeToken,
        data: {
          heading: t(run.frequency === 'daily' ? 'mail.digest.headingDaily' : 'mail.digest.headingWeekly', { site: config.siteName }),
          period: t('mail.digest.period', { from: fmt.dateTime(run.start), to: fmt.dateTime(run.end) }),
          groups: [...groups.entries()].map(([office, items]) => ({ office, items })),
        },
        footer: footerFor(sub),
      },
      t,
    );
  };

  const recordPermanentFailure = async (subscriptionId: number | null, now: string) => {
    if (subscriptionId === null) return;
    await db.transaction().execute(async (trx) => {
      const row = await findSubscriptionById(trx, subscriptionId);
      if (!row) return;
      const failures = row.permanent_failures + 1;
      const suspend = failures >= SUSPEND_AFTER_FAILURES && row.status === 'active';
      await updateSubscription(trx, subscriptionId, { permanent_failures: failures, ...(suspend ? { status: 'suspended', suspended_at: now } : {}), updated_at: now });
      if (suspend) await outbox.cancelQueuedFor(trx, subscriptionId, 'address suspended');
    });
  };

  /** Sends one claimed row and records the outcome. */
  const deliver = async (row: outbox.OutboxRow, report: SendReport) => {
    let message: MailMessage | { cancel: string };
    try {
      message = await compose(row);
    } catch (error) {
      // A message that cannot be built (a header with a line break, a broken template) is not retried.
      await outbox.updateOutbox(db, row.id, { status: 'failed', lease_until: null, last_error: `not built: ${String((error as Error).message).slice(0, 300)}` });
      report.failed++;
      return;
    }
    if ('cancel' in message) {
      await outbox.updateOutbox(db, row.id, { status: 'cancelled', lease_until: null, last_error: message.cancel });
      report.cancelled++;
      return;
    }
    try {
      const info = await mailer.send(message);
      await outbox.updateOutbox(db, row.id, { status: 'sent', lease_until: null, sent_at: nowIso(), message_id: info.messageId, last_error: null });
      report.sent++;
    } catch (raw) {
      const error = classifySendError(raw);
      const now = nowIso();
      if (error.temporary && row.attempts < MAX_ATTEMPTS) {
        await outbox.updateOutbox(db, row.id, { status: 'queued', lease_until: null, last_error: error.message, next_attempt_at: new Date(clock.now().getTime() + backoffMs(row.attempts)).toISOString() });
        report.retried++;
      } else {
        await outbox.updateOutbox(db, row.id, { status: 'failed', lease_until: null, last_error: error.message });
        if (!error.temporary) await recordPermanentFailure(row.subscription_id, now);
        report.failed++;
      }
    }
  };

  const service = {
    /**
     * Queues the instant notices of every public release (published within the horizon) whose
     * fan-out has not finished, in batches of subscriptions, each batch one transaction that also
     * moves the release's cursor. Safe to run at any time, in any process, any number of times.
     */
    async fanOut(): Promise<number> {
      const now = nowIso();
      const since = new Date(clock.now().getTime() - FANOUT_HORIZON_MS).toISOString();
      let total = 0;
      for (const releaseId of await outbox.listReleasesToFanOut(db, now, since)) {
        await outbox.startFanout(db, releaseId, now);
        const maxId = await outbox.maxSubscriptionId(db);
        const searchTargets = searchMatcher ? await outbox.listSearchTargetValues(db) : [];
        const matchedSearches = searchTargets.length > 0 && searchMatcher ? await searchMatcher(releaseId, searchTargets) : [];
        for (;;) {
          const fanout = await outbox.findFanout(db, releaseId);
          if (!fanout || fanout.done_at) break;
          const to = Math.min(fanout.cursor + FANOUT_BATCH, maxId);
          const queued = await db.transaction().execute(async (trx) => {
            const n = fanout.cursor < to ? await outbox.queueInstantBatch(trx, releaseId, fanout.cursor, to, now, matchedSearches) : 0;
            await outbox.advanceFanout(trx, releaseId, to, n, to >= maxId ? now : null);
            return n;
          });
          total += queued;
          // Let requests in between batches.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (total > 0) events.emit('mail.queued', { count: total });
      return total;
    },

    /**
     * Creates the digest run of each due period (daily, weekly) that has none yet, and queues one
     * digest per subscription with something new in the run's window. Resumes an unfinished run.
     */
    async runDigests(): Promise<number> {
      const now = clock.now();
      let total = 0;
      for (const period of latestDuePeriods(now, config.timeZone, config.digestTime, config.digestWeekday)) {
        let run = await outbox.findDigestRun(db, period.key);
        if (!run) {
          const last = await outbox.findLastDigestRun(db, period.frequency);
          const end = period.dueAt.toISOString();
          if (last && last.window_end >= end) continue;
          const start = last?.window_end ?? new Date(period.dueAt.getTime() - (period.frequency === 'daily' ? 1 : 7) * 24 * 60 * 60 * 1000).toISOString();
          await db
            .insertInto('digest_runs')
            .values({ period_key: period.key, frequency: period.frequency, window_start: start, window_end: end, created_at: now.toISOString() })
            .onConflict((oc) => oc.doNothing())
            .execute();
          run = await outbox.findDigestRun(db, period.key);
        }
        if (!run || run.done_at) continue;
        const windowReleases = await outbox.listWindowReleases(db, run.window_start, run.window_end, now.toISOString());
        const match = { office: new Set<string>(), topic: new Set<string>(), region: new Set<string>(), search: new Set<string>() };
        for (const r of windowReleases) {
          match.office.add(r.office_slug);
          for (const s of r.topic_slugs.split(' ').filter(Boolean)) match.topic.add(s);
          for (const s of r.region_slugs.split(' ').filter(Boolean)) match.region.add(s);
        }
        if (searchMatcher && windowReleases.length > 0) {
          const values = await outbox.listSearchTargetValues(db);
          for (const r of windowReleases) for (const v of values.length ? await searchMatcher(r.id, values) : []) match.search.add(v);
        }
        const lists = { office: [...match.office], topic: [...match.topic], region: [...match.region], search: [...match.search] };
        const maxId = await outbox.maxSubscriptionId(db);
        let cursor = run.cursor;
        for (;;) {
          const to = Math.min(cursor + FANOUT_BATCH, maxId);
          const from = cursor;
          const queued = await db.transaction().execute(async (trx) => {
            const n = from < to && windowReleases.length > 0 ? await outbox.queueDigestBatch(trx, run.id, period.frequency, from, to, now.toISOString(), lists) : 0;
            await outbox.advanceDigestRun(trx, run.id, to, n, to >= maxId ? now.toISOString() : null);
            return n;
          });
          total += queued;
          cursor = to;
          if (to >= maxId) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (total > 0) events.emit('mail.queued', { count: total });
      return total;
    },

    /**
     * Claims and sends due outbox rows until none are due or `limit` is reached, `concurrency`
     * at a time. A crash leaves claimed rows leased; once the lease passes, they are sent again,
     * so only a message already handed to the server may go out twice.
     */
    async sendDue({ limit = 10_000, concurrency = 8, batch = 200 }: { limit?: number; concurrency?: number; batch?: number } = {}): Promise<SendReport> {
      const report: SendReport = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
      // Re-read releases and digest windows on every call: a release withdrawn since the last
      // call is not mailed any more.
      releaseCache.clear();
      runCache.clear();
      let handled = 0;
      while (handled < limit) {
        const now = clock.now();
        const claimed = await outbox.claimDue(db, now.toISOString(), new Date(now.getTime() + LEASE_BASE_MS + batch * 1000).toISOString(), Math.min(batch, limit - handled));
        if (claimed.length === 0) break;
        handled += claimed.length;
        let next = 0;
        const worker = async () => {
          while (next < claimed.length) await deliver(claimed[next++]!, report);
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
      }
      return report;
    },

    nextDueAt: () => outbox.nextDueAt(db),

    /** The mail log for the admin area: newest first, with counts per status. */
    async log({ status, page = 1, perPage = 50 }: { status?: string; page?: number; perPage?: number } = {}) {
      const valid = ['queued', 'sending', 'sent', 'failed', 'cancelled'].includes(status ?? '') ? status : undefined;
      const [rows, counts] = await Promise.all([outbox.listLog(db, valid, perPage, (page - 1) * perPage), outbox.countByStatus(db)]);
      return { rows, counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Record<string, number>, status: valid ?? null, page };
    },

    /** The .eml files the file mailer wrote (newest first); empty with another mailer. */
    async listMailFiles(limit = 200): Promise<{ name: string; size: number; modifiedAt: string }[]> {
      const dir = mailDir(config.dataDir);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
      } catch {
        return [];
      }
      names.sort().reverse();
      return Promise.all(
        names.slice(0, limit).map(async (name) => {
          const s = await stat(path.join(dir, name));
          return { name, size: s.size, modifiedAt: s.mtime.toISOString() };
        }),
      );
    },

    /** One .eml file's text, by its bare name; undefined for anything else. */
    async readMailFile(name: string): Promise<string | undefined> {
      if (!/^[\w.-]+\.eml$/.test(name) || name.includes('..')) return undefined;
      try {
        return await readFile(path.join(mailDir(config.dataDir), name), 'utf8');
      } catch {
        return undefined;
      }
    },

    mailerKind: () => mailer.kind,
  };
  return service;
};

export type MailService = ReturnType<typeof createMailService>;
