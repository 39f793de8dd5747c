// A press officer's journey in a real browser against the real server: set a password from the
// CLI's link, log in, write a release, add a photo with caption, preview, schedule it, see it go
// live (the server's own timer), find it in the list of all releases, correct it, withdraw it. Screenshots go to test/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { stopServer } from '../helpers/browser.ts';
import sharp from 'sharp';
import { openDatabase, openPostgres } from '../../src/db/connect.ts';
import { newPostgresDatabase, ON_POSTGRES } from '../helpers/app.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createServices } from '../../src/services.ts';
import { zonedTime } from '../../src/lib/zoned-time.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const run = promisify(execFile);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`timed out waiting for ${what}`);
};

test('a press officer writes, illustrates, previews, schedules, corrects and withdraws a release', { timeout: 240_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') assert.fail(`${CHROMIUM} is missing: the browser tests cannot run (apt-get install chromium)`);
    console.log(`!!! BROWSER TESTS SKIPPED: ${CHROMIUM} not found. Install it with: sudo apt-get install chromium`);
    t.skip('chromium missing');
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herold-e2e-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // On PostgreSQL (HEROLD_TEST_DB=postgres) a database of its own, dropped after the test.
  const postgres = ON_POSTGRES ? await newPostgresDatabase() : undefined;
  const env = { ...process.env, DATA_DIR: dataDir, DEMO: '0', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, LOG_LEVEL: 'info', LANG: 'de', ...(postgres ? { DATABASE_URL: postgres.url } : {}) };

  // The office and its terms, then the user from the CLI, which prints the set-password link.
  const { db } = postgres ? await openPostgres(postgres.url) : openDatabase(path.join(dataDir, 'herold.sqlite'));
  await migrateToLatest(db);
  const services = createServices({ db });
  await services.offices.create({ slug: 'landkreis', name: 'Landkreis Musterland', republicationNotice: 'Abdruck honorarfrei.' }, [{ organisation: 'Landkreis Musterland', role: 'Pressesprecherin', name: 'Erika Beispiel', street: '', postcode: '', town: '', phone: '0123', fax: '', email: 'presse@musterland.example', website: '' }]);
  await services.taxonomies.create('topics', 'verkehr', 'Verkehr');
  await services.taxonomies.create('regions', 'nordkreis', 'Nordkreis');
  await db.destroy();
  const cli = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'user', 'add', '--email', 'presse@musterland.example', '--office', 'landkreis', '--role', 'owner'], { env, cwd: ROOT });
  const linkMatch = /(http:\/\/\S+\/set-password\/\S+)/.exec(cli.stdout);
  assert.ok(linkMatch, `herold user add printed no link: ${cli.stdout} ${cli.stderr}`);
  const link = linkMatch[1]!;

  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'src/server.js')], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let passed = false;
  t.after(() => {
    // Shown only when something went wrong, to tell a server problem from a browser one.
    if (!passed) console.error(`--- server log (last 4000 characters) ---\n${log.slice(-4000)}`);
  });
  t.after(async () => {
    await stopServer(server);
    await postgres?.drop();
  });
  await waitFor('the server', async () => (await fetch(`${base}/robots.txt`)).ok, 30_000);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await mkdir(ARTIFACTS, { recursive: true });

  // Set the password, log in.
  await page.goto(link);
  await page.locator('#password').fill('ein-sicheres-passwort');
  await page.locator('#passwordRepeat').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await page.waitForURL(`${base}/login`);
  await page.locator('#email').fill('presse@musterland.example');
  await page.locator('#password').fill('ein-sicheres-passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${base}/admin/offices/landkreis`);

  // Write a release; preview it on the server first.
  await page.getByRole('link', { name: 'Neue Mitteilung' }).first().click();
  await page.locator('#title').fill('Neue Radwege im Nordkreis');
  await page.getByLabel('Untertitel').fill('Zwölf Kilometer bis 2027');
  await page.getByLabel('Ortsmarke').fill('Musterhausen');
  await page.locator('#bodyMarkdown').fill('Der Landkreis baut **neue Radwege**.\n\n## Hintergrund\n\nDas Netz wächst.');
  // The live preview (static/js/admin.js) shows the rendered text while typing.
  await page.locator('#live-preview strong', { hasText: 'neue Radwege' }).waitFor();
  await page.getByLabel('Verkehr').check();
  await page.getByLabel('Nordkreis').check();
  await page.getByRole('button', { name: 'Vorschau' }).click();
  await page.locator('#preview strong', { hasText: 'neue Radwege' }).waitFor();
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await page.locator('.flash', { hasText: 'Gespeichert.' }).waitFor();
  const editUrl = page.url();
  assert.match(editUrl, /\/admin\/offices\/landkreis\/releases\/\d+$/);

  // A photo with alt text, caption and credit.
  const photoFile = path.join(dataDir, 'radweg.jpg');
  await writeFile(photoFile, await sharp({ create: { width: 800, height: 533, channels: 3, background: { r: 60, g: 130, b: 90 } } }).jpeg().toBuffer());
  await page.locator('#photo').setInputFiles(photoFile);
  await page.locator('#new-alt').fill('Ein Radweg zwischen Feldern');
  await page.locator('#new-caption').fill('Der neue Radweg bei Musterhausen.');
  await page.locator('#new-credit').fill('Landkreis Musterland');
  await page.getByRole('button', { name: 'Hochladen und speichern' }).click();
  await page.locator('.flash', { hasText: 'Gespeichert.' }).waitFor();
  await page.locator('.photo-item img[alt="Ein Radweg zwischen Feldern"]').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-editor.png'), fullPage: true });

  // The private preview, without login.
  const previewHref = await page.locator('#preview-link').getAttribute('href');
  const anonymous = await browser.newContext();
  const previewPage = await anonymous.newPage();
  await previewPage.goto(`${base}${previewHref}`);
  assert.equal(await previewPage.locator('.preview-banner').textContent(), 'Vorschau – nicht veröffentlicht');
  assert.match((await previewPage.locator('figure.photo figcaption').textContent()) ?? '', /Der neue Radweg bei Musterhausen\./);
  await anonymous.close();

  // Schedule for the next full minute (Berlin time), at least ten seconds ahead.
  const at = new Date(Math.ceil((Date.now() + 10_000) / 60_000) * 60_000);
  await page.locator('#publishAt').fill(zonedTime('Europe/Berlin').toLocal(at));
  await page.getByRole('button', { name: 'Einplanen' }).click();
  await page.locator('.flash', { hasText: 'Eingeplant.' }).waitFor();
  const id = /\/releases\/(\d+)$/.exec(editUrl)![1]!;
  const publicUrl = `${base}/releases/${id}`;
  assert.equal((await fetch(publicUrl, { redirect: 'manual' })).status, 404);

  await page.goto(`${base}/admin/offices/landkreis`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });

  // The server's own timer publishes it: poll the public page (bounded), no timing assertion.
  await waitFor('the scheduled release to go live', async () => (await fetch(publicUrl)).ok, 120_000);
  const live = await context.newPage();
  await live.goto(publicUrl);
  assert.equal((await live.locator('h1.release-title').textContent())?.trim(), 'Neue Radwege im Nordkreis');
  assert.equal(await live.locator('figure.photo img').getAttribute('alt'), 'Ein Radweg zwischen Feldern');

  // Correct it, found in the list of all the office's releases by a word of its title.
  await page.getByRole('link', { name: 'Alle Mitteilungen' }).first().click();
  await page.getByLabel('Titel enthält').fill('radwege');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await page.locator('#release-count', { hasText: '1 Mitteilung, deren Titel „radwege“ enthält' }).waitFor();
  await page.getByRole('link', { name: 'Neue Radwege im Nordkreis' }).click();
  await page.waitForURL(editUrl);
  await page.getByRole('link', { name: 'Korrigieren' }).click();
  await page.locator('#note').fill('Länge des Radwegs berichtigt.');
  await page.locator('#bodyMarkdown').fill('Der Landkreis baut **neue Radwege** auf 14 Kilometern.');
  await page.getByRole('button', { name: 'Korrektur veröffentlichen' }).click();
  await page.locator('.flash', { hasText: 'Korrektur veröffentlicht.' }).waitFor();
  await live.reload();
  assert.match((await live.locator('.corrections').textContent()) ?? '', /Länge des Radwegs berichtigt\./);
  assert.match((await live.locator('.release-body').textContent()) ?? '', /14 Kilometern/);

  // Withdraw it.
  await page.locator('#withdraw-note').fill('Die Planung wurde gestoppt.');
  await page.getByRole('button', { name: 'Weiter zum Zurückziehen …' }).click();
  await page.getByRole('button', { name: 'Ja, jetzt zurückziehen' }).click();
  await page.locator('.flash', { hasText: 'Zurückgezogen.' }).waitFor();
  await live.reload();
  assert.match((await live.locator('.withdrawn-notice').textContent()) ?? '', /Die Planung wurde gestoppt\./);

  // Log out.
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForURL(`${base}/login`);
  // The request log (info level) names the URLs, with every one-time token masked.
  assert.match(log, /set-password\/\[redacted\]/);
  for (const secret of [link.split('/').pop()!, previewHref!.split('/').pop()!, 'ein-sicheres-passwort']) assert.ok(!log.includes(secret), 'no secret in the server log');
  assert.ok(!/herold_session=/.test(log), 'no session cookie in the server log');
  passed = true;
});
