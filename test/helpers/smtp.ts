// A real SMTP server in the test process (smtp-server on loopback), collecting what it receives,
// parsed by mailparser. `refuse` makes it answer DATA with a chosen code (451, 550, …); `down` and
// `up` make an outage. `smtpUtf8: false` hides SMTPUTF8 from its EHLO and, as a strict server does,
// refuses a non-ASCII address that came without it.
import type { TestContext } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createSmtpMailer } from '../../src/modules/mail/smtp-mailer.ts';
import type { Mailer } from '../../src/modules/mail/mailer.ts';

export interface ReceivedMail {
  to: string[];
  /** The decoded subject. */
  subject: string;
  /** Empty in `light` mode. */
  raw: string;
  /** Only the headers in `light` mode. */
  parsed: ParsedMail;
  /** Whether the client declared SMTPUTF8 in MAIL FROM (RFC 6531). */
  smtpUtf8: boolean;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Answer DATA for matching recipients with this SMTP code (null: accept). */
  refuse(rule: ((to: string[]) => number | null) | null): void;
  mailer: Mailer;
  /** Mails received for one address. */
  to(address: string): ReceivedMail[];
  /** An outage: stops listening and ends open connections (421); until `up`, connecting is refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

/**
 * `light`: keeps the recipients and the headers only (the fault tests count thousands of mails);
 * `port`: listen on this port (a restarted test server keeps its SMTP_URL).
 */
export interface SmtpSinkOptions {
  light?: boolean;
  /** In `light` mode: keep these mails whole after all (by subject), e.g. confirmations to follow. */
  keepWhole?: (subject: string) => boolean;
  port?: number;
  /** Offer SMTPUTF8 in EHLO (default true, as smtp-server does). */
  smtpUtf8?: boolean;
}

export const startSmtpSink = async (t: TestContext, from = 'Herold <herold@herold.test>', options: SmtpSinkOptions = {}): Promise<SmtpSink> => {
  const received: ReceivedMail[] = [];
  let rule: ((to: string[]) => number | null) | null = null;
  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // An outage ends open connections at once (421), as a mail server going down does.
      closeTimeout: 10,
      hideSMTPUTF8: options.smtpUtf8 === false,
      onRcptTo(address, session, callback) {
        // The local part: smtp-server shows a punycode domain decoded (bücher.example), as it may.
        if (options.smtpUtf8 === false && /[^\x00-\x7f]/.test(address.address.slice(0, address.address.lastIndexOf('@'))) && !session.envelope.smtpUtf8) {
          return callback(Object.assign(new Error('5.6.7 Non-ASCII addresses not permitted for that sender'), { responseCode: 553 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const code = rule?.(to) ?? null;
          if (code !== null) {
            const error = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code });
            return callback(error);
          }
          const whole = Buffer.concat(chunks).toString('utf8');
          const headers = options.light ? whole.slice(0, Math.max(0, whole.search(/\r?\n\r?\n/))) : whole;
          simpleParser(headers)
            .then(async (parsed) => {
              const keep = !options.light || options.keepWhole?.(parsed.subject ?? '') === true;
              received.push({ to, subject: parsed.subject ?? '', raw: keep ? whole : '', parsed: keep && options.light ? await simpleParser(whole) : parsed, smtpUtf8: session.envelope.smtpUtf8 === true });
              callback();
            })
            .catch(callback);
        });
      },
    });
  const createListening = () => {
    const created = create();
    // A client killed mid-session (the fault tests' kill -9) resets its connection: not our error.
    created.on('error', () => {});
    return created;
  };
  let server = createListening();
  let listening = false;
  const listen = async (port: number) => {
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    listening = true;
  };
  const close = () =>
    listening
      ? new Promise<void>((resolve) => {
          listening = false;
          server.close(() => resolve());
        })
      : Promise.resolve();
  await listen(options.port ?? 0);
  const port = (server.server.address() as AddressInfo).port;
  const url = `smtp://127.0.0.1:${port}`;
  const mailer = createSmtpMailer({ url, from, maxConnections: 2 });
  t.after(async () => {
    await mailer.close();
    await close();
  });
  return {
    url,
    port,
    received,
    mailer,
    refuse: (r) => {
      rule = r;
    },
    to: (address) => received.filter((m) => m.to.includes(address)),
    down: close,
    async up() {
      if (listening) return;
      server = createListening();
      await listen(port);
    },
  };
};

/** The first http(s) link in a text part that contains `fragment`. */
export const linkIn = (text: string, fragment: string): string => {
  const match = text.match(new RegExp(`https?://\\S*${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*`));
  if (!match) throw new Error(`no link with ${fragment} in:\n${text}`);
  return match[0];
};
