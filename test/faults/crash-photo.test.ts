// kill -9 of the server at seeded random moments during photo uploads in the admin area. After
// each restart: an acknowledged photo is there with its original and every variant; an
// interrupted one is there completely or not at all, and leaves no files behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import sharp from 'sharp';
import { httpBrowser } from '../helpers/real-http.ts';
import { faultPlan, serverProcess, waitFor } from '../helpers/processes.ts';
import { assertDatabaseWhole, assertPhotoFilesPresent, createDraft, createNewsroom, EDITOR, PASSWORD, releaseMediaEntries, rows, uploadPhoto } from './fixture.ts';

/** Every folder below media/releases/{id}/: photo folders and leftovers. */
const photoFolders = (dataDir: string): string[] => releaseMediaEntries(dataDir).map((entry) => `releases/${entry}`);

test('photo uploads killed at random moments: every photo whole or absent, no files left behind', { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const room = await createNewsroom(t, 'photo');
  const server = await serverProcess(room.dataDir, room.env);
  t.after(() => server.stop());
  // A photograph-like picture (noise compresses badly), large enough that storing it takes a while.
  const image = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  const browser = httpBrowser(server.url, { timeoutMs: 120_000 });
  await server.start();
  await browser.login(EDITOR, PASSWORD);
  const id = await createDraft(browser, 'Ein Bericht mit Bildern');
  // One upload without a kill: how long one takes here, so the kills fall inside uploads.
  const calibration = Date.now();
  await uploadPhoto(browser, id, image, 'Bild ohne Unterbrechung');
  const windowMs = (Date.now() - calibration) * 1.2;

  let acknowledged = 1;
  const moments: string[] = [];
  for (let i = 0; i < plan.kills; i++) {
    const started = Date.now();
    let done = false;
    const upload = uploadPhoto(browser, id, image, `Bild ${i}`).then(
      () => void ((done = true), acknowledged++),
      () => {},
    );
    const afterMs = Math.round(plan.random() * windowMs);
    await sleep(afterMs);
    await server.kill9();
    await upload;
    moments.push(`${afterMs} ms${done ? ` (stored after ${Date.now() - started} ms)` : ''}`);

    await server.start();
    await assertDatabaseWhole(room);
    const photos = await assertPhotoFilesPresent(room);
    assert.ok(photos >= acknowledged, `${acknowledged} uploads acknowledged, ${photos} photos stored`);
    const stored = (await rows(room, sql<{ path: string }>`SELECT path FROM release_photos WHERE release_id = ${id}`)).map((r) => path.posix.dirname(r.path)).sort();
    // The server removes what an interrupted upload left once it listens.
    await waitFor('the media folder to hold the folders of the stored photos, nothing else', () => isDeepStrictEqual(photoFolders(room.dataDir), stored), 60_000, 50);
  }
  t.diagnostic(`seed ${plan.seed}; an upload takes ${Math.round(windowMs / 1.2)} ms; ${acknowledged - 1} of ${plan.kills} cut uploads acknowledged; kills after ${moments.join(', ')}`);
});
