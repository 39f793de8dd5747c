// An office owner in a real browser against the real server (DEMO=0, WEBHOOK_ALLOW_PRIVATE=1 for
// the receiver on loopback): registers a webhook, copies its secret shown once, sends a test event
// that the server's own scheduler delivers (verified with the Standard Webhooks implementation) and
// that the delivery log then shows; renews the secret, and the next test event is signed with the
// new one. Then the settings page's embed code and its live preview in the frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createServices } from '../../src/services.ts';
import { loadConfig } from '../../src/config.ts';
import { browserAvailable, launchBrowser, startServer, serverDatabase } from '../helpers/browser.ts';
import { startReceiver } from '../helpers/webhooks.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Bounded wait for a condition the server brings about in the background. */
const waitFor = async (what: string, check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
};

test('an owner registers a webhook, tests it, reads the delivery log, renews the secret, and finds the embed code', { skip: !browserAvailable(), timeout: 180_000 }, async (t) => {
  const receiver = await startReceiver(t);
  const server = await startServer(t, { DEMO: '0', WEBHOOK_ALLOW_PRIVATE: '1' });
  const { url: base, dataDir } = server;

  // The office with a public release, beside the running server; the owner from the CLI.
  const db = await serverDatabase(server);
  const services = createServices({ db, config: loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: base, SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e' }) });
  const office = await services.offices.create({ slug: 'landkreis', name: 'Landkreis Musterland', republicationNotice: '' }, []);
  const input = { title: 'Neue Radwege im Nordkreis', subtitle: '', releaseDate: '2026-03-10', dateline: 'Musterhausen', bodyMarkdown: 'Der Kreis baut neue Radwege.', contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' as const };
  await services.releases.create(office.id, input, { status: 'published' });
  await db.destroy();
  const cli = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'user', 'add', '--email', 'presse@musterland.example', '--office', 'landkreis', '--role', 'owner'], { cwd: ROOT, env: server.env });
  const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(cli.stdout)?.[1];
  assert.ok(link?.startsWith(base), cli.stdout);

  const browser = await launchBrowser(t);
  const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  // "Renew the secret" asks first; the owner agrees.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(link!);
  await page.getByLabel('Neues Passwort').fill('ein-sicheres-passwort');
  await page.getByLabel('Passwort wiederholen').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await page.waitForURL(`${base}/login`);
  await page.getByLabel('E-Mail-Adresse').fill('presse@musterland.example');
  await page.getByLabel('Passwort').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(/\/admin/);
  await page.goto(`${base}/admin/offices/landkreis`);

  // Register: an address with a password in it first keeps what was typed and says why.
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Webhooks von Landkreis Musterland');
  await page.getByLabel('Adresse (URL)').fill('https://nutzer:passwort@example.org/hook');
  await page.getByLabel('Beschreibung').fill('Unsere Website');
  await page.getByRole('button', { name: 'Eintragen' }).click();
  await page.locator('.field-error').first().waitFor();
  assert.equal(await page.getByLabel('Beschreibung').inputValue(), 'Unsere Website');
  await page.getByLabel('Adresse (URL)').fill(`${receiver.url}/herold`);
  await page.getByRole('button', { name: 'Eintragen' }).click();
  await page.locator('.flash', { hasText: 'Der Webhook ist eingetragen.' }).waitFor();
  const secret = await page.getByLabel('Geheimnis').inputValue();
  assert.match(secret, /^whsec_/);

  // A test event: the server's scheduler sends it; the receiver verifies its signature.
  await page.getByRole('button', { name: 'Testereignis senden' }).click();
  await page.locator('.flash', { hasText: 'Ein Testereignis ist unterwegs' }).waitFor();
  assert.equal(await page.getByLabel('Geheimnis').count(), 0, 'the secret is shown only once');
  await waitFor('the test event', () => receiver.received.length === 1);
  assert.equal(receiver.verified(receiver.received[0]!, secret).type, 'webhook.test');
  await waitFor('the delivery in the log', async () => {
    await page.reload();
    return (await page.locator('.delivery-http').first().innerText()).trim() === '200';
  });
  assert.match(await page.locator('.delivery').first().innerText(), /zugestellt/);

  // A new secret signs the next event.
  await page.getByRole('button', { name: 'Geheimnis erneuern' }).click();
  await page.locator('.flash', { hasText: 'Das Geheimnis ist erneuert.' }).waitFor();
  const renewed = await page.getByLabel('Geheimnis').inputValue();
  assert.notEqual(renewed, secret);
  await page.getByRole('button', { name: 'Testereignis senden' }).click();
  await waitFor('the second test event', () => receiver.received.length === 2);
  assert.equal(receiver.verified(receiver.received[1]!, renewed).type, 'webhook.test');

  // The embed: code to paste and a live preview of the office's latest releases.
  await page.getByRole('link', { name: 'Einstellungen' }).click();
  const code = await page.getByLabel('Code zum Einbinden').inputValue();
  assert.match(code, new RegExp(`<iframe[^>]+src="${base}/offices/landkreis/embed`));
  await page.getByLabel('Farben').selectOption('dark');
  await page.getByLabel('Kompakt (ohne Bilder und Zusammenfassungen)').check();
  await page.getByRole('button', { name: 'Vorschau und Code aktualisieren' }).click();
  assert.match(await page.getByLabel('Code zum Einbinden').inputValue(), /theme=dark/);
  const preview = page.frameLocator('iframe.embed-preview');
  assert.equal(await preview.locator('.embed-title').first().innerText(), 'Neue Radwege im Nordkreis');
});
