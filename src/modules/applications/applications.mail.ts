// The mails of applications to join, composed when the outbox sender sends them (rows hold the
// application's id, never text): the confirmation link, and a declined application's answer.
import type { Config } from '../../config.ts';
import { createTranslator, type MessageKey } from '../../i18n/i18n.ts';
import type { Urls } from '../../lib/urls.ts';
import { renderNotice } from '../mail/mail.render.ts';
import type { MailMessage } from '../mail/mailer.ts';
import type { OutboxRow } from '../mail/outbox.repository.ts';
import type { ApplicationsService } from './applications.service.ts';

export const createApplicationMail = ({ config, urls, applications }: { config: Config; urls: Urls; applications: ApplicationsService }) => {
  const translators = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  return async (row: OutboxRow): Promise<MailMessage | { cancel: string }> => {
    const application = row.application_id === null ? undefined : await applications.forMail(row.application_id);
    if (!application) return { cancel: 'application gone' };
    const t = (key: string, params?: Record<string, string | number>) => translators[application.lang].t(key as MessageKey, params);
    const words = { site: config.siteName, organisation: application.organisation };
    const base = { to: application.email, lang: application.lang, reason: t('mail.join.reason', words) };
    if (row.kind === 'application-confirmation') {
      if (application.status !== 'unconfirmed') return { cancel: 'confirmed already' };
      return renderNotice(
        config,
        urls,
        {
          ...base,
          subject: t('mail.join.subject', words),
          paragraphs: [t('mail.greeting'), t('mail.join.intro', words)],
          link: { url: urls.absolute(urls.join.confirm(applications.confirmationToken(application))), label: t('mail.join.button') },
          after: [t('mail.join.ignore')],
        },
        t,
      );
    }
    return renderNotice(config, urls, { ...base, subject: t('mail.join.declinedSubject', words), paragraphs: [t('mail.greeting'), t('mail.join.declinedIntro', words), application.decision_message] }, t);
  };
};
