// kill -9 of the server at seeded random moments while an editor writes a release, adds a photo
// and publishes it in the admin area (and the fan-out and the sender follow). After each restart:
// what the server had acknowledged (303) is there; what it had not is there completely or not at
// all; the database is whole. At the end every subscriber has each published release once (twice
// only for a mail in flight at a kill).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pngImage } from '../helpers/admin.ts';
import { httpBrowser } from '../helpers/real-http.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { faultPlan, serverProcess, waitFor } from '../helpers/processes.ts';
import { assertDatabaseWhole, assertPhotoFilesPresent, createDraft, deliveriesBy, EDITOR, outboxCounts, PASSWORD, publishRelease, readDb, releaseMediaEntries, seedNewsroom, tempDataDir, uploadPhoto } from './fixture.ts';

const SUBSCRIBERS = 200;

/** Leftovers of interrupted photo uploads: `media/releases/{id}/.{key}.tmp`. */
export const unfinishedUploads = (dataDir: string): string[] => releaseMediaEntries(dataDir).filter((entry) => entry.endsWith('.tmp'));

test('publishing in the admin area, killed at random moments: nothing acknowledged is lost, nothing is half-written, every notice goes out', { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const dataDir = await tempDataDir(t, 'publish');
  await seedNewsroom(dataDir, { subscribers: SUBSCRIBERS });
  const sink = await startSmtpSink(t, undefined, { light: true });
  const server = await serverProcess(dataDir, { SMTP_URL: sink.url });
  t.after(() => server.stop());
  const image = await pngImage(1600, 1200);
  const browser = httpBrowser(server.url);

  const log: { round: number; afterMs: number; id?: number; photo?: boolean; published?: boolean; error?: string }[] = [];
  const write = async (entry: (typeof log)[number], title: string) => {
    entry.id = await createDraft(browser, title);
    await uploadPhoto(browser, entry.id, image, `Bild: ${title}`);
    entry.photo = true;
    await publishRelease(browser, entry.id);
    entry.published = true;
  };
  await server.start();
  await browser.login(EDITOR, PASSWORD);
  // One round without a kill: how long writing, illustrating and publishing takes here. The kills
  // fall in the same span and a little after it (the fan-out and the sender at work).
  const calibration = Date.now();
  await write({ round: -1, afterMs: 0 }, 'Ohne Unterbrechung: Radwege');
  const windowMs = (Date.now() - calibration) * 1.5;
  for (let round = 0; round < plan.kills; round++) {
    const afterMs = Math.round(plan.random() * windowMs);
    const entry: (typeof log)[number] = { round, afterMs };
    log.push(entry);
    const title = `Runde ${round}: Radwege`;
    const work = write(entry, title).catch((error: unknown) => void (entry.error = String(error)));
    await sleep(afterMs);
    await server.kill9();
    await work;

    await server.start();
    assertDatabaseWhole(dataDir);
    assertPhotoFilesPresent(dataDir);
    assert.deepEqual(unfinishedUploads(dataDir), [], 'an interrupted upload left its temporary folder');
    const sqlite = readDb(dataDir);
    const rows = sqlite.prepare('SELECT id, status, (SELECT count(*) FROM release_photos p WHERE p.release_id = r.id) AS photos FROM releases r WHERE title = ?').all(title) as { id: number; status: string; photos: number }[];
    sqlite.close();
    assert.ok(rows.length <= 1, `round ${round}: ${rows.length} releases`);
    if (entry.id !== undefined) assert.equal(rows[0]?.id, entry.id, `round ${round}: the acknowledged draft is missing`);
    if (entry.photo) assert.equal(rows[0]?.photos, 1, `round ${round}: the acknowledged photo is missing`);
    if (entry.published) assert.equal(rows[0]?.status, 'published', `round ${round}: the acknowledged publication is missing`);
    if (rows[0]?.status === 'published') {
      const page = await browser.get(`/releases/${rows[0].id}`).then(({ res }) => browser.follow(res));
      assert.equal(page.res.statusCode, 200);
      assert.equal(page.$('h1').first().text().trim(), title);
    }
  }

  await waitFor(
    'the fan-out and the outbox to finish by themselves',
    () => {
      const sqlite = readDb(dataDir);
      const open = sqlite.prepare("SELECT count(*) AS n FROM releases r LEFT JOIN release_fanouts f ON f.release_id = r.id WHERE r.status = 'published' AND f.done_at IS NULL").get() as { n: number };
      sqlite.close();
      const c = outboxCounts(dataDir);
      return open.n === 0 && (c.queued ?? 0) + (c.sending ?? 0) === 0;
    },
    10 * 60_000,
    500,
  );
  await server.stop();
  assertDatabaseWhole(dataDir);

  const sqlite = readDb(dataDir);
  const published = sqlite.prepare("SELECT id, title FROM releases WHERE status = 'published'").all() as { id: number; title: string }[];
  const attempts = new Map((sqlite.prepare("SELECT s.email || char(10) || o.release_id AS k, o.attempts FROM mail_outbox o JOIN subscriptions s ON s.id = o.subscription_id WHERE o.kind = 'instant'").all() as { k: string; attempts: number }[]).map((r) => [r.k, r.attempts]));
  sqlite.close();
  const counts = deliveriesBy(sink.received);
  let twice = 0;
  for (const release of published) {
    for (let n = 1; n <= SUBSCRIBERS; n++) {
      const email = `abo${n}@leser.example`;
      const got = counts.get(`${email}\nLandkreis Musterland: ${release.title}`) ?? 0;
      assert.ok(got >= 1 && got <= 2, `${email} got release ${release.id} ${got} times`);
      assert.ok(got <= (attempts.get(`${email}\n${release.id}`) ?? 0), `${email}: release ${release.id} ${got} times from fewer claims`);
      if (got === 2) twice++;
    }
  }
  assert.equal(sink.received.length, published.length * SUBSCRIBERS + twice);
  t.diagnostic(`seed ${plan.seed}; a round takes ${Math.round(windowMs / 1.5)} ms; ${published.length - 1} of ${plan.kills} cut rounds published; ${twice} mails twice; rounds: ${JSON.stringify(log.map(({ error, ...rest }) => ({ ...rest, cut: error !== undefined })))}`);
});
