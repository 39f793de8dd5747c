// The public view of a release: everything a channel may show of it, built by the one presenter
// (`presentRelease` in modules/releases/releases.presenter.ts) and rendered, never rebuilt, by the
// page, feed items, mail, the plain text and the exports. Plain data (strings, numbers, booleans,
// arrays, SafeHtml), so it survives JSON.stringify unchanged; dates stay ISO and each channel writes
// them in its language with lib/zoned-time.ts.
import { createHash } from 'node:crypto';
import type { SafeHtml } from '../lib/safe-html.ts';

/** A file of the site: its path (for the site's own pages) and its absolute URL (for everything else). */
export interface Link {
  path: string;
  url: string;
}

export interface PhotoSizeView {
  width: number;
  height: number;
  webp: Link;
  jpeg: Link;
}

export interface PhotoView {
  id: number;
  alt: string;
  caption: string;
  /** As the author wrote it; channels add a „Foto:“ where it has none (`creditLine`). */
  credit: string;
  /** Of the original. */
  width: number;
  height: number;
  mime: string;
  bytes: number;
  /** The original, full resolution; null for a caption without a file (an imported release). */
  original: Link | null;
  /** Responsive sizes, narrowest first; empty for photos stored without them. */
  sizes: PhotoSizeView[];
  /** A telling name for the downloaded original: `{slug}-{id}-foto-{n}.jpg`. */
  downloadName: string;
  /**
   * The original to download, with the release's words written into it (headline, caption with
   * dateline, credit, notice: modules/press-kits); null for a caption without a file. Served only
   * while the release is public now; a preview offers `original`.
   */
  download: Link | null;
}

/** A document attached to a release (PDF, ODT, DOCX). */
export interface AttachmentView {
  id: number;
  /** The title its author gave it: the link text everywhere. */
  name: string;
  mime: string;
  /** Short name of the format for readers: `PDF`, `ODT`, `DOCX`. */
  format: string;
  bytes: number;
  /** The file (served with this name in Content-Disposition). */
  download: Link;
  /** The name a download gets: its title and extension, `Haushaltsplan 2026.pdf`. */
  fileName: string;
}

/** The press-contact block printed under a release, as written. Every part may be empty but name or organisation. */
export interface ContactBlock {
  organisation: string;
  role: string;
  name: string;
  street: string;
  postcode: string;
  town: string;
  phone: string;
  fax: string;
  email: string;
  website: string;
}

export interface ContactView extends ContactBlock {
  /** Role and name on one line, as printed. */
  person: string;
  /** Postcode and town on one line. */
  place: string;
  phoneHref: string;
  websiteHref: string;
}

export interface CorrectionView {
  /** ISO-8601 UTC. */
  at: string;
  note: string;
}

export interface TermView {
  slug: string;
  name: string;
  link: Link;
}

/**
 * An embargoed copy (modules/prereleases): sent ahead of its time to one journalist, whose name
 * every rendering prints beside the embargo, so a leak can be traced to its copy.
 */
export interface EmbargoView {
  /** The embargo time (the release's publication time), ISO-8601 UTC. */
  until: string;
  /** Who this copy is for, as printed: „Name (Medium)“. */
  recipient: string;
}

