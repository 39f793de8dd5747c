import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, STRONG, verifyPassword } from '../../src/modules/auth/passwords.ts';

test('scrypt hashes carry strong parameters and a salt, and verify only the right password', async () => {
  const hash = await hashPassword('ein-langes-passwort');
  const [scheme, N, r, p, salt] = hash.split('$');
  assert.equal(scheme, 'scrypt');
  assert.deepEqual([Number(N), Number(r), Number(p)], [STRONG.N, STRONG.r, STRONG.p]);
  assert.ok(Number(N) >= 2 ** 17);
  assert.ok(Buffer.from(salt!, 'base64url').length >= 16);
  assert.notEqual(await hashPassword('ein-langes-passwort'), hash);
  assert.equal(await verifyPassword('ein-langes-passwort', hash), true);
  assert.equal(await verifyPassword('ein-langes-passwort!', hash), false);
  assert.equal(await verifyPassword('x', 'kaputt'), false);
  assert.equal(await verifyPassword('x', 'scrypt$99999999$8$1$AA$AA'), false);
});
