// Paths of public pages, in one place. Absolute URLs are made with `absoluteUrl(base, path)`.
export const paths = {
  home: () => '/',
  release: (id: number, slug: string) => `/releases/${id}-${slug}`,
  releaseText: (id: number) => `/releases/${id}.txt`,
  offices: () => '/offices',
  office: (slug: string) => `/offices/${slug}`,
  topic: (slug: string) => `/topics/${slug}`,
  region: (slug: string) => `/regions/${slug}`,
  archive: () => '/archive',
  archiveMonth: (year: number, month: number) => `/archive/${year}/${String(month).padStart(2, '0')}`,
  media: (path: string) => `/media/${path.split('/').map(encodeURIComponent).join('/')}`,
  search: () => '/search',
  subscribe: () => '/subscribe',
  feeds: () => '/feeds',
  /** The OPML list of every office's feed, for importing into a feed reader at once. */
  feedsOpml: () => '/feeds.opml',
  /** Feeds of a listing: `{listing}/feed.rss|feed.atom|feed.json`; the home page's live at `/feed.*`. */
  feed: (listing: string, format: 'rss' | 'atom' | 'json') => `${listing === '/' ? '' : listing}/feed.${format}`,
};

export const absoluteUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;

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
