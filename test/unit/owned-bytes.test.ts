import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ownedBytes, ownedUtf8 } from '../../src/lib/owned-bytes.ts';

const page = `<!doctype html><title>Pressemitteilung</title><p>${'Grüße aus der Pressestelle. '.repeat(700)}</p>`;

test('a page kept as UTF-8 holds exactly its bytes, not a slab shared with others', () => {
  const bytes = ownedUtf8(page);
  assert.equal(bytes.toString('utf8'), page);
  assert.equal(bytes.length, Buffer.byteLength(page));
  assert.equal(bytes.buffer.byteLength, bytes.length);
  assert.equal(bytes.byteOffset, 0);
  assert.equal(ownedUtf8('').length, 0);
});

test('a compressed answer is copied out of the slab zlib wrote it into', () => {
  const compressed = gzipSync(Buffer.from(page));
  assert.ok(compressed.buffer.byteLength > compressed.length, 'zlib hands out a slice of a larger block (else this test proves nothing)');
  const own = ownedBytes(compressed);
  assert.deepEqual(own, compressed);
  assert.equal(own.buffer.byteLength, own.length);
});

test('a Buffer that already owns its memory is kept as it is', () => {
  const bytes = ownedUtf8(page);
  assert.equal(ownedBytes(bytes), bytes);
});
