import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { ValidationError } from '../../src/lib/errors.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { createPhotoStore, photoErrorMessage, variantWidths, type PhotoStoreOptions, type StoredPhoto } from '../../src/modules/media/photos.service.ts';
import { sniffFormat, stripJpeg, stripPng, stripWebp } from '../../src/modules/media/photos.strip.ts';

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,19.0N" exif:GPSLongitude="9,29.0E"/></rdf:RDF></x:xmpmeta>';

/** EXIF as a camera or phone writes it: maker, and a GPS position in the GPS IFD. */
const CAMERA_EXIF = {
  IFD0: { Make: 'SecretCam', Model: 'Phone 15', Software: 'SecretCam 1.0' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 19/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '9/1 29/1 0/1' },
};

/** A picture with some structure (so JPEG has something to encode), `width` × `height`. */
const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3a6ea5' } }).composite([
    { input: { create: { width: Math.round(width / 2), height: Math.round(height / 3), channels: 3, background: '#e0b040' } }, top: 10, left: 10 },
  ]);

const jpegWithGps = async (width = 1200, height = 800, orientation?: number): Promise<Buffer> => {
  // Flatten the composite first: metadata options apply to the final encode.
  const flat = await picture(width, height).png().toBuffer();
  let s = sharp(flat).withExif(CAMERA_EXIF).withXmp(XMP);
  if (orientation) s = s.withMetadata({ orientation });
  return s.jpeg({ quality: 90 }).toBuffer();
};

/** The GPS IFD pointer (tag 0x8825) in a little- or big-endian EXIF block. */
const hasGpsTag = (exif: Buffer): boolean => exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));

const storeIn = async (t: TestContext, options: Partial<PhotoStoreOptions> = {}) => {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'herold-media-'));
  t.after(() => rm(mediaDir, { recursive: true, force: true }));
  return { mediaDir, store: createPhotoStore({ mediaDir, ...options }) };
};

const allFiles = (photo: StoredPhoto): string[] => [photo.path, ...photo.variants.flatMap((v) => [v.webp, v.jpeg])];

/** Asserts that a stored file carries no EXIF, GPS, XMP or IPTC, by sharp's reading and by its bytes. */
const assertClean = async (file: string) => {
  const bytes = await readFile(file);
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, `${file}: EXIF`);
  assert.equal(meta.xmp, undefined, `${file}: XMP`);
  assert.equal(meta.iptc, undefined, `${file}: IPTC`);
  assert.equal(meta.orientation ?? 1, 1, `${file}: orientation tag`);
  for (const marker of ['SecretCam', 'Exif\0\0', 'GPSLatitude', 'xmpmeta']) assert.equal(bytes.includes(marker, 0, 'latin1'), false, `${file}: ${marker}`);
};

const rejects = async (promise: Promise<unknown>, code: string) => {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
    assert.deepEqual(err.fields, { photo: code });
    return true;
  });
};

test('a JPEG with GPS, XMP and camera EXIF is stored with no trace of them, in the original or any variant', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const input = await jpegWithGps(2400, 1600);
  const inputMeta = await sharp(input).metadata();
  assert.ok(inputMeta.exif && hasGpsTag(inputMeta.exif), 'the test picture carries a GPS IFD');
  assert.ok(inputMeta.xmp, 'the test picture carries XMP');

  const photo = await store.storeUpload(7, input, 'IMG_0001 (Kopie).jpg');
  assert.match(photo.path, /^releases\/7\/[A-Za-z0-9_-]{16}\/original\.jpg$/);
  assert.equal(photo.mime, 'image/jpeg');
  assert.equal(photo.width, 2400);
  assert.equal(photo.height, 1600);
  for (const rel of allFiles(photo)) await assertClean(path.join(mediaDir, rel));
  // The original is kept at full size and its bytes counted.
  const original = await readFile(path.join(mediaDir, photo.path));
  assert.equal(photo.bytes, original.length);
  // Without a rotation to apply, the original's image data is untouched (lossless strip): it decodes to the same pixels.
  const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(original).raw().toBuffer()]);
  assert.ok(a.equals(b), 'pixels of the original unchanged');
  // Nothing of the upload's name reaches the disk.
  const names = await readdir(path.join(mediaDir, 'releases/7'), { recursive: true });
  assert.equal(names.some((n) => n.includes('IMG') || n.includes('Kopie')), false);
});

