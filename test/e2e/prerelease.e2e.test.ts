// The embargoed pre-release in a real browser: the office sends a scheduled release ahead to its
// accredited journalists; the journalist opens the mailed link, sees the embargo and their name,
// downloads the press kit; the office sees the download; the time comes (the test clock moves, the
// publish job runs as the server's timer would) and the same link leads to the public page. The app
// runs in this process on a loopback port, so the test owns its clock and its outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { browserAvailable, CHROMIUM } from '../helpers/browser.ts';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { PASSWORD } from '../helpers/forms.ts';
import { createJournalist, jpegImage } from '../helpers/journalists.ts';
import { linkIn } from '../helpers/smtp.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

test('office sends under embargo → journalist opens the mailed link, sees the banner, downloads the press kit → the time passes → the link leads to the public page', { timeout: 180_000 }, async (t) => {
  if (!browserAvailable()) return t.skip('chromium missing');
  const mailer = createMemoryMailer();
  const { app, db, clock } = await buildTestApp(t, { mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  await createUser(services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  await createJournalist(db.db, { name: 'Jana Reporter', medium: 'Tagblatt', email: 'jana@tagblatt.example', officeId: office.id });
  const draft = await services.releases.create(office.id, releaseInput({ title: 'Eisbahn auf dem Marktplatz', subtitle: 'Eröffnung am Mittag' }), { status: 'draft' });
  const photo = await services.photos.storeUpload(draft.id, await jpegImage(1200, 800), 'eisbahn.jpg');
  await services.releaseFiles.addPhoto(draft.id, { ...photo, alt: 'Die Eisbahn', caption: 'Die Eisbahn im Aufbau.', credit: 'Foto: Kreisamt' });
  // 13:00 in Berlin, three hours after the test clock's now.
  const release = await services.releases.schedule(draft.id, '2026-03-10T12:00:00.000Z');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  t.after(() => browser.close());

  // The office: log in, open the release, send it ahead to every accredited journalist.
  const office$ = await (await browser.newContext()).newPage();
  await office$.goto(`${base}/login`);
  await office$.locator('#email').fill('anna@amt.example');
  await office$.locator('#password').fill(PASSWORD);
  await office$.getByRole('button', { name: 'Anmelden' }).click();
  await office$.goto(`${base}/admin/offices/amt/releases/${release.id}`);
  await office$.getByRole('link', { name: 'Vorab unter Sperrfrist senden' }).click();
  assert.equal(await office$.locator('#embargo-time').innerText(), 'SPERRFRIST bis 10.03.2026, 13:00 Uhr');
  await office$.getByLabel(/Alle akkreditierten Journalistinnen und Journalisten/).check();
  await office$.getByLabel(/Ich habe geprüft/).check();
  await office$.getByRole('button', { name: 'Vorab senden' }).click();
  assert.match(await office$.locator('.flash').innerText(), /Vorab unter Sperrfrist gesendet/);

  // The outbox sends (the server's mail job does this every few seconds).
  await services.mail.sendDue();
  const mail = mailer.sent.find((m) => m.to === 'jana@tagblatt.example');
  assert.ok(mail, 'Jana got the mail');
  assert.match(mail.text, /^Exemplar für Jana Reporter \(Tagblatt\)$/m);
  const link = linkIn(mail.text, '/embargo/').replace('http://herold.test', base);

  // The journalist opens the link: banner, name, the release; downloads the press kit.
  const jana = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await jana.goto(link);
  assert.equal(await jana.locator('.embargo-banner strong').innerText(), 'SPERRFRIST bis 10.03.2026, 13:00 Uhr');
  assert.equal(await jana.locator('.embargo-copy').innerText(), 'Exemplar für Jana Reporter (Tagblatt)');
  assert.equal(await jana.locator('h1.release-title').innerText(), 'Eisbahn auf dem Marktplatz');
  assert.equal(await jana.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
  const [download] = await Promise.all([jana.waitForEvent('download'), jana.locator('.press-kit a').click()]);
  assert.match(download.suggestedFilename(), /^eisbahn-auf-dem-marktplatz-\d+\.zip$/);
  const zip = await readFile((await download.path())!);
  assert.ok(zip.includes(Buffer.from('Exemplar für Jana Reporter (Tagblatt)')), 'the kit names its recipient (its text is stored uncompressed)');

  // The office sees the open and the download.
  await office$.reload();
  const row = office$.locator('#recipients tbody tr').filter({ hasText: 'Jana Reporter' });
  assert.equal(await row.locator('td').nth(4).innerText(), '1');
  assert.match(await row.locator('td').nth(5).innerText(), /Pressemappe/);

  // Nothing public yet.
  assert.equal((await fetch(`${base}/releases/${release.id}-${release.slug}`)).status, 404);

  // The time comes: the clock moves, the publish job runs; the same link leads to the public page.
  clock.set('2026-03-10T12:00:01.000Z');
  await services.releases.publishDue();
  await jana.goto(link);
  assert.equal(new URL(jana.url()).pathname, `/releases/${release.id}-${release.slug}`);
  assert.equal(await jana.locator('h1.release-title').innerText(), 'Eisbahn auf dem Marktplatz');
  assert.equal(await jana.locator('.embargo-banner').count(), 0, 'the public page carries no embargo');
  assert.equal(await jana.locator('.embargo-copy').count(), 0);
});
