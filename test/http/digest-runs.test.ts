// A digest run a crash cut short, or one stopped because its job lease went to another process, is
// finished by the next runDigests, even when the next period has come by then: its subscribers
// still get the releases of its window, once.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { insertSubscribers } from '../faults/fixture.ts';

/**
 * At 10:00 UTC, when the daily digest of 07:00 Berlin (06:00 UTC) is due: an office with `subscribers`
 * daily subscribers and one release published the day before.
 */
const dueDigest = async (t: TestContext, subscribers: number) => {
  const mailer = createMemoryMailer();
  const { app, db, clock } = await buildTestApp(t, { mailer, now: '2026-03-10T10:00:00.000Z' });
  const office = await createOffice(app.services, { slug: 'landkreis' });
  await insertSubscribers(db.db, { count: subscribers, frequency: 'daily', officeSlug: 'landkreis' });
  const draft = await createRelease(app.services, office.id, { title: 'Neue Radwege' }, { status: 'draft' });
  await app.services.releases.publishAsOf(draft.id, '2026-03-09T12:00:00.000Z');
  return { mailer, db, clock, services: app.services };
};

test('a digest run cut short by a crash is finished after the next period has come', async (t) => {
  const { mailer, db, clock, services } = await dueDigest(t, 3);

  // The state a kill -9 leaves right after the run of the day was created: nothing queued yet.
  await db.db
    .insertInto('digest_runs')
    .values({ period_key: 'daily:2026-03-10', frequency: 'daily', window_start: '2026-03-09T06:00:00.000Z', window_end: '2026-03-10T06:00:00.000Z', created_at: '2026-03-10T06:00:05.000Z' })
    .execute();
  // The server comes back a day later, when the next daily digest is due too.
  clock.set('2026-03-11T10:00:00.000Z');
  assert.equal(await services.mail.runDigests(), 3, 'the cut run queues its three digests; the new one has nothing new');
  await services.mail.sendDue();
  assert.deepEqual(mailer.sent.map((m) => m.to).sort(), ['abo1@leser.example', 'abo2@leser.example', 'abo3@leser.example']);
  assert.ok(mailer.sent.every((m) => m.text.includes('Neue Radwege')));
  const runs = await db.db.selectFrom('digest_runs').select(['period_key', 'done_at']).orderBy('period_key').execute();
  assert.deepEqual(
    runs.map((r) => [r.period_key, r.done_at !== null]),
    [
      ['daily:2026-03-10', true],
      ['daily:2026-03-11', true],
      ['weekly:2026-03-09', true],
    ],
  );
  // Run again: nothing more.
  assert.equal(await services.mail.runDigests(), 0);
});

test('a digest run stopped because its job lease was lost leaves the rest to the next run; nobody gets a digest twice', async (t) => {
  // More subscribers than one batch (2,000), so the run has a middle to stop in.
  const { mailer, db, clock, services } = await dueDigest(t, 2_500);
  clock.set('2026-03-10T10:00:00.000Z');

  // The lease is lost while the first batch is being queued: the run stops after it.
  const lost = AbortSignal.abort(new Error('lease lost'));
  assert.equal(await services.mail.runDigests(lost), 2_000);
  assert.equal(await services.mail.sendDue({ signal: lost }).then((r) => r.sent), 0, 'the sender stops before its first batch too');
  const run = await db.db.selectFrom('digest_runs').select(['done_at']).where('period_key', '=', 'daily:2026-03-10').executeTakeFirstOrThrow();
  assert.equal(run.done_at, null, 'the run is not marked done');

  // The process that took the job over goes on where the cursor stands.
  assert.equal(await services.mail.runDigests(), 500);
  await services.mail.sendDue();
  assert.equal(mailer.sent.length, 2_500);
  assert.equal(new Set(mailer.sent.map((m) => m.to)).size, 2_500, 'each subscriber once');
});