test('responsive variants: 480, 960 and 1600 wide, as WebP and JPEG, with the right sizes on disk', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const photo = await store.storeUpload(1, await jpegWithGps(2400, 1600), 'a.jpg');
  assert.deepEqual(photo.variants.map((v) => [v.width, v.height]), [[480, 320], [960, 640], [1600, 1067]]);
  for (const v of photo.variants) {
    const webp = await sharp(path.join(mediaDir, v.webp)).metadata();
    const jpeg = await sharp(path.join(mediaDir, v.jpeg)).metadata();
    assert.equal(webp.format, 'webp');
    assert.equal(jpeg.format, 'jpeg');
    assert.equal(webp.width, v.width);
    assert.equal(jpeg.width, v.width);
    assert.equal(jpeg.height, v.height);
    assert.equal(path.posix.dirname(v.webp), path.posix.dirname(photo.path));
  }
});

test('no upscaling: a picture narrower than the widest variant gets variants up to its own width', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const photo = await store.storeUpload(1, await picture(700, 500).png().toBuffer(), 'small.png');
  assert.deepEqual(photo.variants.map((v) => v.width), [480, 700]);
  for (const v of photo.variants) assert.ok(((await sharp(path.join(mediaDir, v.jpeg)).metadata()).width ?? 0) <= 700);
  const tiny = await store.storeUpload(1, await picture(300, 300).jpeg().toBuffer(), 'tiny.jpg');
  assert.deepEqual(tiny.variants.map((v) => v.width), [300]);
  assert.deepEqual(variantWidths(960), [480, 960]);
  assert.deepEqual(variantWidths(5000), [480, 960, 1600]);
});

test('EXIF orientation is applied: a sideways phone picture comes out upright, and the tag is gone', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const input = await jpegWithGps(1200, 800, 6); // stored landscape, displayed portrait
  const photo = await store.storeUpload(3, input, 'phone.jpg');
  assert.equal(photo.width, 800);
  assert.equal(photo.height, 1200);
  const largest = photo.variants.at(-1)!;
  assert.equal(largest.width, 800);
  assert.equal(largest.height, 1200);
  for (const rel of allFiles(photo)) await assertClean(path.join(mediaDir, rel));
  const original = await sharp(path.join(mediaDir, photo.path)).metadata();
  assert.equal(original.width, 800);
  assert.equal(original.height, 1200);
});

test('PNG and WebP are accepted, their text and EXIF chunks removed', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const flat = await picture(1000, 600).png().toBuffer();
  const png = await sharp(flat).withExif(CAMERA_EXIF).withXmp(XMP).png().toBuffer();
  const webp = await sharp(flat).withExif(CAMERA_EXIF).withXmp(XMP).webp({ quality: 90 }).toBuffer();
  assert.ok((await sharp(png).metadata()).exif, 'the PNG carries EXIF');
  assert.ok((await sharp(webp).metadata()).exif, 'the WebP carries EXIF');

  const p = await store.storeUpload(2, png, 'chart.png');
  assert.match(p.path, /\/original\.png$/);
  assert.equal(p.mime, 'image/png');
  const w = await store.storeUpload(2, webp, 'photo.webp');
  assert.match(w.path, /\/original\.webp$/);
  assert.equal(w.mime, 'image/webp');
  for (const photo of [p, w]) {
    assert.equal(photo.width, 1000);
    assert.equal(photo.height, 600);
    assert.deepEqual(photo.variants.map((v) => v.width), [480, 960, 1000]);
    for (const rel of allFiles(photo)) await assertClean(path.join(mediaDir, rel));
  }
  // PNG stays lossless.
  const [a, b] = await Promise.all([sharp(png).raw().toBuffer(), sharp(path.join(mediaDir, p.path)).raw().toBuffer()]);
  assert.ok(a.equals(b));
});

