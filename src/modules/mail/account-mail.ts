// Password-reset and invitation mails (account mails). The auth module queues them as outbox rows
// (auth.service.ts: `requestReset`, `invite`, through `queueAccountMail` in outbox.repository.ts,
// which services.ts hands it); the sender sends them like every other mail: durable, retried, in the
// mail log. The one-time link a mail carries is made only when it is sent (`AccountLinks`, the auth
// module's `mintMailLink`), so no usable link waits in the database; a retry makes a new link and
// the one before dies.
import type { Config } from '../../config.ts';
import type { Urls } from '../../lib/urls.ts';
import type { MailMessage } from './mailer.ts';
import { headerText } from '../../lib/header-text.ts';
import type { OutboxRow } from './outbox.repository.ts';
import type { AccountLinks, AccountMailKind } from '../auth/auth.service.ts';

export const isAccountMail = (row: OutboxRow): row is OutboxRow & { kind: AccountMailKind } => row.kind === 'password-reset' || row.kind === 'invitation';

type Translate = (key: string, params?: Record<string, string | number>) => string;

export const composeAccountMail = async (row: OutboxRow & { kind: AccountMailKind }, config: Config, urls: Urls, links: AccountLinks | undefined, t: Translate): Promise<MailMessage | { cancel: string }> => {
  if (!row.email || !links) return { cancel: 'no address' };
  const link = await links({ outboxId: row.id, kind: row.kind, email: row.email, tokenHash: row.user_token_hash });
  if ('cancel' in link) return link;
  const url = urls.absolute(urls.setPassword(link.token));
  const site = config.siteName;
  const headers = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };
  if (row.kind === 'password-reset') {
    return { to: row.email, subject: headerText(t('mail.reset.subject', { site })), text: t('mail.reset.text', { site, link: url, hours: Math.round(link.validMs / 3_600_000) }), headers };
  }
  return {
    to: row.email,
    subject: headerText(t('mail.invite.subject', { office: link.officeName, site })),
    text: t('mail.invite.text', { inviter: link.inviterEmail, office: link.officeName, site, role: link.role ? t(`role.${link.role}`) : '', days: Math.round(link.validMs / 86_400_000), link: url }),
    headers,
  };
};
