// Pure: the presenter's views of releases (content/release-view.ts) + the link builder + listing meta
// → a Feed of the `feed` package, and its text in RSS 2.0, Atom 1.0 or JSON Feed 1.1. An item's
// content is the release as HTML that leaves the site (content/release-html.ts: every correction,
// newest first, the body, every photo with caption and credit, the contact block and the notice),
// as in the HTML part of mail. Reads no globals; the routes pass everything in.
//
// The `feed` package (v6, over xml-js) needs help to write well-formed, correct XML whatever the text
// holds, so every string goes through one of the helpers below before it reaches the package:
// - xml-js escapes `&`, `<`, `>` in text but first turns every `&amp;` back into `&` (xmlText);
// - it splits only the first `]]>` of a CDATA section (cdata);
// - it escapes only `"` in attributes, and the package adds `&amp;` to some (attrText, attrUrl);
// - Atom enclosures get the type `image/<file extension>` (fixed in renderFeed);
// - characters XML 1.0 forbids pass straight through (cleanText strips them everywhere, JSON too).
import { Feed, type Category, type Extension, type Item } from 'feed';
import type { Translator } from '../../i18n/i18n.ts';
import { escapeHtml } from '../../lib/safe-html.ts';
import { ownedUtf8 } from '../../lib/owned-bytes.ts';
import type { FeedFormat } from '../../lib/feed-formats.ts';
import type { Urls } from '../../lib/urls.ts';
import { creditWithLabel, viewDigest, type PhotoView, type PortableReleaseView, type ReleaseView } from '../../content/release-view.ts';
import { renderReleaseHtml } from '../../content/release-html.ts';

export const GENERATOR = 'Herold';

/** What a feed is the feed of. */
export interface FeedListing {
  title: string;
  description: string;
  /** Path of the listing page: `/`, `/offices/{slug}`, `/topics/{slug}`, `/regions/{slug}`, `/search`. */
  path: string;
  /** Query string (without `?`) the listing page and its feeds carry: a search's parameters. */
  query?: string;
  /** The `limit` the feed was asked for: its self link repeats it (the validator's SelfDoesntMatchLocation). */
  limit?: number;
  language: 'de' | 'en';
  /** Absolute URL of the office's logo, where it has one. */
  image?: string | null;
  /** Absolute URL of the site's icon. */
  icon?: string | null;
}

export interface FeedInput {
  items: readonly ReleaseView[];
  urls: Urls;
  listing: FeedListing;
  /** Texts inside items (correction and photo credit labels) and their dates. */
  t: Translator;
  /** WEBSUB_HUB, or null. */
  hub?: string | null;
  /** `updated` of a feed without items (ISO). */
  emptyUpdated: string;
}

// --- Text for the XML writer --------------------------------------------------------------------

/** Characters XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/U+FFFF) and the C1 controls it discourages. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character FORBIDDEN may remove: a cheap test without look-arounds, true for every surrogate (pairs included). */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/;

// Nearly every text is clean: the test is several times cheaper than a replace with look-arounds
// over a whole release body (a quarter of a feed's build time before).
export const cleanText = (text: string): string => (SUSPECT.test(text) ? text.replace(FORBIDDEN, '') : text);

/** For text nodes: xml-js un-escapes `&amp;` before escaping, so each `&` is escaped once more here. */
export const xmlText = (text: string): string => cleanText(text).replace(/&/g, '&amp;');

/** For CDATA: xml-js splits only the first `]]>`; the others are split here, the same way. */
export const cdata = (text: string): string => {
  const clean = cleanText(text);
  const first = clean.indexOf(']]>');
  if (first === -1) return clean;
  return clean.slice(0, first + 3) + clean.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
};

/**
 * For attributes the package escapes `&` in (Atom category term and label): xml-js escapes only `"`,
 * and no entity survives the package's `&` escaping, so a `<` (never valid in an attribute) becomes
 * the full-width `＜`.
 */
const attrText = (text: string): string => cleanText(text).replace(/</g, '\uFF1C');

