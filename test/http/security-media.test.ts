// Findings 8, 9 and 12 (preview links) of the attack on a running instance (issue 20):
// - a withdrawn release still named its photos (og:image, JSON-LD) and its files stayed public;
// - /media/releases/{id}/ answered 403 for a scheduled release with photos and 404 otherwise, a
//   scheduled release's files were served to anyone with the exact URL, and scheduling or editing an
//   unpublished release moved the site-wide Last-Modified, the ETags and empty feeds' <updated>;
// - preview links stayed valid after publication and withdrawal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, releaseInput } from '../helpers/factories.ts';
import { createUser, pngImage } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import type { Services } from '../../src/services.ts';

/** A release with one real photo (original and variants on disk); returns the URLs of its files. */
const withPhoto = async (services: Services, releaseId: number) => {
  const stored = await services.photos.storeUpload(releaseId, await pngImage(640, 480), 'bild.png');
  await services.releasePhotos.addPhoto(releaseId, { ...stored, alt: 'Das Bild', caption: 'Bildunterschrift', credit: 'Amt' });
  return [stored.path, ...stored.variants.flatMap((v) => [v.webp, v.jpeg])].map((p) => `/media/${p}`);
};

/** What tells one answer from another, but for the clock, the rate limiter's count and the URL asked for (in the page's language link). */
const shape = (res: LightMyRequestResponse, url: string) => ({
  status: res.statusCode,
  body: res.body.replaceAll(encodeURIComponent(url), 'URL'),
  headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => !['date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-length'].includes(k))),
});

