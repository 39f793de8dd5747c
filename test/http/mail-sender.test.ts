// The sender when the database refuses to record what it did (a full disk, here SQLite's own
// query_only switch, which refuses every write as a full disk would): it stops at once, and the
// mail the mail server already took is recorded on the next run, never sent again. And when the
// sender that held a lease is gone from this machine, its rows go back at once.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { buildTestApp, SQLITE_ONLY } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { LEASE_MS } from '../../src/modules/mail/mail.sender.ts';
import { claimDue } from '../../src/modules/mail/outbox.repository.ts';
import { processOwner } from '../../src/lib/process-owner.ts';
import { insertSubscribers } from '../faults/fixture.ts';

// The database refusing writes is made with SQLite's query_only.
test('an outcome the database cannot record stops the sender; the mail is recorded next time, not sent twice', { skip: SQLITE_ONLY }, async (t) => {
  const memory = createMemoryMailer();
  let refuseWrites = () => {};
  const mailer = {
    ...memory,
    async send(message: Parameters<typeof memory.send>[0]) {
      const info = await memory.send(message);
      // The disk runs full the moment the first mail has left.
      refuseWrites();
      return info;
    },
  };
  const { app, db, clock } = await buildTestApp(t, { mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis' });
  await insertSubscribers(db.db, { count: 5, frequency: 'immediately', officeSlug: 'landkreis' });
  await createRelease(services, office.id, { title: 'Neue Radwege' });
  assert.equal(await services.mail.fanOut(), 5);

  refuseWrites = () => db.sqlite.pragma('query_only = ON');
  await assert.rejects(services.mail.sendDue({ concurrency: 1 }), /readonly|read-only/i);
  assert.equal(memory.sent.length, 1, 'nothing more was sent once an outcome could not be recorded');

  refuseWrites = () => {};
  db.sqlite.pragma('query_only = OFF');
  // Past any lease: the rows claimed by the stopped run are due again.
  clock.advance(10 * LEASE_MS);
  const report = await services.mail.sendDue();
  assert.equal(report.sent, 4);
  assert.equal(memory.sent.length, 5);
  assert.equal(new Set(memory.sent.map((m) => m.to)).size, 5, 'every subscriber once');
  const rows = db.sqlite.prepare('SELECT status, count(*) AS n FROM mail_outbox GROUP BY status').all();
  assert.deepEqual(rows, [{ status: 'sent', n: 5 }]);
});

test('the rows of a sender that died on this machine go back at once; those of a live one or another machine wait for the lease', async (t) => {
  const mailer = createMemoryMailer();
  const { app, db, clock } = await buildTestApp(t, { mailer });
  const { services } = app;
  const office = await createOffice(services, { slug: 'landkreis' });
  await insertSubscribers(db.db, { count: 3, frequency: 'immediately', officeSlug: 'landkreis' });
  await createRelease(services, office.id, { title: 'Neue Radwege' });
  await services.mail.fanOut();
  // A process that has ended: its id names no process any more.
  const ended = spawnSync(process.execPath, ['-e', '']).pid!;
  const here = processOwner.split(':').slice(0, -2).join(':');
  const now = clock.now();
  const lease = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  await claimDue(db.db, now.toISOString(), lease(1), 1, `${here}:${ended}:abc`);
  // A live process of this machine (the test runner that started this one).
  await claimDue(db.db, now.toISOString(), lease(1), 1, `${here}:${process.ppid}:zzz`);
  await claimDue(db.db, now.toISOString(), lease(1), 1, `elsewhere.example:1:${ended}:abc`);

  const report = await services.mail.sendDue();
  assert.equal(report.sent, 1, 'the dead sender’s row went back and out; the live one’s and the other machine’s wait');
  clock.advance(LEASE_MS * 3);
  assert.equal((await services.mail.sendDue()).sent, 2);
  assert.equal(new Set(mailer.sent.map((m) => m.to)).size, 3);
});
