/// <reference lib="dom" />
// The public site in a real browser, on the demo content: reading, keyboard use, no JavaScript,
// and an automated WCAG 2.1 AA check (axe-core) of each kind of page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { browserAvailable, launchBrowser, startServer } from '../helpers/browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

test('public pages in a browser: demo newsroom, accessibility, keyboard, no JavaScript', { skip: !browserAvailable() }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ javaScriptEnabled: false });

  // The journalist's path: home → release → plain text → office.
  await page.goto(server.url);
  assert.equal(await page.locator('h1').textContent(), 'Aktuelle Pressemitteilungen');
  const cards = page.locator('.release-list .card-title a');
  assert.ok((await cards.count()) >= 10, 'the demo releases are listed');
  const title = (await cards.first().textContent())!.trim();
  await cards.first().click();
  assert.equal((await page.locator('h1.release-title').textContent())!.trim(), title);
  assert.equal(await page.locator('address.contact').count(), 1);
  await page.getByRole('link', { name: 'Als reinen Text anzeigen' }).click();
  const text = await page.locator('body').innerText();
  assert.match(text, /Meldungsdatum: \d\d\.\d\d\.\d{4}/);
  await page.goBack();
  await page.locator('.release-office').click();
  assert.equal(await page.locator('.office-contacts address').count() >= 1, true);

  // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
  const kb = await browser.newPage({ bypassCSP: true });
  await kb.goto(server.url);
  await kb.keyboard.press('Tab');
  assert.equal(await kb.evaluate(() => document.activeElement?.textContent), 'Zum Inhalt springen');
  await kb.keyboard.press('Enter');
  assert.equal(await kb.evaluate(() => document.activeElement?.id), 'main');

  // axe-core, WCAG 2.1 A and AA rules, on one page of each kind.
  const releaseUrl = await kb.locator('.release-list .card-title a').first().getAttribute('href');
  const audit = async (url: string) => {
    await kb.goto(server.url + url);
    await kb.addScriptTag({ content: axeSource });
    return kb.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
    });
  };
  for (const url of ['/', releaseUrl!, '/offices', '/offices/landkreis-beispiel', '/topics', '/archive', '/nicht-da']) {
    assert.deepEqual(await audit(url), [], `WCAG violations on ${url}`);
  }
  // The checker itself works: a picture without alt text on a page is caught.
  await kb.goto(server.url);
  await kb.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/x.png">'));
  await kb.addScriptTag({ content: axeSource });
  const canary = await kb.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string }[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a'] } })).violations.map((v) => v.id);
  });
  assert.ok(canary.includes('image-alt'));
});
