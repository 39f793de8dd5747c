/// <reference lib="dom" />
// A new installation's platform admin in a real browser against the real server (DEMO=0): sets the
// password from the CLI's link, adds and renames a topic (the old address redirects), writes the
// imprint; a press office applies on "Für Pressestellen" and confirms by the mailed link (the file
// mailer's .eml); the admin accepts it and the new office's owner is invited. Keyboard and labels
// only: every field is found by its label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ParsedMail } from 'mailparser';
import { browserAvailable, launchBrowser, startServer, cliEnvOf } from '../helpers/browser.ts';
import { mailsInFolder } from '../helpers/mail-folder.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Bounded wait for the server's file mailer to write a mail to `to` matching `subject`. */
const waitForMail = async (dataDir: string, to: string, subject: RegExp): Promise<ParsedMail> => {
  for (let i = 0; i < 150; i++) {
    for (const mail of (await mailsInFolder(dataDir)).reverse()) {
      const address = mail.to && 'text' in mail.to ? mail.to.text : '';
      if (address === to && subject.test(mail.subject ?? '')) return mail;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with subject ${subject}`);
};

test('a platform admin sets up topics and the imprint, and accepts a press office that applied', { skip: !browserAvailable(), timeout: 180_000 }, async (t) => {
  const server = await startServer(t, { DEMO: '0', PUBLIC_URL: '' });
  const { url: base, dataDir } = server;
  // The CLI needs nothing but the data folder (and the database): the link it prints is the server's.
  const cli = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'user', 'add', '--email', 'admin@presseportal.example', '--role', 'admin'], { cwd: ROOT, env: cliEnvOf(server) });
  const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(cli.stdout)?.[1];
  assert.ok(link?.startsWith(base), cli.stdout);

  const browser = await launchBrowser(t);
  const admin = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await admin.goto(link!);
  await admin.getByLabel('Neues Passwort').fill('ein-sicheres-passwort');
  await admin.getByLabel('Passwort wiederholen').fill('ein-sicheres-passwort');
  await admin.getByRole('button', { name: 'Passwort speichern' }).click();
  await admin.waitForURL(`${base}/login`);
  await admin.getByLabel('E-Mail-Adresse').fill('admin@presseportal.example');
  await admin.getByLabel('Passwort').fill('ein-sicheres-passwort');
  await admin.getByRole('button', { name: 'Anmelden' }).click();
  await admin.waitForURL(`${base}/admin`);

  // Topics: add one, rename it; the old address redirects.
  await admin.getByRole('link', { name: 'Themen' }).first().click();
  await admin.locator('#name').fill('Verkehr');
  await admin.getByRole('button', { name: 'Anlegen' }).click();
  await admin.locator('.flash', { hasText: 'Angelegt.' }).waitFor();
  await admin.getByRole('link', { name: 'Verkehr bearbeiten' }).click();
  await admin.locator('#name').fill('Mobilität');
  await admin.locator('#slug').fill('mobilitaet');
  await admin.getByRole('button', { name: 'Speichern' }).click();
  await admin.locator('.flash', { hasText: 'Die alte Adresse leitet weiter.' }).waitFor();
  const visitor = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await visitor.goto(`${base}/topics/verkehr`);
  assert.equal(visitor.url(), `${base}/topics/mobilitaet`);
  assert.equal(await visitor.locator('h1').innerText(), 'Thema: Mobilität');

  // The imprint: empty with a note first, then written.
  // (Asked without the visitor's browser: it would keep the page for its max-age of 60 s.)
  assert.match(await (await fetch(`${base}/impressum`)).text(), /noch leer/);
  await admin.getByRole('link', { name: 'Impressum und Datenschutz' }).click();
  await admin.locator('#imprintMarkdown').fill('## Betreiber\n\nPresseportal Musterland e. V.');
  await admin.getByRole('button', { name: 'Impressum speichern' }).click();
  await admin.locator('.flash', { hasText: 'Gespeichert.' }).waitFor();
  await visitor.goto(base);
  await visitor.locator('footer').getByRole('link', { name: 'Impressum' }).click();
  assert.match(await visitor.locator('main').innerText(), /Presseportal Musterland e\. V\./);

  // A press office applies and confirms its address by the mailed link.
  await visitor.locator('footer').getByRole('link', { name: 'Für Pressestellen' }).click();
  await visitor.locator('#join-organisation').fill('Stadtwerke Musterhausen');
  await visitor.getByLabel('Ansprechperson').fill('Erika Beispiel');
  await visitor.getByLabel('E-Mail-Adresse').fill('presse@stadtwerke.example');
  await visitor.getByLabel('Website der Organisation').fill('https://stadtwerke.example');
  await visitor.getByLabel('Was möchten Sie veröffentlichen?').fill('Strom, Wasser, Busse.');
  await visitor.getByRole('button', { name: 'Bewerbung senden' }).click();
  assert.match(await visitor.locator('h1').innerText(), /Bitte bestätigen Sie Ihre Adresse/);
  const confirmation = await waitForMail(dataDir, 'presse@stadtwerke.example', /Bewerbung/);
  const confirmLink = /https?:\/\/\S+\/join\/confirm\/\S+/.exec(confirmation.text ?? '')?.[0];
  assert.ok(confirmLink);
  await visitor.goto(confirmLink!);
  await visitor.getByRole('button', { name: 'Ja, Bewerbung bestätigen' }).click();
  assert.match(await visitor.locator('main').innerText(), /Ihre Bewerbung ist bestätigt/);

  // The admin accepts: the office exists and its owner is invited.
  await admin.getByRole('link', { name: 'Bewerbungen von Pressestellen' }).click();
  await admin.getByRole('link', { name: 'Stadtwerke Musterhausen' }).click();
  await admin.locator('#slug').fill('stadtwerke');
  await admin.getByRole('button', { name: 'Pressestelle anlegen und einladen' }).click();
  await admin.waitForURL(`${base}/admin/offices/stadtwerke/members`);
  assert.match(await admin.locator('main').innerText(), /presse@stadtwerke\.example \(Leitung\)/);
  const invitation = await waitForMail(dataDir, 'presse@stadtwerke.example', /Einladung/);
  const inviteLink = /https?:\/\/\S+\/set-password\/\S+/.exec(invitation.text ?? '')?.[0];
  assert.ok(inviteLink?.startsWith(base));
  await visitor.goto(inviteLink!);
  assert.match(await visitor.locator('main').innerText(), /Stadtwerke Musterhausen/);

  // The platform's log names every step.
  await admin.goto(`${base}/admin/audit`);
  const log = await admin.locator('main table').innerText();
  for (const entry of ['Thema angelegt', 'Thema umbenannt', 'Rechtliche Seite geändert', 'Bewerbung angenommen']) assert.match(log, new RegExp(entry));
});
