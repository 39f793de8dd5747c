// View models for release pages and lists: plain strings, numbers, booleans, arrays and SafeHtml.
// The release page is a rendering of the presenter's view (releases.presenter.ts), like every other
// channel; lists show cards of release summaries.
import type { Translator } from '../../i18n/i18n.ts';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { FEED_CONTENT_TYPES, FEED_FORMAT_LABELS, FEED_FORMATS, type FeedFormat } from '../../lib/feed-formats.ts';
import { withPage, type Urls } from '../../lib/urls.ts';
import { correctionText, creditWithLabel, type PhotoView, type ReleaseView } from '../../content/release-view.ts';
import { presentPhoto } from './releases.presenter.ts';
import { releaseWhen, type ReleaseWhen } from '../../content/release-when.ts';
import type { Page, ReleaseSummary } from './releases.service.ts';

/** How wide a photo is drawn (site.css): the release column, and the thumbnail of a list card. */
export const PHOTO_SIZES = {
  release: '(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)',
  card: '(min-width: 40rem) 13rem, calc(100vw - 2.5rem)',
} as const;

/** „Foto: …“ before a photo credit, where it has none. */
export const creditLine = (credit: string, t: Translator): string => creditWithLabel(credit, (name) => t.t('release.photoCredit', { credit: name }));

/** The variant used as `<img src>` where srcset is not understood: the first at least this wide. */
const FALLBACK_WIDTH = 960;

/** What the page offers to download: the press kit's size and each photo's file with its words written in (modules/press-kits). */
export interface PageDownloads {
  /** The ZIP's exact size; null when it could not be made (no exiftool): no kit link then. */
  kitBytes: number | null;
  /** The size of each photo's download, by photo id. */
  photoBytes: ReadonlyMap<number, number>;
}

/**
 * A photo as the site's pages draw it: srcsets of the sizes, the original to download. Paths, not
 * URLs. With `downloads` (a public page) the download is the original with the release's words in
 * it; without (a preview), the stored original.
 */
const photoPageView = (photo: PhotoView, t: Translator, sizes: string, downloads?: PageDownloads) => {
  const original = photo.original?.path ?? '';
  const downloadBytes = downloads?.photoBytes.get(photo.id) ?? photo.bytes;
  const largest = photo.sizes.at(-1);
  const fallback = photo.sizes.find((s) => s.width >= FALLBACK_WIDTH) ?? largest;
  return {
    /** The `<img src>`: a middle-sized JPEG, or the original for photos without sizes. */
    src: fallback ? fallback.jpeg.path : original,
    alt: photo.alt,
    caption: photo.caption,
    credit: creditLine(photo.credit, t),
    /** Of the largest size (or the original): gives the browser the aspect ratio before loading. */
    width: largest ? largest.width : photo.width,
    height: largest ? largest.height : photo.height,
    /** `srcset` lists; empty for photos without sizes, which render as a plain `<img>`. */
    webpSrcset: photo.sizes.map((s) => `${s.webp.path} ${s.width}w`).join(', '),
    jpegSrcset: photo.sizes.map((s) => `${s.jpeg.path} ${s.width}w`).join(', '),
    sizes,
    /** The largest JPEG (or the original): the target of the picture's link, og:image, JSON-LD. */
    large: largest ? largest.jpeg.path : original,
    /** Its absolute URL. */
    largeUrl: largest ? largest.jpeg.url : (photo.original?.url ?? ''),
    original,
    /** The target of the download link. */
    downloadUrl: downloads && photo.download ? photo.download.path : original,
    downloadName: photo.downloadName,
    /** Label of the download link, „Originalbild herunterladen (4000 × 3000 px, 2,4 MB)“; null when there is no file to offer. */
    download: photo.original && photo.bytes > 0 ? t.t('release.photoDownload', { pixels: t.t('release.photoPixels', { width: photo.width, height: photo.height }), size: t.bytes(downloadBytes) }) : null,
  };
};

