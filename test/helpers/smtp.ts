// A real SMTP server in the test process (smtp-server on loopback), collecting what it receives,
// parsed by mailparser. `refuse` makes it answer DATA with a chosen code (451, 550, …).
import type { TestContext } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createSmtpMailer } from '../../src/modules/mail/smtp-mailer.ts';
import type { Mailer } from '../../src/modules/mail/mailer.ts';

export interface ReceivedMail {
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** Answer DATA for matching recipients with this SMTP code (null: accept). */
  refuse(rule: ((to: string[]) => number | null) | null): void;
  mailer: Mailer;
  /** Mails received for one address. */
  to(address: string): ReceivedMail[];
}

export const startSmtpSink = async (t: TestContext, from = 'Herold <herold@herold.test>'): Promise<SmtpSink> => {
  const received: ReceivedMail[] = [];
  let rule: ((to: string[]) => number | null) | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
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
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({ to, raw, parsed });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const url = `smtp://127.0.0.1:${port}`;
  const mailer = createSmtpMailer({ url, from, maxConnections: 2 });
  t.after(async () => {
    await mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url,
    received,
    mailer,
    refuse: (r) => {
      rule = r;
    },
    to: (address) => received.filter((m) => m.to.includes(address)),
  };
};

/** The first http(s) link in a text part that contains `fragment`. */
export const linkIn = (text: string, fragment: string): string => {
  const match = text.match(new RegExp(`https?://\\S*${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*`));
  if (!match) throw new Error(`no link with ${fragment} in:\n${text}`);
  return match[0];
};
