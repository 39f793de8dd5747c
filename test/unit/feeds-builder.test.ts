import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { trustHtml } from '../../src/lib/safe-html.ts';
import { cleanText, createFeedItemCache, feedBody, feedText, type FeedInput, type FeedItemCache } from '../../src/modules/feeds/feeds.builder.ts';
import { absolutizeHtml } from '../../src/content/release-html.ts';
import { createUrls } from '../../src/lib/urls.ts';
import type { Photo, Release } from '../../src/modules/releases/release.ts';
import { feedItem, parseFeed, parseXml, FORMATS } from '../helpers/feeds.ts';

const t = createTranslator('de', 'Europe/Berlin');
const urls = createUrls('https://presse.example');

/** A release as the feed gets it: through the presenter; `leadPhoto` is its only photo. */
const summary = (overrides: Partial<Release> & { leadPhoto?: Photo } = {}) => {
  const { leadPhoto, ...rest } = overrides;
  return feedItem({ photos: leadPhoto ? [leadPhoto] : [], ...rest }, urls);
};

const input = (items: ReturnType<typeof summary>[]): FeedInput => ({
  items,
  urls,
  listing: { title: 'Amt – Herold', description: 'Mitteilungen', path: '/offices/amt', language: 'de' },
  t,
  emptyUpdated: '2026-01-01T00:00:00.000Z',
});

test('cleanText strips what XML 1.0 forbids and keeps everything else', () => {
  assert.equal(cleanText('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg\u007Fh\u0085i'), 'abcdefghi');
  assert.equal(cleanText('tab\tlf\ncr\r'), 'tab\tlf\ncr\r');
  assert.equal(cleanText('😀 Größe \uD83D x \uDE00'), '😀 Größe  x ');
});

test('text survives the XML writer exactly, however often it holds ]]> or entities', () => {
  const nasty = 'A ]]> B ]]> C ]]]]> D &amp; E &lt; F & G < H > "I" \'J\' <![CDATA[ K';
  for (const format of FORMATS) {
    const body = feedText(input([summary({ title: nasty, summary: nasty, bodyHtml: trustHtml(`<p>${nasty.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`) })]), format);
    const [item] = parseFeed(format, body).items;
    assert.equal(item!.title, nasty, format);
    assert.equal(item!.summary, nasty, format);
  }
});

test('an item is updated when it went public at the earliest; an empty feed takes the given time', () => {
  const [item] = parseFeed('atom', feedText(input([summary()]), 'atom')).items;
  assert.equal(item!.updated, '2026-03-09T08:00:00.000Z');
  const empty = parseXml(feedText(input([]), 'atom')).feed;
  assert.equal(empty.updated, '2026-01-01T00:00:00.000Z');
  assert.equal(empty.entry, undefined);
});

test('absolutizeHtml makes links and images absolute and leaves schemes alone', () => {
  const page = 'https://presse.example/releases/7-titel';
  assert.equal(
    absolutizeHtml(trustHtml('<p><a href="/offices/amt">a</a> <a href="#teil">b</a> <a href="anhang.pdf?x=1&amp;y=2">c</a> <img src="/media/x.jpg" alt="href=&quot;/nix&quot;"></p>'), page),
    '<p><a href="https://presse.example/offices/amt">a</a> <a href="https://presse.example/releases/7-titel#teil">b</a> <a href="https://presse.example/releases/anhang.pdf?x=1&amp;y=2">c</a> <img src="https://presse.example/media/x.jpg" alt="href=&quot;/nix&quot;"></p>',
  );
  const kept = '<a href="https://else.example/a?b=1&amp;c=2" rel="noopener noreferrer">x</a> <a href="mailto:presse@amt.example">m</a> <a href="tel:+49123">t</a> href="/text"';
  assert.equal(absolutizeHtml(trustHtml(kept), page), kept);
});

