import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { mediaDir } from '../../src/plugins/static.ts';

const get = async (app: TestApp['app'], url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { res, $: cheerio.load(res.body) };
};

/** A camera picture with a GPS position in its EXIF. */
const cameraJpeg = async (width: number, height: number): Promise<Buffer> => {
  const flat = await sharp({ create: { width, height, channels: 3, background: '#4a7a3a' } })
    .composite([{ input: { create: { width: Math.round(width / 3), height: Math.round(height / 3), channels: 3, background: '#d0c060' } }, top: 20, left: 20 }])
    .png()
    .toBuffer();
  return sharp(flat)
    .withExif({ IFD0: { Make: 'SecretCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 19/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '9/1 29/1 0/1' } })
    .jpeg({ quality: 92 })
    .toBuffer();
};

test('release page: <picture> with WebP and JPEG srcsets, sizes, dimensions, lazy loading and the download link', async (t) => {
  const { app, config } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services, { name: 'Landkreis Musterland' });
  const release = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis' }, { status: 'draft' });
  const stored = await services.photos.storeUpload(release.id, await cameraJpeg(2400, 1600), 'IMG_2040.JPG');
  await services.releaseFiles.addPhoto(release.id, { ...stored, alt: 'Radweg am Fluss', caption: 'Der neue Radweg.', credit: 'Kreis Musterland' });
  await services.releases.publish(release.id);

  const { res, $ } = await get(app, `/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  const figure = $('article.release figure.photo');
  assert.equal(figure.length, 1);
  const picture = figure.find('picture');
  assert.equal(picture.length, 1);
  const source = picture.find('source');
  assert.equal(source.attr('type'), 'image/webp');
  const webpSet = source.attr('srcset')!.split(', ');
  assert.deepEqual(webpSet.map((s) => s.split(' ')[1]), ['480w', '960w', '1600w']);
  for (const s of webpSet) assert.match(s, /^\/media\/releases\/\d+\/[A-Za-z0-9_-]{16}\/\d+\.webp \d+w$/);
  assert.match(source.attr('sizes')!, /42rem/);
  const img = picture.find('img');
  assert.equal(img.attr('alt'), 'Radweg am Fluss');
  assert.equal(img.attr('width'), '1600');
  assert.equal(img.attr('height'), '1067');
  assert.equal(img.attr('loading'), 'lazy');
  assert.equal(img.attr('sizes'), source.attr('sizes'));
  assert.deepEqual(img.attr('srcset')!.split(', ').map((s) => s.split(' ')[1]), ['480w', '960w', '1600w']);
  assert.match(img.attr('srcset')!, /\/480\.jpg 480w/);
  assert.match(img.attr('src')!, /\/960\.jpg$/);

  // The download link offers the original (with the release's words written in: press-kit.test.ts),
  // with its pixel size, its file size and a telling file name.
  const download = figure.find('a.download');
  assert.match(download.text().trim(), /^Originalbild herunterladen \(2400 × 1600 px, \d+(,\d+)? (KB|MB)\)$/);
  assert.equal(download.attr('href'), `/releases/${release.id}/photos/${release.slug}-${release.id}-foto-1.jpg`);
  assert.equal(download.attr('download'), `${release.slug}-${release.id}-foto-1.jpg`);
  // The picture links to its largest variant; og:image uses it too (never a 20 MB original).
  assert.match(figure.find('a:has(picture)').attr('href')!, /\/1600\.jpg$/);
  assert.match($('meta[property="og:image"]').attr('content')!, /^http:\/\/herold\.test\/media\/releases\/.+\/1600\.jpg$/);

  // Every file linked from the page is served, cached publicly for an hour (not immutably: a
  // withdrawal must reach caches), with no GPS left in it.
  const urls = [download.attr('href')!, img.attr('src')!, ...webpSet.map((s) => s.split(' ')[0]!), ...img.attr('srcset')!.split(', ').map((s) => s.split(' ')[0]!)];
  for (const url of urls) {
    const file = await app.inject({ method: 'GET', url });
    assert.equal(file.statusCode, 200, url);
    assert.equal(file.headers['cache-control'], 'public, max-age=3600', url);
    assert.match(String(file.headers['content-type']), url.endsWith('.webp') ? /^image\/webp/ : /^image\/jpeg/);
    const meta = await sharp(file.rawPayload).metadata();
    assert.equal(meta.exif, undefined, url);
    assert.equal(file.rawPayload.includes('SecretCam', 0, 'latin1'), false, url);
  }
  assert.equal((await stat(path.join(mediaDir(config), stored.path))).size, stored.bytes);
});

test('lists show the lead photo as a small <picture>, decorative beside the linked title', async (t) => {
  const { app } = await buildTestApp(t);
  const { services } = app;
  const office = await createOffice(services);
  const release = await createRelease(services, office.id, { title: 'Mit Bild' }, { status: 'draft' });
  const stored = await services.photos.storeUpload(release.id, await cameraJpeg(1200, 800), 'a.jpg');
  await services.releaseFiles.addPhoto(release.id, { ...stored, alt: 'Ein Bild', caption: 'Bild', credit: '' });
  await services.releases.publish(release.id);

  const { $ } = await get(app, '/');
  const card = $('.release-card').first();
  const img = card.find('picture img.card-photo');
  assert.equal(img.length, 1);
  assert.equal(img.attr('alt'), '');
  assert.equal(img.attr('loading'), 'lazy');
  assert.match(img.attr('sizes')!, /13rem/);
  assert.deepEqual(card.find('picture source[type="image/webp"]').attr('srcset')!.split(', ').map((s) => s.split(' ')[1]), ['480w', '960w', '1200w']);
  assert.equal(img.attr('width'), '1200');
  assert.equal(img.attr('height'), '800');
});

test('photos without variants still show: a plain <img> for an older original, the caption alone for an imported one', async (t) => {
  const { app } = await buildTestApp(t, { env: { LANG: 'en' } });
  const { services } = app;
  const office = await createOffice(services);
  const release = await createRelease(services, office.id, { title: 'Alte Bilder', language: 'en' }, {
    status: 'published',
    photos: [
      { path: 'releases/1/1-original.jpg', alt: 'Old photo', caption: 'From before.', credit: 'Archive', width: 1600, height: 1067, mime: 'image/jpeg', bytes: 2_500_000 },
      { path: null, alt: '', caption: 'Imported caption without picture.', credit: 'Someone' },
    ],
  });

  const { res, $ } = await get(app, `/releases/${release.id}-${release.slug}`);
  assert.equal(res.statusCode, 200);
  const figures = $('figure.photo');
  assert.equal(figures.length, 2);
  const first = figures.eq(0);
  assert.equal(first.find('picture').length, 0);
  assert.equal(first.find('img').attr('src'), '/media/releases/1/1-original.jpg');
  assert.equal(first.find('img').attr('srcset'), undefined);
  assert.equal(first.find('img').attr('width'), '1600');
  assert.equal(first.find('a.download').attr('href'), `/releases/${release.id}/photos/${release.slug}-${release.id}-foto-1.jpg`);
  assert.equal(first.find('a.download').text().trim(), 'Download original (1600 × 1067 px, 2.4 MB)');
  const second = figures.eq(1);
  assert.equal(second.find('img').length, 0);
  assert.equal(second.find('a.download').length, 0);
  assert.match(second.find('figcaption').text(), /Imported caption without picture\./);
});

test('the demo seed stores every photo through the pipeline: every demo photo has variants on disk', async (t) => {
  const { app, config } = await buildTestApp(t);
  const result = await seedDemo(app.services, mediaDir(config));
  assert.equal(result.releases, 15);
  const { $ } = await get(app, '/');
  const first = $('.release-card').first().find('.card-title a').attr('href')!;
  const ids = (await app.services.releases.listPublic({}, 1, 50)).items.map((r) => r.id);
  let photos = 0;
  for (const id of ids) {
    const release = (await app.services.releases.findById(id))!;
    for (const photo of release.photos) {
      photos++;
      assert.match(photo.path, /^releases\/\d+\/[A-Za-z0-9_-]{16}\/original\.jpg$/);
      assert.deepEqual(photo.variants.map((v) => v.width), [480, 960, 1600]);
      for (const v of photo.variants) {
        assert.ok((await stat(path.join(mediaDir(config), v.webp))).isFile());
        assert.ok((await stat(path.join(mediaDir(config), v.jpeg))).isFile());
      }
    }
  }
  assert.ok(photos >= 10, `demo photos: ${photos}`);
  const page = await get(app, first);
  assert.equal(page.res.statusCode, 200);
});

test('a multipart upload streams into the store; over the limit it is refused as too large, not as damaged', async (t) => {
  const { createPhotoStore } = await import('../../src/modules/media/photos.service.ts');
  const { ValidationError } = await import('../../src/lib/errors.ts');
  const { default: Fastify } = await import('fastify');
  const { default: multipart } = await import('@fastify/multipart');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-upload-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = createPhotoStore({ mediaDir: dir, maxBytes: 300_000 });
  const app = Fastify();
  t.after(() => app.close());
  // As the admin routes should: multipart's own limit just above the store's, so the store names the refusal.
  await app.register(multipart, { limits: { fileSize: store.maxBytes + 1, files: 1 } });
  app.post('/upload', async (request, reply) => {
    const file = await request.file();
    if (!file) return reply.code(400).send({ error: 'no file' });
    try {
      return await store.storeUpload(1, file.file, file.filename);
    } catch (err) {
      if (err instanceof ValidationError) return reply.code(422).send(err.fields);
      throw err;
    }
  });
  const upload = (data: Buffer, name: string, type: string) => {
    const boundary = '----herold-test-boundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({ method: 'POST', url: '/upload', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  };

  const ok = await upload(await cameraJpeg(1200, 800), 'foto.jpg', 'image/jpeg');
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().variants.map((v: { width: number }) => v.width), [480, 960, 1200]);
  // A lying Content-Type changes nothing: the bytes decide.
  const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'foto.jpg', 'image/jpeg');
  assert.equal(svg.statusCode, 422);
  assert.deepEqual(svg.json(), { photo: 'unsupportedType' });
  const { randomBytes } = await import('node:crypto');
  const noise = await sharp(randomBytes(500 * 500 * 3), { raw: { width: 500, height: 500, channels: 3 } }).png().toBuffer();
  assert.ok(noise.length > 300_001);
  const big = await upload(noise, 'gross.png', 'image/png');
  assert.equal(big.statusCode, 422);
  assert.deepEqual(big.json(), { photo: 'tooLarge' });
});
