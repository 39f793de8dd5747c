// Composes the message of an outbox row, or says why it is not to be sent any more: the
// confirmation of a sign-up, the instant notice of a release, a digest, an account mail
// (account-mail.ts). Releases are rendered from the presenter's view
// (modules/releases/releases.presenter.ts) as every channel is: the text part with the plain-text
// layout, the HTML part with views/releases/_portable.eta, every link absolute.
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB, OutboxKind } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Urls } from '../../lib/urls.ts';
import { createTranslator, type MessageKey, type Translator } from '../../i18n/i18n.ts';
import type { ReleaseView } from '../../content/release-view.ts';
import { renderReleaseText, type TextSite } from '../../content/release-text.ts';
import { portableView } from '../../content/release-html.ts';
import { releaseWhen, whenText } from '../../content/release-when.ts';
import type { ReleasesService } from '../releases/releases.service.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { ALL_RELEASES, type SubscriptionDetails, type SubscriptionsService } from '../subscriptions/subscriptions.service.ts';
import { targetLabel } from '../subscriptions/subscriptions.views.ts';

/** A subscription as the sender reads it. */
type Recipient = NonNullable<Awaited<ReturnType<SubscriptionsService['forMail']>>>;
import { findRequest, listTargets } from '../subscriptions/subscriptions.repository.ts';
import type { MailMessage } from './mailer.ts';
import { renderMail, type MailFooter } from './mail.render.ts';
import * as outbox from './outbox.repository.ts';
import type { AccountLinks } from '../auth/auth.service.ts';
import { composeAccountMail, isAccountMail } from './account-mail.ts';

/**
 * The search module plugs in here: given a release id and the distinct `search` target values
 * (JSON query + filters), it returns the values whose search matches the release.
 */
export type SearchMatcher = (releaseId: number, values: string[]) => Promise<string[]>;

export type Composed = MailMessage | { cancel: string };

/** Mails of other modules in the outbox (applications to join), composed by them, by kind. */
export type Composers = Partial<Record<OutboxKind, (row: outbox.OutboxRow) => Promise<Composed>>>;

export interface ComposerDeps {
  db: Kysely<DB>;
  clock: Clock;
  config: Config;
  urls: Urls;
  releases: Pick<ReleasesService, 'findPublicNow' | 'findPublic' | 'publicReleasesByIds'>;
  subscriptions: Pick<SubscriptionsService, 'forMail' | 'readConfirmation' | 'confirmationToken'>;
  searchMatcher?: SearchMatcher | undefined;
  composers?: Composers | undefined;
  /** Makes the one-time links of password-reset and invitation mails (the auth module). */
  accountLinks?: AccountLinks | undefined;
}


/** A release of a digest, ready for both parts. */
interface DigestEntry {
  view: ReleaseView;
  text: string;
}

