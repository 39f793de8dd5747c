// Sends through SMTP_URL with nodemailer's pooled transport, optionally DKIM-signed. Errors are
// classified for the outbox: SMTP 4xx and connection failures are temporary, 5xx permanent.
//
// Internationalised addresses (RFC 6531, `täglich@example.net`): nodemailer adds SMTPUTF8 to MAIL
// FROM by itself when an envelope address has non-ASCII characters and the server's EHLO offers
// the extension; a domain alone (`leser@bücher.example`) it writes as punycode, which needs
// nothing. When the server does not offer SMTPUTF8, nodemailer would send the UTF-8 address
// anyway, which a strict server refuses with a bare 5xx and a lenient one may mangle. So before
// such a mail the mailer asks the server itself (an EHLO of its own, remembered for five minutes)
// and fails the mail permanently with a reason the mail log shows.
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { Config } from '../../config.ts';
import { assertHeaderSafe, classifySendError, MailSendError, type Mailer } from './mailer.ts';

export interface SmtpMailerOptions {
  url: string;
  from: string;
  dkim?: Config['dkim'];
  /** Parallel connections of the pool (default 5). */
  maxConnections?: number;
}

/** Whether an address needs SMTPUTF8: a local part with characters beyond ASCII. */
export const needsSmtpUtf8 = (address: string): boolean => /[^\x00-\x7f]/.test(address.slice(0, address.lastIndexOf('@')));

/** The reason in the mail log when the server cannot take an internationalised address. */
export const NO_SMTPUTF8 = 'The address has characters beyond ASCII (an internationalised address); sending it needs SMTPUTF8 (RFC 6531), which the mail server does not offer.';

const OFFER_TTL_MS = 5 * 60_000;

/** Connects, greets (with STARTTLS where offered) and reads the extensions the server names in its EHLO reply. */
const askForSmtpUtf8 = (url: string): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const { auth: _auth, ...options } = parseConnectionUrl(url) as Record<string, unknown>;
    const connection = new SMTPConnection({ ...options, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 30_000 });
    connection.once('error', reject);
    connection.connect((error) => {
      if (error) return reject(error);
      // nodemailer keeps the EHLO extensions here (it reads SMTPUTF8 from them for MAIL FROM).
      const extensions = (connection as unknown as { _supportedExtensions?: unknown })._supportedExtensions;
      connection.quit();
      resolve(Array.isArray(extensions) && extensions.includes('SMTPUTF8'));
    });
  });

export const createSmtpMailer = ({ url, from, dkim = null, maxConnections = 5 }: SmtpMailerOptions): Mailer => {
  let offer: { value: Promise<boolean>; at: number } | undefined;
  const offersSmtpUtf8 = (): Promise<boolean> => {
    if (!offer || Date.now() - offer.at > OFFER_TTL_MS) {
      const value = askForSmtpUtf8(url);
      offer = { value, at: Date.now() };
      // A failed question is asked again next time (and the send reports the connection error).
      value.catch(() => (offer = undefined));
    }
    return offer.value;
  };
  const transport = nodemailer.createTransport(
    {
      url,
      pool: true,
      maxConnections,
      maxMessages: 1000,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      ...(dkim ? { dkim: { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey } } : {}),
    } as Parameters<typeof nodemailer.createTransport>[0],
  );
  return {
    kind: 'smtp',
    async send(message) {
      assertHeaderSafe(message);
      try {
        if (needsSmtpUtf8(message.to) && !(await offersSmtpUtf8())) throw new MailSendError(NO_SMTPUTF8, false);
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          headers: message.headers,
          textEncoding: 'quoted-printable',
        });
        return { messageId: info.messageId };
      } catch (error) {
        throw classifySendError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
};
