import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { findJob } from '../../src/jobs/schedule.ts';

test('an internal error shows the styled 500 page without details', async (t) => {
  const { app } = await buildTestApp(t);
  app.get('/boom', async () => {
    throw new Error('secret database detail');
  });
  const res = await app.inject('/boom');
  assert.equal(res.statusCode, 500);
  const $ = cheerio.load(res.body);
  assert.equal($('h1').text(), 'Ein Fehler ist aufgetreten');
  assert.doesNotMatch(res.body, /secret database detail|at .*\.ts:\d+/);
});

test('a scheduled release that fell due while the server was down goes live when the scheduler starts', async (t) => {
  const { app, clock, db } = await buildTestApp(t);
  const office = await createOffice(app.services);
  const release = await createRelease(app.services, office.id, { title: 'Sperrfrist vorbei' }, { status: 'scheduled', publishAt: '2026-03-10T11:00:00Z' });
  clock.set('2026-03-10T11:30:00Z'); // "restart" after the time
  const scheduler = startScheduler({ db: db.db, services: app.services }, app.log);
  t.after(() => scheduler.stop());
  // Bounded poll: the catch-up run starts at once.
  let status = '';
  for (let i = 0; i < 50 && status !== 'published'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    status = (await app.services.releases.findById(release.id))!.status;
  }
  assert.equal(status, 'published');
  assert.equal((await app.inject(`/releases/${release.id}-sperrfrist-vorbei`)).statusCode, 200);
});

test('jobs are idempotent and runnable by name', async (t) => {
  const { app, db, clock } = await buildTestApp(t);
  const office = await createOffice(app.services);
  await createRelease(app.services, office.id, {}, { status: 'scheduled', publishAt: '2026-03-10T11:00:00Z' });
  clock.set('2026-03-10T12:00:00Z');
  const job = findJob('publish-scheduled')!;
  assert.match(await job.run({ db: db.db, services: app.services }), /^published \d+$/);
  assert.equal(await job.run({ db: db.db, services: app.services }), 'nothing due');
  assert.equal(await findJob('wal-checkpoint')!.run({ db: db.db, services: app.services }), db.sqlite ? 'checkpointed' : 'nothing due');
});
