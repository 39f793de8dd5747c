// `herold webhook add --office SLUG --url URL` registers an endpoint and prints its secret once;
// `herold webhook list` shows them. The same address rules as the admin area.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { createTestDb, dbEnv } from '../helpers/app.ts';
import { capture } from '../helpers/cli.ts';
import { createServices } from '../../src/services.ts';
import { sign } from '../../src/modules/webhooks/webhooks.sign.ts';

test('webhook add prints the secret of a new endpoint; bad addresses and offices are refused with a reason', async (t) => {
  const db = await createTestDb(t);
  const services = createServices({ db: db.db });
  const office = await services.offices.create({ slug: 'stadt', name: 'Stadt' });
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'https://presse.example', SESSION_SECRET: 'x'.repeat(40) };

  const added = await capture(['webhook', 'add', '--office', 'stadt', '--url', 'https://93.184.216.34/herold', '--events', 'release.published,release.withdrawn'], env);
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /^Registered webhook \d+ for stadt: https:\/\/93\.184\.216\.34\/herold \(release\.published, release\.withdrawn\)$/m);
  const secret = /^(whsec_\S+)$/m.exec(added.out)![1]!;
  // The printed secret is the one deliveries are signed with: the reference implementation verifies it.
  const row = await db.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.secret, secret);
  assert.equal(row.office_id, office.id);
  const now = Math.floor(Date.now() / 1000);
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': sign([secret], 'msg_1', now, '{"a":1}') };
  assert.deepEqual(new Webhook(secret).verify('{"a":1}', headers), { a: 1 });

  const all = await capture(['webhook', 'add', '--all', '--url', 'https://93.184.216.34/alle'], env);
  assert.equal(all.code, 0, all.err);
  assert.match(all.out, /for every office/);
  const listed = await capture(['webhook', 'list', '--office', 'stadt'], env);
  assert.match(listed.out, /^\d+\tactive\thttps:\/\/93\.184\.216\.34\/herold\trelease\.published,release\.withdrawn$/m);
  assert.ok(!listed.out.includes('/alle'), 'only the office’s');

  for (const [argv, message] of [
    [['webhook', 'add', '--office', 'stadt', '--url', 'https://127.0.0.1/x'], /--url leads into an internal network/],
    [['webhook', 'add', '--office', 'stadt', '--url', 'http://93.184.216.34/x'], /--url must start with https:\/\//],
    [['webhook', 'add', '--office', 'stadt', '--url', 'https://93.184.216.34/x', '--events', 'release.deleted'], /--events names no known event/],
    [['webhook', 'add', '--office', 'nirgends', '--url', 'https://93.184.216.34/x'], /there is no office "nirgends"/],
    [['webhook', 'add', '--url', 'https://93.184.216.34/x'], /--office SLUG \(or --all, for every office\) is required/],
  ] as const) {
    const result = await capture([...argv], env);
    assert.notEqual(result.code, 0, argv.join(' '));
    assert.match(result.err, message);
  }
  assert.equal((await db.db.selectFrom('webhook_endpoints').select('id').execute()).length, 2, 'nothing else was stored');
});
