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

/**
 * A failed send, classified: `temporary` (SMTP 4xx, connection and timeout errors) is retried with
 * backoff; `permanent` (SMTP 5xx, a rejected address or message) is recorded and not retried.
 */
export class MailSendError extends Error {
  readonly temporary: boolean;
  readonly responseCode: number | null;
  constructor(message: string, temporary: boolean, responseCode: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailSendError';
    this.temporary = temporary;
    this.responseCode = responseCode;
  }
}

const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPROTOCOL', 'EAUTH', 'ETLS']);

/** Sorts any error a transport throws into temporary or permanent (see MailSendError). */
export const classifySendError = (error: unknown): MailSendError => {
  if (error instanceof MailSendError) return error;
  const e = error as { responseCode?: number; code?: string; message?: string; response?: string };
  const message = String(e?.response ?? e?.message ?? error).slice(0, 500);
  if (typeof e?.responseCode === 'number') {
    return new MailSendError(message, e.responseCode < 500, e.responseCode, { cause: error });
  }
  // No SMTP reply code: the connection failed or the transport broke; try again later.
  // A message the transport refuses to build (EENVELOPE without a code, EMESSAGE) is permanent.
  const temporary = TEMPORARY_CODES.has(e?.code ?? '') || !['EENVELOPE', 'EMESSAGE'].includes(e?.code ?? '');
  return new MailSendError(message, temporary, null, { cause: error });
};
