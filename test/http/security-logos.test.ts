// Finding 4 of the attack on a running instance (issue 20): office logos were stored as uploaded —
// GPS and camera serial kept, HTML appended to a JPEG kept, and a 16,383 × 16,383 PNG of 261 KB
// accepted (the browser then used ~960 MB to draw a 72 × 72 thumbnail). Logos are now treated like
// photos: re-encoded, without metadata, limited in pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';

const SETTINGS = '/admin/offices/stadt/settings';
const FORM = 'form[enctype="multipart/form-data"]';

const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const office = await createOffice(ctx.app.services, { slug: 'stadt', name: 'Stadt' });
  await createUser(ctx.app.services, { email: 'olga@stadt.example', officeId: office.id, role: 'owner' });
  const browser = new Browser(ctx.app);
  await browser.login('olga@stadt.example');
  const uploadLogo = async (data: Buffer, filename = 'logo.jpg') => browser.upload((await browser.get(SETTINGS)).$, FORM, {}, { field: 'logo', filename, contentType: 'image/jpeg', data });
  const logoPath = async () => (await ctx.app.services.offices.findById(office.id))!.logoPath;
  return { ...ctx, uploadLogo, logoPath };
};

/** A PNG whose header claims width × height, with one compressed row of data: tiny, but huge when drawn. */
const pngClaiming = (width: number, height: number): Buffer => {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(data.length + 12);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), data.length + 8);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1 bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(Math.ceil(width / 8) + 1))), chunk('IEND', Buffer.alloc(0))]);
};

test('a logo loses its GPS position, camera serial and anything appended; the stored file is a new image', async (t) => {
  const { app, config, uploadLogo, logoPath } = await setup(t);
  const photo = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#3a6ea5' } })
    .withExif({ IFD0: { Make: 'SecretCam', Model: 'Phone 15' }, IFD2: { BodySerialNumber: 'SN-4711-SECRET' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 19/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '9/1 29/1 0/1' } })
    .jpeg()
    .toBuffer();
  const upload = Buffer.concat([photo, Buffer.from('<html><script>alert(1)</script></html>')]);
  assert.ok((await sharp(upload).metadata()).exif);
  const res = await uploadLogo(upload);
  assert.equal(res.statusCode, 303);
  const stored = (await logoPath())!;
  assert.match(stored, /^offices\/stadt-logo-[0-9a-f]+\.jpg$/);
  const bytes = await readFile(path.join(config.dataDir, 'media', stored));
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.width, 400);
  assert.equal(meta.exif, undefined);
  assert.equal(meta.xmp, undefined);
  for (const secret of ['SecretCam', 'SN-4711-SECRET', '<html', 'script']) assert.equal(bytes.includes(secret, 0, 'latin1'), false, secret);
  const served = await app.inject(`/media/${stored}`);
  assert.equal(served.statusCode, 200);
  assert.equal(served.headers['content-type'], 'image/jpeg');
  assert.deepEqual(served.rawPayload, bytes);
});

test('a logo with too many pixels is refused before it is decoded; a large one is stored smaller; the type comes from the content', async (t) => {
  const { uploadLogo, logoPath, config } = await setup(t);
  const bomb = pngClaiming(16_383, 16_383);
  assert.ok(bomb.length < 10_000);
  assert.equal((await sharp(bomb).metadata()).width, 16_383);
  const refused = await uploadLogo(bomb, 'logo.png');
  assert.equal(refused.statusCode, 422);
  assert.equal(cheerio.load(refused.body)('#logo-error').text(), 'Das Bild hat zu viele Bildpunkte. Bitte ein kleineres Logo hochladen.');
  assert.equal(await logoPath(), null);

  // 3000 × 1000 is fine to read, and is kept at 1024 × 341; a PNG called .jpg stays a PNG.
  const wide = await sharp({ create: { width: 3000, height: 1000, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const res = await uploadLogo(wide, 'logo.jpg');
  assert.equal(res.statusCode, 303);
  const stored = (await logoPath())!;
  assert.match(stored, /\.png$/);
  const meta = await sharp(path.join(config.dataDir, 'media', stored)).metadata();
  assert.equal(meta.width, 1024);
  assert.equal(meta.height, 341);
  assert.equal(meta.hasAlpha, true);
});
