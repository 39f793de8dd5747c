// The one interface every part of Herold sends mail through. Implementations: smtp-mailer.ts
// (nodemailer, with SMTP_URL), file-mailer.ts (the default: .eml files in the data folder) and
// memory-mailer.ts (unit tests).
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers such as List-Unsubscribe; values must not contain CR or LF. */
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'file' | 'memory';
  send(message: MailMessage): Promise<SentMail>;
  close(): Promise<void>;
}

/** Throws on CR/LF in any header-bound field: header injection is impossible by construction. */
export const assertHeaderSafe = (message: MailMessage): void => {
  const fields: [string, string][] = [
    ['to', message.to],
    ['subject', message.subject],
    ...Object.entries(message.headers ?? {}).flatMap(([k, v]) => [[`header name ${k}`, k] as [string, string], [k, v] as [string, string]]),
  ];
  for (const [name, value] of fields) {
    if (/[\r\n]/.test(value)) throw new Error(`Line break in mail ${name}`);
  }
};
