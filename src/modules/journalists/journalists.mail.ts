// The journalists' mails, composed when the outbox sender sends them (rows hold references, never
// text or links): the login link (made now, by `mintLoginLink`, so no usable link waits in the
// database), the link confirming a new address (to the new address, made now too) and the note to
// the old address once it changed, an office's decision on an accreditation (as it stands now: a request asked again
// since is not written about), and the note to an office's owners that a journalist asks.
import type { Config } from '../../config.ts';
import { createTranslator, type MessageKey } from '../../i18n/i18n.ts';
import type { Urls } from '../../lib/urls.ts';
import { renderNotice } from '../mail/mail.render.ts';
import type { MailMessage } from '../mail/mailer.ts';
import type { OutboxRow } from '../mail/outbox.repository.ts';
import type { JournalistsService } from './journalists.service.ts';

export const createJournalistMail = ({ config, urls, journalists }: { config: Config; urls: Urls; journalists: JournalistsService }) => {
  const translators = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  const tFor = (lang: 'de' | 'en') => (key: string, params?: Record<string, string | number>) => translators[lang].t(key as MessageKey, params);

  return async (row: OutboxRow): Promise<MailMessage | { cancel: string }> => {
    const site = config.siteName;
    if (row.kind === 'journalist-login') {
      const link = await journalists.mintLoginLink({ outboxId: row.id, journalistId: row.journalist_id, email: row.email });
      if ('cancel' in link) return link;
      const lang = row.lang ?? link.journalist.lang;
      const t = tFor(lang);
      const words = { site, minutes: Math.round(link.validMs / 60_000) };
      return renderNotice(
        config,
        urls,
        {
          to: link.journalist.email,
          subject: t('mail.journalistLogin.subject', words),
          lang,
          paragraphs: [t('mail.greeting'), t('mail.journalistLogin.intro', words)],
          link: { url: urls.absolute(urls.journalists.loginLink(link.token)), label: t('mail.journalistLogin.button') },
          after: [t('mail.journalistLogin.ignore')],
          reason: t('mail.journalistLogin.reason', words),
        },
        t,
      );
    }
    if (row.kind === 'journalist-address') {
      const link = await journalists.mintAddressLink({ journalistId: row.journalist_id, email: row.email });
      if ('cancel' in link) return link;
      const lang = link.journalist.lang;
      const t = tFor(lang);
      const words = { site, email: link.email, old: link.journalist.email, hours: Math.round(link.validMs / 3_600_000) };
      return renderNotice(
        config,
        urls,
        {
          to: link.email,
          subject: t('mail.journalistAddress.subject', words),
          lang,
          paragraphs: [t('mail.greeting'), t('mail.journalistAddress.intro', words)],
          link: { url: urls.absolute(urls.journalists.addressLink(link.token)), label: t('mail.journalistAddress.button') },
          after: [t('mail.journalistAddress.ignore')],
          reason: t('mail.journalistAddress.reason', words),
        },
        t,
      );
    }
    if (row.kind === 'journalist-address-changed') {
      const journalist = row.journalist_id === null ? undefined : await journalists.findById(row.journalist_id);
      if (!journalist || !row.email) return { cancel: 'no journalist' };
      const lang = journalist.lang;
      const t = tFor(lang);
      const words = { site, email: journalist.email, old: row.email };
      return renderNotice(
        config,
        urls,
        { to: row.email, subject: t('mail.journalistAddressChanged.subject', words), lang, paragraphs: [t('mail.greeting'), t('mail.journalistAddressChanged.intro', words), t('mail.journalistAddressChanged.notYou', words)], reason: t('mail.journalistAddressChanged.reason', words) },
        t,
      );
    }
    const accreditation = row.accreditation_id === null ? undefined : await journalists.forMail(row.accreditation_id);
    if (!accreditation) return { cancel: 'accreditation gone' };
    const office = accreditation.office_name ?? '';
    if (row.kind === 'accreditation-request') {
      if (!row.email) return { cancel: 'no address' };
      if (accreditation.status !== 'requested' || accreditation.office_slug === null) return { cancel: 'decided already' };
      const lang = row.lang ?? config.lang;
      const t = tFor(lang);
      const words = { site, office, name: accreditation.journalist_name, medium: accreditation.journalist_medium || '–', email: accreditation.journalist_email };
      return renderNotice(
        config,
        urls,
        {
          to: row.email,
          subject: t('mail.accreditationRequest.subject', words),
          lang,
          paragraphs: [t('mail.greeting'), t('mail.accreditationRequest.intro', words), ...(accreditation.request_message ? [accreditation.request_message] : [])],
          link: { url: urls.absolute(urls.admin.office(accreditation.office_slug).journalists()), label: t('mail.accreditationRequest.button') },
          reason: t('mail.accreditationRequest.reason', words),
        },
        t,
      );
    }
    // accreditation-decision
    if (accreditation.status === 'requested') return { cancel: 'asked again since' };
    if (accreditation.journalist_decision_mail !== 1) return { cancel: 'decision mail switched off' };
    const lang = accreditation.journalist_lang;
    const t = tFor(lang);
    const words = { site, office: accreditation.office_id === null ? t('journalists.platformWide', { site }) : office };
    return renderNotice(
      config,
      urls,
      {
        to: accreditation.journalist_email,
        subject: t(`mail.accreditationDecision.subject.${accreditation.status}`, words),
        lang,
        paragraphs: [t('mail.greeting'), t(`mail.accreditationDecision.intro.${accreditation.status}`, words), ...(accreditation.decision_message ? [accreditation.decision_message] : [])],
        link: { url: urls.absolute(urls.journalists.account()), label: t('mail.accreditationDecision.button') },
        reason: t('mail.accreditationDecision.reason', words),
      },
      t,
    );
  };
};
