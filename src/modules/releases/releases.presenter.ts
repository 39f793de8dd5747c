// The one presenter: a release as the public sees it (content/release-view.ts), from the release and
// the site's link builder. Every channel renders this: the page, feed items, instant notices and
// digests, the plain text, the Markdown and JSON exports. What a withdrawn release keeps (its head,
// its contact and the note) and loses (body, photos, attachments, corrections, notice) is decided here once.
import { datelinePlace, type AttachmentView, type EmbargoView, type ContactView, type Link, type PhotoView, type ReleaseView } from '../../content/release-view.ts';
import { escapeHtml, trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import type { Urls } from '../../lib/urls.ts';
import { slugify } from '../../lib/slug.ts';
import { lastPublicChange, type Attachment, type ContactBlock, type Photo, type Release } from './release.ts';

/** The dateline opens the first paragraph, as on paper: „Landkreis Kassel. Der Landkreis …“. */
export const leadWithDateline = (html: SafeHtml, dateline: string): SafeHtml => {
  const place = datelinePlace(dateline);
  if (!place) return html;
  const lead = `<span class="dateline">${escapeHtml(place)}.</span> `;
  return trustHtml(html.startsWith('<p>') ? `<p>${lead}${html.slice(3)}` : `<p>${lead}</p>\n${html}`);
};

export const contactView = (c: ContactBlock): ContactView => ({
  ...c,
  person: [c.role, c.name].filter(Boolean).join(' '),
  place: [c.postcode, c.town].filter(Boolean).join(' '),
  phoneHref: c.phone ? `tel:${c.phone.replace(/[^\d+]/g, '')}` : '',
  websiteHref: c.website && !/^https?:\/\//.test(c.website) ? `https://${c.website}` : c.website,
});

const hasContact = (c: ContactBlock | null): c is ContactBlock => c !== null && Object.values(c).some((v) => String(v).trim() !== '');

/** A photo of a release as the public sees it; `index` is its place among the release's photos. */
export const presentPhoto = (release: Pick<Release, 'id' | 'slug'>, photo: Photo, index: number, urls: Urls): PhotoView => {
  const link = (path: string): Link => {
    const mediaPath = urls.media(path);
    return { path: mediaPath, url: urls.absolute(mediaPath) };
  };
  const downloadName = photo.path ? `${release.slug || 'pressemitteilung'}-${release.id}-foto-${index + 1}${/\.[a-z0-9]{2,4}$/i.exec(photo.path)?.[0].toLowerCase() ?? ''}` : '';
  const pageLink = (path: string): Link => ({ path, url: urls.absolute(path) });
  return {
    id: photo.id,
    alt: photo.alt,
    caption: photo.caption,
    credit: photo.credit,
    width: photo.width,
    height: photo.height,
    mime: photo.mime,
    bytes: photo.bytes,
    original: photo.path ? link(photo.path) : null,
    sizes: photo.path
      ? [...photo.variants].sort((a, b) => a.width - b.width).map((v) => ({ width: v.width, height: v.height, webp: link(v.webp), jpeg: link(v.jpeg) }))
      : [],
    downloadName,
    download: photo.path ? pageLink(urls.photoDownload(release.id, downloadName)) : null,
  };
};

const EXTENSION_BY_MIME: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/**
 * The names a downloaded attachment gets: its title with the extension (`Haushaltsplan 2026.pdf`;
 * characters no file system takes become `-`), and the same in ASCII for old clients
 * (`haushaltsplan-2026.pdf`), for Content-Disposition's `filename*` and `filename`.
 */
export const attachmentFileNames = (a: Pick<Attachment, 'title' | 'mime'>): { utf8: string; ascii: string } => {
  const extension = EXTENSION_BY_MIME[a.mime] ?? 'bin';
  const base =
    a.title
      .normalize('NFC')
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+/, '')
      .slice(0, 120)
      .trim() || 'anhang';
  return { utf8: `${base}.${extension}`, ascii: `${slugify(a.title, 80)}.${extension}` };
};

