// Two apps on one PostgreSQL database, as two servers behind a load balancer: a session and a form
// token from one are good on the other, and the login limit per address counts on both together
// (src/plugins/rate-limit-store.ts). The real processes are in test/faults/two-instances.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openPostgres } from '../../src/db/connect.ts';
import { buildTestApp, newPostgresDatabase, TEST_POSTGRES_URL, type TestDb } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser, csrfOf } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const skip = TEST_POSTGRES_URL ? false : 'needs a PostgreSQL server: HEROLD_TEST_POSTGRES_URL=postgres://…/postgres';

/** Two apps, each with a data folder and a pool of its own, on one new database. */
const twoServers = async (t: TestContext) => {
  const { url, drop } = await newPostgresDatabase();
  const servers: TestDb[] = [];
  for (let i = 0; i < 2; i++) servers.push({ db: (await openPostgres(url)).db, sqlite: undefined as never, file: '', dataDir: await mkdtemp(path.join(tmpdir(), 'herold-server-')), databaseUrl: url });
  const apps = [];
  for (const db of servers) apps.push(await buildTestApp(t, { db }));
  // After the apps closed (buildTestApp's own hooks run first): the pools, the database, the folders.
  t.after(async () => {
    for (const { db, dataDir } of servers) {
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
    await drop();
  });
  return { a: apps[0]!, b: apps[1]! };
};

test('a session and a form token from one server are good on the other', { skip }, async (t) => {
  const { a, b } = await twoServers(t);
  const office = await createOffice(a.app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(a.app.services, { email: 'anna@example.org', officeId: office.id, role: 'owner' });
  const onA = new Browser(a.app);
  await onA.login('anna@example.org');
  // A page with its form read from A; the same browser (its cookies) goes on on B.
  const form = await onA.get('/admin/offices/stadt');
  const onB = new Browser(b.app);
  for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
  const { res, $ } = await onB.get('/admin/offices/stadt');
  assert.equal(res.statusCode, 200);
  // Logging out on B with A's form token ends the session for both.
  const logout = await onB.request('POST', '/logout', { form: { _csrf: csrfOf(form.$) } });
  assert.equal(logout.statusCode, 303);
  assert.equal((await onA.get('/admin/offices/stadt')).res.statusCode, 303);
  assert.ok($('title').text().length > 0);
});

test('the login limit per address counts the attempts on every server together', { skip }, async (t) => {
  const { a, b } = await twoServers(t);
  const browsers = [new Browser(a.app), new Browser(b.app)];
  const tokens = await Promise.all(browsers.map(async (browser) => csrfOf((await browser.get('/login')).$)));
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) {
    const n = i % 2;
    statuses.push((await browsers[n]!.request('POST', '/login', { form: { _csrf: tokens[n]!, email: `person${i}@example.org`, password: 'falsch-falsch' } })).statusCode);
  }
  assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401), 'twenty attempts in all are answered');
  assert.equal(statuses[20], 429, 'the 21st is refused, though each server saw only ten or eleven');
});
