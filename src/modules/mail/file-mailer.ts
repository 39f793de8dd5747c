// The default without SMTP_URL: each message is written as an .eml file into DATA_DIR/mail, where
// the admin area lists it. nodemailer's stream transport builds the MIME message, so the file is
// exactly what an SMTP server would have received.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { assertHeaderSafe, type Mailer } from './mailer.ts';

export const mailDir = (dataDir: string): string => path.join(dataDir, 'mail');

export const createFileMailer = ({ dataDir, from }: { dataDir: string; from: string }): Mailer => {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = mailDir(dataDir);
  let seq = 0;
  return {
    kind: 'file',
    async send(message) {
      assertHeaderSafe(message);
      const info = await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
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
      transport.close();
    },
  };
};