export interface ReleaseView {
  id: number;
  slug: string;
  language: 'de' | 'en';
  /** As the public sees it: `published`, or `withdrawn`; `draft`/`scheduled` only in a preview. */
  status: 'draft' | 'scheduled' | 'published' | 'withdrawn';
  title: string;
  subtitle: string;
  /** The date printed on the release, `YYYY-MM-DD`, chosen by its author. */
  releaseDate: string;
  /** When it went (or goes) public, ISO-8601 UTC; null for a draft. */
  publishedAt: string | null;
  /** Its last change readers should see (a correction), never before it went public; ISO-8601 UTC. */
  updatedAt: string;
  /** The place the news comes from; printed in front of the first paragraph. */
  dateline: string;
  body: {
    /** Sanitised HTML of the body, without the dateline. */
    html: SafeHtml;
    /** The same with the dateline opening the first paragraph (`<span class="dateline">Kassel.</span> …`). */
    leadHtml: SafeHtml;
    /** The body as plain text. */
    text: string;
    /** The body as written (Markdown): the plain-text layout prints it. */
    markdown: string;
  };
  /** The subtitle, or the opening of the body: for lists, feed summaries and meta descriptions. */
  summary: string;
  /** In the author's order; empty when withdrawn. */
  photos: PhotoView[];
  attachments: AttachmentView[];
  contact: ContactView | null;
  /** The republication notice; empty when withdrawn. */
  notice: string;
  /** Every correction, newest first; empty when withdrawn. */
  corrections: CorrectionView[];
  /** Null unless withdrawn; then the body, photos, corrections and notice are empty. */
  withdrawn: { at: string | null; note: string } | null;
  /** Set only on an embargoed copy for one recipient (modules/prereleases): every channel prints the embargo and the recipient. */
  embargo?: EmbargoView | null;
  /** `logo`: the office's logo, null where it has none. */
  office: { id: number; slug: string; name: string; link: Link; feed: Link; logo: Link | null };
  topics: TermView[];
  regions: TermView[];
  links: {
    /** The release's page (with the slug): the canonical URL. */
    page: Link;
    /** By id alone: the permanent id of feed items, never changing with the title. */
    permanent: Link;
    text: Link;
    /** Everything at once: the text, an HTML copy, every photo (with its words written in) and attachment, as a ZIP (modules/press-kits). */
    pressKit: Link;
    /** Sign up for mail from this release's office. */
    subscribe: Link;
    /** Every signed version of the release (`/releases/{id}.sig`, modules/signing). */
    signature: Link;
    /** „Echtheit prüfen“ for this release. */
    verify: Link;
    /** The release as an ActivityPub object (modules/federation), for fediverse software that looks for it. */
    activity: Link;
  };
}

/** The place of a dateline as printed in front of the first paragraph, without its closing full stop or colon. */
/**
 * A release as HTML that leaves the site shows it (feed items, the portable copy): its body only as
 * the lead HTML. Typed so, what renders it cannot read more, and what keys on it (feeds keep
 * written items by a hash of it) may leave the rest of the body out.
 */
export type PortableReleaseView = Omit<ReleaseView, 'body'> & { body: Pick<ReleaseView['body'], 'leadHtml'> };

export const datelinePlace = (dateline: string): string => dateline.trim().replace(/[.:]\s*$/, '');

const CREDIT_WORD =
  'fotos?|fotografie|bilder?|grafik(?:en)?|illustration(?:en)?|abbildung(?:en)?|bildquelle|bildnachweis|quelle|karten?|montage|screenshot|photos?|photograph|images?|pictures?|graphics?|illustrations?|source|credits?|maps?';
/** A credit that names its kind itself: „Foto: …“, „Grafik: …“, „Foto/Grafik: …“, „Image: …“. */
export const LABELLED_CREDIT = new RegExp(`^(?:${CREDIT_WORD})(?:\\s*[/&,+]\\s*(?:${CREDIT_WORD}))*\\s*:`, 'i');

/** „Foto: …“ before a photo credit, unless the credit already names itself so („Foto: Landkreis“, „Grafik: …“). */
export const creditWithLabel = (credit: string, label: (credit: string) => string): string => (!credit ? '' : LABELLED_CREDIT.test(credit) ? credit : label(credit));

/** The size a channel that cannot choose (mail, feeds) shows: the first at least 960 wide, else the largest, else the original. */
export const displayPhoto = (photo: PhotoView): Link | null => photo.sizes.find((s) => s.width >= 960)?.jpeg ?? photo.sizes.at(-1)?.jpeg ?? photo.original;

/**
 * A correction's note as channels print it after their own „Korrigiert am …:“: without a label of its
 * own, so „Korrigiert: Das Konzert …“ does not read „Korrigiert am …: Korrigiert: Das Konzert …“.
 */
export const correctionText = (note: string): string => note.replace(/^\s*(?:Korrigiert|Korrektur|Berichtigung|Berichtigt|Corrected|Correction)\s*:\s*(?=\S)/i, '');

/**
 * A digest of a view, for the caches of what is made from it (feed items, press kit sizes): its
 * fields as JSON, and of its body the texts named, fed to the hash as they are. Escaping the body's
 * texts into JSON (15,000 characters for a release of the bench's) cost three times hashing them.
 */
export const viewDigest = (view: ReleaseView, body: readonly (keyof ReleaseView['body'])[]): string => {
  const hash = createHash('sha1').update(JSON.stringify({ ...view, body: null }));
  for (const part of body) hash.update('\u0000').update(view.body[part]);
  return hash.digest('base64url');
};
