// A background job runs in one process at a time across all that share the database
// (src/jobs/job-leases.ts): a lease held by a live process elsewhere skips the run; one that ran
// out, or whose holder on this machine is gone, is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEASE_MS, withJobLease } from '../../src/jobs/job-leases.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { processOwner } from '../../src/lib/process-owner.ts';
import { createTestDb, TEST_NOW } from '../helpers/app.ts';

test('a job lease: held elsewhere skips the run, run out or left by a dead process is taken, given back after the run', async (t) => {
  const { db } = await createTestDb(t);
  const clock = fixedClock(TEST_NOW);
  const later = (ms: number) => new Date(Date.parse(TEST_NOW) + ms).toISOString();
  const runs: string[] = [];
  const work = (label: string) => async () => {
    runs.push(label);
    // While it runs, the lease is this process's.
    const row = await db.selectFrom('job_leases').selectAll().where('name', '=', 'send-digests').executeTakeFirstOrThrow();
    assert.equal(row.owner, processOwner);
    return label;
  };

  assert.equal(await withJobLease(db, clock, 'send-digests', work('free')), 'free');
  assert.equal(await db.selectFrom('job_leases').select('name').executeTakeFirst(), undefined, 'given back after the run');

  // Another machine's server holds it: not run here.
  await db.insertInto('job_leases').values({ name: 'send-digests', owner: 'elsewhere:4026531836:1234:abc', until: later(LEASE_MS) }).execute();
  assert.equal(await withJobLease(db, clock, 'send-digests', work('held')), undefined);
  // Other jobs are not held by it.
  assert.equal(await withJobLease(db, clock, 'send-mail', async () => 'other job'), 'other job');
  // Its lease ran out (it died without giving it back): taken over.
  clock.set(later(LEASE_MS + 1));
  assert.equal(await withJobLease(db, clock, 'send-digests', work('expired')), 'expired');

  // A process of this machine that is gone (the pid of no process) leaves a lease that is taken at once.
  const [host, namespace] = processOwner.split(':');
  await db.insertInto('job_leases').values({ name: 'send-digests', owner: `${host}:${namespace}:4194303:dead`, until: later(10 * LEASE_MS) }).execute();
  assert.equal(await withJobLease(db, clock, 'send-digests', work('dead holder')), 'dead holder');

  // A run that throws gives the lease back too.
  await assert.rejects(withJobLease(db, clock, 'send-digests', async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await db.selectFrom('job_leases').select('name').executeTakeFirst(), undefined);
  assert.deepEqual(runs, ['free', 'expired', 'dead holder']);
});

test('a run whose lease another process took over is told so and stops between batches; a failed renewal is logged', async (t) => {
  const { db } = await createTestDb(t);
  const clock = fixedClock(TEST_NOW);
  const said: string[] = [];
  const log = { warn: (o: object) => said.push(`warn ${(o as { event: string }).event}`), error: (o: object) => said.push(`error ${(o as { event: string }).event}`) };
  const batches: number[] = [];
  const outcome = await withJobLease(
    db,
    clock,
    'mail-fanout',
    async (signal) => {
      for (let batch = 1; batch <= 1_000 && !signal.aborted; batch++) {
        batches.push(batch);
        // After the second batch this process stalls past its lease, and another server takes the job.
        if (batch === 2) await db.updateTable('job_leases').set({ owner: 'elsewhere:4026531836:1234:abc' }).where('name', '=', 'mail-fanout').execute();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return signal.aborted ? `stopped: ${(signal.reason as Error).message}` : 'ran to the end';
    },
    { log, renewEveryMs: 10 },
  );
  assert.equal(outcome, 'stopped: lease of job mail-fanout lost');
  assert.ok(batches.length < 1_000, 'stopped before the end');
  assert.deepEqual(said, ['warn job.lease-lost']);
  // The other process's lease is left alone.
  assert.equal((await db.selectFrom('job_leases').select('owner').where('name', '=', 'mail-fanout').executeTakeFirstOrThrow()).owner, 'elsewhere:4026531836:1234:abc');

  // A renewal the database refuses is logged; the run goes on (the lease may still hold).
  const bound = (target: typeof db, prop: string | symbol) => {
    const value: unknown = Reflect.get(target, prop, target);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  };
  said.length = 0;
  const failing = new Proxy(db, {
    get: (target, prop) => (prop === 'updateTable' ? () => ({ set: () => ({ where: () => ({ where: () => ({ executeTakeFirst: () => Promise.reject(new Error('database is locked')) }) }) }) }) : bound(target, prop)),
  });
  const ran = await withJobLease(failing, clock, 'send-mail', async (signal) => {
    while (!said.length) await new Promise((resolve) => setTimeout(resolve, 5));
    return signal.aborted ? 'aborted' : 'went on';
  }, { log, renewEveryMs: 10 });
  assert.equal(ran, 'went on');
  assert.equal(said[0], 'error job.lease-renewal-failed');
});
