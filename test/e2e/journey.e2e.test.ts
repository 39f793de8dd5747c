// A journalist's whole journey in real browsers, with nothing written to the database behind the
// pages' backs: the journalist signs up at /journalists/signup, logs in through the link in the real
// mail (a real SMTP server in this process), asks the office for accreditation from its page; the
// office's owner (a second browser context) accepts in /admin; an editor (a third) sends the
// scheduled release ahead under embargo from the editor; the journalist gets that mail, opens the
// personal link (banner, "Exemplar für …"), downloads the press kit, whose text names them; then the
// time comes (the test clock moves, the publish job runs as the server's timer would) and the same
// link leads to the public page. The app runs in this process on a loopback port, so the test owns
// its clock and its outbox (the server's mail job would send every few seconds: sendDue does it here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, releaseInput } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { PASSWORD } from '../helpers/forms.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';

const unzip = (zip: Buffer): Promise<Map<string, Buffer>> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, zipfile) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zipfile.on('entry', (entry: yauzl.Entry) => {
        zipfile.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zipfile.readEntry();
          });
        });
      });
      zipfile.on('end', () => resolve(entries)).on('error', reject);
      zipfile.readEntry();
    });
  });

test('journey: sign up → mailed login → ask the office → owner accepts → editor sends under embargo → personal link, press kit → the time passes → public page', { skip: !browserAvailable(), timeout: 240_000 }, async (t) => {
  const sink = await startSmtpSink(t);
  const { app, clock } = await buildTestApp(t, { mailer: sink.mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt Musterhausen' });
  await createUser(services, { email: 'olga@amt.example', officeId: office.id, role: 'owner' });
  await createUser(services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  // A scheduled release: 13:00 in Berlin, three hours after the test clock's now.
  const release = await services.releases.create(office.id, releaseInput({ title: 'Freibad öffnet früher', subtitle: 'Saisonstart schon im April' }), { status: 'scheduled', publishAt: '2026-03-10T12:00:00.000Z' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  /** A link from a mail (PUBLIC_URL is http://herold.test) on this server. */
  const here = (link: string) => link.replace('http://herold.test', base);
  const browser = await launchBrowser(t);

  // The journalist signs up, without JavaScript, as the pages must work.
  const jana = await (await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE', acceptDownloads: true })).newPage();
  await jana.goto(`${base}/journalists/signup`);
  await jana.getByLabel('Name').fill('Jana Schreiber');
  await jana.getByLabel('Medium').fill('Musterhausener Anzeiger');
  await jana.getByLabel('E-Mail-Adresse').fill('jana@anzeiger.example');
  await jana.getByRole('button', { name: 'Registrieren' }).click();
  assert.match(await jana.locator('h1').innerText(), /Bitte sehen Sie in Ihr Postfach/);

  // The login link, from the mail the SMTP server received.
  await services.mail.sendDue();
  const loginMail = sink.to('jana@anzeiger.example').find((m) => /Anmeldelink/.test(m.subject));
  assert.ok(loginMail, 'the login mail arrived');
  await jana.goto(here(linkIn(loginMail.parsed.text ?? '', '/journalists/login/')));
  await jana.getByRole('button', { name: 'Jetzt anmelden' }).click();
  assert.match(await jana.locator('main').innerText(), /Angemeldet als jana@anzeiger\.example/);

  // From the office's page: ask for accreditation.
  await jana.goto(`${base}/offices/amt`);
  await jana.getByRole('link', { name: /Akkreditierung beantragen/ }).click();
  assert.equal(await jana.locator('#j-office').inputValue(), 'amt');
  await jana.getByLabel('Nachricht an die Pressestelle').fill('Ich berichte über das Freibad.');
  await jana.getByRole('button', { name: 'Akkreditierung beantragen' }).click();
  assert.match(await jana.locator('.journalist-table').innerText(), /Kreisamt Musterhausen[\s\S]*beantragt/);

  // The owner, in a second context, is told by mail and accepts in /admin.
  await services.mail.sendDue();
  assert.ok(sink.to('olga@amt.example').some((m) => /Akkreditierung/.test(m.subject)), 'the owner was told of the request');
  const olga = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await olga.goto(`${base}/login`);
  await olga.locator('#email').fill('olga@amt.example');
  await olga.locator('#password').fill(PASSWORD);
  await olga.getByRole('button', { name: 'Anmelden' }).click();
  await olga.waitForURL(/\/admin\/offices\/amt$/);
  await olga.locator('.admin-nav').getByRole('link', { name: 'Journalisten' }).click();
  assert.match(await olga.locator('main').innerText(), /Jana Schreiber – Musterhausener Anzeiger[\s\S]*Ich berichte über das Freibad\./);
  await olga.getByRole('button', { name: 'Akkreditieren' }).click();
  assert.match(await olga.locator('.flash').innerText(), /Akkreditiert\./);
  await jana.goto(`${base}/journalists/account`);
  assert.match(await jana.locator('.journalist-table').innerText(), /Kreisamt Musterhausen[\s\S]*akkreditiert/);

  // The editor, in a third context, sends the scheduled release ahead from the editor.
  const anna = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await anna.goto(`${base}/login`);
  await anna.locator('#email').fill('anna@amt.example');
  await anna.locator('#password').fill(PASSWORD);
  await anna.getByRole('button', { name: 'Anmelden' }).click();
  await anna.waitForURL(/\/admin\//);
  await anna.goto(`${base}/admin/offices/amt/releases/${release.id}`);
  await anna.getByRole('link', { name: 'Vorab unter Sperrfrist senden' }).click();
  assert.equal(await anna.locator('#embargo-time').innerText(), 'SPERRFRIST bis 10.03.2026, 13:00 Uhr');
  assert.match(await anna.locator('main').innerText(), /Jana Schreiber/);
  await anna.getByLabel(/Alle akkreditierten Journalistinnen und Journalisten/).check();
  await anna.getByLabel(/Ich habe geprüft/).check();
  await anna.getByRole('button', { name: 'Vorab senden' }).click();
  assert.match(await anna.locator('.flash').innerText(), /Vorab unter Sperrfrist gesendet/);

  // The journalist gets the mail and opens the personal link.
  await services.mail.sendDue();
  const embargoMail = sink.to('jana@anzeiger.example').find((m) => /^SPERRFRIST /.test(m.subject));
  assert.ok(embargoMail, 'the pre-release mail arrived');
  assert.match(embargoMail.parsed.text ?? '', /^Exemplar für Jana Schreiber \(Musterhausener Anzeiger\)$/m);
  const link = here(linkIn(embargoMail.parsed.text ?? '', '/embargo/'));
  await jana.goto(link);
  assert.equal(await jana.locator('.embargo-banner strong').innerText(), 'SPERRFRIST bis 10.03.2026, 13:00 Uhr');
  assert.equal(await jana.locator('.embargo-copy').innerText(), 'Exemplar für Jana Schreiber (Musterhausener Anzeiger)');
  assert.equal(await jana.locator('h1.release-title').innerText(), 'Freibad öffnet früher');

  // The press kit: its text names her and carries the embargo.
  const [download] = await Promise.all([jana.waitForEvent('download'), jana.locator('.press-kit a').click()]);
  assert.match(download.suggestedFilename(), /^freibad-.+\.zip$/);
  const entries = await unzip(await readFile((await download.path())!));
  const textName = [...entries.keys()].find((name) => name.endsWith('.txt'));
  assert.ok(textName, `a .txt in the kit: ${[...entries.keys()].join(', ')}`);
  const text = entries.get(textName)!.toString('utf8');
  assert.match(text, /^Exemplar für Jana Schreiber \(Musterhausener Anzeiger\)$/m);
  assert.match(text, /SPERRFRIST bis 10\.03\.2026, 13:00 Uhr/);

  // The editor sees the open and the download; nothing public yet.
  await anna.reload();
  const row = anna.locator('#recipients tbody tr').filter({ hasText: 'Jana Schreiber' });
  assert.match(await row.innerText(), /Pressemappe/);
  assert.equal((await fetch(`${base}/releases/${release.id}-${release.slug}`)).status, 404);

  // The time comes: the clock moves, the publish job runs; the same link leads to the public page.
  clock.set('2026-03-10T12:00:01.000Z');
  await services.releases.publishDue();
  await jana.goto(link);
  assert.equal(new URL(jana.url()).pathname, `/releases/${release.id}-${release.slug}`);
  assert.equal(await jana.locator('h1.release-title').innerText(), 'Freibad öffnet früher');
  assert.equal(await jana.locator('.embargo-banner').count(), 0, 'the public page carries no embargo');
  assert.equal(await jana.locator('.embargo-copy').count(), 0);
});
