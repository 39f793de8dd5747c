// How long a press kit takes: the first build of a release with five 12-megapixel JPEGs (stamping
// them: one exiftool run), a page render once they are stamped, and streaming the ZIP; and how far
// the ZIP's size is from the sum of its files. `node bench/press-kit.ts`.
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { buildTestApp } from '../test/helpers/app.ts';
import { createOffice, createRelease } from '../test/helpers/factories.ts';

const cleanups: (() => unknown)[] = [];
const t = { after: (fn: () => unknown) => cleanups.push(fn) } as unknown as Parameters<typeof buildTestApp>[0];
const { app } = await buildTestApp(t);
const { services } = app;
const office = await createOffice(services, { slug: 'kassel', name: 'Stadt Kassel' });
const draft = await createRelease(services, office.id, { title: 'Brücke eröffnet', dateline: 'Kassel' }, { status: 'draft' });
let originals = 0;
for (let i = 0; i < 5; i++) {
  const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian' as const, mean: 128, sigma: 40 } } }).jpeg({ quality: 85 }).toBuffer();
  const stored = await services.photos.storeUpload(draft.id, photo, `p${i}.jpg`);
  originals += stored.bytes;
  await services.releaseFiles.addPhoto(draft.id, { ...stored, alt: `Bild ${i + 1}`, caption: `Die Brücke, Ansicht ${i + 1}.`, credit: 'Foto: Max Muster' });
}
await services.releases.publish(draft.id);
const release = (await services.releases.findById(draft.id))!;
const page = `/releases/${release.id}-${release.slug}`;
const time = async (what: string, url: string) => {
  const start = performance.now();
  const res = await app.inject(url);
  console.log(`${what}: ${(performance.now() - start).toFixed(0)} ms, ${res.statusCode}, ${res.rawPayload.length} bytes`);
  return res;
};
await time('page, first (stamps 5 photos)', page);
await time('page, again (page cache)', page);
await time('page, English (kit already stamped)', `${page}?lang=en`);
const zip = await time('press-kit.zip', `/releases/${release.id}/press-kit.zip`);
console.log(`originals ${originals} bytes; ZIP ${zip.rawPayload.length} bytes (+${zip.rawPayload.length - originals}: text, HTML, attachments none, metadata, ZIP headers)`);
// Over real HTTP, as a client downloads it.
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address() as { port: number };
const start = performance.now();
const res = await fetch(`http://127.0.0.1:${address.port}/releases/${release.id}/press-kit.zip`);
let received = 0;
for await (const chunk of res.body!) received += (chunk as Uint8Array).length;
console.log(`press-kit.zip over HTTP: ${(performance.now() - start).toFixed(0)} ms, ${received} bytes, Content-Length ${res.headers.get('content-length')}`);
for (const fn of cleanups.reverse()) await fn();
