// Reading feeds in tests with real parsers: fast-xml-parser for RSS, Atom and OPML, JSON.parse for JSON Feed.
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { trustHtml } from '../../src/lib/safe-html.ts';
import { createUrls, type Urls } from '../../src/lib/urls.ts';
import type { Release } from '../../src/modules/releases/release.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';

export const FORMATS = ['rss', 'atom', 'json'] as const;
export type Format = (typeof FORMATS)[number];

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // XML's five named entities and numeric character references (`&#x3C;`), as every XML parser reads them.
  entityDecoder: {
    decode: (text: string) =>
      text.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/gi, (_, hex?: string, dec?: string, name?: string) =>
        hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : XML_ENTITIES[name!.toLowerCase()]!,
      ),
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
  },
  isArray: (name) => ['item', 'entry', 'category', 'link', 'atom:link', 'outline', 'author'].includes(name),
});

/** Parses XML after checking it is well-formed; fails the test otherwise. */
export const parseXml = (body: string): Record<string, any> => {
  const valid = XMLValidator.validate(body);
  assert.equal(valid, true, `not well-formed XML: ${JSON.stringify(valid)}`);
  return parser.parse(body);
};

/** The same view of an item in every format, to compare them. */
export interface ParsedItem {
  id: string;
  title: string;
  link: string;
  published: string;
  updated: string | null;
  summary: string;
  content: string;
  categories: string[];
  author: string;
  enclosure: { url: string; type: string; length: number } | null;
  /** Every enclosure (JSON Feed: attachment), in order: the photo, then the documents. */
  enclosures: { url: string; type: string; length: number }[];
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface ParsedFeed {
  title: string;
  self: string;
  html: string;
  hub: string | null;
  items: ParsedItem[];
  raw: Record<string, any>;
}

const decodeHtmlText = (html: string): string =>
  html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const text = (node: unknown): string => (typeof node === 'string' ? node : node && typeof node === 'object' && '#text' in node ? String((node as any)['#text']) : '');

export const parseFeed = (format: Format, body: string): ParsedFeed => {
  if (format === 'json') {
    const feed = JSON.parse(body);
    return {
      title: feed.title,
      self: feed.feed_url,
      html: feed.home_page_url,
      hub: feed.hubs?.[0]?.url ?? null,
      raw: feed,
      items: feed.items.map((i: any) => ({
        id: i.id,
        title: i.title,
        link: i.url,
        published: i.date_published,
        updated: i.date_modified,
        summary: i.summary ?? '',
        content: i.content_html,
        categories: i.tags ?? [],
        author: i.authors?.[0]?.name ?? i.author?.name,
        enclosure: i.attachments?.[0] ? { url: i.attachments[0].url, type: i.attachments[0].mime_type, length: i.attachments[0].size_in_bytes } : null,
        enclosures: list<any>(i.attachments).map((a) => ({ url: a.url, type: a.mime_type, length: a.size_in_bytes })),
      })),
    };
  }
  const doc = parseXml(body);
  if (format === 'rss') {
    const channel = doc.rss.channel;
    const links: any[] = channel['atom:link'] ?? [];
    return {
      title: text(channel.title),
      self: links.find((l) => l['@rel'] === 'self')?.['@href'],
      html: text(channel.link?.[0]),
      hub: links.find((l) => l['@rel'] === 'hub')?.['@href'] ?? null,
      raw: doc,
      items: (channel.item ?? []).map((i: any) => ({
        id: text(i.guid),
        title: text(i.title),
        link: text(i.link?.[0]),
        published: text(i.pubDate),
        updated: i['atom:updated'] ? text(i['atom:updated']) : null,
        summary: decodeHtmlText(text(i.description)),
        content: text(i['content:encoded']),
        categories: (i.category ?? []).map(text),
        author: text(i['dc:creator']),
        enclosure: list<any>(i.enclosure)[0] ? { url: list<any>(i.enclosure)[0]['@url'], type: list<any>(i.enclosure)[0]['@type'], length: Number(list<any>(i.enclosure)[0]['@length']) } : null,
        enclosures: list<any>(i.enclosure).map((x) => ({ url: x['@url'], type: x['@type'], length: Number(x['@length']) })),
      })),
    };
  }
  const feed = doc.feed;
  const links: any[] = feed.link ?? [];
  return {
    title: text(feed.title),
    self: links.find((l) => l['@rel'] === 'self')?.['@href'],
    html: links.find((l) => l['@rel'] === 'alternate')?.['@href'],
    hub: links.find((l) => l['@rel'] === 'hub')?.['@href'] ?? null,
    raw: doc,
    items: (feed.entry ?? []).map((e: any) => {
      const enclosure = (e.link ?? []).find((l: any) => l['@rel'] === 'enclosure');
      return {
        id: text(e.id),
        // Atom titles and summaries are `type="html"`: their text is HTML.
        title: decodeHtmlText(text(e.title)),
        link: (e.link ?? []).find((l: any) => !l['@rel'] || l['@rel'] === 'alternate')?.['@href'],
        published: text(e.published),
        updated: text(e.updated),
        summary: decodeHtmlText(text(e.summary)),
        content: text(e.content),
        categories: (e.category ?? []).map((c: any) => c['@term']),
        author: text(e.author?.[0]?.name),
        enclosure: enclosure ? { url: enclosure['@href'], type: enclosure['@type'], length: Number(enclosure['@length']) } : null,
        enclosures: (e.link ?? []).filter((l: any) => l['@rel'] === 'enclosure').map((l: any) => ({ url: l['@href'], type: l['@type'], length: Number(l['@length']) })),
      };
    }),
  };
};

export const feedPath = (listing: string, format: Format): string => `${listing === '/' ? '' : listing}/feed.${format}`;

export const fetchFeed = async (app: FastifyInstance, listing: string, format: Format, query = ''): Promise<ParsedFeed> => {
  const res = await app.inject(`${feedPath(listing, format)}${query}`);
  assert.equal(res.statusCode, 200, `${feedPath(listing, format)}: ${res.body}`);
  return parseFeed(format, res.body);
};

export const RFC_822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
export const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A published release of office `amt` as a feed gets it, through the presenter, without a database. */
export const feedItem = (overrides: Partial<Release> = {}, urls: Urls = createUrls('https://presse.example')) =>
  presentRelease(
    {
      id: 7,
      slug: 'titel',
      title: 'Titel',
      subtitle: '',
      releaseDate: '2026-03-09',
      dateline: '',
      summary: 'Kurz.',
      bodyMarkdown: 'Text',
      bodyHtml: trustHtml('<p>Text</p>'),
      bodyText: 'Text',
      contact: null,
      republicationNotice: '',
      language: 'de',
      status: 'published',
      publishedAt: '2026-03-09T08:00:00.000Z',
      createdAt: '2026-03-09T07:00:00.000Z',
      updatedAt: '2026-03-09T07:00:00.000Z',
      withdrawnAt: null,
      withdrawalNote: '',
      office: { id: 1, slug: 'amt', name: 'Amt' },
      topics: [],
      regions: [],
      photos: [],
      attachments: [],
      corrections: [],
      ...overrides,
    },
    urls,
  );

/** Characters the W3C feed validator flags (and XML 1.0 forbids or discourages). */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/**
 * The rules the W3C feed validator (validator.w3.org/feed) applies that our feeds could break, checked
 * on a feed's text as fetched from `location` (its absolute URL, as requested): the self link is that
 * location (SelfDoesntMatchLocation) and says its type; RSS titles are plain text, never CDATA or
 * markup; RSS dates are RFC 822 and Atom dates RFC 3339; a guid that claims to be a permalink is an
 * absolute URL; no control characters; JSON Feed 1.1 items name their `authors`.
 */
export const assertValidatorRules = (format: Format, body: string, location: string): void => {
  assert.doesNotMatch(body, CONTROL_CHARACTERS, `${location}: control characters`);
  const feed = parseFeed(format, body);
  assert.equal(feed.self, location, `${location}: the self link is the feed's location`);
  if (format === 'json') {
    assert.equal(feed.raw.version, 'https://jsonfeed.org/version/1.1');
    for (const item of feed.raw.items) {
      assert.ok(Array.isArray(item.authors) && item.authors.length > 0 && item.authors.every((a: any) => a.name), `${location}: item ${item.id} names its authors`);
      for (const date of [item.date_published, item.date_modified].filter(Boolean)) assert.match(date, RFC_3339);
    }
    return;
  }
  if (format === 'rss') {
    const channel = feed.raw.rss.channel;
    const self = (channel['atom:link'] as any[]).find((l) => l['@rel'] === 'self');
    assert.equal(self['@type'], 'application/rss+xml', `${location}: atom:link rel=self type`);
    for (const date of [channel.lastBuildDate, channel.pubDate].filter(Boolean)) assert.match(text(date), RFC_822, `${location}: channel date`);
    for (const item of channel.item ?? []) {
      assert.match(text(item.pubDate), RFC_822, `${location}: pubDate`);
      const guid = item.guid;
      if (guid?.['@isPermaLink'] !== 'false') assert.match(text(guid), /^https?:\/\/\S+$/, `${location}: a permalink guid is an absolute URL`);
    }
    // Titles as plain text: no CDATA section, no unescaped markup (the RSS Best Practices Profile).
    for (const [, title] of body.matchAll(/<title>([\s\S]*?)<\/title>/g)) {
      assert.ok(!title!.includes('<![CDATA['), `${location}: title in CDATA: ${title}`);
      assert.doesNotMatch(title!, /</, `${location}: markup in a title: ${title}`);
    }
    return;
  }
  const self = (feed.raw.feed.link as any[]).find((l) => l['@rel'] === 'self');
  assert.equal(self['@type'], 'application/atom+xml', `${location}: link rel=self type`);
  assert.match(text(feed.raw.feed.updated), RFC_3339);
  for (const entry of feed.raw.feed.entry ?? []) for (const date of [entry.updated, entry.published].filter(Boolean)) assert.match(text(date), RFC_3339, `${location}: entry date`);
};
