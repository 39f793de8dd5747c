// kill -9 of `herold import` (50 files, --status published) at seeded random moments, while the
// server runs on the same data folder; the operator runs the same command again, as anyone would.
// After every kill each file's release is there completely (published, searchable) or not at all;
// after the last run each file is there exactly once, and the server's fan-out sends its notices
// by itself, once to every subscriber.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { startSmtpSink } from '../helpers/smtp.ts';
import { faultPlan, runHerold, serverProcess, waitFor, type CliRun } from '../helpers/processes.ts';
import { assertDatabaseWhole, createNewsroom, deliveriesBy, OFFICE, outboxCounts, rows as rowsOf } from './fixture.ts';

const FILES = 50;
const SUBSCRIBERS = 100;

const releaseFile = (n: number) => `Titel: Import ${n}: Neue Öffnungszeiten der Bücherei
Meldungsdatum: 02.03.2026
Musterstadt. Die Stadtbücherei öffnet ab dem ${(n % 28) + 1}. April auch am Samstagvormittag. Von 9 bis 13 Uhr können Leserinnen und Leser Medien ausleihen.
Möglich wird das durch die neue Selbstverbuchung. Meldung Nummer ${n}.
LANDKREIS MUSTERLAND
Pressesprecherin Erika Muster
Am Markt 1
12345 Musterstadt
Tel.: 0000/1
E-Mail: presse@landkreis.example
www.landkreis.example
Abdruck honorarfrei.
`;

/** Resolves when the CLI prints its first line (or ends). */
const firstOutput = (run: CliRun) =>
  new Promise<void>((resolve) => {
    run.child.stdout!.once('data', () => resolve());
    void run.done.then(() => resolve());
  });

test(`herold import of ${FILES} files killed at random moments and run again: every file once, complete, announced once`, { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const room = await createNewsroom(t, 'import', { subscribers: SUBSCRIBERS });
  const folder = path.join(room.dataDir, 'to-import');
  await mkdir(folder);
  const files: string[] = [];
  for (let n = 1; n <= FILES; n++) {
    files.push(path.join(folder, `meldung-${n}.txt`));
    await writeFile(files.at(-1)!, releaseFile(n));
  }
  // How long storing the files takes here (from the first file reported to the end; Node's start
  // before it is of no interest), in a second newsroom like it: the kills fall inside that span.
  const trialRoom = await createNewsroom(t, 'import-calibration', { subscribers: SUBSCRIBERS });
  const trialRun = runHerold(['import', ...files, '--office', OFFICE, '--status', 'published'], { ...trialRoom.env, DATA_DIR: trialRoom.dataDir, PUBLIC_URL: 'http://127.0.0.1' });
  await firstOutput(trialRun);
  const calibration = Date.now();
  const trial = await trialRun.done;
  assert.equal(trial.code, 0, trial.stderr);
  const windowMs = Date.now() - calibration;
  const sink = await startSmtpSink(t, undefined, { light: true });
  const server = await serverProcess(room.dataDir, { ...room.env, SMTP_URL: sink.url });
  t.after(() => server.stop());
  await server.start();
  const env = { ...room.env, DATA_DIR: room.dataDir, PUBLIC_URL: server.url };
  const args = ['import', ...files, '--office', OFFICE, '--status', 'published'];

  const imported = () => rowsOf(room, sql<{ title: string; status: string; n: number }>`SELECT title, status, count(*) AS n FROM releases WHERE title LIKE 'Import %' GROUP BY title, status`);

  const cuts: number[] = [];
  for (let i = 0; i < plan.kills; i++) {
    const run = runHerold(args, env);
    await firstOutput(run);
    const afterMs = Math.round(plan.random() * windowMs);
    await sleep(afterMs);
    run.child.kill('SIGKILL');
    await run.done;
    await assertDatabaseWhole(room);
    const rows = await imported();
    cuts.push(rows.length);
    for (const row of rows) {
      assert.equal(row.n, 1, `${row.title} imported ${row.n} times`);
      assert.equal(row.status, 'published', `${row.title} is a ${row.status}: the import was cut between storing and publishing`);
    }
  }
  const last = await runHerold(args, env).done;
  assert.equal(last.code, 0, last.stderr);
  const rows = await imported();
  assert.equal(rows.length, FILES);
  for (const row of rows) assert.deepEqual([row.n, row.status], [1, 'published'], row.title);

  // The server announces what another process published, by itself.
  await waitFor('the fan-out and the outbox to finish', async () => {
    const c = await outboxCounts(room);
    return (c.sent ?? 0) >= FILES * SUBSCRIBERS && (c.queued ?? 0) + (c.sending ?? 0) === 0;
  }, 10 * 60_000, 500);
  const counts = deliveriesBy(sink.received);
  for (let n = 1; n <= SUBSCRIBERS; n += 7) {
    for (const row of rows) assert.equal(counts.get(`abo${n}@leser.example\nLandkreis Musterland: ${row.title}`), 1, `abo${n}: ${row.title}`);
  }
  assert.equal(sink.received.length, FILES * SUBSCRIBERS);
  await server.stop();
  await assertDatabaseWhole(room);
  t.diagnostic(`seed ${plan.seed}; storing ${FILES} files takes ${windowMs} ms; releases after each cut: ${cuts.join(', ')}`);
});