/** An attachment of a release as the public sees it. */
export const presentAttachment = (a: Attachment, urls: Urls): AttachmentView => {
  const path = urls.media(a.path);
  return {
    id: a.id,
    name: a.title,
    mime: a.mime,
    format: (EXTENSION_BY_MIME[a.mime] ?? '').toUpperCase(),
    bytes: a.bytes,
    download: { path, url: urls.absolute(path) },
    fileName: attachmentFileNames(a).utf8,
  };
};

export interface PresentOptions {
  /**
   * `public` (the default): what anyone may see; a withdrawn release keeps only its head, contact and
   * note. `office`: everything, also of a withdrawn release, for its own office (`herold export`).
   */
  audience?: 'public' | 'office';
  /**
   * An embargoed copy for one recipient (modules/prereleases): the view carries the embargo and the
   * recipient, and `urls` given with it makes token-scoped links. Never set for a public channel.
   */
  embargo?: EmbargoView;
}

/** The view of a release: see content/release-view.ts. Pure; `urls` makes every link. */
export const presentRelease = (release: Release, urls: Urls, { audience = 'public', embargo }: PresentOptions = {}): ReleaseView => {
  const link = (path: string): Link => ({ path, url: urls.absolute(path) });
  // What a withdrawn release loses for the public: its text, photos, corrections and notice.
  const withdrawn = release.status === 'withdrawn' && audience === 'public';
  const publishedAt = release.publishedAt;
  const termView = (kind: 'topic' | 'region') => (t: { slug: string; name: string }) => ({ slug: t.slug, name: t.name, link: link(urls[kind](t.slug)) });
  return {
    id: release.id,
    slug: release.slug,
    language: release.language,
    status: release.status,
    title: release.title,
    subtitle: release.subtitle,
    releaseDate: release.releaseDate,
    publishedAt,
    updatedAt: lastPublicChange({ published_at: publishedAt, updated_at: release.updatedAt }),
    dateline: release.dateline,
    body: withdrawn
      ? { html: trustHtml(''), leadHtml: trustHtml(''), text: '', markdown: '' }
      : { html: release.bodyHtml, leadHtml: leadWithDateline(release.bodyHtml, release.dateline), text: release.bodyText, markdown: release.bodyMarkdown },
    summary: withdrawn ? release.subtitle : release.summary,
    photos: withdrawn ? [] : [...release.photos].sort((a, b) => a.position - b.position).map((p, i) => presentPhoto(release, p, i, urls)),
    attachments: withdrawn ? [] : [...release.attachments].sort((a, b) => a.position - b.position).map((a) => presentAttachment(a, urls)),
    contact: hasContact(release.contact) ? contactView(release.contact) : null,
    notice: withdrawn ? '' : release.republicationNotice,
    corrections: withdrawn ? [] : [...release.corrections].sort((a, b) => b.at.localeCompare(a.at)).map((c) => ({ at: c.at, note: c.note })),
    withdrawn: release.status === 'withdrawn' ? { at: release.withdrawnAt, note: release.withdrawalNote } : null,
    ...(embargo ? { embargo } : {}),
    office: { id: release.office.id, slug: release.office.slug, name: release.office.name, link: link(urls.office(release.office.slug)), feed: link(urls.feed(urls.office(release.office.slug), 'rss')), logo: release.office.logoPath ? link(urls.media(release.office.logoPath)) : null },
    topics: release.topics.map(termView('topic')),
    regions: release.regions.map(termView('region')),
    links: {
      page: link(urls.release(release)),
      permanent: link(urls.releaseById(release.id)),
      text: link(urls.releaseText(release.id)),
      pressKit: link(urls.pressKit(release.id)),
      subscribe: link(urls.subscribe({ office: release.office.slug })),
      signature: link(urls.releaseSignature(release.id)),
      verify: link(urls.verify(urls.absolute(urls.releaseById(release.id)))),
      activity: link(urls.activityPub.article(release.id)),
    },
  };
};
