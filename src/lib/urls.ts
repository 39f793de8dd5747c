// The one link builder: every path of the site, and absolute URLs made from PUBLIC_URL. Built once
// per process (`createUrls(config.publicUrl)`, services.urls) and handed to routes, views, feeds,
// mail, the CLI and the sitemap, so no code writes a path of its own.
//
// Paths are what pages link with (`urls.release(r)`); everything that leaves the site (feeds, mail,
// plain text, exports, sitemap, canonical links) takes `urls.absolute(path)`.
import { FEED_FORMATS, type FeedFormat } from './feed-formats.ts';

const segment = (value: string | number): string => encodeURIComponent(String(value));

/** A query string (with `?`) of the parameters given, in the order given; empty without any. */
const query = (params: Record<string, string | undefined> = {}): string => {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return search ? `?${search}` : '';
};

/** The paths of the admin area of one office (`/admin/offices/{slug}/…`). */
const officeAdmin = (slug: string) => {
  const base = `/admin/offices/${segment(slug)}`;
  const release = (id: number) => `${base}/releases/${id}`;
  return {
    home: () => base,
    settings: () => `${base}/settings`,
    members: () => `${base}/members`,
    audit: (page = 1) => withPage(`${base}/audit`, page),
    contacts: () => `${base}/contacts`,
    contact: (id: number) => `${base}/contacts/${id}`,
    releases: () => `${base}/releases`,
    /** The list of all the office's releases: a page of it, filtered by words of their titles. */
    releaseList: ({ page = 1, q = '' }: { page?: number; q?: string } = {}) => `${base}/releases${query({ q, page: page > 1 ? String(page) : undefined })}`,
    release,
    correct: (id: number) => `${release(id)}/correct`,
    webhooks: () => `${base}/webhooks`,
    webhook: (id: number) => `${base}/webhooks/${id}`,
    federation: () => `${base}/settings/federation`,
    signingKey: () => `${base}/settings/signing-key`,
    /** Journalists and their accreditations with this office (owners). */
    journalists: () => `${base}/journalists`,
    accreditation: (id: number) => `${base}/journalists/${id}`,
  };
};

/** The admin pages of the topics or the regions (`/admin/topics`, `/admin/regions`). */
const termsAdmin = (table: 'topics' | 'regions') => {
  const base = `/admin/${table}`;
  const term = (slug: string) => `${base}/${segment(slug)}`;
  return { list: () => base, term, remove: (slug: string) => `${term(slug)}/remove` };
};