/** An absolute URL for an attribute we write ourselves (media:content). */
const attrUrl = (url: string): string => new URL(url).href.replace(/&/g, '&amp;').replace(/"/g, '%22').replace(/</g, '%3C');

// --- Content ------------------------------------------------------------------------------------

const MIME_BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif' };

const photoMime = (photo: PhotoView, url: string): string => {
  if (/^[a-z]+\/[a-z0-9.+-]+$/i.test(photo.mime)) return photo.mime.toLowerCase();
  return MIME_BY_EXTENSION[(url.split('.').pop() ?? '').toLowerCase()] ?? 'application/octet-stream';
};

interface Enclosure {
  url: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  caption: string;
  credit: string;
}

/** The enclosure of an item: the release's first photo with a file, the original. */
const enclosureOf = (r: PortableReleaseView, t: Translator): Enclosure | null => {
  const photo = r.photos.find((p) => p.original);
  if (!photo?.original) return null;
  return {
    url: photo.original.url,
    mime: photoMime(photo, photo.original.url),
    bytes: photo.bytes,
    width: photo.width,
    height: photo.height,
    caption: cleanText(photo.caption),
    credit: cleanText(creditWithLabel(photo.credit, (credit) => t.t('release.photoCredit', { credit }))),
  };
};

/** The release's attachments as enclosures: each document with its type, size and title. */
const documentsOf = (r: PortableReleaseView) => r.attachments.map((a) => ({ url: a.download.url, mime: a.mime, bytes: a.bytes, title: cleanText(a.name) }));

/** An Atom `link rel="enclosure"` of a document, written by renderFeed (the package writes one enclosure only). */
const atomEnclosure = (d: ReturnType<typeof documentsOf>[number]): string =>
  `<link rel="enclosure" href="${xmlAttr(d.url)}" type="${xmlAttr(d.mime)}" length="${d.bytes}" title="${xmlAttr(d.title)}"/>`;

const latest = (a: string, b: string): string => (a > b ? a : b);

// --- The feed -----------------------------------------------------------------------------------

const ext = (name: string, objects: unknown): Extension => ({ name, objects: objects as Record<string, unknown> });

/** The feed of a listing for one format, without its items: what every item of it shares. */
const feedHead = (input: FeedInput, format: FeedFormat): Feed => {
  const { items, urls, listing, hub = null } = input;
  const xml = format !== 'json';
  const text = xml ? xmlText : cleanText;
  const htmlUrl = urls.absolute(listing.query ? `${listing.path}?${listing.query}` : listing.path);
  const feedUrl = (f: FeedFormat) => urls.absolute(urls.feed(listing.path, f, listing.query ?? ''));
  // The self link is the address the feed was fetched from: with the `limit` asked for.
  const selfUrl = urls.absolute(urls.feed(listing.path, format, [listing.query ?? '', listing.limit !== undefined ? `limit=${listing.limit}` : ''].filter(Boolean).join('&')));
  const updated = items.reduce((max, r) => latest(max, r.updatedAt), '') || input.emptyUpdated;

  const feed = new Feed({
    id: xml ? xmlText(feedUrl(format)) : feedUrl(format),
    title: text(listing.title),
    description: text(listing.description),
    link: htmlUrl,
    language: listing.language,
    updated: new Date(updated),
    generator: GENERATOR,
    feedLinks: { [format]: selfUrl },
    ...(listing.image ? { image: text(listing.image) } : {}),
    ...(listing.icon ? { favicon: text(listing.icon) } : {}),
    ...(hub ? { hub } : {}),
  });

  if (format === 'json') {
    feed.addExtension(ext('version', 'https://jsonfeed.org/version/1.1'));
    feed.addExtension(ext('language', listing.language));
    if (listing.icon) feed.addExtension(ext('favicon', listing.icon));
    if (hub) feed.addExtension(ext('hubs', [{ type: 'WebSub', url: hub }]));
  }
  return feed;
};

/** One release as an item of the package, for one format: it depends on the release, the links and the texts only. */
const feedItem = (r: PortableReleaseView, urls: Urls, t: Translator, format: FeedFormat): Item => {
  const xml = format !== 'json';
  const pageUrl = r.links.page.url;
  const officeUrl = r.office.link.url;
  const photo = enclosureOf(r, t);
  const documents = documentsOf(r);
  const content = cleanText(renderReleaseHtml(r, t, { withTitle: false }));
  const summary = cleanText(r.summary).trim();
  const title = cleanText(r.title).trim();
  const terms = [
    ...r.topics.map((x) => ({ name: x.name, url: x.link.url, scheme: urls.absolute(urls.topics()) })),
    ...r.regions.map((x) => ({ name: x.name, url: x.link.url, scheme: urls.absolute(urls.regions()) })),
  ];
  const item: Item = {
    title: format === 'atom' ? cdata(escapeHtml(title)) : title,
    id: r.links.permanent.url,
    link: pageUrl,
    date: new Date(r.updatedAt),
    published: new Date(r.publishedAt ?? r.updatedAt),
    description: xml ? cdata(escapeHtml(summary)) : summary,
    content: xml ? cdata(content) : content,
  };
  const extensions: Extension[] = [];
  if (format === 'rss') {
    // The package writes RSS titles as CDATA, which readers take for HTML: ours is plain text (see renderFeed).
    extensions.push(ext('title', { _text: xmlText(title) }));
    item.guid = xmlText(r.links.permanent.url);
    item.category = terms.map((x): Category => ({ name: xmlText(x.name), domain: attrUrl(x.url) }));
    // One enclosure per file, the photo first: a reader that takes one gets the photo, as before.
    const enclosures = [...(photo ? [{ url: photo.url, mime: photo.mime, bytes: photo.bytes }] : []), ...documents];
    if (enclosures.length > 0) extensions.push(ext('enclosure', enclosures.map((e) => ({ _attributes: { length: e.bytes, type: e.mime, url: attrUrl(e.url) } }))));
    extensions.push(ext('dc:creator', { _text: xmlText(r.office.name) }));
    extensions.push(ext('atom:updated', { _text: item.date.toISOString() }));
    if (photo) {
      extensions.push(
        ext('media:content', {
          _attributes: {
            'xmlns:media': 'http://search.yahoo.com/mrss/',
            url: attrUrl(photo.url),
            type: photo.mime,
            medium: 'image',
            ...(photo.bytes > 0 ? { fileSize: photo.bytes } : {}),
            ...(photo.width > 0 && photo.height > 0 ? { width: photo.width, height: photo.height } : {}),
          },
          ...(photo.caption ? { 'media:description': { _attributes: { type: 'plain' }, _text: xmlText(photo.caption) } } : {}),
          ...(photo.credit ? { 'media:credit': { _text: xmlText(photo.credit) } } : {}),
        }),
      );
    }
  } else if (format === 'atom') {
    item.author = [{ name: xmlText(r.office.name), link: officeUrl }];
    item.category = terms.map((x): Category => ({ term: attrText(x.name), name: attrText(x.name), scheme: x.scheme }));
    if (photo) item.enclosure = { url: photo.url, type: photo.mime, length: photo.bytes };
    // Read by renderFeed, which writes them: the package's Atom writer knows one enclosure and no extensions.
    if (documents.length > 0) extensions.push(ext('atom:enclosures', documents));
  } else {
    item.author = [{ name: cleanText(r.office.name), link: officeUrl }];
    item.category = terms.map((x): Category => ({ name: cleanText(x.name) }));
    extensions.push(ext('authors', [{ name: cleanText(r.office.name), url: officeUrl }]));
    extensions.push(ext('language', r.language));
    if (photo) item.image = photo.url;
    const attachments = [
      ...(photo ? [{ url: photo.url, mime_type: photo.mime, ...(photo.caption ? { title: photo.caption } : {}), ...(photo.bytes > 0 ? { size_in_bytes: photo.bytes } : {}) }] : []),
      ...documents.map((d) => ({ url: d.url, mime_type: d.mime, title: d.title, size_in_bytes: d.bytes })),
    ];
    if (attachments.length > 0) extensions.push(ext('attachments', attachments));
  }
  if (extensions.length > 0) item.extensions = extensions;
  return item;
};

/** Builds the feed of a listing for one format (titles and summaries are written differently per format). */
export const buildFeed = (input: FeedInput, format: FeedFormat): Feed => {
  const feed = feedHead(input, format);
  for (const r of input.items) feed.addItem(feedItem(r, input.urls, input.t, format));
  return feed;
};

/** RSS elements that hold plain text, not HTML: titles, photo captions and credits. */
const RSS_PLAIN_TEXT = /<(title|media:description|media:credit)((?:\s[^>]*)?)>([^<]*)<\/\1>/g;

/**
 * Plain text in RSS, as the RSS Best Practices Profile asks: `&` and `<` as the hexadecimal
 * references `&#x26;` and `&#x3C;`, never CDATA, so no reader takes „X1 <script>“ in a title for
 * markup. In the writer's output a text node holds `&amp;` and `&lt;` exactly where the text has
 * `&` and `<` (xmlText), so they are swapped one for one.
 */
const rssPlainText = (xml: string): string =>
  xml.replace(RSS_PLAIN_TEXT, (_, name: string, attributes: string, text: string) => `<${name}${attributes}>${text.replace(/&(amp|lt);/g, (__, entity: string) => (entity === 'amp' ? '&#x26;' : '&#x3C;'))}</${name}>`);

/** The text of a feed built by buildFeed for the same format. */
export const renderFeed = (feed: Feed, format: FeedFormat): string => {
  if (format === 'rss') return rssPlainText(feed.rss2());
  if (format === 'json') return feed.json1();
  // The self link says what it links to, as the RSS feed's atom:link does.
  let xml = feed.atom1().replace(/<link rel="self" href="([^"]*)"\/>/, '<link rel="self" type="application/atom+xml" href="$1"/>');
  for (const item of feed.items) {
    // Each document as an enclosure link, after the entry's id (ids are unique permanent URLs).
    const documents = item.extensions?.find((e) => e.name === 'atom:enclosures')?.objects as unknown as ReturnType<typeof documentsOf> | undefined;
    if (documents?.length) {
      const id = `<id>${item.id!.replace(/&/g, '&amp;')}</id>`;
      xml = xml.replace(id, `${id}\n        ${documents.map(atomEnclosure).join('\n        ')}`);
    }
    // The package types Atom enclosures `image/<file extension>` (image/jpg); write the real type.
    const enclosure = item.enclosure;
    if (!enclosure?.type) continue;
    const href = new URL(enclosure.url).toString().replace(/&/g, '&amp;');
    const guessed = `image/${new URL(enclosure.url).pathname.split('.').slice(-1)[0]}`;
    xml = xml.replaceAll(`rel="enclosure" href="${href}" type="${guessed}"`, `rel="enclosure" href="${href}" type="${enclosure.type}"`);
  }
  return xml;
};

