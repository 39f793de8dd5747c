// Guessing personal pre-release links: only links that do not exist count against the client's
// address; over the limit every personal link from that address answers 429 with a page in the
// reader's language (valid ones too, so a guesser learns nothing), while a recipient using their
// own link — page, text, press kit, photos, again and again — is never limited, and another
// address is not touched. Unknown links are logged once per address, and no token reaches the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildApp } from '../../src/app.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { logRedaction } from '../../src/lib/redact.ts';
import { GUESSES } from '../../src/modules/prereleases/prereleases.routes.ts';
import { createTestDb, testConfig, TEST_NOW, TEST_SCRYPT } from '../helpers/app.ts';
import { createOffice, releaseInput } from '../helpers/factories.ts';
import { createJournalist, jpegImage } from '../helpers/journalists.ts';
import { linkIn, startSmtpSink } from '../helpers/smtp.ts';

test('a burst of unknown personal links gets 429 with a readable page; the recipient using their link, and other addresses, are never limited; no token in the log', async (t) => {
  const sink = await startSmtpSink(t);
  const lines: string[] = [];
  const db = await createTestDb(t);
  const app = await buildApp({
    config: testConfig(db.dataDir),
    db: db.db,
    clock: fixedClock(TEST_NOW),
    mailer: sink.mailer,
    scryptParams: TEST_SCRYPT,
    logger: { level: 'debug', ...logRedaction, stream: { write: (line: string) => void lines.push(line) } },
  });
  t.after(() => app.close());
  const { services } = app;
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const jana = await createJournalist(db.db, { name: 'Jana Reporter', email: 'jana@tagblatt.example', officeId: office.id });
  const draft = await services.releases.create(office.id, releaseInput({ title: 'Eisbahn auf dem Marktplatz' }), { status: 'draft' });
  for (const name of ['eins.jpg', 'zwei.jpg']) {
    const photo = await services.photos.storeUpload(draft.id, await jpegImage(800, 600), name);
    await services.releaseFiles.addPhoto(draft.id, { ...photo, alt: 'Die Eisbahn', caption: 'Die Eisbahn im Aufbau.', credit: 'Foto: Kreisamt' });
  }
  const release = await services.releases.schedule(draft.id, '2026-12-24T09:00:00.000Z');
  await services.prereleases.send(release, [jana.id]);
  await services.mail.sendDue();
  const personal = new URL(linkIn(sink.to('jana@tagblatt.example')[0]!.parsed.text ?? '', '/embargo/')).pathname;
  const token = personal.split('/')[2]!;
  const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, remoteAddress, headers });

  // The recipient uses her link as a person does, many times over: never limited.
  const page = await get(personal, '192.0.2.10');
  assert.equal(page.statusCode, 200);
  const $ = cheerio.load(page.body);
  const downloads = [`${personal}/text.txt`, $('a[href$="press-kit.zip"]').attr('href')!, ...$('a[href*="/photos/"]').map((_, a) => $(a).attr('href')).get()];
  assert.ok(downloads.length >= 4, downloads.join(' '));
  for (let round = 0; round < 8; round++) {
    assert.equal((await get(personal, '192.0.2.10')).statusCode, 200);
    for (const url of downloads) assert.equal((await get(url, '192.0.2.10')).statusCode, 200, url);
  }

  // A guesser: unknown links of every shape are "not found" until the limit, then 429.
  const guesses = [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'x'.repeat(43), token.slice(0, 20), '12345'];
  for (let i = 0; i < GUESSES.max; i++) {
    const guess = guesses[i % guesses.length]!;
    const res = await get(`/embargo/${guess}${i % 3 === 0 ? '/press-kit.zip' : ''}`, '198.51.100.7');
    assert.equal(res.statusCode, 404, `guess ${i + 1}`);
  }
  const refused = await get(`/embargo/${'y'.repeat(43)}`, '198.51.100.7');
  assert.equal(refused.statusCode, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After');
  assert.equal(refused.headers['cache-control'], 'no-store');
  const $refused = cheerio.load(refused.body);
  assert.equal($refused('h1').text(), 'Zu viele ungültige Links');
  assert.match($refused('main p').eq(1).text(), /^Von Ihrer Adresse wurden in kurzer Zeit zu viele persönliche Links aufgerufen, die es nicht gibt\. Bitte warten Sie etwa 10 Minuten/);
  // In English for an English reader.
  const english = await get(`/embargo/${'z'.repeat(43)}`, '198.51.100.7', { cookie: 'herold_lang=en' });
  assert.equal(english.statusCode, 429);
  assert.equal(cheerio.load(english.body)('h1').text(), 'Too many invalid links');
  // From that address even a valid link is refused, so the answer says nothing about the token.
  const validFromGuesser = await get(personal, '198.51.100.7');
  assert.equal(validFromGuesser.statusCode, 429);
  assert.ok(!validFromGuesser.body.includes('Eisbahn'));
  assert.equal((await get(`${personal}/press-kit.zip`, '198.51.100.7')).statusCode, 429);

  // The recipient, from her own address, still gets in; so does another address.
  assert.equal((await get(personal, '192.0.2.10')).statusCode, 200);
  const fromElsewhere = await get(personal, '203.0.113.5');
  assert.equal(fromElsewhere.statusCode, 200);
  assert.equal(cheerio.load(fromElsewhere.body)('h1.release-title').text(), 'Eisbahn auf dem Marktplatz');
  // A single mistyped link from another address is only "not found".
  assert.equal((await get(`/embargo/${'q'.repeat(43)}`, '203.0.113.5')).statusCode, 404);

  // The log: one line about the guesser (not one per guess), one about the other address, no token.
  const unknown = lines.filter((l) => l.includes('"event":"prerelease.link.unknown"')).map((l) => JSON.parse(l) as { ip: string; level: number });
  assert.deepEqual(unknown.map((l) => l.ip), ['198.51.100.7', '203.0.113.5']);
  const log = lines.join('');
  assert.ok(lines.filter((l) => l.includes('"msg":"request"') && l.includes('/embargo/[redacted]')).length > GUESSES.max, 'the requests were logged, masked');
  for (const secret of [token, ...guesses.filter((g) => g.length >= 8), 'y'.repeat(43)]) assert.ok(!log.includes(secret), `the log holds a token: ${secret.slice(0, 6)}…`);
});
