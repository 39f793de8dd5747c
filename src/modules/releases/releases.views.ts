// View models for release pages and lists: plain strings, numbers, booleans, arrays and SafeHtml.
import type { Config } from '../../config.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { htmlToText } from '../../content/markdown.ts';
import { absoluteUrl, paths, withPage } from '../../lib/urls.ts';
import type { ContactBlock, Photo, Release } from './release.ts';
import type { Page, ReleaseSummary } from './releases.service.ts';

export interface LinkView {
  name: string;
  url: string;
}

export interface PhotoView {
  /** The `<img src>`: a middle-sized JPEG variant, or the original for photos without variants. */
  src: string;
  alt: string;
  caption: string;
  credit: string;
  /** Of the largest variant (or the original): gives the browser the aspect ratio before loading. */
  width: number;
  height: number;
  /** `srcset` lists; empty for photos without variants, which render as a plain `<img>`. */
  webpSrcset: string;
  jpegSrcset: string;
  sizes: string;
  /** The largest JPEG variant (or the original): the target of the picture's link, og:image, JSON-LD. */
  large: string;
  /** The original, for the download link. */
  original: string;
  /** Label of the download link, „Originalbild herunterladen (2,4 MB)“; null when there is no file to offer. */
  download: string | null;
}

/** How wide a photo is drawn (site.css): the release column, and the thumbnail of a list card. */
export const PHOTO_SIZES = {
  release: '(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)',
  card: '(min-width: 40rem) 13rem, calc(100vw - 2.5rem)',
} as const;

/** „Foto: …“ before a photo credit. Credits are often written with their prefix already („Foto: Landkreis“); add one only where missing. */
export const creditLine = (credit: string, t: Translator): string =>
  !credit ? '' : /^(foto|bild|photo|image|picture)\s*:/i.test(credit) ? credit : t.t('release.photoCredit', { credit });

/** The variant used as `<img src>` where srcset is not understood: the first at least this wide. */
const FALLBACK_WIDTH = 960;

const photoView = (photo: Photo, t: Translator, sizes: string): PhotoView => {
  const original = photo.path ? paths.media(photo.path) : '';
  const variants = photo.path ? [...photo.variants].sort((a, b) => a.width - b.width) : [];
  const largest = variants.at(-1);
  const fallback = variants.find((v) => v.width >= FALLBACK_WIDTH) ?? largest;
  return {
    src: fallback ? paths.media(fallback.jpeg) : original,
    alt: photo.alt,
    caption: photo.caption,
    // Credits are often written with their prefix already („Foto: Landkreis“); add one only where missing.
    credit: creditLine(photo.credit, t),
    width: largest ? largest.width : photo.width,
    height: largest ? largest.height : photo.height,
    webpSrcset: variants.map((v) => `${paths.media(v.webp)} ${v.width}w`).join(', '),
    jpegSrcset: variants.map((v) => `${paths.media(v.jpeg)} ${v.width}w`).join(', '),
    sizes,
    large: largest ? paths.media(largest.jpeg) : original,
    original,
    download: photo.path && photo.bytes > 0 ? t.t('release.photoDownload', { size: t.bytes(photo.bytes) }) : null,
  };
};

/** The fields every view of a release shows: its head, office and terms. */
const headView = (r: ReleaseSummary | Release, t: Translator) => ({
  id: r.id,
  url: paths.release(r.id, r.slug),
  title: r.title,
  subtitle: r.subtitle,
  lang: r.language,
  date: t.date(r.releaseDate),
  dateIso: r.releaseDate,
  dateline: r.dateline,
  office: { name: r.office.name, url: paths.office(r.office.slug), slug: r.office.slug },
  topics: r.topics.map((x) => ({ name: x.name, url: paths.topic(x.slug) })),
  regions: r.regions.map((x) => ({ name: x.name, url: paths.region(x.slug) })),
});