// --- Items written once --------------------------------------------------------------------------
//
// After any public change every feed is written anew (the page cache keys on the content version),
// yet nearly all of its items are the same releases as before: writing them through the package
// was most of a feed's time at first request. An item's text depends only on the release's view
// (with its office, terms, photos and corrections), the site's links and texts, and the format, so
// it is written once, through the package (in a feed of its own), and kept; the feed is then the
// package's text of its head with stand-in items, each replaced by its item's text: the same bytes.

/** How a written item starts and ends in RSS and Atom (no item holds these as text: its text is escaped or CDATA of sanitized HTML). */
const ITEM_TAGS = { rss: { open: '<item>', close: '</item>' }, atom: { open: '<entry>', close: '</entry>' } } as const;

/**
 * Written items, as UTF-8 bytes of their own, by a hash of their release's view, at most `maxBytes`
 * of them (least recently used go first). Bytes, not text: a feed of 20 releases is 115 KB, and
 * encoding its text for the answer (after joining it) took about a millisecond each time it was
 * written; its items' bytes are encoded once and copied.
 */
export interface FeedItemCache {
  get(key: string): Buffer | undefined;
  set(key: string, bytes: Buffer): void;
}

export const createFeedItemCache = (maxBytes = 8 * 1024 * 1024): FeedItemCache => {
  const entries = new Map<string, Buffer>();
  let bytes = 0;
  const size = (key: string, item: Buffer) => 2 * key.length + item.length;
  return {
    get(key) {
      const item = entries.get(key);
      if (item !== undefined) {
        entries.delete(key);
        entries.set(key, item);
      }
      return item;
    },
    set(key, item) {
      const old = entries.get(key);
      if (old !== undefined) bytes -= size(key, old);
      entries.delete(key);
      entries.set(key, item);
      bytes += size(key, item);
      for (const [k, v] of entries) {
        if (bytes <= maxBytes || entries.size <= 1) break;
        entries.delete(k);
        bytes -= size(k, v);
      }
    },
  };
};

