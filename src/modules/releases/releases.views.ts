// View models for release pages and lists: plain strings, numbers, booleans, arrays and SafeHtml.
import type { Config } from '../../config.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { absoluteUrl, paths, withPage } from '../../lib/urls.ts';
import type { ContactBlock, Photo, Release } from './release.ts';
import type { Page, ReleaseSummary } from './releases.service.ts';

export interface LinkView {
  name: string;
  url: string;
}

export interface PhotoView {
  src: string;
  alt: string;
  caption: string;
  credit: string;
  width: number;
  height: number;
  download: string | null;
}

/** „Foto: …“ before a photo credit. Credits are often written with their prefix already („Foto: Landkreis“); add one only where missing. */
export const creditLine = (credit: string, t: Translator): string =>
  !credit ? '' : /^(foto|bild|photo|image|picture)\s*:/i.test(credit) ? credit : t.t('release.photoCredit', { credit });

const photoView = (photo: Photo, t: Translator): PhotoView => ({
  src: photo.path ? paths.media(photo.path) : '',
  alt: photo.alt,
  caption: photo.caption,
  credit: creditLine(photo.credit, t),
  width: photo.width,
  height: photo.height,
  download: photo.path && photo.bytes > 0 ? t.t('release.photoDownload', { size: t.bytes(photo.bytes) }) : null,
});

export const summaryView = (r: ReleaseSummary, t: Translator) => ({
  id: r.id,
  url: paths.release(r.id, r.slug),
  title: r.title,
  subtitle: r.subtitle,
  lang: r.language,
  date: t.date(r.releaseDate),
  dateIso: r.releaseDate,
  dateline: r.dateline,
  summary: r.subtitle ? '' : r.summary,
  office: { name: r.office.name, url: paths.office(r.office.slug) },
  topics: r.topics.map((x) => ({ name: x.name, url: paths.topic(x.slug) })),
  regions: r.regions.map((x) => ({ name: x.name, url: paths.region(x.slug) })),
  photo: r.leadPhoto?.path ? photoView(r.leadPhoto, t) : null,
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

const contactLines = (c: ContactBlock) => ({
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
  const photos = r.photos.map((p) => photoView(p, t));
  const lead = photos.find((p) => p.src);
  const withdrawn = r.status === 'withdrawn';
  return {
    id: r.id,
    url: paths.release(r.id, r.slug),
    canonical,
    textUrl: paths.releaseText(r.id),
    title: r.title,
    subtitle: r.subtitle,
    lang: r.language,
    date: t.date(r.releaseDate),
    dateIso: r.releaseDate,
    dateline: r.dateline,
    bodyHtml: leadWithDateline(r.bodyHtml, r.dateline),
    withdrawn,
    withdrawnOn: withdrawn && r.withdrawnAt ? t.t('release.withdrawnOn', { date: t.date(r.withdrawnAt) }) : '',
    withdrawalNote: r.withdrawalNote,
    office: { name: r.office.name, url: paths.office(r.office.slug), slug: r.office.slug },
    topics: r.topics.map((x) => ({ name: x.name, url: paths.topic(x.slug) })),
    regions: r.regions.map((x) => ({ name: x.name, url: paths.region(x.slug) })),
    photos: withdrawn ? [] : photos,
    contact: r.contact && !withdrawn ? contactLines(r.contact) : null,
    notice: r.republicationNotice,
    corrections: r.corrections.map((c) => ({ date: t.t('release.correctedOn', { date: t.dateTime(c.at) }), dateIso: c.at, note: c.note })),
    description: r.subtitle || (withdrawn ? '' : summaryFromHtml(r.bodyHtml)),
    footer: t.t('release.footer', { office: r.office.name, site: config.siteName }),
    feedUrl: paths.feed(paths.office(r.office.slug), 'rss'),
    ogImage: lead ? absoluteUrl(config.publicUrl, lead.src) : null,
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
      ...(lead ? { image: photos.filter((p) => p.src).map((p) => absoluteUrl(config.publicUrl, p.src)) } : {}),
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
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200).replace(/\s+\S*$/, '')} …` : text;
};

export { escapeHtml };
