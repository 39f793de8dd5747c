/// <reference lib="dom" />
// A journalist's journey in a real browser against the real server (whose file mailer writes each
// message as an .eml file): sign up, follow the mailed login link, ask an office for accreditation
// from its page; the office's owner, logged in in a second browser context, accepts with a message;
// the journalist sees "akkreditiert" and the message. Without JavaScript, as the pages must work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { browserAvailable, launchBrowser, startServer, serverDatabase } from '../helpers/browser.ts';
import { mailsInFolder } from '../helpers/mail-folder.ts';
import { createServices } from '../../src/services.ts';

const mailsTo = async (dataDir: string, address: string): Promise<ParsedMail[]> => {
  return (await mailsInFolder(dataDir)).filter((m) => m.to && 'text' in m.to && m.to.text === address);
};

const waitForMail = async (dataDir: string, address: string, subject: RegExp): Promise<ParsedMail> => {
  for (let i = 0; i < 300; i++) {
    const found = (await mailsTo(dataDir, address)).find((m) => subject.test(m.subject ?? ''));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} with subject ${subject}`);
};

test('a journalist signs up, logs in by the mailed link, asks an office; its owner accepts; the journalist sees it', { skip: !browserAvailable() }, async (t) => {
  const server = await startServer(t);
  // The demo office's owner, with a password.
  const db = await serverDatabase(server);
  const services = createServices({ db });
  const office = (await services.offices.findBySlug('landkreis-beispiel'))!;
  const { user } = await services.auth.addUser({ email: 'chefin@landkreis.example', officeId: office.id, role: 'owner' });
  await services.auth.setPassword(user.id, 'ein-sicheres-passwort');
  await db.destroy();

  const browser = await launchBrowser(t);
  const journalist = await (await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' })).newPage();
  await journalist.goto(`${server.url}/journalists/signup`);
  await journalist.getByLabel('Name').fill('Jana Schreiber');
  await journalist.getByLabel('Medium').fill('Musterhausener Anzeiger');
  await journalist.getByLabel('E-Mail-Adresse').fill('jana@anzeiger.example');
  await journalist.getByLabel('Presseausweis-Nummer').fill('DJV-12345');
  await journalist.getByRole('button', { name: 'Registrieren' }).click();
  assert.match(await journalist.locator('h1').innerText(), /Bitte sehen Sie in Ihr Postfach/);

  const mail = await waitForMail(server.dataDir, 'jana@anzeiger.example', /Ihr Anmeldelink/);
  const link = /https?:\/\/\S+\/journalists\/login\/\S+/.exec(mail.text ?? '')?.[0];
  assert.ok(link, 'the mail carries the login link');
  await journalist.goto(link);
  await journalist.getByRole('button', { name: 'Jetzt anmelden' }).click();
  assert.match(await journalist.locator('main').innerText(), /Angemeldet als jana@anzeiger\.example/);

  // From the office's page.
  await journalist.goto(`${server.url}/offices/landkreis-beispiel`);
  await journalist.getByRole('link', { name: /Akkreditierung beantragen/ }).click();
  assert.equal(await journalist.locator('#j-office').inputValue(), 'landkreis-beispiel');
  await journalist.getByLabel('Nachricht an die Pressestelle').fill('Ich berichte über den Kreistag.');
  await journalist.getByRole('button', { name: 'Akkreditierung beantragen' }).click();
  assert.match(await journalist.locator('.journalist-table').innerText(), /beantragt/);

  // The owner, in a second context.
  const owner = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await owner.goto(`${server.url}/login`);
  await owner.locator('#email').fill('chefin@landkreis.example');
  await owner.locator('#password').fill('ein-sicheres-passwort');
  await owner.getByRole('button', { name: 'Anmelden' }).click();
  await owner.waitForURL(/\/admin\/offices\/landkreis-beispiel$/);
  await owner.locator('.admin-nav').getByRole('link', { name: 'Journalisten' }).click();
  assert.match(await owner.locator('main').innerText(), /Jana Schreiber – Musterhausener Anzeiger[\s\S]*Ich berichte über den Kreistag\./);
  await owner.getByLabel('Nachricht an Jana Schreiber bei Annahme (freiwillig)').fill('Willkommen im Verteiler!');
  await owner.getByRole('button', { name: 'Akkreditieren' }).click();
  assert.match(await owner.locator('.flash').innerText(), /Akkreditiert\./);

  await journalist.goto(`${server.url}/journalists/account`);
  assert.match(await journalist.locator('.journalist-table').innerText(), /Landkreis Beispiel[\s\S]*akkreditiert[\s\S]*Willkommen im Verteiler!/);
  const decision = await waitForMail(server.dataDir, 'jana@anzeiger.example', /angenommen/);
  assert.match(decision.text ?? '', /Willkommen im Verteiler!/);
  // The journalist's browser has no way into the admin area.
  await journalist.goto(`${server.url}/admin`);
  assert.match(journalist.url(), /\/login/);
});