test('Atom enclosures carry the photo\'s real type', () => {
  const photo = { id: 1, path: 'releases/7/1-original.jpg', alt: '', caption: '', credit: '', position: 0, width: 0, height: 0, mime: 'image/jpeg', bytes: 1234, variants: [] };
  const [item] = parseFeed('atom', feedText(input([summary({ leadPhoto: photo })]), 'atom')).items;
  assert.deepEqual(item!.enclosure, { url: 'https://presse.example/media/releases/7/1-original.jpg', type: 'image/jpeg', length: 1234 });
  const unknownMime = { ...photo, path: 'releases/7/2.png', mime: '' };
  const [png] = parseFeed('rss', feedText(input([summary({ leadPhoto: unknownMime })]), 'rss')).items;
  assert.equal(png!.enclosure?.type, 'image/png');
});

test('items written once and kept give the same feed, byte for byte; a changed release is written again', () => {
  const photo = { id: 1, path: 'releases/7/1-original.jpg', alt: 'Ein Bus', caption: 'Der Bus <neu> & ]]> alt', credit: 'Foto: Amt', position: 0, width: 1600, height: 1067, mime: 'image/jpeg', bytes: 1234, variants: [] };
  const attachment = { id: 2, title: 'Plan & Karte', path: 'releases/8/plan.pdf', mime: 'application/pdf', bytes: 999, sha256: 'ab', position: 0 };
  const releases = [
    summary({ id: 7, slug: 'bus', title: 'Neue Busse <für> „alle“ & mehr ]]>', leadPhoto: photo, topics: [{ slug: 'verkehr', name: 'Verkehr & Mobilität' }] as never }),
    summary({ id: 8, slug: 'plan', title: 'Plan', attachments: [attachment] as never, regions: [{ slug: 'nord', name: 'Nord' }] as never, updatedAt: '2026-03-10T07:00:00.000Z' }),
    summary({ id: 9, slug: 'text', title: 'Nur Text', bodyHtml: trustHtml('<p>Absatz mit <a href="/offices/amt">Link</a> und 😀</p>') }),
  ];
  const writes = { n: 0 };
  const counted = (cache: FeedItemCache): FeedItemCache => ({ get: (k) => cache.get(k), set: (k, v) => (writes.n++, cache.set(k, v)) });
  for (const format of FORMATS) {
    const cache = counted(createFeedItemCache());
    writes.n = 0;
    const once = feedText(input(releases), format);
    assert.equal(feedBody(input(releases), format, cache).toString('utf8'), once, `${format}: first, every item written`);
    const firstWrites = writes.n;
    assert.equal(feedBody(input(releases), format, cache).toString('utf8'), once, `${format}: again, from the cache`);
    assert.equal(writes.n, firstWrites, `${format}: nothing written again`);
    // One release corrected, one new on top: those two are written, the others are kept.
    const changed = [summary({ id: 10, slug: 'neu', title: 'Ganz neu' }), { ...releases[0]!, title: 'Neue Busse, korrigiert' }, releases[1]!, releases[2]!];
    assert.equal(feedBody(input(changed), format, cache).toString('utf8'), feedText(input(changed), format), `${format}: after a change`);
    if (format !== 'json') assert.equal(writes.n, firstWrites + 2, `${format}: the new and the changed release only`);
    assert.equal(feedBody(input([]), format, cache).toString('utf8'), feedText(input([]), format), `${format}: empty`);
    assert.equal(feedBody(input([releases[1]!]), format, cache).toString('utf8'), feedText(input([releases[1]!]), format), `${format}: one item`);
    const twenty = Array.from({ length: 20 }, (_, i) => summary({ id: 100 + i, slug: `r${i}`, title: `Meldung ${i} & mehr`, ...(i % 3 === 1 ? { leadPhoto: photo } : {}) }));
    assert.equal(feedBody(input(twenty), format, cache).toString('utf8'), feedText(input(twenty), format), `${format}: twenty items`);
  }
});

test('the item cache keeps at most its bytes, the least recently used going first', () => {
  const cache = createFeedItemCache(100);
  const bytes = (c: string) => Buffer.from(c.repeat(40));
  cache.set('a', bytes('x'));
  cache.set('b', bytes('y'));
  assert.deepEqual(cache.get('a'), bytes('x'));
  cache.set('c', bytes('z'));
  assert.equal(cache.get('b'), undefined, 'b was used least recently');
  assert.deepEqual(cache.get('a'), bytes('x'));
  assert.deepEqual(cache.get('c'), bytes('z'));
});