export const summaryView = (r: ReleaseSummary, t: Translator, urls: Urls) => ({
  id: r.id,
  url: urls.release(r),
  title: r.title,
  subtitle: r.subtitle,
  lang: r.language,
  date: t.date(r.releaseDate),
  dateIso: r.releaseDate,
  when: releaseWhen(r, t),
  dateline: r.dateline,
  office: { name: r.office.name, url: urls.office(r.office.slug), slug: r.office.slug },
  topics: r.topics.map((x) => ({ name: x.name, url: urls.topic(x.slug) })),
  regions: r.regions.map((x) => ({ name: x.name, url: urls.region(x.slug) })),
  summary: r.subtitle ? '' : r.summary,
  photo: r.leadPhoto?.path ? photoPageView(presentPhoto(r, r.leadPhoto, 0, urls), t, PHOTO_SIZES.card) : null,
});

export type SummaryView = ReturnType<typeof summaryView>;

export const paginationView = (page: Page<unknown>, basePath: string, t: Translator) => ({
  page: page.page,
  pages: page.pages,
  label: t.t('pagination.page', { page: page.page, pages: page.pages }),
  newerUrl: page.page > 1 ? withPage(basePath, page.page - 1) : null,
  olderUrl: page.page < page.pages ? withPage(basePath, page.page + 1) : null,
  countLabel: page.total === 1 ? t.t('list.countOne') : t.t('list.count', { count: page.total }),
});

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

/** The feeds a listing page names (`<link rel="alternate">` and the "RSS · Atom · JSON Feed" line); `search` is a search's query string. */
export const feedLinks = (urls: Urls, listingPath: string, title: string, search = ''): FeedLinkView[] => {
  const feedUrls = urls.feedUrls(listingPath, search);
  return FEED_FORMATS.map((format) => ({
    format,
    type: FEED_CONTENT_TYPES[format].split(';')[0]!,
    title: `${title} (${FEED_FORMAT_LABELS[format]})`,
    label: FEED_FORMAT_LABELS[format],
    url: feedUrls[format],
  }));
};

/** The title of a listing's feeds: the listing's heading and the site, e.g. „Thema: Verkehr – Herold“. */
export const feedTitle = (heading: string, siteName: string): string => `${heading} – ${siteName}`;

/** JSON for a <script type="application/ld+json">, with `<` escaped so no text can close the tag. */
const jsonLd = (data: unknown): SafeHtml => trustHtml(JSON.stringify(data).replace(/</g, '\\u003c'));

/**
 * The release page (and its preview): the presenter's view with the page's words, in the visitor's
 * language. `downloads`: what the press kit offers (a public page); none for a preview.
 */
