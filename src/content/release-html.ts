// A release as HTML that leaves the site, for the HTML part of mail and the content of feed items:
// the template views/releases/_portable.eta over the presenter's view (release-view.ts), with every
// link absolute and every picture a plain <img> (mail clients and feed readers know no srcset).
import type { Translator } from '../i18n/i18n.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../lib/safe-html.ts';
import { shiftHeadings } from './markdown.ts';
import { correctionText, creditWithLabel, displayPhoto, type PortableReleaseView } from './release-view.ts';
import { htmlTemplates } from './templates.ts';
import { releaseWhen } from './release-when.ts';

const TAG_WITH_URL = /<(?:a|img)\b[^>]*>/gi;
const URL_ATTRIBUTE = /(\s(?:href|src)=")([^"]*)"/gi;

const decodeAttribute = (value: string): string =>
  value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Links and images of sanitised HTML made absolute against the page they belong to (a body may link `/media/…`). */
export const absolutizeHtml = (html: SafeHtml, pageUrl: string): SafeHtml =>
  trustHtml(
    html.replace(TAG_WITH_URL, (tag) =>
      tag.replace(URL_ATTRIBUTE, (whole, start: string, value: string) => {
        if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return whole;
        try {
          return `${start}${escapeHtml(new URL(decodeAttribute(value), pageUrl).href)}"`;
        } catch {
          return whole;
        }
      }),
    ),
  );

export interface PortableOptions {
  /** The level of the release's section headings (Korrekturen, Bilder, …); body headings start there too. */
  headingLevel?: number;
  /** Whether to print the title and subtitle (a feed item has its own title). */
  withTitle?: boolean;
}

/** The data views/releases/_portable.eta expects, in `t`'s language. */
export const portableView = (r: PortableReleaseView, t: Translator, { headingLevel = 2, withTitle = true }: PortableOptions = {}) => ({
  hl: headingLevel,
  title: withTitle ? r.title : '',
  subtitle: r.subtitle,
  url: r.links.page.url,
  signatureUrl: r.links.signature.url,
  verifyUrl: r.links.verify.url,
  releaseDate: t.date(r.releaseDate),
  releaseDateIso: r.releaseDate,
  published: r.publishedAt ? t.dateTime(r.publishedAt) : '',
  publishedIso: r.publishedAt ?? '',
  /** The date line (release-when.ts): release date with the time it went public, „aktualisiert am … um …“. */
  when: releaseWhen(r, t),
  office: r.office.name,
  withdrawn: r.withdrawn ? { on: r.withdrawn.at ? t.t('release.withdrawnOn', { date: t.dateTime(r.withdrawn.at) }) : '', note: r.withdrawn.note } : null,
  corrections: r.corrections.map((c) => ({ date: t.t('release.correctedOn', { date: t.dateTime(c.at) }), atIso: c.at, note: correctionText(c.note) })),
  // Body headings are h2 and below: under a section heading level deeper than 2 they move down with it.
  bodyHtml: shiftHeadings(absolutizeHtml(r.body.leadHtml, r.links.page.url), headingLevel - 2),
  photos: r.photos.map((p) => ({
    src: displayPhoto(p)?.url ?? '',
    original: p.original?.url ?? '',
    alt: p.alt,
    width: p.sizes.find((s) => s.jpeg.url === displayPhoto(p)?.url)?.width ?? p.width,
    height: p.sizes.find((s) => s.jpeg.url === displayPhoto(p)?.url)?.height ?? p.height,
    caption: p.caption,
    credit: creditWithLabel(p.credit, (credit) => t.t('release.photoCredit', { credit })),
  })),
  attachments: r.attachments.map((a) => ({ name: a.name, url: a.download.url, format: a.format, size: t.bytes(a.bytes) })),
  contact: r.contact,
  notice: r.notice,
  /** An embargoed copy's banner and recipient line (modules/prereleases); null otherwise. */
  embargo: r.embargo ? { banner: t.t('embargo.banner', { until: t.dateTime(r.embargo.until) }), copyFor: t.t('embargo.copyFor', { recipient: r.embargo.recipient }), note: t.t('embargo.note') } : null,
});

/** The portable HTML of a release, in `t`'s language (feed item content). */
export const renderReleaseHtml = (r: PortableReleaseView, t: Translator, options: PortableOptions = {}): SafeHtml =>
  trustHtml(htmlTemplates.render('releases/_portable', { r: portableView(r, t, options), t: t.t }));
