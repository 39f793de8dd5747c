// The mail server goes down — open connections end with 421, new ones are refused — while
// releases are published, readers sign up and someone asks for a password link; then it comes
// back. Nothing a visitor does waits for mail; the sender retries with its backoff and, once the
// server is back, everything arrives, each mail once.
//
// The outage lasts FAULT_SMTP_OUTAGE seconds: 6 in CI, with the first retry after one second
// (MAIL_RETRY_AFTER=1); ten minutes with HEROLD_FAULTS=full and the default backoff (one minute,
// doubling). The sender's logic is the same; only its clock is scaled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { submitForm } from '../helpers/forms.ts';
import { httpBrowser, httpInject } from '../helpers/real-http.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { faultPlan, serverProcess, waitFor } from '../helpers/processes.ts';
import type { FastifyInstance } from 'fastify';
import { createDraft, createNewsroom, deliveriesBy, EDITOR, OFFICE, outboxCounts, PASSWORD, publishRelease, rows } from './fixture.ts';

const SUBSCRIBERS = 300;

test('SMTP down, then back: no request waits, everything is delivered, nothing twice', { timeout: 30 * 60_000 }, async (t) => {
  const plan = faultPlan();
  const outageMs = Number(process.env.FAULT_SMTP_OUTAGE ?? (plan.full ? 600 : 6)) * 1000;
  const room = await createNewsroom(t, 'smtp-outage', { subscribers: SUBSCRIBERS });
  const sink = await startSmtpSink(t, undefined, { light: true });
  const server = await serverProcess(room.dataDir, { ...room.env, SMTP_URL: sink.url, ...(plan.full ? {} : { MAIL_RETRY_AFTER: '1' }) });
  t.after(() => server.stop());
  await server.start();
  const editor = httpBrowser(server.url, { timeoutMs: 30_000 });
  await editor.login(EDITOR, PASSWORD);
  // Public forms from a visitor without a jar of their own; a request that stalls fails the test by its timeout.
  const visitor = { inject: httpInject(server.url, { timeoutMs: 30_000 }) } as unknown as FastifyInstance;

  await sink.down();
  const outageStarted = Date.now();
  // Readers keep reading throughout: the slowest answer is reported.
  let slowestMs = 0;
  let reads = 0;
  let reading = true;
  const reader = (async () => {
    while (reading) {
      for (const path of ['/', `/offices/${OFFICE}`, '/feed.rss', '/subscribe']) {
        const started = Date.now();
        const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        assert.equal(res.status, 200, path);
        slowestMs = Math.max(slowestMs, Date.now() - started);
        reads++;
      }
      await sleep(50);
    }
  })();

  const titles = ['Während des Ausfalls: Radwege', 'Während des Ausfalls: Kreistag'];
  for (const title of titles) await publishRelease(editor, await createDraft(editor, title));
  const signUps = ['neu1@leser.example', 'neu2@leser.example', 'neu3@leser.example'];
  for (const email of signUps) {
    const { res } = await submitForm(visitor, '/subscribe', 'form.subscribe-form', { email, office: OFFICE, frequency: 'immediately' });
    assert.equal(res.statusCode, 303, `sign-up ${email}: ${res.statusCode}`);
  }
  const reset = await submitForm(visitor, '/forgot-password', 'form[action="/forgot-password"]', { email: EDITOR });
  assert.equal(reset.res.statusCode, 303);

  // The sender tries, meets the outage, and puts the mails back with a backoff.
  await waitFor('a failed attempt during the outage', async () => {
    const [tried] = await rows(room, sql<{ n: number }>`SELECT count(*) AS n FROM mail_outbox WHERE status = 'queued' AND attempts > 0 AND last_error IS NOT NULL`);
    return tried!.n > 0;
  }, 60_000);
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { pendingMail: number };
  assert.ok(health.pendingMail >= titles.length * SUBSCRIBERS, `/healthz pendingMail ${health.pendingMail}`);
  assert.equal(sink.received.length, 0);
  await sleep(Math.max(0, outageMs - (Date.now() - outageStarted)));
  await sink.up();

  const expected = titles.length * SUBSCRIBERS + signUps.length + 1;
  await waitFor('everything to be delivered', async () => {
    const c = await outboxCounts(room);
    return (c.queued ?? 0) + (c.sending ?? 0) === 0 && sink.received.length >= expected;
  }, outageMs + 20 * 60_000, 500);
  reading = false;
  await reader;

  const counts = deliveriesBy(sink.received);
  for (let n = 1; n <= SUBSCRIBERS; n++) for (const title of titles) assert.equal(counts.get(`abo${n}@leser.example\nLandkreis Musterland: ${title}`), 1, `abo${n}: ${title}`);
  for (const email of signUps) assert.equal(sink.to(email).length, 1, `confirmation to ${email}`);
  assert.equal(sink.to(EDITOR).length, 1, 'the password link');
  assert.equal(sink.received.length, expected, 'nothing twice');
  const c = await outboxCounts(room);
  assert.deepEqual(c, { sent: expected });
  const [retries] = await rows(room, sql<{ most: number }>`SELECT max(attempts) AS most FROM mail_outbox`);
  await server.stop();
  t.diagnostic(`outage ${outageMs / 1000} s; ${expected} mails, up to ${retries!.most} attempts each; ${reads} page reads during and after it, the slowest ${slowestMs} ms`);
});