const get = (app: FastifyInstance, url: string, cookie = '') => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/** An office `amt` with an editor, and a browser of that editor that logs in when asked to. */
const setup = async (t: Parameters<typeof buildTestApp>[0]) => {
  const ctx = await buildTestApp(t);
  const { services } = ctx.app;
  const office = await createOffice(services, { slug: 'amt', name: 'Amt' });
  await createUser(services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  const editor = async () => {
    const anna = new Browser(ctx.app);
    await anna.login('anna@amt.example');
    return anna;
  };
  return { ...ctx, services, office, editor };
};

test('a withdrawn release names none of its photos, and its files answer 410 to all but its office', async (t) => {
  const { app, services, office, editor } = await setup(t);
  const release = await createRelease(services, office.id, { title: 'Zurückgezogene Mitteilung' }, { status: 'draft' });
  const files = await withPhoto(services, release.id);
  await services.releases.publish(release.id);
  const page = `/releases/${release.id}-${release.slug}`;

  const before = cheerio.load((await get(app, page)).body);
  assert.match(before('meta[property="og:image"]').attr('content')!, /\/media\/releases\//);
  assert.match(before('script[type="application/ld+json"]').text(), /"image"/);
  for (const url of files) assert.equal((await get(app, url)).statusCode, 200, url);

  await services.releases.withdraw(release.id, 'Falsche Zahlen.');
  const res = await get(app, page);
  assert.equal(res.statusCode, 200);
  const $ = cheerio.load(res.body);
  assert.match($('.withdrawn-notice').text(), /Falsche Zahlen\./);
  assert.equal($('meta[property="og:image"]').length, 0);
  assert.doesNotMatch($('script[type="application/ld+json"]').text(), /"image"|\/media\//);
  assert.doesNotMatch(res.body, /\/media\/releases\//);
  for (const url of files) {
    const file = await get(app, url);
    assert.equal(file.statusCode, 410, url);
    assert.equal(file.headers['cache-control'], 'no-store');
  }
  // Its office still sees its files (in the admin area), never cached.
  const own = await (await editor()).request('GET', files[0]!);
  assert.equal(own.statusCode, 200);
  assert.equal(own.headers['cache-control'], 'private, no-store');
});

test('media of an unpublished release answer exactly like missing media, but to its preview link and its office', async (t) => {
  const { app, clock, services, office, editor } = await setup(t);
  const plain = await createRelease(services, office.id, { title: 'Ohne Bild' }, { status: 'draft' });
  const scheduled = await createRelease(services, office.id, { title: 'Mit Sperrfrist' }, { status: 'draft' });
  const files = await withPhoto(services, scheduled.id);
  await services.releases.schedule(scheduled.id, '2026-03-10T12:00:00.000Z');

  // The folder of a release with photos, of one without, of one that does not exist: one answer.
  const folders = [`/media/releases/${scheduled.id}/`, `/media/releases/${plain.id}/`, '/media/releases/999/', `/media/releases/${scheduled.id}/${files[0]!.split('/')[4]}/`];
  const missingShape = shape(await get(app, folders[2]!), folders[2]!);
  assert.equal(missingShape.status, 404);
  assert.match(missingShape.body, /Seite nicht gefunden/);
  for (const url of folders) assert.deepEqual(shape(await get(app, url), url), missingShape, url);
  // The exact file answers like the same name in a release without it.
  for (const url of files) {
    const elsewhere = url.replace(`/releases/${scheduled.id}/`, `/releases/${plain.id}/`);
    assert.deepEqual(shape(await get(app, url), url), shape(await get(app, elsewhere), elsewhere), url);
  }

  // The preview link's page loads them; its cookie opens this release's files only.
  const token = (await services.releases.findPreviewToken(scheduled.id))!;
  const preview = await get(app, `/preview/${token}`);
  assert.equal(preview.statusCode, 200);
  const cookie = (preview.cookies as { name: string; value: string; path?: string }[]).find((c) => c.name === `herold_preview_${scheduled.id}`)!;
  assert.equal(cookie.path, `/media/releases/${scheduled.id}/`);
  const previewed = await get(app, files[0]!, `${cookie.name}=${cookie.value}`);
  assert.equal(previewed.statusCode, 200);
  assert.equal(previewed.headers['cache-control'], 'private, no-store');
  assert.equal((await get(app, files[0]!, `${cookie.name}=${'x'.repeat(cookie.value.length)}`)).statusCode, 404);
  assert.equal((await get(app, files[0]!, `herold_preview_${plain.id}=${cookie.value}`)).statusCode, 404);
  // Its office sees them in the editor.
  assert.equal((await (await editor()).request('GET', files[1]!)).statusCode, 200);

  // From its time on, everyone does.
  clock.set('2026-03-10T12:00:01.000Z');
  const open = await get(app, files[0]!);
  assert.equal(open.statusCode, 200);
  assert.equal(open.headers['cache-control'], 'public, max-age=3600');
});

test('scheduling, editing or adding a photo to an unpublished release leaves the public validators alone', async (t) => {
  const { app, clock, services, office } = await setup(t);
  const validators = async () => {
    const out: Record<string, unknown> = {};
    for (const url of ['/', '/feed.rss', '/feed.atom', '/offices/amt/feed.json']) {
      const res = await get(app, url);
      assert.equal(res.statusCode, 200, url);
      out[url] = { etag: res.headers.etag, lastModified: res.headers['last-modified'], body: res.body };
    }
    return out;
  };
  const before = await validators();
  assert.match(JSON.stringify(before), /feed/);

  clock.advance(60_000);
  const draft = await createRelease(services, office.id, { title: 'Geheimer Entwurf' }, { status: 'draft' });
  clock.advance(60_000);
  await withPhoto(services, draft.id);
  clock.advance(60_000);
  await services.releases.schedule(draft.id, '2026-03-12T08:00:00.000Z');
  clock.advance(60_000);
  await services.releases.update(draft.id, releaseInput({ title: 'Geheimer Entwurf, neu' }));
  clock.advance(60_000);
  const scheduled = await createRelease(services, office.id, { title: 'Gleich geplant' }, { status: 'scheduled', publishAt: '2026-03-12T09:00:00.000Z' });
  clock.advance(60_000);
  await services.releases.unschedule(scheduled.id);
  clock.advance(2_000); // past the content version's one-second memo
  assert.deepEqual(await validators(), before);

  // A public change moves them.
  clock.advance(60_000);
  await createRelease(services, office.id, { title: 'Öffentlich' });
  clock.advance(2_000);
  const after = await validators();
  for (const url of Object.keys(before)) assert.notDeepEqual(after[url], before[url], url);
});

test('a preview link shows only the public page once the release is published or withdrawn', async (t) => {
  const { app, services, office } = await setup(t);
  const release = await createRelease(services, office.id, { title: 'Vorschau erst' }, { status: 'draft' });
  await withPhoto(services, release.id);
  const token = (await services.releases.findPreviewToken(release.id))!;
  const draft = await get(app, `/preview/${token}`);
  assert.equal(draft.statusCode, 200);
  assert.equal(cheerio.load(draft.body)('.preview-banner').text(), 'Vorschau – nicht veröffentlicht');

  await services.releases.publish(release.id);
  const published = await get(app, `/preview/${token}`);
  assert.equal(published.statusCode, 303);
  assert.equal(published.headers.location, `/releases/${release.id}-${release.slug}`);

  await services.releases.withdraw(release.id, 'Zurück.');
  const withdrawn = await get(app, `/preview/${token}`);
  assert.equal(withdrawn.statusCode, 303);
  assert.equal(withdrawn.headers.location, `/releases/${release.id}-${release.slug}`);
  const page = cheerio.load((await get(app, String(withdrawn.headers.location))).body);
  assert.match(page('.withdrawn-notice').text(), /Zurück\./);
  assert.equal(page('img[src*="/media/releases/"]').length, 0);
});
