// The mails the server's file mailer (no SMTP_URL) writes into DATA_DIR/mail, as the browser tests
// read them. The mailer writes `….eml.partial` and renames it when done: only whole `.eml` files are
// read, and one renamed or removed between listing and reading is skipped, not an error.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** The raw bytes of every whole mail in the folder, oldest first. */
export const mailFiles = async (dataDir: string): Promise<Buffer[]> => {
  const dir = path.join(dataDir, 'mail');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).sort();
  const files = await Promise.all(names.map((name) => readFile(path.join(dir, name)).catch(() => null)));
  return files.filter((file) => file !== null);
};

/** Every whole mail in the folder, parsed, oldest first. */
export const mailsInFolder = async (dataDir: string): Promise<ParsedMail[]> => Promise.all((await mailFiles(dataDir)).map((file) => simpleParser(file)));