/** The bytes of one release as an item of `format`, from the cache or written now. */
const writtenItem = (input: FeedInput, r: ReleaseView, format: 'rss' | 'atom', cache: FeedItemCache): Buffer => {
  // An item shows the view with the lead HTML of its body (feedItem takes a PortableReleaseView).
  const key = `${format}:${input.t.lang}:${viewDigest(r, ['leadHtml'])}`;
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  const one = feedHead({ ...input, items: [r] }, format);
  one.addItem(feedItem(r, input.urls, input.t, format));
  const xml = renderFeed(one, format);
  const { open, close } = ITEM_TAGS[format];
  // In memory of its own: a pooled Buffer would keep a slab of other bytes alive in the cache.
  const item = ownedUtf8(xml.slice(xml.indexOf(open), xml.lastIndexOf(close) + close.length));
  cache.set(key, item);
  return item;
};

/** buildFeed and renderFeed in one: a feed's text. */
export const feedText = (input: FeedInput, format: FeedFormat): string => renderFeed(buildFeed(input, format), format);

/**
 * A feed's UTF-8 bytes, what the feed routes send: feedText's bytes, with RSS and Atom items taken
 * from the cache (one per site: its links and texts are part of what an item's bytes depend on),
 * written once and copied after.
 */
export const feedBody = (input: FeedInput, format: FeedFormat, cache: FeedItemCache): Buffer => {
  if (format === 'json' || input.items.length === 0) return Buffer.from(feedText(input, format), 'utf8');
  // The head is written with two stand-ins at most, not one per item: the writer's time grows with
  // the items, and what stands between two items (their indentation) is the same between any two.
  const head = feedHead(input, format);
  // Stand-ins with content, as every release item has (it decides the content namespace).
  for (const r of input.items.slice(0, 2)) head.addItem({ title: 'x', link: r.links.page.url, date: new Date(0), content: 'x' });
  const xml = renderFeed(head, format);
  const { open, close } = ITEM_TAGS[format];
  const firstStart = xml.indexOf(open);
  const firstEnd = xml.indexOf(close, firstStart) + close.length;
  const lastStart = xml.lastIndexOf(open);
  const between = Buffer.from(input.items.length > 1 ? xml.slice(firstEnd, lastStart) : '', 'utf8');
  const lastEnd = xml.indexOf(close, lastStart) + close.length;
  const parts: Buffer[] = [Buffer.from(xml.slice(0, firstStart), 'utf8')];
  input.items.forEach((r, i) => parts.push(...(i > 0 ? [between] : []), writtenItem(input, r, format, cache)));
  parts.push(Buffer.from(xml.slice(lastEnd), 'utf8'));
  return Buffer.concat(parts);
};

