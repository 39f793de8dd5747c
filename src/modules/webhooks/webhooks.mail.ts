// The mail telling an office's owners (or, for the platform's endpoints, the platform admins) that
// a webhook endpoint was disabled after failing for a day. Queued by the sender as outbox rows
// (kind `webhook-disabled`, naming the endpoint and the address); composed here when the mail
// sender sends it (handed to the mail module as a composer by services.ts), so it says how things
// stand then: an endpoint switched on again in the meantime, or deleted, is not written about.
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/database.ts';
import { createTranslator, type MessageKey } from '../../i18n/i18n.ts';
import type { Urls } from '../../lib/urls.ts';
import { renderNotice } from '../mail/mail.render.ts';
import type { MailMessage } from '../mail/mailer.ts';
import type { OutboxRow } from '../mail/outbox.repository.ts';
import type { OfficesService } from '../offices/offices.service.ts';
import * as repo from './webhooks.repository.ts';

export const createWebhookMail = ({ db, config, urls, offices }: { db: Kysely<DB>; config: Config; urls: Urls; offices: Pick<OfficesService, 'findById'> }) => {
  const translators = { de: createTranslator('de', config.timeZone), en: createTranslator('en', config.timeZone) };
  return async (row: OutboxRow): Promise<MailMessage | { cancel: string }> => {
    const endpoint = row.webhook_endpoint_id === null ? undefined : await repo.findEndpoint(db, row.webhook_endpoint_id);
    if (!endpoint || !row.email) return { cancel: 'endpoint gone' };
    if (endpoint.status === 'active') return { cancel: 'switched on again' };
    const lang = row.lang ?? config.lang;
    const tr = translators[lang];
    const t = (key: string, params?: Record<string, string | number>) => tr.t(key as MessageKey, params);
    const office = endpoint.office_id === null ? undefined : await offices.findById(endpoint.office_id);
    const page = office ? urls.admin.office(office.slug).webhook(endpoint.id) : urls.admin.webhook(endpoint.id);
    const words = { site: config.siteName, url: endpoint.url, office: office?.name ?? t('webhooks.allOffices'), since: endpoint.failing_since ? tr.dateTime(endpoint.failing_since) : '–' };
    return renderNotice(
      config,
      urls,
      {
        to: row.email,
        subject: t('mail.webhookDisabled.subject', words),
        lang,
        paragraphs: [t('mail.greeting'), t('mail.webhookDisabled.intro', words)],
        link: { url: urls.absolute(page), label: t('mail.webhookDisabled.button') },
        after: [t('mail.webhookDisabled.after')],
        reason: t('mail.webhookDisabled.reason', words),
      },
      t,
    );
  };
};
