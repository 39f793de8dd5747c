// The default without SMTP_URL: each message is written as an .eml file into DATA_DIR/mail, where
// the admin area lists it. nodemailer's stream transport builds the MIME message, so the file is
// exactly what an SMTP server would have received. nodemailer (some 40 files) is loaded with the
// first message, not with the server: a server that sends no mail in its first seconds (every
// restart) starts without it.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Nodemailer from 'nodemailer';
import { assertHeaderSafe, type Mailer } from './mailer.ts';

export const mailDir = (dataDir: string): string => path.join(dataDir, 'mail');

let loading: Promise<typeof Nodemailer> | undefined;

/** nodemailer, imported on the first call. */
export const loadNodemailer = (): Promise<typeof Nodemailer> => (loading ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer));

export const createFileMailer = ({ dataDir, from }: { dataDir: string; from: string }): Mailer => {
  const newTransport = async () => (await loadNodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let transport: ReturnType<typeof newTransport> | undefined;
  const dir = mailDir(dataDir);
  let seq = 0;
  return {
    kind: 'file',
    async send(message) {
      assertHeaderSafe(message);
      const info = await (await (transport ??= newTransport())).sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
      await mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${process.pid}-${++seq}.eml`);
      // Written beside and renamed into place: a full disk or a crash never leaves a cut-off mail
      // in the list (only .eml files are listed).
      const partial = `${file}.partial`;
      try {
        await writeFile(partial, info.message as Buffer, { mode: 0o600 });
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true }).catch(() => {});
        throw error;
      }
      return { messageId: info.messageId };
    },
    async close() {
      // Nothing to close before the first message; a nodemailer that did not load has no transport.
      await transport?.then((t) => t.close(), () => {});
    },
  };
};
