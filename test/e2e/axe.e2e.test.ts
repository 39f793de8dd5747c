/// <reference lib="dom" />
// axe-core on every kind of page, public and admin, at a desktop and a phone size, in a real
// browser against the real server on the demo content: WCAG 2.0/2.1 A and AA rules, plus
// `label-content-name-mismatch` (WCAG 2.5.3, which axe keeps among its experimental rules).
// Zero violations. The pages that need a state are reached as a person would: a sign-up whose
// confirmation mail is read from the mail folder, a user set up by the CLI, an editor whose form
// failed validation, a form kept after the session expired, an embargoed pre-release sent by the CLI
// (its personal page before the time, the office's panel, the 410 page after the withdrawal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { browserAvailable, launchBrowser, startServer, cliEnvOf, serverDatabase } from '../helpers/browser.ts';
import { mailFiles } from '../helpers/mail-folder.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const PASSWORD = 'ein-sicheres-passwort';

/** The axe violations of the page as it is now, one line each. */
const violations = async (page: Page): Promise<string[]> => {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
};

/** The first link in the newest .eml file of the mail folder to `to` that contains `fragment`. */
const linkInMail = async (dataDir: string, to: string, fragment: string): Promise<string> => {
  for (let i = 0; i < 150; i++) {
    for (const file of (await mailFiles(dataDir)).reverse()) {
      const raw = file.toString('utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!raw.includes(`To: ${to}`)) continue;
      const found = new RegExp(`https?://[^\\s"<>]*${fragment}[^\\s"<>]*`).exec(raw);
      if (found) return found[0];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with a link to ${fragment}`);
};

test('axe finds no violation on any kind of page, at desktop and phone size', { skip: !browserAvailable(), timeout: 600_000 }, async (t) => {
  const server = await startServer(t);
  const { url: base, dataDir } = server;
  const cli = (...args: string[]) => run(process.execPath, [path.join(ROOT, 'bin/herold.js'), ...args], { cwd: ROOT, env: cliEnvOf(server, { PUBLIC_URL: base }) });

  // What the demo holds: two offices, a topic and region, a published and a withdrawn release.
  const db = await serverDatabase(server);
  const offices = await db.selectFrom('offices').select('slug').orderBy('id').limit(2).execute();
  const published = await db
    .selectFrom('releases as r')
    .innerJoin('offices as o', 'o.id', 'r.office_id')
    .select(['r.id', 'r.slug', 'r.title', 'o.slug as office'])
    .where('r.status', '=', 'published')
    .orderBy('r.published_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const withdrawn = await db.selectFrom('releases').select(['id', 'slug']).where('status', '=', 'withdrawn').limit(1).executeTakeFirstOrThrow();
  const topic = (await db.selectFrom('topics as t').innerJoin('release_topics as rt', 'rt.topic_id', 't.id').select('t.slug').limit(1).executeTakeFirstOrThrow()).slug;
  const region = (await db.selectFrom('regions as g').innerJoin('release_regions as rr', 'rr.region_id', 'g.id').select('g.slug').limit(1).executeTakeFirstOrThrow()).slug;
  await db.destroy();
  assert.equal(offices.length, 2);
  assert.ok(withdrawn, 'the demo has a withdrawn release');

  // A platform admin who is also a member of two offices (the choose-office page).
  await cli('user', 'add', '--email', 'chefin@presse.example', '--role', 'admin');
  await cli('user', 'add', '--email', 'chefin@presse.example', '--role', 'owner', '--office', offices[0]!.slug);
  const added = await cli('user', 'add', '--email', 'chefin@presse.example', '--role', 'editor', '--office', offices[1]!.slug);
  const setPasswordUrl = /(http:\/\/\S+\/set-password\/\S+)/.exec(added.stdout)?.[1];
  assert.ok(setPasswordUrl, added.stdout);

  // An embargoed pre-release: an accredited journalist (CLI), a release imported for 2099 and sent
  // ahead to them; the server's mail job mails the personal link.
  await cli('journalist', 'add', '--email', 'paula@zeitung.example', '--name', 'Paula Presse', '--medium', 'Abendzeitung', '--office', offices[0]!.slug);
  const imported = await cli('import', path.join(ROOT, 'test/fixtures/import/stadt-ohne-fax.txt'), '--office', offices[0]!.slug, '--status', 'scheduled', '--publish-at', '2099-12-24T10:00+01:00', '--prerelease', 'accredited');
  const embargoedId = Number(/stored as release (\d+)/.exec(imported.stdout)?.[1]);
  assert.ok(embargoedId > 0, imported.stdout);
  const personalPath = new URL(await linkInMail(dataDir, 'paula@zeitung.example', '/embargo/')).pathname;

  const browser = await launchBrowser(t);
  const found: string[] = [];
  // Shown also when a step fails before the end, to fix everything in one go.
  t.after(() => {
    if (found.length > 0) console.log(`axe violations so far:\n${found.join('\n')}`);
  });
  let audited = 0;
  const audit = async (page: Page, label: string) => {
    audited++;
    for (const v of await violations(page)) found.push(`${label}: ${v}`);
  };

  // A subscription, for the confirm, manage and unsubscribe pages.
  const setup = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await setup.goto(`${base}/subscribe?office=${offices[0]!.slug}`);
  await setup.locator('#subscribe-email').fill('leserin@presse.example');
  await setup.locator('form.subscribe-form button[type=submit]').click();
  await setup.waitForURL(`${base}/subscribe/sent`);
  const confirmUrl = await linkInMail(dataDir, 'leserin@presse.example', '/subscribe/confirm/');
  await setup.goto(confirmUrl);
  await setup.locator('form[action^="/subscribe/confirm/"] button').click();
  await setup.waitForURL(/\/subscribe\/manage\//);
  const manageUrl = setup.url().split('?')[0]!;
  const unsubscribeUrl = await linkInMail(dataDir, 'leserin@presse.example', '/unsubscribe/').catch(() => '');
  // A second sign-up stays unconfirmed: its confirmation page.
  await setup.goto(`${base}/subscribe?office=${offices[1]!.slug}`);
  await setup.locator('#subscribe-email').fill('zweite@presse.example');
  await setup.locator('form.subscribe-form button[type=submit]').click();
  await setup.waitForURL(`${base}/subscribe/sent`);
  const pendingConfirmUrl = await linkInMail(dataDir, 'zweite@presse.example', '/subscribe/confirm/');

  const firstWord = published.title.split(/\s+/).find((w) => w.length > 4) ?? published.title;
  const publicPages = [
    '/',
    `/releases/${published.id}-${published.slug}`,
    `/releases/${withdrawn.id}-${withdrawn.slug}`,
    '/offices',
    `/offices/${published.office}`,
    '/topics',
    `/topics/${topic}`,
    '/regions',
    `/regions/${region}`,
    '/archive',
    `/search?q=${encodeURIComponent(firstWord)}`,
    '/search?q=Zyxwvutsrq',
    // Hints: a query of excluded words only.
    `/search?q=-${encodeURIComponent(firstWord)}`,
    '/search',
    '/feeds',
    '/subscribe',
    `/subscribe?office=${offices[0]!.slug}&topic=${topic}`,
    '/subscribe/sent',
    new URL(pendingConfirmUrl).pathname,
    new URL(manageUrl).pathname,
    ...(unsubscribeUrl ? [new URL(unsubscribeUrl).pathname] : []),
    '/subscribe/removed',
    '/impressum',
    '/datenschutz',
    '/verify',
    `/verify?url=${encodeURIComponent(`${base}/releases/${published.id}-${published.slug}`)}`,
    '/api',
    '/login',
    '/forgot-password',
    new URL(setPasswordUrl).pathname,
    '/join',
    '/journalists/signup',
    '/journalists/login',
    '/journalists/sent',
    '/nicht-da',
  ];

  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({ locale: 'de-DE', bypassCSP: true, viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    for (const url of publicPages) {
      await page.goto(base + url);
      await audit(page, `${viewport.name} ${url}`);
      if (url.startsWith('/search?q=-')) assert.equal(await page.locator('[role=status] ul.search-hints li').count(), 1, 'the page with hints was audited');
    }
    // The embargoed pre-release's personal page, before its time.
    await page.goto(base + personalPath);
    assert.match(await page.locator('.embargo-banner strong').innerText(), /^SPERRFRIST bis 24\.12\.2099/, 'the personal page');
    await audit(page, `${viewport.name} /embargo/{token}`);
    // The subscribe form with errors, the join form with errors.
    await page.goto(`${base}/subscribe`);
    await page.locator('#subscribe-email').fill('kein-at-zeichen');
    await page.locator('form.subscribe-form button[type=submit]').click();
    await page.locator('.form-errors').waitFor();
    await audit(page, `${viewport.name} /subscribe (errors)`);
    await page.goto(`${base}/join`);
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForLoadState();
    await audit(page, `${viewport.name} /join (errors)`);
    await context.close();
  }

  // A journalist: the sign-up form with errors, the login link's page, the account (also with
  // errors), after asking the first office for accreditation (so its owners' page has a request).
  const journalist = await (await browser.newContext({ locale: 'de-DE', bypassCSP: true })).newPage();
  await journalist.goto(`${base}/journalists/signup`);
  await journalist.locator('#j-email').fill('kein-at-zeichen');
  await journalist.locator('main form button[type=submit]').click();
  await journalist.locator('.form-errors').waitFor();
  await audit(journalist, 'desktop /journalists/signup (errors)');
  await journalist.locator('#j-name').fill('Jana Schreiber');
  await journalist.locator('#j-email').fill('jana@anzeiger.example');
  await journalist.locator('main form button[type=submit]').click();
  await journalist.waitForURL(`${base}/journalists/sent`);
  const journalistLink = await linkInMail(dataDir, 'jana@anzeiger.example', '/journalists/login/');
  await journalist.goto(journalistLink);
  await audit(journalist, 'desktop /journalists/login/{token}');
  await journalist.locator('main form button[type=submit]').click();
  await journalist.waitForURL(`${base}/journalists/account`);
  for (const viewport of VIEWPORTS) {
    await journalist.setViewportSize({ width: viewport.width, height: viewport.height });
    await journalist.goto(`${base}/journalists/account`);
    await audit(journalist, `${viewport.name} /journalists/account`);
  }
  await journalist.locator('form[action="/journalists/accreditations"] button[type=submit]').click();
  await journalist.locator('.form-errors').waitFor();
  await audit(journalist, 'phone /journalists/account (errors)');
  await journalist.locator('#j-office').selectOption(offices[0]!.slug);
  await journalist.locator('form[action="/journalists/accreditations"] button[type=submit]').click();
  await journalist.waitForURL(`${base}/journalists/account`);
  // The account's own pages: a new address (its confirmation link's page, not used) and deleting
  // the account (its page, and with its error; not done).
  await journalist.locator('form[action="/journalists/account/address"] #j-email').fill('jana.neu@anzeiger.example');
  await journalist.locator('form[action="/journalists/account/address"] button[type=submit]').click();
  await journalist.waitForURL(`${base}/journalists/account`);
  const addressLink = await linkInMail(dataDir, 'jana.neu@anzeiger.example', '/journalists/address/');
  for (const viewport of VIEWPORTS) {
    await journalist.setViewportSize({ width: viewport.width, height: viewport.height });
    await journalist.goto(addressLink);
    assert.match(await journalist.locator('h1').innerText(), /Neue E-Mail-Adresse bestätigen/);
    await audit(journalist, `${viewport.name} /journalists/address/{token}`);
    await journalist.goto(`${base}/journalists/account/delete`);
    await audit(journalist, `${viewport.name} /journalists/account/delete`);
  }
  await journalist.locator('form[action="/journalists/account/delete"] button[type=submit]').click();
  await journalist.locator('#j-confirm-error').waitFor();
  await audit(journalist, 'phone /journalists/account/delete (errors)');

  // The admin: set the password once, then log in at each size.
  const first = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await first.goto(setPasswordUrl);
  await first.getByLabel('Neues Passwort').fill(PASSWORD);
  await first.getByLabel('Passwort wiederholen').fill(PASSWORD);
  await first.locator('main form button[type=submit]').click();
  await first.waitForURL(`${base}/login`);

  const office = offices[0]!.slug;
  const officeBase = `/admin/offices/${office}`;
  const adminPages = [
    '/admin',
    officeBase,
    `${officeBase}/releases/new`,
    `${officeBase}/releases`,
    `${officeBase}/releases?q=nichts-dergleichen`,
    `${officeBase}/releases/${published.office === office ? published.id : ''}`,
    `${officeBase}/settings`,
    `${officeBase}/members`,
    `${officeBase}/audit`,
    `${officeBase}/webhooks`,
    `${officeBase}/journalists`,
    // The pre-release panel with its recipient list.
    `${officeBase}/releases/${embargoedId}/prerelease`,
    '/admin/journalists',
    '/admin/topics',
    '/admin/regions',
    `/admin/topics/${topic}`,
    '/admin/webhooks',
    '/admin/audit',
    '/admin/mail',
    '/admin/mail/log',
    '/admin/mail/files',
    `/admin/mail/files/${encodeURIComponent((await readdir(path.join(dataDir, 'mail'))).filter((name) => name.endsWith('.eml')).sort()[0]!)}`,
    '/admin/applications',
    '/admin/legal',
  ].filter((u) => !u.endsWith('/'));

  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({ locale: 'de-DE', bypassCSP: true, viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('E-Mail-Adresse').fill('chefin@presse.example');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(/\/admin/);
    for (const url of adminPages) {
      await page.goto(base + url);
      await audit(page, `${viewport.name} ${url}`);
      if (url === '/admin') assert.equal((await page.locator('h1').innerText()).trim(), 'Pressestelle wählen', 'the choose-office page');
    }
    // An existing release of this office in the editor, and its correction form.
    await page.goto(base + officeBase);
    const editLink = page.locator(`a[href^="${officeBase}/releases/"]:not([href$="/new"])`).first();
    const editHref = await editLink.getAttribute('href');
    assert.ok(editHref, 'the dashboard links a release');
    await page.goto(base + editHref!);
    await audit(page, `${viewport.name} editor (existing)`);
    // The editor with validation errors.
    await page.goto(`${base}${officeBase}/releases/new`);
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));
    await page.locator('#release-form button[name=action][value=save]').click();
    await page.waitForLoadState();
    assert.ok((await page.locator('.form-errors, .field-error').count()) > 0, 'the editor shows its errors');
    await audit(page, `${viewport.name} editor (errors)`);
    // A form kept after the session expired, given back after login.
    await page.goto(`${base}${officeBase}/releases/new`);
    await page.locator('#title').fill('Entwurf nach Ablauf der Sitzung');
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));
    const rw = await serverDatabase(server);
    await rw.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    await rw.destroy();
    await page.locator('#release-form button[name=action][value=save]').click();
    await page.waitForURL(/\/login\?resume=/);
    await audit(page, `${viewport.name} /login (resume)`);
    await page.getByLabel('E-Mail-Adresse').fill('chefin@presse.example');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(/\/admin\/resume\//);
    await audit(page, `${viewport.name} resumed editor`);
    await context.close();
  }

  // The office withdraws the pre-release: the personal link's 410 page, and the panel after it.
  const owner = await (await browser.newContext({ locale: 'de-DE', bypassCSP: true })).newPage();
  await owner.goto(`${base}/login`);
  await owner.getByLabel('E-Mail-Adresse').fill('chefin@presse.example');
  await owner.getByLabel('Passwort').fill(PASSWORD);
  await owner.locator('main form button[type=submit]').click();
  await owner.waitForURL(/\/admin/);
  await owner.goto(`${base}${officeBase}/releases/${embargoedId}/prerelease`);
  assert.match(await owner.locator('#recipients').innerText(), /Paula Presse/, 'the recipient list');
  owner.on('dialog', (dialog) => void dialog.accept());
  await owner.locator(`form[action$="/prerelease/withdraw"] button[type=submit]`).click();
  await owner.locator('.flash').waitFor();
  for (const viewport of VIEWPORTS) {
    await owner.setViewportSize({ width: viewport.width, height: viewport.height });
    await owner.goto(`${base}${officeBase}/releases/${embargoedId}/prerelease`);
    await audit(owner, `${viewport.name} pre-release panel (withdrawn)`);
    const gone = await owner.goto(base + personalPath);
    assert.equal(gone?.status(), 410);
    await audit(owner, `${viewport.name} /embargo/{token} (410)`);
  }

  assert.ok(audited >= 2 * (publicPages.length + adminPages.length), `${audited} pages audited`);
  assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
});
