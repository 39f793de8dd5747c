import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKeyFolder } from '../../src/lib/key-folder.ts';

test('key files: base64url names of every shape are written once and read back; unsafe names are refused', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const keys = createKeyFolder(dir);
  // Key ids are base64url: one in 32 starts with '-' or '_'.
  for (const name of ['signing/office-1/-abc_DEF.pem', 'signing/office-1/_xyz-1.pem', 'federation/office-2.json']) {
    assert.equal(keys.create(name, `text of ${name}`), true, name);
    assert.equal(keys.read(name), `text of ${name}`);
    assert.equal(keys.create(name, 'other'), false, 'an existing key is never overwritten');
    assert.equal(keys.read(name), `text of ${name}`);
    assert.equal(statSync(path.join(dir, name)).mode & 0o777, 0o600);
  }
  assert.equal(keys.read('signing/office-1/none.pem'), undefined);
  for (const name of ['../outside.pem', 'signing/../../outside.pem', '.hidden', 'signing/.hidden', '/absolute.pem', 'a//b', '']) {
    assert.throws(() => keys.create(name, 'x'), /Not a key file name/, name);
  }
});