export const createComposer = ({ db, clock, config, urls, releases, subscriptions, searchMatcher, composers = {}, accountLinks }: ComposerDeps) => {
  const nowIso = () => clock.now().toISOString();
  const translators: Record<'de' | 'en', Translator> = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  const tFor = (lang: 'de' | 'en') => (key: string, params?: Record<string, string | number>) => translators[lang].t(key as MessageKey, params);
  const site: TextSite = { timeZone: config.timeZone, siteName: config.siteName, siteUrl: urls.base };

  const footerFor = (s: Pick<SubscriptionDetails, 'manageToken' | 'unsubscribeToken'> | null): MailFooter => ({
    siteName: config.siteName,
    siteUrl: urls.base,
    senderDetails: config.mailSenderDetails,
    manageUrl: s ? urls.absolute(urls.subscription.manage(s.manageToken)) : null,
    unsubscribeUrl: s ? urls.absolute(urls.subscription.unsubscribe(s.unsubscribeToken)) : null,
  });

  // Per-release parts every instant notice of that release shares (the plain text is not cheap).
  const releaseCache = new Map<number, { view: ReleaseView; text: string } | null>();
  const releaseParts = async (id: number) => {
    if (releaseCache.has(id)) return releaseCache.get(id)!;
    const release = await releases.findPublicNow(id);
    const view = release ? presentRelease(release, urls) : null;
    const value = view ? { view, text: renderReleaseText(view, site) } : null;
    if (releaseCache.size > 50) releaseCache.clear();
    releaseCache.set(id, value);
    return value;
  };

  // Per-run digest content: the releases of the window, matched per subscription in memory.
  const runCache = new Map<number, { releases: outbox.WindowRelease[]; entries: Map<number, DigestEntry>; changes: { release: outbox.WindowRelease; view: ReleaseView }[]; frequency: 'daily' | 'weekly'; start: string; end: string } | null>();
  const runParts = async (runId: number) => {
    if (runCache.has(runId)) return runCache.get(runId)!;
    const run = await outbox.findDigestRunById(db, runId);
    let value = null;
    if (run) {
      const window = await outbox.listWindowReleases(db, run.window_start, run.window_end, nowIso());
      const entries = new Map<number, DigestEntry>();
      for (const release of await releases.publicReleasesByIds(window.map((r) => r.id))) {
        const view = presentRelease(release, urls);
        entries.set(release.id, { view, text: renderReleaseText(view, site, { footer: false }) });
      }
      const changes: { release: outbox.WindowRelease; view: ReleaseView }[] = [];
      for (const r of await outbox.listWindowChanges(db, run.window_start, run.window_end, nowIso())) {
        const release = await releases.findPublic(r.id);
        if (release) changes.push({ release: r, view: presentRelease(release, urls) });
      }
      value = { releases: window.filter((r) => entries.has(r.id)), entries, changes, frequency: run.frequency, start: run.window_start, end: run.window_end };
    }
    if (runCache.size > 4) runCache.clear();
    runCache.set(runId, value);
    return value;
  };

  const confirmation = async (row: outbox.OutboxRow): Promise<Composed> => {
    const request = row.request_id === null ? undefined : await findRequest(db, row.request_id);
    if (!request) return { cancel: 'sign-up no longer pending' };
    const t = tFor(request.lang);
    const what = await subscriptions.readConfirmation(subscriptions.confirmationToken(request));
    if (!what) return { cancel: 'sign-up expired' };
    return renderMail(
      config,
      urls,
      {
        to: request.email,
        subject: t('mail.confirm.subject', { site: config.siteName }),
        template: 'confirmation',
        lang: request.lang,
        data: {
          confirmUrl: urls.absolute(urls.subscription.confirm(subscriptions.confirmationToken(request))),
          targets: what.targets.map((x) => targetLabel(x, t)),
          frequency: t(`subscribe.frequency.${what.frequency}`),
          siteName: config.siteName,
        },
        footer: footerFor(null),
      },
      t,
    );
  };

  const instant = async (row: outbox.OutboxRow, sub: Recipient): Promise<Composed> => {
    const parts = row.release_id === null ? null : await releaseParts(row.release_id);
    if (!parts) return { cancel: 'release not public' };
    const r = parts.view;
    return renderMail(
      config,
      urls,
      {
        to: sub.email,
        subject: `${r.office.name}: ${r.title}`,
        template: 'instant',
        lang: sub.lang,
        unsubscribeToken: sub.unsubscribeToken,
        data: { releaseText: parts.text, release: portableView(r, translators[sub.lang]), url: r.links.page.url, lang: r.language },
        footer: footerFor(sub),
      },
      tFor(sub.lang),
    );
  };

  const digest = async (row: outbox.OutboxRow, sub: Recipient): Promise<Composed> => {
    const run = row.digest_run_id === null ? null : await runParts(row.digest_run_id);
    if (!run) return { cancel: 'digest run gone' };
    const t = tFor(sub.lang);
    const fmt = translators[sub.lang];
    const targets = await listTargets(db, sub.id);
    const follows = (kind: string, value: string) => targets.some((x) => x.kind === kind && x.value === value);
    const searchValues = targets.filter((x) => x.kind === 'search').map((x) => x.value);
    const groups = new Map<string, DigestEntry[]>();
    for (const r of run.releases) {
      let match = follows('all', ALL_RELEASES) || follows('office', r.office_slug) || r.topic_slugs.split(' ').some((s) => s && follows('topic', s)) || r.region_slugs.split(' ').some((s) => s && follows('region', s));
      if (!match && searchValues.length > 0 && searchMatcher) match = (await searchMatcher(r.id, searchValues)).length > 0;
      if (!match) continue;
      groups.set(r.office_name, [...(groups.get(r.office_name) ?? []), run.entries.get(r.id)!]);
    }
    const count = [...groups.values()].reduce((n, l) => n + l.length, 0);
    // Releases of earlier digests corrected or withdrawn in this window, with what was said.
    const changes = [];
    for (const { release: r, view } of run.changes) {
      const followed = follows('all', ALL_RELEASES) || follows('office', r.office_slug) || r.topic_slugs.split(' ').some((s) => s && follows('topic', s)) || r.region_slugs.split(' ').some((s) => s && follows('region', s));
      if (!followed) continue;
      const notes = view.withdrawn
        ? [t('mail.digest.withdrawn', { at: view.withdrawn.at ? fmt.dateTime(view.withdrawn.at) : '' }) + (view.withdrawn.note ? `: ${view.withdrawn.note}` : '')]
        : view.corrections.filter((x) => x.at > run.start && x.at <= run.end).map((x) => `${t('mail.digest.corrected', { at: fmt.dateTime(x.at) })}: ${x.note}`);
      changes.push({ title: view.title, office: view.office.name, url: view.links.page.url, lang: view.language, notes });
    }
    if (count === 0 && changes.length === 0) return { cancel: 'nothing new' };
    return renderMail(
      config,
      urls,
      {
        to: sub.email,
        subject: t(count === 0 ? 'mail.digest.subjectChanges' : run.frequency === 'daily' ? 'mail.digest.subjectDaily' : 'mail.digest.subjectWeekly', { site: config.siteName, count, date: fmt.date(run.end) }),
        template: 'digest',
        lang: sub.lang,
        unsubscribeToken: sub.unsubscribeToken,
        data: {
          heading: t(run.frequency === 'daily' ? 'mail.digest.headingDaily' : 'mail.digest.headingWeekly', { site: config.siteName }),
          period: t('mail.digest.period', { from: fmt.dateTime(run.start), to: fmt.dateTime(run.end) }),
          changesHeading: t('mail.digest.correctedHeading'),
          changes,
          groups: [...groups.entries()].map(([office, entries]) => ({
            office,
            items: entries.map(({ view, text }) => ({
              title: view.title,
              // Corrected before the digest went out: said once, as „Korrigiert am …“ beside the date
              // (not also as „aktualisiert am …“ in it); the notes follow in the text.
              date: whenText({ ...releaseWhen(view, fmt), updated: '' }),
              dateline: view.dateline,
              summary: view.summary,
              corrected: view.corrections[0] ? t('mail.digest.corrected', { at: fmt.dateTime(view.corrections[0].at) }) : '',
              url: view.links.page.url,
              lang: view.language,
              text,
              release: portableView(view, fmt, { headingLevel: 4, withTitle: false }),
            })),
          })),
        },
        footer: footerFor(sub),
      },
      t,
    );
  };

  /** The parts of a release a correction changed, named for the reader („Titel, Text“). */
  const changedParts = async (revisionId: number, release: { title: string; subtitle: string; dateline: string; bodyMarkdown: string }, t: ReturnType<typeof tFor>): Promise<string[] | undefined> => {
    const change = await outbox.findRevisionChange(db, revisionId);
    if (!change) return undefined;
    const after = change.after ?? { title: release.title, subtitle: release.subtitle, dateline: release.dateline, body_markdown: release.bodyMarkdown };
    const parts: string[] = [];
    if (change.before.title !== after.title) parts.push(t('mail.correction.part.title'));
    if (change.before.subtitle !== after.subtitle) parts.push(t('mail.correction.part.subtitle'));
    if (change.before.dateline !== after.dateline) parts.push(t('mail.correction.part.dateline'));
    if (change.before.body_markdown !== after.body_markdown) parts.push(t('mail.correction.part.body'));
    if (change.before.file_changes_json) parts.push(t('mail.correction.part.files'));
    return parts;
  };

  /**
   * The correction or withdrawal notice of a release to a subscriber who was sent its instant
   * notice: what happened, what changed, the note, the link; from the presenter's view.
   */
  const changeNotice = async (row: outbox.OutboxRow, sub: Recipient): Promise<Composed> => {
    const release = row.release_id === null ? undefined : await releases.findPublic(row.release_id);
    if (!release) return { cancel: 'release not public' };
    const view = presentRelease(release, urls);
    const t = tFor(sub.lang);
    const fmt = translators[sub.lang];
    const about = { title: view.title, office: view.office.name, date: fmt.date(view.releaseDate) };
    let subject: string;
    let paragraphs: string[];
    if (row.kind === 'correction') {
      if (view.withdrawn) return { cancel: 'release withdrawn' };
      const revision = row.revision_id === null ? undefined : await outbox.findRevisionChange(db, row.revision_id);
      const parts = row.revision_id === null ? undefined : await changedParts(row.revision_id, release, t);
      const correction = revision && view.corrections.find((c) => c.at === revision.before.created_at);
      if (!revision || !parts || !correction) return { cancel: 'correction gone' };
      subject = t('mail.correction.subject', about);
      paragraphs = [
        t('mail.correction.intro', { ...about, at: fmt.dateTime(correction.at) }),
        ...(parts.length > 0 ? [t('mail.correction.changed', { parts: parts.join(', ') })] : []),
        t('mail.correction.note', { note: correction.note }),
      ];
    } else {
      if (!view.withdrawn) return { cancel: 'release not withdrawn' };
      subject = t('mail.withdrawal.subject', about);
      paragraphs = [
        t('mail.withdrawal.intro', { ...about, at: view.withdrawn.at ? fmt.dateTime(view.withdrawn.at) : '' }),
        view.withdrawn.note ? t('mail.withdrawal.note', { note: view.withdrawn.note }) : t('mail.withdrawal.noNote'),
      ];
    }
    return renderMail(
      config,
      urls,
      {
        to: sub.email,
        subject,
        template: 'notice',
        lang: sub.lang,
        unsubscribeToken: sub.unsubscribeToken,
        data: { heading: subject, paragraphs, link: { url: view.links.page.url, label: t(row.kind === 'correction' ? 'mail.correction.read' : 'mail.withdrawal.read') }, after: [] },
        footer: footerFor(sub),
      },
      t,
    );
  };

  return {
    /** Builds the message of an outbox row, or a reason not to send it any more. */
    async compose(row: outbox.OutboxRow): Promise<Composed> {
      const composeOther = composers[row.kind];
      if (composeOther) return composeOther(row);
      if (isAccountMail(row)) return composeAccountMail(row, config, urls, accountLinks, tFor(row.lang ?? config.lang));
      if (row.kind === 'confirmation') return confirmation(row);
      const sub = row.subscription_id === null ? undefined : await subscriptions.forMail(row.subscription_id);
      if (!sub) return { cancel: 'unsubscribed' };
      if (sub.status !== 'active') return { cancel: 'address suspended' };
      if (row.kind === 'correction' || row.kind === 'withdrawal') return changeNotice(row, sub);
      return row.kind === 'instant' ? instant(row, sub) : digest(row, sub);
    },

    /** Forgets the releases and digest windows read so far: a release withdrawn since is not mailed any more. */
    forget(): void {
      releaseCache.clear();
      runCache.clear();
    },
  };
};

export type Composer = ReturnType<typeof createComposer>;
