// The embargo walk of a pre-released release: a unique word in its title (so in its slug and every
// file name made from it), body, photo caption, the photo's upload name and the attachment's title
// (its download name). While it is embargoed and sent to a journalist who opened it and downloaded
// everything, every public URL (pages, listings, archive, feeds, search and search feeds, sitemap,
// OPML, API, embeds, the fediverse side, the pages and JSON-LD of other releases) answers exactly
// as before the release existed, and its own URLs, photos and attachment are refused. A second
// after its time (and the publish job that runs then) the word is on every channel that lists it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice, createRelease, ensureTerms, releaseInput } from '../helpers/factories.ts';
import { pdfDocument } from '../helpers/documents.ts';
import { createJournalist, jpegImage } from '../helpers/journalists.ts';
import { linkIn } from '../helpers/smtp.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';
import { acceptOf, PUBLIC_URLS } from '../helpers/public-urls.ts';

const WORD = 'Schneeleopardenzaehlung';
const TITLE = `${WORD} im Nordkreis beginnt`;

/** The search and feed variants that ask for the word itself, and the feeds of the searches. */
const WORD_URLS = [
  `/search?q=${WORD}`,
  `/search?q=${WORD.toLowerCase()}`,
  '/search?q=schneeleopard*',
  `/search?q=${WORD}&office=amt`,
  `/search?q=${WORD}&topic=umwelt&region=nordkreis`,
  `/search?q=%22${WORD}+im%22`,
  `/search?q=${WORD}&sort=date`,
  ...['rss', 'atom', 'json'].flatMap((f) => [`/search/feed.${f}?q=${WORD}`, `/search/feed.${f}?q=Nordkreis`, `/search/feed.${f}?q=Nordkreis&office=amt`]),
  `/api/v1/releases?q=${WORD}`,
  `/api/v1/releases?q=${WORD}&office=amt`,
  '/offices/amt/feeds.opml',
  '/offices/amt/embed',
  '/regions/nordkreis/embed',
];

/** A page as a user sees it, without per-request tokens (CSRF, CSP nonces). */
const normalise = (body: string) =>
  body
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/"(?:[A-Za-z0-9_-]{20,})"/g, (m) => (/^"[a-z-]+"$/.test(m) ? m : '"TOKEN"'));

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: { accept: acceptOf(url) } });

/**
 * Occurrences of the word in a body. A page repeats the path it was asked for in its language
 * switch (`/language/en?next=…`), which is the asker's own words and left out; a search page repeats
 * its query, so list URLs are compared with their count before the release existed.
 */
