// Renders the mails from views/mail/<name>.{text,html}.eta into a MailMessage with every header a
// list mail needs: List-Unsubscribe (https and mailto), List-Unsubscribe-Post (RFC 8058), List-Id.
// The HTML templates auto-escape; the text templates print raw text (no HTML escaping in mail text).
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Urls } from '../../lib/urls.ts';
import { htmlTemplates as html, textTemplates as text } from '../../content/templates.ts';
import type { MailMessage } from './mailer.ts';
import { headerText } from '../../lib/header-text.ts';
import { absoluteLegalLinks } from '../legal/legal.links.ts';

/** What every mail's footer says: why it came, how to change or stop it, who sends it. */
export interface MailFooter {
  siteName: string;
  siteUrl: string;
  senderDetails: string;
  manageUrl: string | null;
  unsubscribeUrl: string | null;
  /** Why this mail came, when not for a subscription (an invitation, an application); default `mail.footer.why`. */
  reason?: string;
}

export { headerText };

const listId = (config: Config): string => {
  const host = new URL(config.publicUrl).hostname || 'localhost';
  return `${headerText(config.siteName).replace(/[<>"]/g, '')} <releases.${host}>`;
};

const mailtoAddress = (config: Config): string => {
  const match = /<([^>]+)>/.exec(config.mailFrom);
  return (match ? match[1]! : config.mailFrom).trim();
};

export interface RenderInput {
  to: string;
  subject: string;
  template: 'confirmation' | 'instant' | 'digest' | 'notice';
  data: Record<string, unknown>;
  footer: MailFooter;
  /** Token for the one-click unsubscribe; list headers are added only when present. */
  unsubscribeToken?: string;
  lang: 'de' | 'en';
}

export const renderMail = (config: Config, urls: Urls, input: RenderInput, t: (key: string, params?: Record<string, string | number>) => string): MailMessage => {
  // Imprint and privacy notice: in every mail's footer, text and HTML.
  const legal = absoluteLegalLinks(config, urls);
  const it = { ...input.data, footer: { ...input.footer, imprintUrl: legal.imprint, privacyUrl: legal.privacy }, t, lang: input.lang };
  const message: MailMessage = {
    to: input.to,
    subject: headerText(input.subject),
    text: text.render(path.posix.join('mail', `${input.template}.text.eta`), it),
    html: html.render(path.posix.join('mail', `${input.template}.html.eta`), it),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
  if (input.unsubscribeToken && input.footer.unsubscribeUrl) {
    message.headers = {
      ...message.headers,
      'List-Id': listId(config),
      'List-Unsubscribe': `<${input.footer.unsubscribeUrl}>, <mailto:${mailtoAddress(config)}?subject=unsubscribe%20${input.unsubscribeToken}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      Precedence: 'bulk',
    };
  }
  return message;
};

/** A one-off message to one person (an invitation, a password link, an answer to an application). */
export interface Notice {
  to: string;
  subject: string;
  lang: 'de' | 'en';
  /** The paragraphs before the link, and after it. */
  paragraphs: string[];
  link?: { url: string; label: string };
  after?: string[];
  /** Why it came, for the footer. */
  reason: string;
}

/** A notice with its text and HTML part and the footer every mail has (site, imprint, privacy notice). */
export const renderNotice = (config: Config, urls: Urls, notice: Notice, t: (key: string, params?: Record<string, string | number>) => string): MailMessage =>
  renderMail(
    config,
    urls,
    {
      to: notice.to,
      subject: notice.subject,
      template: 'notice',
      lang: notice.lang,
      data: { heading: headerText(notice.subject), paragraphs: notice.paragraphs, link: notice.link ?? null, after: notice.after ?? [] },
      footer: { siteName: config.siteName, siteUrl: urls.base, senderDetails: config.mailSenderDetails, manageUrl: null, unsubscribeUrl: null, reason: notice.reason },
    },
    t,
  );
