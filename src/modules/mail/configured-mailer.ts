// The mailer the configuration asks for. With SMTP_URL the SMTP mailer, and nodemailer with it, is
// loaded at start: nodemailer reads the URL when the transport is made, so a URL it cannot take
// stops the start, as it should. Without it, the file mailer, which loads nodemailer with the first
// message (file-mailer.ts).
import type { Config } from '../../config.ts';
import { createFileMailer } from './file-mailer.ts';
import type { Mailer } from './mailer.ts';

/** SMTP_URL → SMTP; otherwise .eml files in the data folder (the working default on a laptop). */
export const mailerFromConfig = async (config: Config): Promise<Mailer> => {
  if (!config.smtpUrl) return createFileMailer({ dataDir: config.dataDir, from: config.mailFrom });
  const { createSmtpMailer } = await import('./smtp-mailer.ts');
  return createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, dkim: config.dkim });
};
