/// <reference lib="dom" />
// The admin area on a phone (390 × 844, the iPhone): every kind of admin page fits without
// sideways scrolling; the editor's sticky Save bar never covers the focused field (WCAG 2.2 "focus
// not obscured"); what is typed in the editor survives leaving the page (the local copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { browserAvailable, launchBrowser, startServer } from '../helpers/browser.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

test('every admin page fits a 390 px screen; the Save bar never hides the focused field; typing survives leaving the editor', { skip: !browserAvailable(), timeout: 240_000 }, async (t) => {
  const server = await startServer(t, { DEMO: '1' });
  const { url: base } = server;
  const cli = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'user', 'add', '--email', 'admin@presseportal.example', '--role', 'admin'], { cwd: ROOT, env: { ...server.env } });
  const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(cli.stdout)![1]!;

  const browser = await launchBrowser(t);
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(link);
  await page.getByLabel('Neues Passwort').fill('ein-sicheres-passwort');
  await page.getByLabel('Passwort wiederholen').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await page.waitForURL(`${base}/login`);
  await page.getByLabel('E-Mail-Adresse').fill('admin@presseportal.example');
  await page.getByLabel('Passwort').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${base}/admin`);

  const office = (await page.locator('main a[href^="/admin/offices/"]').first().getAttribute('href'))!;
  await page.goto(`${base}${office}`);
  const releaseLinks = await page.locator('main a[href*="/releases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!).filter((h) => /\/releases\/\d+$/.test(h)));
  const draftOrAny = releaseLinks[0]!;
  // A published release of the office, for its correction form.
  const published = await page.locator('#published a[href*="/releases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!).filter((h) => /\/releases\/\d+$/.test(h)));
  const topic = await (async () => {
    await page.goto(`${base}/admin/topics`);
    return page.locator('main a[href^="/admin/topics/"]').first().getAttribute('href');
  })();

  const pages = [
    '/admin',
    office,
    `${office}/releases/new`,
    draftOrAny,
    ...(published[0] ? [published[0], `${published[0]}/correct`] : []),
    `${office}/settings`,
    `${office}/members`,
    `${office}/audit`,
    '/admin/topics',
    ...(topic ? [topic] : []),
    '/admin/regions',
    '/admin/legal',
    '/admin/applications',
    '/admin/audit',
    '/admin/mail',
    '/admin/mail/log',
    '/login',
  ];
  const measured: string[] = [];
  for (const url of pages) {
    const res = await page.goto(`${base}${url}`);
    assert.ok(res && res.status() < 400, `${url}: ${res?.status()}`);
    assert.ok(await page.locator('main h1').count(), `${url} shows its page`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    measured.push(`${url}: ${width}`);
    assert.ok(width <= 390, `${url} is ${width} px wide on a 390 px screen`);
  }
  // The withdrawal's confirmation step, too.
  if (published[0]) {
    await page.goto(`${base}${published[0]}`);
    await page.locator('#withdraw-note').fill('Nur ein Test der Bestätigung.');
    await page.getByRole('button', { name: 'Weiter zum Zurückziehen …' }).click();
    await page.locator('#withdraw-reason').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `withdrawal confirmation is ${width} px wide`);
  }
  t.diagnostic(measured.join(', '));

  // Focus not obscured: tabbing through the editor, no focused field is behind the sticky bar.
  await page.goto(`${base}${office}/releases/new`);
  await page.locator('#title').focus();
  const hidden: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const covered = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const bar = document.querySelector('.form-actions');
      if (!el || !bar || bar.contains(el) || !el.closest('#release-form')) return '';
      const box = el.getBoundingClientRect();
      const barTop = bar.getBoundingClientRect().top;
      return box.top >= barTop - 1 ? `${el.id || el.getAttribute('name')} (top ${Math.round(box.top)}, bar ${Math.round(barTop)})` : '';
    });
    if (covered) hidden.push(covered);
  }
  assert.deepEqual(hidden, [], 'focused fields covered by the Save bar');

  // Typing survives leaving the page: the local copy is offered back and restores it.
  await page.goto(`${base}${office}/releases/new`);
  await page.locator('#title').fill('Ungespeicherter Titel');
  await page.locator('#bodyMarkdown').fill('Ein Text, der nicht verloren gehen darf.');
  await page.goto(`${base}${office}`);
  await page.goto(`${base}${office}/releases/new`);
  assert.equal(await page.locator('#title').inputValue(), '');
  await page.getByRole('button', { name: 'Ungespeicherte Fassung wiederherstellen' }).click();
  assert.equal(await page.locator('#title').inputValue(), 'Ungespeicherter Titel');
  assert.equal(await page.locator('#bodyMarkdown').inputValue(), 'Ein Text, der nicht verloren gehen darf.');
  // The live count follows the text.
  assert.equal(await page.locator('#title-limit').textContent(), '21 von höchstens 250 Zeichen.');
});
