// kill -9 of the server at seeded random moments while an editor writes a release, adds a photo
// and publishes it in the admin area (and the fan-out and the sender follow). After each restart:
// what the server had acknowledged (303) is there; what it had not is there completely or not at
// all; the database is whole. At the end every subscriber has each published release once, again
// only for a mail in flight at a kill, and never more often than the mail was claimed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { pngImage } from '../helpers/admin.ts';
import { httpBrowser } from '../helpers/real-http.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { faultPlan, serverProcess, waitFor } from '../helpers/processes.ts';
import { assertDatabaseWhole, assertPhotoFilesPresent, createDraft, createNewsroom, deliveriesBy, EDITOR, outboxCounts, PASSWORD, publishRelease, releaseMediaEntries, rows, uploadPhoto } from './fixture.ts';

const SUBSCRIBERS = 200;

/** Leftovers of interrupted photo uploads: `media/releases/{id}/.{key}.tmp`. */
export const unfinishedUploads = (dataDir: string): string[] => releaseMediaEntries(dataDir).filter((entry) => entry.endsWith('.tmp'));

test('publishing in the admin area, killed at random moments: nothing acknowledged is lost, nothing is half-written, every notice goes out', { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const room = await createNewsroom(t, 'publish', { subscribers: SUBSCRIBERS });
  const sink = await startSmtpSink(t, undefined, { light: true });
  const server = await serverProcess(room.dataDir, { ...room.env, SMTP_URL: sink.url });
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
    await assertDatabaseWhole(room);
    await assertPhotoFilesPresent(room);
    // The server removes an interrupted upload's temporary folder once it listens.
    await waitFor('an interrupted upload’s temporary folder to be removed', () => unfinishedUploads(room.dataDir).length === 0, 60_000, 50);
    const found = await rows(room, sql<{ id: number; status: string; photos: number }>`SELECT id, status, (SELECT count(*) FROM release_photos p WHERE p.release_id = r.id) AS photos FROM releases r WHERE title = ${title}`);
    assert.ok(found.length <= 1, `round ${round}: ${found.length} releases`);
    if (entry.id !== undefined) assert.equal(found[0]?.id, entry.id, `round ${round}: the acknowledged draft is missing`);
    if (entry.photo) assert.equal(found[0]?.photos, 1, `round ${round}: the acknowledged photo is missing`);
    if (entry.published) assert.equal(found[0]?.status, 'published', `round ${round}: the acknowledged publication is missing`);
    if (found[0]?.status === 'published') {
      const page = await browser.get(`/releases/${found[0].id}`).then(({ res }) => browser.follow(res));
      assert.equal(page.res.statusCode, 200);
      assert.equal(page.$('h1').first().text().trim(), title);
    }
  }

  await waitFor(
    'the fan-out and the outbox to finish by themselves',
    async () => {
      const [open] = await rows(room, sql<{ n: number }>`SELECT count(*) AS n FROM releases r LEFT JOIN release_fanouts f ON f.release_id = r.id WHERE r.status = 'published' AND f.done_at IS NULL`);
      const c = await outboxCounts(room);
      return open!.n === 0 && (c.queued ?? 0) + (c.sending ?? 0) === 0;
    },
    10 * 60_000,
    500,
  );
  await server.stop();
  await assertDatabaseWhole(room);

  const published = await rows(room, sql<{ id: number; title: string }>`SELECT id, title FROM releases WHERE status = 'published'`);
  const claims = await rows(room, sql<{ email: string; release_id: number; attempts: number }>`SELECT s.email, o.release_id, o.attempts FROM mail_outbox o JOIN subscriptions s ON s.id = o.subscription_id WHERE o.kind = 'instant'`);
  const attempts = new Map(claims.map((r) => [`${r.email}\n${r.release_id}`, r.attempts]));
  const counts = deliveriesBy(sink.received);
  let extra = 0;
  let again = 0;
  for (const release of published) {
    for (let n = 1; n <= SUBSCRIBERS; n++) {
      const email = `abo${n}@leser.example`;
      const got = counts.get(`${email}\nLandkreis Musterland: ${release.title}`) ?? 0;
      const claimed = attempts.get(`${email}\n${release.id}`) ?? 0;
      // The delivery guarantee (src/modules/mail/CONTEXT.md): once, twice when in flight at a
      // crash, more only when in flight at more than one crash, and never a copy without a claim
      // of its own (a crash puts the claimed rows back, and each is claimed again).
      assert.ok(got >= 1, `${email} never got release ${release.id}`);
      assert.ok(got <= claimed, `${email} got release ${release.id} ${got} times from ${claimed} claims`);
      extra += got - 1;
      if (got > 1) again++;
    }
  }
  assert.equal(sink.received.length, published.length * SUBSCRIBERS + extra);
  t.diagnostic(`seed ${plan.seed}; a round takes ${Math.round(windowMs / 1.5)} ms; ${published.length - 1} of ${plan.kills} cut rounds published; ${again} mails more than once (${extra} extra copies); rounds: ${JSON.stringify(log.map(({ error, ...rest }) => ({ ...rest, cut: error !== undefined })))}`);
});
