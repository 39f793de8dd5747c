/// <reference lib="dom" />
// Subscribe → confirm (by the link in the mail the server wrote) → unsubscribe, in a real browser
// against the real server, whose file mailer writes each message as an .eml file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAvailable, launchBrowser, startServer } from '../helpers/browser.ts';
import { mailsInFolder } from '../helpers/mail-folder.ts';

const waitForMails = async (dataDir: string, count: number) => {
  for (let i = 0; i < 100; i++) {
    const found = await mailsInFolder(dataDir);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${count} mail(s) in ${dataDir}/mail`);
};

test('subscribe, confirm by the mailed link, unsubscribe', { skip: !browserAvailable() }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ javaScriptEnabled: false });

  await page.goto(`${server.url}/offices/landkreis-beispiel`);
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Abonnieren' }) }).last();
  await form.getByLabel('E-Mail-Adresse').fill('redaktion@zeitung.example');
  await form.getByRole('button', { name: 'Abonnieren' }).click();
  assert.match(await page.locator('h1').innerText(), /Bitte bestätigen Sie Ihre Adresse/);

  const [confirmation] = await waitForMails(server.dataDir, 1);
  assert.equal(confirmation!.to && 'text' in confirmation!.to ? confirmation!.to.text : '', 'redaktion@zeitung.example');
  const link = /https?:\/\/\S+\/subscribe\/confirm\/\S+/.exec(confirmation!.text ?? '')?.[0];
  assert.ok(link, 'the confirmation mail carries the link');
  await page.goto(link!);
  await page.getByRole('button', { name: 'Ja, Abonnement bestätigen' }).click();
  assert.match(await page.locator('main').innerText(), /Ihr Abonnement ist bestätigt/);
  assert.match(await page.locator('main').innerText(), /Landkreis Beispiel/);

  await page.getByRole('button', { name: 'Alles abbestellen und Daten löschen' }).click();
  assert.match(await page.locator('h1').innerText(), /Abbestellt/);
  // The manage link is dead now: the data is gone.
  await page.goBack();
  await page.reload();
  assert.match(await page.locator('main').innerText(), /nicht \(mehr\) gültig/);

  // The home page's form subscribes to every release at once, also an internationalised address
  // (which a browser would refuse in a type="email" field).
  await page.goto(server.url);
  const home = page.locator('.subscribe-box form');
  await home.getByLabel('E-Mail-Adresse').fill('täglich@example.net');
  await home.getByRole('button', { name: 'Abonnieren' }).click();
  assert.match(await page.locator('h1').innerText(), /Bitte bestätigen Sie Ihre Adresse/);
  const all = await waitForMails(server.dataDir, 2);
  const second = all.find((m) => m.to && 'text' in m.to && m.to.text === 'täglich@example.net');
  assert.ok(second, 'the confirmation went to the internationalised address');
  assert.match(second.text ?? '', /Alle Pressemitteilungen/);
});
