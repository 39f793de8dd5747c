// Sends through SMTP_URL with nodemailer's pooled transport, optionally DKIM-signed. Errors are
// classified for the outbox: SMTP 4xx and connection failures are temporary, 5xx permanent.
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import { assertHeaderSafe, classifySendError, type Mailer } from './mailer.ts';

export interface SmtpMailerOptions {
  url: string;
  from: string;
  dkim?: Config['dkim'];
  /** Parallel connections of the pool (default 5). */
  maxConnections?: number;
}

export const createSmtpMailer = ({ url, from, dkim = null, maxConnections = 5 }: SmtpMailerOptions): Mailer => {
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

/** SMTP_URL → SMTP; otherwise .eml files in the data folder (the working default on a laptop). */
export const mailerFromConfig = async (config: Config): Promise<Mailer> => {
  if (config.smtpUrl) return createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, dkim: config.dkim });
  const { createFileMailer } = await import('./file-mailer.ts');
  return createFileMailer({ dataDir: config.dataDir, from: config.mailFrom });
};