const count = (body: string): number => (body.replace(/next=[^"&\s]*/g, '').match(new RegExp(WORD, 'gi')) ?? []).length;

test('an embargoed pre-release is on no public URL before its time, and on every listing a second after it', async (t) => {
  const mailer = createMemoryMailer();
  const { app, clock, db } = await buildTestApp(t, { mailer });
  const { services } = app;
  await ensureTerms(services);
  const office = await createOffice(services, { slug: 'amt', name: 'Kreisamt' });
  const other = await createOffice(services, { slug: 'nachbar', name: 'Nachbaramt' });
  const visible = await createRelease(services, office.id, { title: 'Neue Radwege im Nordkreis', topics: ['umwelt'], regions: ['nordkreis'] });
  const neighbour = await createRelease(services, other.id, { title: 'Nachbarn bauen auch Radwege', topics: ['umwelt'] });
  // Their pages carry JSON-LD and lists of releases beside them (more from the office, related).
  const otherPages = [visible, neighbour].flatMap((r) => [`/releases/${r.id}-${r.slug}`, `/releases/${r.id}`, `/releases/${r.id}.txt`, `/releases/${r.id}/press-kit.zip`, `/api/v1/releases/${r.id}`, `/ap/releases/${r.id}`]);
  const journalist = await createJournalist(db.db, { name: 'Jana Reporter', medium: 'Tagblatt', officeId: office.id });

  const listUrls = [...new Set([...PUBLIC_URLS, ...WORD_URLS, ...otherPages])];
  const baseline = new Map<string, { status: number; body: string; words: number }>();
  for (const url of listUrls) {
    const res = await get(app, url);
    baseline.set(url, { status: res.statusCode, body: normalise(res.body), words: count(res.body) });
  }
  const before = (url: string) => baseline.get(url)?.words ?? 0;

  // The release: the word in title, body, caption, the photo's upload name and the attachment's title.
  const at = '2026-03-10T12:00:00.000Z';
  const draft = await services.releases.create(office.id, releaseInput({ title: TITLE, bodyMarkdown: `Die ${WORD} startet am Mittag. Nordkreis.`, releaseDate: '2026-03-10', topics: ['umwelt'], regions: ['nordkreis'] }), { status: 'draft' });
  const photo = await services.photos.storeUpload(draft.id, await jpegImage(1200, 800), `${WORD}-foto.jpg`);
  await services.releaseFiles.addPhoto(draft.id, { ...photo, alt: 'Ein Schneeleopard', caption: `Zur ${WORD}: ein Tier im Schnee.`, credit: 'Foto: Kreisamt' });
  const document = await services.attachments.storeAttachment(draft.id, pdfDocument(), `${WORD} Zählbogen`);
  await services.releaseFiles.addAttachment(draft.id, { ...document, title: `${WORD} Zählbogen` });
  await services.releases.schedule(draft.id, at);
  const release = (await services.releases.findById(draft.id))!;
  assert.ok(release.slug.includes(WORD.toLowerCase()), 'the word is in the slug, so in every file name made from it');

  // Sent ahead, opened, everything downloaded: the stamped copies exist now.
  await services.prereleases.send(release, [journalist.id]);
  await services.mail.sendDue();
  const personal = new URL(linkIn(mailer.sent.at(-1)!.text, '/embargo/')).pathname;
  const opened = await app.inject({ method: 'GET', url: personal });
  assert.equal(opened.statusCode, 200);
  assert.ok(opened.body.includes(WORD), 'the personal page shows it (the walk below can fail)');
  for (const url of [`${personal}/press-kit.zip`, `${personal}/text.txt`]) assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);

  // Its own public URLs and files, by every name a guess might try.
  const downloadName = `${release.slug}-${release.id}-foto-1.jpg`;
  const ownUrls = [
    `/releases/${release.id}-${release.slug}`,
    `/releases/${release.id}`,
    `/releases/${release.id}.txt`,
    `/releases/${release.id}.sig`,
    `/releases/${release.id}/press-kit.zip`,
    `/releases/${release.id}/photos/${downloadName}`,
    `/api/v1/releases/${release.id}`,
    `/ap/releases/${release.id}`,
    `/verify?url=${encodeURIComponent(`http://herold.test/releases/${release.id}`)}`,
    ...[release.photos[0]!.path, ...release.photos[0]!.variants.flatMap((v) => [v.webp, v.jpeg]), release.attachments[0]!.path].map((p) => `/media/${p}`),
  ];

  let walked = 0;
  const mails = mailer.sent.length;
  for (const url of listUrls) {
    const res = await get(app, url);
    walked++;
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    assert.equal(count(res.body), before(url), `${url} shows the word before its time`);
    assert.equal(res.statusCode, baseline.get(url)!.status, `${url}: status`);
    assert.equal(normalise(res.body), baseline.get(url)!.body, `${url} differs from before the release existed`);
  }
  for (const url of ownUrls) {
    const res = await get(app, url);
    walked++;
    assert.ok(res.statusCode === 404 || (url.startsWith('/verify') && res.statusCode === 200), `${url}: ${res.statusCode}`);
    assert.equal(count(res.body), 0, `${url} shows the word before its time: ${res.body.match(new RegExp(`.{150}${WORD}.{80}`, "is"))?.[0]}`);
  }
  await services.mail.fanOut();
  await services.mail.runDigests();
  await services.mail.sendDue();
  assert.equal(mailer.sent.length, mails, 'no subscriber mail before the time');
  t.diagnostic(`embargo walk: ${walked} URLs before the time (${listUrls.length} public, ${ownUrls.length} of the release itself)`);

  // A second after the time, once the publish job has run (its timer fires at the time).
  clock.set('2026-03-10T12:00:01.000Z');
  await services.releases.publishDue();
  const present = [
    '/',
    '/offices/amt',
    '/topics/umwelt',
    '/regions/nordkreis',
    '/archive/2026/03',
    '/sitemaps/releases-2026-03.xml',
    ...['', '/offices/amt', '/topics/umwelt', '/regions/nordkreis'].flatMap((l) => ['rss', 'atom', 'json'].map((f) => `${l}/feed.${f}`)),
    `/search?q=${WORD}`,
    '/search?q=schneeleopard*',
    `/search?q=${WORD}&topic=umwelt&region=nordkreis`,
    ...['rss', 'atom', 'json'].map((f) => `/search/feed.${f}?q=${WORD}`),
    '/api/v1/releases',
    `/api/v1/releases?q=${WORD}`,
    '/offices/amt/embed',
    '/topics/umwelt/embed',
    '/regions/nordkreis/embed',
    `/releases/${release.id}-${release.slug}`,
    `/releases/${release.id}.txt`,
    `/api/v1/releases/${release.id}`,
    `/releases/${release.id}/press-kit.zip`,
  ];
  for (const url of present) {
    const res = await get(app, url);
    assert.equal(res.statusCode, 200, url);
    assert.ok(count(res.body) > before(url), `${url} has the word after its time`);
  }
  const served = [`/releases/${release.id}/photos/${downloadName}`, ...ownUrls.filter((u) => u.startsWith('/media/'))];
  for (const url of served) assert.equal((await get(app, url)).statusCode, 200, url);
  // The personal link now leads to the public page.
  assert.equal((await app.inject({ method: 'GET', url: personal })).headers.location, `/releases/${release.id}-${release.slug}`);
  t.diagnostic(`after the time: ${present.length} URLs show the word, ${served.length} photo and attachment URLs serve its files`);
});
