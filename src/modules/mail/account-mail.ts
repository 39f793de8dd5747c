// Password-reset and invitation mails (account mails). The auth module queues them as outbox rows
// (auth.service.ts: `requestReset`, `invite`, through `queueAccountMail` in outbox.repository.ts,
// which services.ts hands it); the sender sends them like every other mail: durable, retried, in the
// mail log. The one-time link a mail carries is made only when it is sent (`AccountLinks`, the auth
// module's `mintMailLink`), so no usable link waits in the database; a retry makes a new link and
// the one before dies.
import type { Config } from '../../config.ts';
import type { Urls } from '../../lib/urls.ts';
import type { MailMessage } from './mailer.ts';
import { renderNotice } from './mail.render.ts';
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
  const lang = row.lang ?? config.lang;
  if (row.kind === 'password-reset') {
    const words = { site, hours: Math.round(link.validMs / 3_600_000) };
    return renderNotice(
      config,
      urls,
      {
        to: row.email,
        subject: t('mail.reset.subject', words),
        lang,
        paragraphs: [t('mail.greeting'), t('mail.reset.intro', words)],
        link: { url, label: t('mail.reset.button') },
        after: [t('mail.reset.ignore')],
        reason: t('mail.reset.reason', words),
      },
      t,
    );
  }
  const words = { inviter: link.inviterEmail, office: link.officeName, site, role: link.role ? t(`role.${link.role}`) : '', days: Math.round(link.validMs / 86_400_000) };
  return renderNotice(
    config,
    urls,
    {
      to: row.email,
      subject: t('mail.invite.subject', words),
      lang,
      paragraphs: [t('mail.greeting'), t('mail.invite.intro', words)],
      link: { url, label: t('mail.invite.button') },
      reason: t('mail.invite.reason', words),
    },
    t,
  );
};
