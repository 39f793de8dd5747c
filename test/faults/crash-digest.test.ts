// kill -9 of the server at seeded random moments while it runs a daily digest to 10,000
// subscribers (2,000 in CI): while it queues the digests and while its sender sends them. After
// the last restart the run finishes by itself; every subscriber has one digest (two only for a
// mail in flight at a kill).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { startSmtpSink } from '../helpers/smtp.ts';
import { faultPlan, serverProcess, waitFor } from '../helpers/processes.ts';
import { assertDatabaseWhole, createNewsroom, outboxCounts, rows, withServices } from './fixture.ts';

/** The local time in Europe/Berlin as HH:MM: a DIGEST_TIME that has just come. */
const localTimeNow = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());

test('a daily digest run killed at random moments: every subscriber gets the digest, once', { timeout: 20 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const subscribers = plan.full ? 10_000 : 2_000;
  const room = await createNewsroom(t, 'digest', { subscribers, frequency: 'daily' });

  // Two releases published an hour ago: inside the window of the digest that falls due now.
  await withServices(room, async (services) => {
    for (const title of ['Neue Radwege im Kreis', 'Kreistag tagt im Mai']) {
      const draft = await services.releases.create(room.officeId, { title, subtitle: '', releaseDate: '2026-03-10', dateline: 'Musterstadt', bodyMarkdown: `${title}. Mehr dazu im April.`, contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' });
      await services.releases.publishAsOf(draft.id, new Date(Date.now() - 60 * 60_000).toISOString());
    }
  });

  const sink = await startSmtpSink(t, undefined, { light: true });
  const server = await serverProcess(room.dataDir, { ...room.env, SMTP_URL: sink.url, DIGEST_TIME: localTimeNow(), TIME_ZONE: 'Europe/Berlin' });
  t.after(() => server.stop());
  const progress: string[] = [];
  for (let i = 0; i < plan.kills; i++) {
    await server.start();
    const afterMs = Math.round(plan.random() * 4000);
    await sleep(afterMs);
    await server.kill9();
    const c = await outboxCounts(room);
    progress.push(`${afterMs} ms: ${c.queued ?? 0} queued, ${c.sending ?? 0} leased, ${c.sent ?? 0} sent, ${sink.received.length} received`);
  }
  await server.start();
  await waitFor('the digest run and the outbox to finish by themselves', async () => {
    const [run] = await rows(room, sql<{ done_at: string | null }>`SELECT done_at FROM digest_runs WHERE frequency = 'daily'`);
    const c = await outboxCounts(room);
    return run?.done_at && (c.queued ?? 0) + (c.sending ?? 0) === 0 && (c.sent ?? 0) > 0;
  }, 10 * 60_000, 500);
  await server.stop();
  await assertDatabaseWhole(room);

  const digests = await rows(room, sql<{ email: string; status: string; attempts: number }>`SELECT s.email, o.status, o.attempts FROM mail_outbox o JOIN subscriptions s ON s.id = o.subscription_id WHERE o.kind = 'digest'`);
  const [runs] = await rows(room, sql<{ n: number }>`SELECT count(*) AS n FROM digest_runs WHERE frequency = ${'daily'}`);
  assert.equal(runs!.n, 1, 'one daily run');
  assert.equal(digests.length, subscribers, 'one digest queued per subscriber');
  const perAddress = new Map<string, number>();
  for (const mail of sink.received) {
    assert.match(mail.subject, /2 neue Pressemitteilungen/);
    for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  }
  let again = 0;
  for (const row of digests) {
    const n = perAddress.get(row.email) ?? 0;
    assert.equal(row.status, 'sent', row.email);
    assert.ok(n >= 1, `${row.email} got no digest`);
    // Another copy only from another claim: in flight at a kill (src/modules/mail/CONTEXT.md).
    assert.ok(n <= row.attempts, `${row.email}: ${n} digests from ${row.attempts} claims`);
    again += n - 1;
  }
  assert.equal(sink.received.length, subscribers + again);
  t.diagnostic(`seed ${plan.seed}; ${subscribers} subscribers; ${again} extra digests; at the kills: ${progress.join('; ')}`);
});