export const summaryView = (r: ReleaseSummary, t: Translator) => ({
  ...headView(r, t),
  summary: r.subtitle ? '' : r.summary,
  photo: r.leadPhoto?.path ? photoView(r.leadPhoto, t, PHOTO_SIZES.card) : null,
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

/** A contact block as the lines of an <address>. */
export const contactLines = (c: ContactBlock) => ({
  organisation: c.organisation,
  person: [c.role, c.name].filter(Boolean).join(' '),
  street: c.street,
  town: [c.postcode, c.town].filter(Boolean).join(' '),
  phone: c.phone,
  phoneHref: c.phone ? `tel:${c.phone.replace(/[^\d+]/g, '')}` : '',
  fax: c.fax,
  email: c.email,
  website: c.website,
  websiteHref: c.website && !/^https?:\/\//.test(c.website) ? `https://${c.website}` : c.website,
});

/** JSON for a <script type="application/ld+json">, with `<` escaped so no text can close the tag. */
const jsonLd = (data: unknown): SafeHtml => trustHtml(JSON.stringify(data).replace(/</g, '\\u003c'));

export const releaseView = (r: Release, t: Translator, config: Config) => {
  const canonical = absoluteUrl(config.publicUrl, paths.release(r.id, r.slug));
  const photos = r.photos.map((p, i) => ({
    ...photoView(p, t, PHOTO_SIZES.release),
    // A telling file name for the download, instead of the stored `original.jpg`.
    downloadName: p.path ? `${r.slug || 'pressemitteilung'}-${r.id}-foto-${i + 1}${/\.[a-z0-9]{2,4}$/i.exec(p.path)?.[0].toLowerCase() ?? ''}` : '',
  }));
  const lead = photos.find((p) => p.src);
  const withdrawn = r.status === 'withdrawn';
  return {
    ...headView(r, t),
    canonical,
    textUrl: paths.releaseText(r.id),
    bodyHtml: leadWithDateline(r.bodyHtml, r.dateline),
    withdrawn,
    withdrawnOn: withdrawn && r.withdrawnAt ? t.t('release.withdrawnOn', { date: t.date(r.withdrawnAt) }) : '',
    withdrawalNote: r.withdrawalNote,
    photos: withdrawn ? [] : photos,
    contact: r.contact && !withdrawn ? contactLines(r.contact) : null,
    notice: r.republicationNotice,
    corrections: r.corrections.map((c) => ({ date: t.t('release.correctedOn', { date: t.dateTime(c.at) }), dateIso: c.at, note: c.note })),
    description: r.subtitle || (withdrawn ? '' : summaryFromHtml(r.bodyHtml)),
    footer: t.t('release.footer', { office: r.office.name, site: config.siteName }),
    feedUrl: paths.feed(paths.office(r.office.slug), 'rss'),
    ogImage: lead ? absoluteUrl(config.publicUrl, lead.large) : null,
    jsonLd: jsonLd({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: r.title,
      ...(r.subtitle ? { alternativeHeadline: r.subtitle } : {}),
      datePublished: r.publishedAt ?? r.createdAt,
      dateModified: r.updatedAt,
      inLanguage: r.language,
      mainEntityOfPage: canonical,
      ...(r.dateline ? { locationCreated: { '@type': 'Place', name: r.dateline } } : {}),
      author: { '@type': 'Organization', name: r.office.name, url: absoluteUrl(config.publicUrl, paths.office(r.office.slug)) },
      publisher: { '@type': 'Organization', name: r.office.name, url: absoluteUrl(config.publicUrl, paths.office(r.office.slug)) },
      ...(lead ? { image: photos.filter((p) => p.src).map((p) => absoluteUrl(config.publicUrl, p.large)) } : {}),
    }),
  };
};

export type ReleaseView = ReturnType<typeof releaseView>;

/** The dateline opens the first paragraph, as on paper: „Landkreis Kassel. Der Landkreis …“. */
export const leadWithDateline = (html: SafeHtml, dateline: string): SafeHtml => {
  if (!dateline) return html;
  const lead = `<span class="dateline">${escapeHtml(dateline.replace(/[.:]\s*$/, ''))}.</span> `;
  return trustHtml(html.startsWith('<p>') ? `<p>${lead}${html.slice(3)}` : `<p>${lead}</p>\n${html}`);
};

const summaryFromHtml = (html: string): string => {
  const text = htmlToText(html);
  return text.length > 200 ? `${text.slice(0, 200).replace(/\s+\S*$/, '')} …` : text;
};

export { escapeHtml };
