/// <reference lib="dom" />
// In a real browser against the real server on the demo content: a reader checks a release's
// authenticity („Echtheit prüfen“, without JavaScript): from the release page's link, then by
// pasting its plain text, then a tampered copy; an office's owner sees the fediverse handle and the
// follower count on the settings page and turns federation off. Both pages pass axe's WCAG 2.1 AA
// rules. Every field is found by its label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { browserAvailable, launchBrowser, startServer, cliEnvOf } from '../helpers/browser.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const violations = async (page: Page) => {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; help: string }[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations.map((v) => `${v.id}: ${v.help}`);
  });
};

test('a reader checks a release; an owner sees the fediverse handle and turns it off', { skip: !browserAvailable(), timeout: 180_000 }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const reader = await browser.newPage({ javaScriptEnabled: false });

  await reader.goto(server.url);
  await reader.locator('.release-list .card-title a').first().click();
  const title = (await reader.locator('h1.release-title').textContent())!.trim();
  await reader.getByRole('link', { name: 'Echtheit prüfen' }).first().click();
  assert.match((await reader.locator('.verify-result h2').textContent())!, /Originalseite/);
  assert.equal((await reader.locator('.verify-result .verify-release a').textContent())!.trim(), title);

  await reader.goBack();
  await reader.getByRole('link', { name: 'Als reinen Text anzeigen' }).click();
  const text = await reader.locator('body').innerText();
  await reader.goto(`${server.url}/verify`);
  await reader.getByLabel('Text, Link oder Signaturdatei').fill(text);
  await reader.getByRole('button', { name: 'Prüfen' }).click();
  assert.match((await reader.locator('.verify-result h2').textContent())!, /Wort für Wort/);
  // The page and its result, audited where scripts run.
  const audited = await browser.newPage({ bypassCSP: true }); // axe is injected as an inline script
  await audited.goto(`${server.url}/verify`);
  await audited.getByLabel('Text, Link oder Signaturdatei').fill(text);
  await audited.getByRole('button', { name: 'Prüfen' }).click();
  await audited.locator('.verify-result').waitFor();
  assert.deepEqual(await violations(audited), []);

  // A copy with one word changed in the body.
  const body = text.split('\n').find((line) => line.length > 60 && /\p{L}{6,}/u.test(line))!;
  const word = /\p{L}{6,}/u.exec(body)![0];
  await reader.goto(`${server.url}/verify`);
  await reader.getByLabel('Text, Link oder Signaturdatei').fill(text.replace(word, 'Falschwort'));
  await reader.getByRole('button', { name: 'Prüfen' }).click();
  assert.match((await reader.locator('.verify-result h2').textContent())!, /weicht/);
  assert.match((await reader.locator('.verify-result').innerText()), /Falschwort/);

  // The owner of the demo office, from the CLI's link.
  const cli = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'user', 'add', '--email', 'presse@landkreis.example', '--office', 'landkreis-beispiel', '--role', 'owner'], { cwd: ROOT, env: cliEnvOf(server) });
  const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(cli.stdout)![1]!;
  const owner = await (await browser.newContext({ locale: 'de-DE', bypassCSP: true })).newPage();
  await owner.goto(link);
  await owner.getByLabel('Neues Passwort').fill('ein-sicheres-passwort');
  await owner.getByLabel('Passwort wiederholen').fill('ein-sicheres-passwort');
  await owner.getByRole('button', { name: 'Passwort speichern' }).click();
  await owner.waitForURL(`${server.url}/login`);
  await owner.getByLabel('E-Mail-Adresse').fill('presse@landkreis.example');
  await owner.getByLabel('Passwort').fill('ein-sicheres-passwort');
  await owner.getByRole('button', { name: 'Anmelden' }).click();
  await owner.goto(`${server.url}/admin/offices/landkreis-beispiel/settings`);
  const host = new URL(server.url).host;
  assert.equal(await owner.locator('.fediverse-handle').textContent(), `@landkreis-beispiel@${host}`);
  assert.equal(await owner.locator('.fediverse-followers').textContent(), '0');
  assert.match(await owner.locator('#signing').innerText(), /Aktueller Schlüssel/);
  assert.deepEqual(await violations(owner), []);
  await owner.getByLabel('Folgen aus dem Fediverse erlauben').uncheck();
  await owner.getByRole('button', { name: 'Speichern' }).last().click();
  await owner.locator('.flash', { hasText: 'Die Fediverse-Einstellung ist gespeichert.' }).waitFor();
  assert.equal(await owner.getByLabel('Folgen aus dem Fediverse erlauben').isChecked(), false);
  const actor = await fetch(`${server.url}/ap/offices/landkreis-beispiel`, { headers: { accept: 'application/activity+json' } });
  assert.equal(actor.status, 404, 'the account is gone from the fediverse');
});
