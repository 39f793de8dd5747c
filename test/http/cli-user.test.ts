// `herold user add`: creates the user with a role and prints a one-time set-password link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, dbEnv } from '../helpers/app.ts';
import { capture } from '../helpers/cli.ts';
import { createServices } from '../../src/services.ts';

test('user add creates a user with a role and prints a one-time link; no password on the command line', async (t) => {
  const db = await createTestDb(t);
  const services = createServices({ db: db.db });
  const office = await services.offices.create({ slug: 'stadt', name: 'Stadt' });
  const env = { ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'https://presse.example', SESSION_SECRET: 'x'.repeat(40) };

  const added = await capture(['user', 'add', '--email', 'Anna@Example.org', '--office', 'stadt', '--role', 'owner'], env);
  assert.equal(added.code, 0);
  assert.match(added.out, /Created anna@example\.org, owner of stadt\./);
  const token = /https:\/\/presse\.example\/set-password\/([A-Za-z0-9_-]+)/.exec(added.out)![1]!;
  const found = await services.auth.findToken(token);
  assert.equal(found?.purpose, 'set-password');
  // Only the hash is stored.
  const rows = await db.db.selectFrom('user_tokens').select('token_hash').execute();
  assert.ok(rows.every((r) => r.token_hash !== token));
  const user = (await services.auth.findUserByEmail('anna@example.org'))!;
  assert.deepEqual(user.memberships.map((m) => [m.officeId, m.role]), [[office.id, 'owner']]);

  const admin = await capture(['user', 'add', '--email', 'root@example.org', '--role', 'admin'], env);
  assert.equal(admin.code, 0);
  assert.equal((await services.auth.findUserByEmail('root@example.org'))!.isAdmin, true);

  for (const [argv, message] of [
    [['user', 'add', '--email', 'x@example.org', '--role', 'editor'], /--office SLUG is required/],
    [['user', 'add', '--email', 'x@example.org', '--office', 'stadt', '--role', 'boss'], /--role must be owner, editor or admin/],
    [['user', 'add', '--email', 'x@example.org', '--office', 'stadt', '--role', 'editor', 'geheim123'], /no password on the command line/],
    [['user', 'add', '--email', 'x@example.org', '--office', 'nirgends', '--role', 'editor'], /there is no office "nirgends"/],
    [['user', 'add', '--email', 'kaputt', '--office', 'stadt', '--role', 'editor'], /not a valid e-mail address/],
  ] as const) {
    const result = await capture([...argv], env);
    assert.notEqual(result.code, 0, argv.join(' '));
    assert.match(result.err, message);
  }
  assert.equal(await services.auth.findUserByEmail('x@example.org'), undefined);
});