const paths = {
  home: () => '/',
  /** A release's page: its stable id and its current slug. */
  release: (r: { id: number; slug: string }) => `/releases/${r.id}-${r.slug}`,
  /** A release by id alone: redirects to its page; as an absolute URL the permanent id of feed items. */
  releaseById: (id: number) => `/releases/${id}`,
  releaseText: (id: number) => `/releases/${id}.txt`,
  /** Everything of a public release in one ZIP (modules/press-kits). */
  pressKit: (id: number) => `/releases/${id}/press-kit.zip`,
  /** A photo's original, with the release's words written into it (modules/press-kits). */
  photoDownload: (id: number, name: string) => `/releases/${id}/photos/${encodeURIComponent(name)}`,
  /** Every signed version of a release (modules/signing). */
  releaseSignature: (id: number) => `/releases/${id}.sig`,
  /** The offices' public signing keys (JWKS). */
  signingKeys: () => '/.well-known/herold-keys.json',
  /** „Echtheit prüfen“: paste a text or a link; `url` checks that link at once. */
  verify: (url?: string) => `/verify${query({ url })}`,
  /** The ActivityPub side of an office and a release (modules/federation); Fedify answers these. */
  activityPub: {
    actor: (office: string) => `/ap/offices/${segment(office)}`,
    article: (id: number) => `/ap/releases/${id}`,
  },
  offices: () => '/offices',
  office: (slug: string) => `/offices/${slug}`,
  topics: () => '/topics',
  topic: (slug: string) => `/topics/${slug}`,
  regions: () => '/regions',
  region: (slug: string) => `/regions/${slug}`,
  archive: () => '/archive',
  archiveMonth: (year: number, month: number) => `/archive/${year}/${String(month).padStart(2, '0')}`,
  /** A file below the media folder. */
  media: (path: string) => `/media/${path.split('/').map(encodeURIComponent).join('/')}`,
  /** The search page; `search` is a search's query string (without `?`). */
  search: (search = '') => (search ? `/search?${search}` : '/search'),
  /** The sign-up form, with what to preselect. */
  subscribe: (preselect: { office?: string; topic?: string; region?: string; search?: string } = {}) => `/subscribe${query(preselect)}`,
  feeds: () => '/feeds',
  /** The OPML list of every feed (all releases, offices, topics, regions), for importing into a feed reader at once. */
  feedsOpml: () => '/feeds.opml',
  /** The OPML list of one office's feed. */
  officeFeedsOpml: (slug: string) => `/offices/${encodeURIComponent(slug)}/feeds.opml`,
  /** Feeds of a listing: `{listing}/feed.rss|feed.atom|feed.json`; the home page's are `/feed.*`; `search` is a search's query string. */
  feed: (listing: string, format: FeedFormat, search = '') => `${listing === '/' ? '' : listing}/feed.${format}${search ? `?${search}` : ''}`,
  /** The sitemap index, and the sitemaps it lists: the listing pages, and the releases dated in a month (in files of 50,000). */
  sitemap: () => '/sitemap.xml',
  sitemapPages: () => '/sitemaps/pages.xml',
  sitemapMonth: (year: number, month: number, part = 1) => `/sitemaps/releases-${year}-${String(month).padStart(2, '0')}${part > 1 ? `-${part}` : ''}.xml`,
  /** The embeddable list of a listing's latest releases (`/offices/{slug}/embed`, topics and regions too), with its options. */
  embed: (listing: string, options: Record<string, string | undefined> = {}) => `${listing}/embed${query(options)}`,
  /** The public JSON API (version 1), its OpenAPI document and its documentation page. */
  api: {
    docs: () => '/api',
    openapi: () => '/api/openapi.json',
    /** The release list; a parameter given as a list (`office`) is repeated. */
    releases: (params: Record<string, string | readonly string[] | undefined> = {}) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) for (const one of [value ?? []].flat()) if (one !== '') search.append(name, one);
      const text = search.toString();
      return text ? `/api/v1/releases?${text}` : '/api/v1/releases';
    },
    release: (id: number) => `/api/v1/releases/${id}`,
    offices: () => '/api/v1/offices',
    office: (slug: string) => `/api/v1/offices/${segment(slug)}`,
    topics: () => '/api/v1/topics',
    regions: () => '/api/v1/regions',
  },
  preview: (token: string) => `/preview/${token}`,
  /** The login page; `next` is where to go after it, `resume` a kept form's token. */
  login: (after: { next?: string; resume?: string } = {}) => `/login${query(after)}`,
  setPassword: (token: string) => `/set-password/${token}`,
  /** The imprint and the privacy notice written in the admin area (IMPRINT_URL/PRIVACY_URL may point elsewhere: legal.links.ts). */
  imprint: () => '/impressum',
  privacy: () => '/datenschutz',
  /** The pages for press offices that want to join. */
  join: {
    form: () => '/join',
    sent: () => '/join/sent',
    confirm: (token: string) => `/join/confirm/${token}`,
    confirmed: () => '/join/confirmed',
  },
  /** The journalists' pages: sign-up, login by mailed link, their account (modules/journalists). */
  journalists: {
    signup: () => '/journalists/signup',
    login: () => '/journalists/login',
    loginLink: (token: string) => `/journalists/login/${token}`,
    /** The link confirming a new address (mailed to it). */
    addressLink: (token: string) => `/journalists/address/${token}`,
    /** The form asking for a new address. */
    address: () => '/journalists/account/address',
    /** Deleting the account: the confirmation page and its form. */
    deleteAccount: () => '/journalists/account/delete',
    sent: () => '/journalists/sent',
    account: (office?: string) => `/journalists/account${query(office ? { office } : {})}`,
    logout: () => '/journalists/logout',
  },
  subscription: {
    sent: () => '/subscribe/sent',
    removed: () => '/subscribe/removed',
    confirm: (token: string) => `/subscribe/confirm/${token}`,
    manage: (token: string) => `/subscribe/manage/${token}`,
    manageDelete: (token: string) => `/subscribe/manage/${token}/delete`,
    unsubscribe: (token: string) => `/unsubscribe/${token}`,
  },
  admin: {
    home: () => '/admin',
    resume: (token: string) => `/admin/resume/${segment(token)}`,
    office: officeAdmin,
    terms: termsAdmin,
    /** The legal pages' editor; `kind` the part to jump to. */
    legal: (kind?: 'imprint' | 'privacy') => `/admin/legal${kind ? `#${kind}` : ''}`,
    applications: () => '/admin/applications',
    application: (id: number) => `/admin/applications/${id}`,
    /** The platform's audit log. */
    audit: (page = 1) => withPage('/admin/audit', page),
    /** Webhook endpoints for every office, kept by platform admins. */
    webhooks: () => '/admin/webhooks',
    webhook: (id: number) => `/admin/webhooks/${id}`,
    /** Every journalist, with platform-wide accreditation (platform admins). */
    journalists: () => '/admin/journalists',
    journalist: (id: number) => `/admin/journalists/${id}`,
  },
};

