// The mails of embargoed pre-releases, composed when the outbox sender sends them (rows hold the
// recipient's id, never text; mail/CONTEXT.md): `prerelease` carries the personal link, made only
// now (`mintLink`: a new token, its hash stored, so no usable link waits in the database and a
// retried mail's link is the one that works); `prerelease-changed` says the embargo time moved, that
// it ended early (the office published before it), or that the pre-release was cancelled or withdrawn. Both name the embargo and the recipient, in the
// text and the HTML part (mail.render.ts `renderNotice`); the title and summary come from the presenter.
import type { Config } from '../../config.ts';
import { createTranslator, type MessageKey } from '../../i18n/i18n.ts';
import type { Urls } from '../../lib/urls.ts';
import { renderNotice } from '../mail/mail.render.ts';
import type { MailMessage } from '../mail/mailer.ts';
import type { OutboxRow } from '../mail/outbox.repository.ts';
import { isPublic } from '../releases/release.ts';
import { embargoedView } from './prereleases.views.ts';
import { isEmbargoed, recipientLine, type PrereleasesService } from './prereleases.service.ts';

export const createPrereleaseMail = ({ config, urls, prereleases, releases, now }: { config: Config; urls: Urls; prereleases: PrereleasesService; releases: { findById(id: number): Promise<import('../releases/release.ts').Release | undefined> }; now: () => string }) => {
  const translators = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  return async (row: OutboxRow): Promise<MailMessage | { cancel: string }> => {
    if (row.prerelease_recipient_id === null) return { cancel: 'no recipient' };
    const lang = (await prereleases.findRecipient(row.prerelease_recipient_id))?.lang === 'en' ? 'en' : 'de';
    const tr = translators[lang];
    const t = (key: string, params?: Record<string, string | number>) => tr.t(key as MessageKey, params);
    if (row.kind === 'prerelease') {
      const minted = await prereleases.mintLink(row.prerelease_recipient_id);
      if (!minted) return { cancel: 'pre-release no longer embargoed or recipient removed' };
      const { token, recipient, release } = minted;
      const view = embargoedView(release, recipient, token, urls);
      const words = { office: release.office.name, title: view.title, until: tr.dateTime(view.embargo!.until), recipient: view.embargo!.recipient, site: config.siteName };
      return renderNotice(
        config,
        urls,
        {
          to: recipient.email,
          lang,
          subject: t('mail.prerelease.subject', words),
          paragraphs: [t('embargo.banner', words) + ' ' + t('embargo.note'), t('embargo.copyFor', words), t('mail.greeting'), t('mail.prerelease.intro', words), view.title, ...(view.summary && view.summary !== view.title ? [view.summary] : [])],
          link: { url: view.links.page.url, label: t('mail.prerelease.button') },
          after: [t('mail.prerelease.personal', words)],
          reason: t('mail.prerelease.reason', words),
        },
        t,
      );
    }
    // A change: the embargo time moved or ended early, or the pre-release was cancelled or withdrawn.
    const recipient = await prereleases.findRecipient(row.prerelease_recipient_id);
    if (!recipient || !row.change_key) return { cancel: 'no recipient' };
    const release = recipient.release_id === null ? undefined : await releases.findById(recipient.release_id);
    const title = release?.title ?? recipient.title;
    const words = { office: release?.office.name ?? '', title, recipient: recipientLine(recipient), site: config.siteName };
    const base = { to: recipient.email, lang, reason: t('mail.prerelease.reason', words) } as const;
    if (row.change_key.startsWith('moved:')) {
      const at = row.change_key.slice('moved:'.length);
      // A later move supersedes this one: only the time now in force is mailed.
      if (!release || recipient.revoked_at !== null || recipient.embargo_at !== at || !isEmbargoed(release, now())) return { cancel: 'superseded' };
      const until = tr.dateTime(at);
      return renderNotice(
        config,
        urls,
        { ...base, subject: t('mail.prerelease.movedSubject', { ...words, until }), paragraphs: [t('embargo.banner', { until }) + ' ' + t('embargo.note'), t('embargo.copyFor', words), t('mail.greeting'), t('mail.prerelease.moved', { ...words, until })] },
        t,
      );
    }
    if (row.change_key === 'published') {
      // The office published before the embargo: it ends early, and the mail leads to the public page.
      // Withdrawn or deleted since, the withdrawal's own mail says so instead.
      if (!release || !isPublic({ status: release.status, published_at: release.publishedAt }, now())) return { cancel: 'no longer public' };
      const at = tr.dateTime(release.publishedAt!);
      return renderNotice(
        config,
        urls,
        {
          ...base,
          subject: t('mail.prerelease.publishedSubject', words),
          paragraphs: [t('embargo.copyFor', words), t('mail.greeting'), t('mail.prerelease.published', { ...words, at })],
          link: { url: urls.absolute(urls.release(release)), label: t('mail.prerelease.publishedButton') },
        },
        t,
      );
    }
    const key = row.change_key === 'cancelled' ? 'cancelled' : 'withdrawn';
    return renderNotice(
      config,
      urls,
      { ...base, subject: t(`mail.prerelease.${key}Subject`, words), paragraphs: [t('embargo.copyFor', words), t('mail.greeting'), t(`mail.prerelease.${key}`, words), t('mail.prerelease.doNotUse')] },
      t,
    );
  };
};