export const releasePageView = (r: ReleaseView, t: Translator, siteName: string, downloads?: PageDownloads) => {
  const photos = r.photos.map((p) => photoPageView(p, t, PHOTO_SIZES.release, downloads));
  const lead = photos.find((p) => p.src);
  const logo = r.office.logo?.url ?? null;
  const office = { '@type': 'Organization', name: r.office.name, url: r.office.link.url, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) };
  // NewsArticle wants an image: the photos, else the office's logo.
  const images = photos.filter((p) => p.src).map((p) => p.largeUrl);
  if (images.length === 0 && logo) images.push(logo);
  // A withdrawn release keeps its page, saying so, but is no article any more: no markup, no picture, not indexed.
  const withdrawn = r.withdrawn !== null;
  return {
    id: r.id,
    title: r.title,
    subtitle: r.subtitle,
    lang: r.language,
    date: t.date(r.releaseDate),
    dateIso: r.releaseDate,
    published: r.publishedAt ? t.dateTime(r.publishedAt) : '',
    publishedIso: r.publishedAt ?? '',
    /** The date line: release date with the time it went public, and „aktualisiert am … um …“ (releaseWhen). */
    when: releaseWhen(r, t),
    dateline: r.dateline,
    office: { name: r.office.name, url: r.office.link.path, slug: r.office.slug },
    topics: r.topics.map((x) => ({ name: x.name, url: x.link.path })),
    regions: r.regions.map((x) => ({ name: x.name, url: x.link.path })),
    canonical: r.links.page.url,
    textUrl: r.links.text.path,
    /** „Alle Bilder und Texte herunterladen (ZIP, 12,4 MB)“; null for a preview, a withdrawn release, or when the kit could not be made. */
    pressKit: downloads && downloads.kitBytes !== null && !r.withdrawn ? { url: r.links.pressKit.path, label: t.t('release.pressKit', { size: t.bytes(downloads.kitBytes) }) } : null,
    signatureUrl: r.links.signature.path,
    verifyUrl: r.links.verify.path,
    bodyHtml: r.body.leadHtml,
    /** An embargoed copy's banner and recipient line (modules/prereleases); null on every public page. */
    embargo: r.embargo ? { banner: t.t('embargo.banner', { until: t.dateTime(r.embargo.until) }), copyFor: t.t('embargo.copyFor', { recipient: r.embargo.recipient }), note: t.t('embargo.note') } : null,
    withdrawn: r.withdrawn !== null,
    withdrawnOn: r.withdrawn?.at ? t.t('release.withdrawnOn', { date: t.dateTime(r.withdrawn.at) }) : '',
    withdrawalNote: r.withdrawn?.note ?? '',
    photos,
    attachments: r.attachments.map((a) => ({ name: a.name, url: a.download.path, format: a.format, size: t.bytes(a.bytes), fileName: a.fileName })),
    contact: r.contact,
    notice: r.notice,
    corrections: r.corrections.map((c) => ({ date: t.t('release.correctedOn', { date: t.dateTime(c.at) }), dateIso: c.at, note: correctionText(c.note) })),
    description: r.summary,
    footer: t.t('release.footer', { office: r.office.name, site: siteName }),
    /** Shown on paper only (site.css): where the release comes from and how current it is. */
    print: {
      source: t.t('release.printSource', { site: siteName, url: r.links.page.url }),
      asOf: t.t('release.printAsOf', { date: t.dateTime(r.updatedAt) }),
      /** „Gedruckt am“: static/js/print.js adds the moment of printing, in the reader's own clock (a cached page cannot know it). */
      printedOn: t.t('release.printedOn'),
    },
    officeFeedUrl: r.office.feed.path,
    subscribeUrl: r.links.subscribe.path,
    ogImage: lead && !withdrawn ? lead.largeUrl : null,
    /** `article:published_time` and `article:modified_time`. */
    publishedTime: r.publishedAt ?? '',
    modifiedTime: r.publishedAt ? r.updatedAt : '',
    robots: withdrawn ? 'noindex' : null,
    jsonLd: withdrawn ? null : jsonLd({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: r.title,
      ...(r.subtitle ? { alternativeHeadline: r.subtitle } : {}),
      ...(r.publishedAt ? { datePublished: r.publishedAt } : {}),
      dateModified: r.updatedAt,
      inLanguage: r.language,
      mainEntityOfPage: r.links.page.url,
      ...(r.dateline ? { locationCreated: { '@type': 'Place', name: r.dateline } } : {}),
      author: office,
      publisher: office,
      ...(images.length > 0 ? { image: images } : {}),
    }),
  };
};

export type ReleasePageView = ReturnType<typeof releasePageView>;

/** A release in a short list below a release page. */
export interface AroundItemView {
  title: string;
  url: string;
  /** Its date line, as every list shows it (releaseWhen: date and time, „aktualisiert am … um …“). */
  when: ReleaseWhen;
  office: string;
  lang: string;
}

type AroundItem = Pick<ReleaseSummary, 'id' | 'slug' | 'title' | 'releaseDate' | 'publishedAt' | 'correctedAt' | 'language' | 'office'>;

/** "Mehr von dieser Pressestelle" and related releases, for the release page (releases.service `around`). */
export const aroundView = (
  around: { fromOffice: AroundItem[]; related: AroundItem[] },
  urls: Urls,
  t: Translator,
  officeName: string,
) => {
  const item = (r: AroundItem): AroundItemView => ({ title: r.title, url: urls.release(r), when: releaseWhen(r, t), office: r.office.name, lang: r.language });
  return {
    fromOffice: around.fromOffice.map(item),
    officeUrl: around.fromOffice[0] ? urls.office(around.fromOffice[0].office.slug) : null,
    officeAllLabel: t.t('release.moreFromOfficeAll', { office: officeName }),
    related: around.related.map(item),
  };
};