test('a picture can come as a stream (as from a multipart upload)', async (t) => {
  const { store } = await storeIn(t);
  const data = await jpegWithGps(800, 600);
  const photo = await store.storeUpload(4, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), 'x.jpg');
  assert.equal(photo.width, 800);
});

test('refused: text renamed .jpg, SVG, GIF, HEIC/AVIF, truncated JPEG, empty, too small, too large', async (t) => {
  const { mediaDir, store } = await storeIn(t, { maxBytes: 200_000 });
  await rejects(store.storeUpload(1, Buffer.from('Dies ist kein Bild, nur Text.\n'), 'foto.jpg'), 'unsupportedType');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script><rect width="400" height="400"/></svg>');
  await rejects(store.storeUpload(1, svg, 'logo.svg'), 'unsupportedType');
  await rejects(store.storeUpload(1, svg, 'logo.png'), 'unsupportedType');
  const gif = await picture(400, 400).gif().toBuffer();
  await rejects(store.storeUpload(1, gif, 'anim.gif'), 'unsupportedType');
  const avif = await picture(400, 400).heif({ compression: 'av1' }).toBuffer();
  await rejects(store.storeUpload(1, avif, 'IMG_1.heic'), 'unsupportedType');
  const jpeg = await jpegWithGps(1200, 800);
  await rejects(store.storeUpload(1, jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'cut.jpg'), 'corrupt');
  await rejects(store.storeUpload(1, Buffer.concat([jpeg.subarray(0, 2), Buffer.alloc(500, 0xff)]), 'junk.jpg'), 'corrupt');
  await rejects(store.storeUpload(1, Buffer.alloc(0), 'empty.jpg'), 'empty');
  await rejects(store.storeUpload(1, await picture(150, 600).jpeg().toBuffer(), 'thin.jpg'), 'tooSmall');
  // Noise compresses badly: a big file.
  const noise = await sharp(randomBytes(600 * 600 * 3), { raw: { width: 600, height: 600, channels: 3 } }).png().toBuffer();
  assert.ok(noise.length > 200_000);
  await rejects(store.storeUpload(1, noise, 'big.png'), 'tooLarge');
  await rejects(store.storeUpload(1, Readable.from([noise]), 'big.png'), 'tooLarge');
  // Nothing was left behind by the refusals.
  const left = await readdir(mediaDir, { recursive: true }).catch(() => []);
  assert.deepEqual(left.filter((n) => !['releases', 'releases/1'].includes(n)), []);
});

test('a decompression bomb is refused by its header, before decoding', async (t) => {
  const { store } = await storeIn(t, { maxPixels: 1_000_000 });
  const big = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
  await rejects(store.storeUpload(1, big, 'big.png'), 'dimensionsTooLarge');
});

test('deletePhotoFiles removes the original and all its variants, and nothing else', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const keep = await store.storeUpload(5, await jpegWithGps(800, 600), 'a.jpg');
  const gone = await store.storeUpload(5, await jpegWithGps(800, 600), 'b.jpg');
  assert.notEqual(path.posix.dirname(keep.path), path.posix.dirname(gone.path));
  await store.deletePhotoFiles(gone.path);
  await assert.rejects(stat(path.join(mediaDir, path.posix.dirname(gone.path))));
  for (const rel of allFiles(keep)) assert.ok((await stat(path.join(mediaDir, rel))).isFile());
  await assert.rejects(store.deletePhotoFiles('../outside.jpg'), /Unsafe media path/);
  await store.deletePhotoFiles('releases/5/not-there.jpg');
});

