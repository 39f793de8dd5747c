// Two Herold servers on one PostgreSQL database, as behind a load balancer: what one publishes the
// other shows (pages and feeds) once its content version is read again; a scheduled release that
// both servers see fall due goes live once (one publication event, one notice to each subscriber);
// one daily digest run sends each subscriber one digest. Needs a PostgreSQL server
// (HEROLD_TEST_POSTGRES_URL, which .ci/run sets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { openPostgres } from '../../src/db/connect.ts';
import { createServices } from '../../src/services.ts';
import { createPostgresDatabase, TEST_POSTGRES_URL } from '../helpers/app.ts';
import { httpBrowser } from '../helpers/real-http.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { serverProcess, waitFor } from '../helpers/processes.ts';
import { createDraft, deliveriesBy, EDITOR, insertSubscribers, OFFICE, publishRelease, seedNewsroom, tempDataDir } from './fixture.ts';

const skip = TEST_POSTGRES_URL ? false : 'needs a PostgreSQL server: HEROLD_TEST_POSTGRES_URL=postgres://…/postgres';
if (skip && process.env.CI === 'true') throw new Error('CI=true but HEROLD_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL and sets it');
if (skip) console.warn(`SKIPPED two-instance test: ${skip}`);

/** The local time in Europe/Berlin as HH:MM: a DIGEST_TIME that has just come. */
const localTimeNow = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());

const INSTANT = 12;
const DAILY = 12;

test('two servers on one PostgreSQL database: changes reach both, a scheduled release goes live once, a digest goes out once', { skip, timeout: 5 * 60_000 }, async (t) => {
  const databaseUrl = await createPostgresDatabase(t);
  const media = await tempDataDir(t, 'shared-media');
  const [dirA, dirB] = [await tempDataDir(t, 'instance-a'), await tempDataDir(t, 'instance-b')];
  const { officeId } = await seedNewsroom(dirA, { subscribers: INSTANT, frequency: 'immediately', databaseUrl });

  // Before the servers start: daily subscribers, a release published an hour ago (the digest's
  // content), a webhook endpoint (every publication is one event row), and a release scheduled
  // a few seconds ahead, so that both servers arm their timers for it.
  const config = loadConfig({ DATA_DIR: dirA, PUBLIC_URL: 'http://127.0.0.1', DEMO: '0', DATABASE_URL: databaseUrl });
  const { db } = await openPostgres(databaseUrl);
  t.after(() => db.destroy());
  const services = createServices({ db, config });
  await insertSubscribers(db, { count: DAILY, frequency: 'daily', officeSlug: OFFICE, prefix: 'daily' });
  const input = (title: string) => ({ title, subtitle: '', releaseDate: '2026-03-10', dateline: 'Musterstadt', bodyMarkdown: `${title}. Mehr im April.`, contact: null, republicationNotice: '', topics: [], regions: [], language: 'de' as const });
  const earlier = await services.releases.create(officeId, input('Kreistag tagt im Mai'));
  await services.releases.publishAsOf(earlier.id, new Date(Date.now() - 60 * 60_000).toISOString());
  const now = new Date().toISOString();
  await db.insertInto('webhook_endpoints').values({ url: 'https://hooks.invalid/herold', events_json: '["release.published"]', secret: 'x'.repeat(32), created_at: now, updated_at: now }).execute();
  const scheduled = await services.releases.create(officeId, input('Neue Buslinie ab Juni'));
  await services.releases.schedule(scheduled.id, new Date(Date.now() + 8_000).toISOString());

  const sink = await startSmtpSink(t, undefined, { light: true });
  const env = { DATABASE_URL: databaseUrl, MEDIA_DIR: media, SESSION_SECRET: 'one-secret-for-both-instances-of-herold', SMTP_URL: sink.url, DIGEST_TIME: localTimeNow(), TIME_ZONE: 'Europe/Berlin' };
  const a = await serverProcess(dirA, env);
  const b = await serverProcess(dirB, env);
  t.after(() => a.stop());
  t.after(() => b.stop());
  await Promise.all([a.start(), b.start()]);

  // A release published through A is on B's office page and in B's feed (B reads the content version again within a second).
  const browser = httpBrowser(a.url);
  await browser.login(EDITOR);
  const id = await createDraft(browser, 'Radwege im Kreis werden breiter');
  await publishRelease(browser, id);
  for (const url of [`${b.url}/offices/${OFFICE}`, `${b.url}/feed.rss`])
    await waitFor(`the release on ${url}`, async () => (await (await fetch(url)).text()).includes('Radwege im Kreis werden breiter'), 5_000, 100);
  // A session opened on A works on B (sessions and CSRF are in the database and the shared secret).
  const onB = (await fetch(`${b.url}/admin/offices/${OFFICE}/releases/${id}`, { headers: { cookie: browser.cookieHeader }, redirect: 'manual' })).status;
  assert.equal(onB, 200);

  // The scheduled release goes live once: one publication event, and each subscriber one notice.
  await waitFor('the scheduled release on both servers', async () => {
    const pages = await Promise.all([a, b].map(async (s) => (await fetch(`${s.url}/offices/${OFFICE}`)).text()));
    return pages.every((page) => page.includes('Neue Buslinie ab Juni'));
  }, 60_000);
  const queuedOrSending = async () => Number((await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'sending']).executeTakeFirstOrThrow()).n);
  await waitFor('the instant notices and the digests to go out', async () => {
    const subjects = deliveriesBy(sink.received);
    const instantDone = [...subjects.keys()].filter((k) => k.includes('Neue Buslinie')).length >= INSTANT;
    const digestsDone = [...subjects.keys()].filter((k) => k.startsWith('daily')).length >= DAILY;
    return instantDone && digestsDone && (await queuedOrSending()) === 0;
  }, 120_000);

  const events = await db.selectFrom('webhook_events').select('release_id').where('type', '=', 'release.published').execute();
  assert.deepEqual(events.map((e) => e.release_id).sort(), [id, scheduled.id].sort(), 'one publication event per release');
  const deliveries = deliveriesBy(sink.received);
  for (let n = 1; n <= INSTANT; n++) {
    const notices = [...deliveries].filter(([key]) => key.startsWith(`abo${n}@leser.example\n`) && key.includes('Neue Buslinie'));
    assert.deepEqual(notices.map(([, count]) => count), [1], `abo${n}: one notice of the scheduled release`);
  }
  for (let n = 1; n <= DAILY; n++) {
    const digests = [...deliveries].filter(([key]) => key.startsWith(`daily${n}@leser.example\n`));
    assert.deepEqual(digests.map(([, count]) => count), [1], `daily${n}: one digest`);
  }
  const runs = await db.selectFrom('digest_runs').select(['period_key', 'done_at']).where('frequency', '=', 'daily').execute();
  assert.equal(runs.length, 1, 'one daily run');
  assert.notEqual(runs[0]!.done_at, null);
});
