// The start's check that sharp loads, made in another process so the server loads sharp only at
// its first upload (src/lib/loads-elsewhere.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadsInAnotherProcess } from '../../src/lib/loads-elsewhere.ts';

test('a package that loads passes without being loaded here; one that does not fails with its own message', async () => {
  assert.equal(await loadsInAnotherProcess('sharp'), 'loads');
  assert.doesNotMatch(readFileSync('/proc/self/maps', 'utf8'), /libvips/, 'libvips is not mapped into this process');
  await assert.rejects(loadsInAnotherProcess('./test/fixtures/throws-on-import.mjs'), (error: Error) => {
    assert.equal(error.message, './test/fixtures/throws-on-import.mjs does not load: Could not load the "sharp" module using the linux-x64 runtime\nERR_DLOPEN_FAILED: libvips-cpp.so.42: cannot open shared object file');
    return true;
  });
  await assert.rejects(loadsInAnotherProcess('herold-no-such-package'), /^Error: herold-no-such-package does not load: Cannot find package 'herold-no-such-package'/);
});