test('lossless strippers keep the picture and drop the metadata blocks', async () => {
  const flat = await picture(400, 300).png().toBuffer();
  const jpeg = await sharp(flat).withExif(CAMERA_EXIF).withXmp(XMP).jpeg().toBuffer();
  const trailer = Buffer.concat([jpeg, Buffer.from('SecretCam appended second image')]);
  const sj = stripJpeg(trailer)!;
  assert.ok(sj.length < jpeg.length);
  assert.equal(sj.includes('SecretCam', 0, 'latin1'), false);
  assert.equal(sniffFormat(sj), 'jpeg');
  assert.equal(stripJpeg(jpeg.subarray(0, jpeg.length - 100)), null, 'no end-of-image: refused');
  const png = await sharp(flat).withExif(CAMERA_EXIF).png().toBuffer();
  assert.equal(stripPng(png)!.includes('SecretCam', 0, 'latin1'), false);
  const webp = await sharp(flat).withExif(CAMERA_EXIF).webp().toBuffer();
  const sw = stripWebp(webp)!;
  assert.equal(sw.includes('SecretCam', 0, 'latin1'), false);
  assert.equal((await sharp(sw).metadata()).width, 400);
  assert.equal(sniffFormat(Buffer.from('GIF89a')), null);
});

test('refusals read clearly in both languages, with the limits filled in', async (t) => {
  const { store } = await storeIn(t);
  const de = createTranslator('de', 'Europe/Berlin');
  const en = createTranslator('en', 'Europe/Berlin');
  assert.equal(photoErrorMessage('tooLarge', de, store), 'Das Bild ist zu groß: höchstens 20 MB sind erlaubt.');
  assert.equal(photoErrorMessage('tooLarge', en, store), 'The picture is too large: at most 20 MB is allowed.');
  assert.match(photoErrorMessage('unsupportedType', de, store), /JPEG, PNG oder WebP/);
  assert.match(photoErrorMessage('tooSmall', de, store), /200 × 200 Pixel/);
  assert.match(photoErrorMessage('corrupt', en, store), /damaged or incomplete/);
  assert.match(photoErrorMessage('dimensionsTooLarge', en, store), /100 megapixels/);
});

test('colour: variants come out as sRGB without a profile; the original keeps its ICC profile; CMYK and alpha work', async (t) => {
  const { mediaDir, store } = await storeIn(t);
  const base = () => picture(800, 600);
  const p3 = await store.storeUpload(1, await sharp(await base().png().toBuffer()).withIccProfile('p3').jpeg().toBuffer(), 'p3.jpg');
  assert.equal((await sharp(path.join(mediaDir, p3.path)).metadata()).hasProfile, true, 'original keeps its Display P3 profile');
  const cmyk = await store.storeUpload(1, await sharp(await base().png().toBuffer()).toColourspace('cmyk').jpeg().toBuffer(), 'cmyk.jpg');
  const alpha = await store.storeUpload(1, await sharp({ create: { width: 800, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.3 } } }).png().toBuffer(), 'alpha.png');
  for (const photo of [p3, cmyk, alpha]) {
    for (const v of photo.variants) {
      for (const file of [v.webp, v.jpeg]) {
        const meta = await sharp(path.join(mediaDir, file)).metadata();
        assert.equal(meta.space, 'srgb', file);
        assert.equal(meta.hasProfile, false, file);
      }
    }
  }
  // JPEG has no transparency: the variant is flattened onto white, the WebP keeps its alpha.
  const v = alpha.variants[0]!;
  assert.equal((await sharp(path.join(mediaDir, v.webp)).metadata()).hasAlpha, true);
  const { data } = await sharp(path.join(mediaDir, v.jpeg)).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[0]! > 150, 'flattened onto white, not black');
});

test('PHOTO_MAX_MB sets the upload limit; a bad value is reported by name', () => {
  const env = { DATA_DIR: tmpdir(), SESSION_SECRET: 'x'.repeat(32) };
  assert.equal(loadConfig(env).photoMaxBytes, 20 * 1024 * 1024);
  assert.equal(loadConfig({ ...env, PHOTO_MAX_MB: '5' }).photoMaxBytes, 5 * 1024 * 1024);
  assert.throws(() => loadConfig({ ...env, PHOTO_MAX_MB: 'viel' }), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('PHOTO_MAX_MB:')));
});
