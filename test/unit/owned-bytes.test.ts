import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { ownedBytes, ownedText, ownedUtf8 } from '../../src/lib/owned-bytes.ts';

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

/** How many strings on the heap take `size` bytes or more (a snapshot collects garbage first). */
const stringsOfAtLeast = async (size: number): Promise<number> => {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const { snapshot, nodes } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
  const fields = snapshot.meta.node_fields.length;
  const [type, selfSize] = [snapshot.meta.node_fields.indexOf('type'), snapshot.meta.node_fields.indexOf('self_size')];
  const strings = new Set(['string', 'concatenated string', 'sliced string'].map((name) => snapshot.meta.node_types[0].indexOf(name)));
  let count = 0;
  for (let i = 0; i < nodes.length; i += fields) if (strings.has(nodes[i + type]!) && nodes[i + selfSize]! >= size) count++;
  return count;
};

test('a piece of a long text kept as a copy holds only itself, not the text it was cut from', async () => {
  const document = () => `<?xml version="1.0"?><rss>${'<p>Kopf des Feeds</p>'.repeat(100_000)}<item>${page}</item></rss>`;
  const cut = (text: string) => text.slice(text.indexOf('<item>'), text.indexOf('</item>') + 7);
  // Made and cut in functions of their own, so that this async function keeps no temporary of them.
  const kept: { text?: string } = {};
  const keepSlice = () => void (kept.text = cut(document()));
  const keepCopy = () => void (kept.text = ownedText(cut(document())));
  // At least a byte a character; Node holds a few long texts of its own.
  const whole = document().length;
  const before = await stringsOfAtLeast(whole);

  keepSlice();
  assert.equal(await stringsOfAtLeast(whole), before + 1, 'V8 keeps the whole text behind a slice (else this test proves nothing)');
  keepCopy();
  assert.equal(kept.text, `<item>${page}</item>`);
  assert.equal(await stringsOfAtLeast(whole), before, 'the copy keeps no text of the size it was cut from');
});
