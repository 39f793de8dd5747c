// `herold topic …` and `herold region …`: the same changes as in the admin area, from the command
// line; removing one in use asks first (non-interactive: --yes), saying how many releases carry it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, dbEnv } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { capture } from '../helpers/cli.ts';

test('topic add, rename, merge and remove on the command line; the server sees each at once', async (t) => {
  const { app, db } = await buildTestApp(t);
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'https://presse.example', SESSION_SECRET: 'x'.repeat(40) };
  const office = await createOffice(app.services, { slug: 'amt' });

  const added = await capture(['topic', 'add', 'verkehr', '--name', 'Verkehr'], env);
  assert.equal(added.code, 0, added.err);
  assert.equal(added.out, 'Added topic "Verkehr": https://presse.example/topics/verkehr');
  assert.match((await app.inject('/topics')).body, /href="\/topics\/verkehr"/);
  assert.equal((await capture(['topic', 'add', 'schule', '--name', 'Schule'], env)).code, 0);
  assert.equal((await capture(['region', 'add', 'nord', '--name', 'Nordkreis'], env)).code, 0);

  const taken = await capture(['topic', 'add', 'verkehr', '--name', 'Anders'], env);
  assert.equal(taken.code, 1);
  assert.equal(taken.err, 'topic add: SLUG is taken by another entry');

  await createRelease(app.services, office.id, { title: 'Busse', topics: ['verkehr'] });
  const renamed = await capture(['topic', 'rename', 'verkehr', '--name', 'Mobilität', '--slug', 'mobilitaet'], env);
  assert.equal(renamed.code, 0, renamed.err);
  assert.match(renamed.out, /^Renamed topic verkehr to "Mobilität" \(mobilitaet\); verkehr redirects there: https:\/\/presse\.example\/topics\/mobilitaet$/);
  assert.equal((await app.inject('/topics/verkehr')).headers.location, '/topics/mobilitaet');

  const listed = await capture(['topic', 'list'], env);
  assert.deepEqual(listed.out.split('\n'), ['mobilitaet\tMobilität\t1 releases\t0 subscriptions', 'schule\tSchule\t0 releases\t0 subscriptions']);

  const refused = await capture(['topic', 'remove', 'mobilitaet'], env);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /^1 releases carry topic mobilitaet and 0 subscriptions follow it\. Nothing removed: run again with --yes/);
  assert.ok(await app.services.taxonomies.find('topics', 'mobilitaet'));

  const merged = await capture(['topic', 'merge', 'schule', '--into', 'mobilitaet'], env);
  assert.equal(merged.code, 0, merged.err);
  assert.equal((await app.inject('/topics/schule')).headers.location, '/topics/mobilitaet');

  const removed = await capture(['topic', 'remove', 'mobilitaet', '--yes'], env);
  assert.equal(removed.code, 0, removed.err);
  assert.equal(removed.out, 'Removed topic mobilitaet (from 1 releases).');
  assert.equal((await app.inject('/topics/mobilitaet')).statusCode, 404);
  assert.equal((await capture(['topic', 'remove', 'gibt-es-nicht', '--yes'], env)).err, 'topic remove: there is no topic "gibt-es-nicht"');
  assert.equal((await capture(['topic', 'rename', 'x'], env)).code, 2);

  // Written to the platform's audit log, by nobody in particular.
  const log = await app.services.audit.list(null, 1);
  assert.deepEqual(log.items.map((e) => e.action).reverse(), ['topic.added', 'topic.added', 'region.added', 'topic.renamed', 'topic.merged', 'topic.removed']);
  assert.equal(log.items[0]!.userEmail, '');
});