export type Paths = typeof paths;

export interface Urls extends Paths {
  /** PUBLIC_URL without a trailing slash. */
  readonly base: string;
  /** The absolute URL of a path of this site. */
  absolute(path: string): string;
  /** The three feeds of a listing, absolute. */
  feedUrls(listing: string, search?: string): Record<FeedFormat, string>;
}

export const createUrls = (publicUrl: string): Urls => {
  const base = publicUrl.replace(/\/+$/, '');
  const absolute = (path: string): string => `${base}${path.startsWith('/') ? path : `/${path}`}`;
  return {
    ...paths,
    base,
    absolute,
    feedUrls: (listing, search = '') => Object.fromEntries(FEED_FORMATS.map((format) => [format, absolute(paths.feed(listing, format, search))])) as Record<FeedFormat, string>,
  };
};

/** Appends `?page=N` (or `&page=N`) unless N is 1. */
export const withPage = (path: string, page: number): string => (page <= 1 ? path : `${path}${path.includes('?') ? '&' : '?'}page=${page}`);

/**
 * Whether `target` is a path of this site that is safe to put in a Location header: it starts with
 * one `/`, has no backslash (browsers read `/\host` as `//host`) and no control character (browsers
 * drop tabs and newlines, so `/<TAB>/host` becomes `//host`; Node refuses a newline with a 500).
 */
export const isLocalPath = (target: string): boolean => /^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(target);

/**
 * A local path as a Location header value: characters outside printable ASCII (a space, ö, €) are
 * percent-encoded, since Node refuses a header with characters beyond Latin-1 (a 500). Lone
 * surrogates, which cannot be encoded, are dropped.
 */
export const toLocation = (localPath: string): string =>
  localPath.replace(/[^\x21-\x7e]+/g, (run) => {
    try {
      return encodeURIComponent(run);
    } catch {
      return encodeURIComponent(run.replace(/[\ud800-\udfff]/g, ''));
    }
  });

/** The query string of a request URL (`?a=1`), or '' — carried over when a page moved. */
export const queryOf = (url: string): string => {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at);
};
