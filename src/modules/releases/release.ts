// Domain types of a press release. Repositories return rows; the releases service maps them to
// these types. See CONTEXT.md beside this file for the words used here.
import type { SafeHtml } from '../../lib/safe-html.ts';

/** Release dates lie in these years (inclusive): the archive lists them, and nothing else is a real release date. */
export const RELEASE_YEARS = { first: 1900, last: 2200 } as const;

export const RELEASE_STATUSES = ['draft', 'scheduled', 'published', 'withdrawn'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** The press-contact block printed under a release. Every part may be empty but name or organisation. */
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

export interface Term {
  slug: string;
  name: string;
}

export interface Photo {
  id: number;
  /** Path of the original below the media folder, e.g. `releases/12/3-original.jpg`. */
  path: string;
  alt: string;
  caption: string;
  credit: string;
  position: number;
  width: number;
  height: number;
  mime: string;
  bytes: number;
  /** Responsive sizes, narrowest first; empty for photos stored without them. */
  variants: PhotoVariant[];
}

/** One width of a photo, as WebP and JPEG; paths below the media folder. */
export interface PhotoVariant {
  width: number;
  height: number;
  webp: string;
  jpeg: string;
}

export interface Correction {
  /** ISO-8601 UTC time of the correction. */
  at: string;
  note: string;
}

/** What an author writes; the input of create, update and import. */
export interface ReleaseInput {
  title: string;
  subtitle: string;
  /** The date printed on the release, `YYYY-MM-DD`. */
  releaseDate: string;
  /** The place the news is from, e.g. `Landkreis Kassel`. */
  dateline: string;
  bodyMarkdown: string;
  contact: ContactBlock | null;
  republicationNotice: string;
  topics: string[];
  regions: string[];
  language: 'de' | 'en';
}

export interface Release {
  id: number;
  slug: string;
  office: { id: number; slug: string; name: string };
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  bodyHtml: SafeHtml;
  contact: ContactBlock | null;
  republicationNotice: string;
  topics: Term[];
  regions: Term[];
  language: 'de' | 'en';
  status: ReleaseStatus;
  /** When it goes (or went) public, ISO-8601 UTC; null for drafts. */
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
  withdrawalNote: string;
  photos: Photo[];
  corrections: Correction[];
}

export const emptyContact = (): ContactBlock => ({
  organisation: '',
  role: '',
  name: '',
  street: '',
  postcode: '',
  town: '',
  phone: '',
  fax: '',
  email: '',
  website: '',
});