// --- OPML ---------------------------------------------------------------------------------------

/** A feed (`xmlUrl`, `htmlUrl`), or a group of feeds (`children`). */
export type OpmlOutline = { title: string; xmlUrl: string; htmlUrl: string; children?: undefined } | { title: string; children: OpmlOutline[] };

const xmlAttr = (text: string): string => cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An OPML 2.0 subscription list: one RSS outline per feed, groups as outlines holding theirs. */
export const buildOpml = (title: string, dateModified: string, outlines: readonly OpmlOutline[]): string => {
  const write = (o: OpmlOutline, depth: number): string[] => {
    const pad = '  '.repeat(depth);
    if (o.children)
      return [`${pad}<outline text="${xmlAttr(o.title)}" title="${xmlAttr(o.title)}">`, ...o.children.flatMap((c) => write(c, depth + 1)), `${pad}</outline>`];
    return [`${pad}<outline type="rss" text="${xmlAttr(o.title)}" title="${xmlAttr(o.title)}" xmlUrl="${xmlAttr(o.xmlUrl)}" htmlUrl="${xmlAttr(o.htmlUrl)}"/>`];
  };
  const lines = outlines.flatMap((o) => write(o, 2));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${xmlAttr(title)}</title>`,
    `    <dateModified>${new Date(dateModified).toUTCString()}</dateModified>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
};
