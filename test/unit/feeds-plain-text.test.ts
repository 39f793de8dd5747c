// Finding 10 of the attack on a running instance (issue 20): RSS titles carried raw markup
// (`<title><![CDATA[X1 <script>…]]></title>`), and so did photo captions (media:description).
// RSS titles, captions and credits are plain text: `&` and `<` as `&#x26;` and `&#x3C;` (the RSS
// Best Practices Profile), never CDATA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { feedText } from '../../src/modules/feeds/feeds.builder.ts';
import { createUrls } from '../../src/lib/urls.ts';
import { feedItem, parseFeed, parseXml } from '../helpers/feeds.ts';

const t = createTranslator('de', 'Europe/Berlin');
const TITLE = 'X1 <script>alert(1)</script> & <b>fett</b>';
const CAPTION = 'Foto <img src=x onerror=alert(2)> & Co.';

const urls = createUrls('https://presse.example');
const release = feedItem(
  {
    slug: 'x1',
    title: TITLE,
    summary: 'Kurz <i>und</i> gut.',
    createdAt: '2026-03-09T08:00:00.000Z',
    updatedAt: '2026-03-09T08:00:00.000Z',
    office: { id: 1, slug: 'amt', name: 'Amt & Co' },
    photos: [{ id: 1, path: 'releases/7/a.jpg', alt: 'Bild', caption: CAPTION, credit: 'Foto: <u>Amt</u>', position: 0, width: 800, height: 600, mime: 'image/jpeg', bytes: 1000, variants: [] }],
  },
  urls,
);

const rss = () =>
  feedText({ items: [release], urls, listing: { title: 'Amt <&> Co – Herold', description: 'Mitteilungen', path: '/offices/amt', language: 'de' }, t, emptyUpdated: '2026-01-01T00:00:00.000Z' }, 'rss');

test('RSS titles, photo captions and credits are plain text, with & and < as hexadecimal references', () => {
  const body = rss();
  const item = /<item>[\s\S]*<\/item>/.exec(body)![0];
  const title = /<title>([^<]*)<\/title>/.exec(item)?.[1];
  assert.equal(title, 'X1 &#x3C;script&gt;alert(1)&#x3C;/script&gt; &#x26; &#x3C;b&gt;fett&#x3C;/b&gt;');
  const caption = /<media:description type="plain">([^<]*)<\/media:description>/.exec(item)?.[1];
  assert.equal(caption, 'Foto &#x3C;img src=x onerror=alert(2)&gt; &#x26; Co.');
  assert.equal(/<media:credit>([^<]*)<\/media:credit>/.exec(item)?.[1], 'Foto: &#x3C;u&gt;Amt&#x3C;/u&gt;');
  // The channel's title is plain text too.
  assert.equal(/<channel>\s*<title>([^<]*)<\/title>/.exec(body)?.[1], 'Amt &#x3C;&#x26;&gt; Co – Herold');
  for (const element of ['title', 'media:description', 'media:credit']) assert.doesNotMatch(body, new RegExp(`<${element}[^>]*><!\\[CDATA\\[`), element);

  // A reader gets exactly the text that was written; the description and content stay HTML.
  const [parsed] = parseFeed('rss', body).items;
  assert.equal(parsed!.title, TITLE);
  assert.equal(parsed!.summary, 'Kurz <i>und</i> gut.');
  const media = parseXml(body).rss.channel.item[0]['media:content'];
  assert.equal(media['media:description']['#text'], CAPTION);
  assert.equal(media['media:credit'], 'Foto: <u>Amt</u>');
  assert.equal(parseXml(body).rss.channel.title, 'Amt <&> Co – Herold');
});
