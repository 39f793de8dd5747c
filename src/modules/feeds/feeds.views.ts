// The feeds a page announces: `<link rel="alternate">` in the layout and the visible
// "RSS · Atom · JSON Feed" links (views/partials/_feed-links.eta).
import { absoluteUrl, paths } from '../../lib/urls.ts';
import { FEED_CONTENT_TYPES, FEED_FORMAT_LABELS, FEED_FORMATS, type FeedFormat } from './feeds.builder.ts';

export interface FeedLinkView {
  format: FeedFormat;
  /** MIME type without parameters, for `<link type>` and `<a type>`. */
  type: string;
  /** `{listing title} (RSS)`, for feed readers' lists. */
  title: string;
  /** The short visible name: RSS, Atom, JSON Feed. */
  label: string;
  url: string;
}

/** The three feeds of a listing page (`/` for all releases); `query` is a search's query string. */
export const feedLinks = (baseUrl: string, listingPath: string, title: string, query = ''): FeedLinkView[] =>
  FEED_FORMATS.map((format) => ({
    format,
    type: FEED_CONTENT_TYPES[format].split(';')[0]!,
    title: `${title} (${FEED_FORMAT_LABELS[format]})`,
    label: FEED_FORMAT_LABELS[format],
    url: absoluteUrl(baseUrl, `${paths.feed(listingPath, format)}${query ? `?${query}` : ''}`),
  }));

/** The title of a listing's feeds: the listing's heading and the site, e.g. „Thema: Verkehr – Herold“. */
export const feedTitle = (heading: string, siteName: string): string => `${heading} – ${siteName}`;
