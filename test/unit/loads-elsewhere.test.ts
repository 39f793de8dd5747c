// The start's check that sharp loads, made in another process so the server loads sharp only at
// its first upload (src/lib/loads-elsewhere.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadsInAnotherProcess } from '../../src/lib/loads-elsewhere.ts';

test('a package that loads passes; one that does not fails with its error, and this process has not loaded it', async () => {
  await loadsInAnotherProcess('sharp');
  assert.doesNotMatch(readFileSync('/proc/self/maps', 'utf8'), /libvips/, 'libvips is not mapped into this process');
  await assert.rejects(loadsInAnotherProcess('herold-no-such-package'), /herold-no-such-package does not load: .*Cannot find package 'herold-no-such-package'/);
});
