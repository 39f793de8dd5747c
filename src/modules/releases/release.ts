// The release model: its domain types, and the rules of who may see and change a release, each
// stated once, as a Kysely expression for queries and a plain predicate for rows already read.
// Repositories return rows; the releases service maps them to these types. See CONTEXT.md beside
// this file for the words used here.
import { sql, type ExpressionBuilder } from 'kysely';
import type { DB, ReleaseStatus } from '../../db/database.ts';
import type { SafeHtml } from '../../lib/safe-html.ts';
import type { ContactBlock } from '../../content/release-view.ts';
import type { FileChange } from './release-files.ts';

export type { ContactBlock, ReleaseStatus };

/** Release dates lie in these years (inclusive): the archive lists them, and nothing else is a real release date. */
export const RELEASE_YEARS = { first: 1900, last: 2200 } as const;

/** The release dates of a month as a range, from its first day to the first of the next (`YYYY-MM-DD`, the end excluded). */
export const monthRange = (year: number, month: number): { dateFrom: string; dateBefore: string } => ({
  dateFrom: `${year}-${String(month).padStart(2, '0')}-01`,
  dateBefore: month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`,
});

/**
 * Text as typed, in Unicode NFC: „Straße für Ärzte“ typed with combining accents (NFD, as some
 * systems send it) is stored, searched and slugged like the composed form, so one title has one slug.
 */
export const nfc = (text: string): string => text.normalize('NFC');

export const CONTACT_FIELDS = ['organisation', 'role', 'name', 'street', 'postcode', 'town', 'phone', 'fax', 'email', 'website'] as const satisfies readonly (keyof ContactBlock)[];

export interface Term {
  slug: string;
  name: string;
}

export interface Photo {
  id: number;
  /** Path of the original below the media folder, e.g. `releases/12/3-original.jpg`; empty for a caption without a file. */
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

/** A document attached to a release (PDF, ODT, DOCX). */
export interface Attachment {
  id: number;
  /** As the author named it; shown as the link text. */
  title: string;
  /** Below the media folder: `releases/{releaseId}/{key}/{name}.{pdf|odt|docx}`. */
  path: string;
  mime: string;
  bytes: number;
  sha256: string;
  position: number;
}

export interface Correction {
  /** ISO-8601 UTC time of the correction. */
  at: string;
  /** The author's note, with a sentence for each change of a photo or attachment appended. */
  note: string;
  /** What the correction changed in photos and attachments, with the old values (release-files.ts). */
  fileChanges: FileChange[];
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
  /** `logoPath`: the office's logo (JSON-LD `publisher.logo`), where it has one; absent where not read. */
  office: { id: number; slug: string; name: string; logoPath?: string | null };
  title: string;
  subtitle: string;
  releaseDate: string;
  dateline: string;
  bodyMarkdown: string;
  bodyHtml: SafeHtml;
  /** The body's plain text, written beside the HTML. */
  bodyText: string;
  /** The subtitle, or the body's opening shortened: for lists, feeds and meta descriptions. */
  summary: string;
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
  /** In the order the author gave them. */
  photos: Photo[];
  /** In the order the author gave them. */
  attachments: Attachment[];
  /** Oldest first, as they were made. */
  corrections: Correction[];
}

/** What an author wrote of a release: the input that makes it again (a copy, a correction that keeps the text). */
export const releaseInputOf = (r: Release): ReleaseInput => ({
  title: r.title,
  subtitle: r.subtitle,
  releaseDate: r.releaseDate,
  dateline: r.dateline,
  bodyMarkdown: r.bodyMarkdown,
  contact: r.contact,
  republicationNotice: r.republicationNotice,
  topics: r.topics.map((t) => t.slug),
  regions: r.regions.map((t) => t.slug),
  language: r.language,
});

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

// ---------------------------------------------------------------------------------------------
// Who may see a release, and who may change it: the one definition of each.

/** The columns the rules read. */
export interface ReleaseState {
  status: ReleaseStatus;
  /** ISO-8601 UTC, or null for a draft. */
  published_at: string | null;
}

/**
 * **Public now**: published, or scheduled with its time come (the `publish-scheduled` job may not
 * have flipped it yet); never a draft, a scheduled release before its time, or a withdrawn one.
 * What listings, feeds, search, the sitemap, mail and counts show.
 */
export const isPublicAt = (eb: ExpressionBuilder<DB, 'releases'>, now: string) =>
  // The status list is literal SQL, not parameters: it is the condition of the partial indexes of the
  // public listings (migration 0130), and SQLite uses a partial index only for a query naming it.
  eb.and([sql<boolean>`${sql.ref('releases.status')} in ('published', 'scheduled')`, eb('releases.published_at', '<=', now)]);

/** `isPublicAt` for a row already read. */
export const isPublic = (row: ReleaseState, now: string): boolean =>
  (row.status === 'published' || row.status === 'scheduled') && row.published_at !== null && row.published_at <= now;

/**
 * **Has a public page**: public now, or withdrawn (which only a public release can be). A withdrawn
 * release keeps its page, saying so, but leaves every list, feed, search and mail.
 */
export const hasPublicPage = (row: ReleaseState, now: string): boolean => isPublic(row, now) || row.status === 'withdrawn';

/** **Withdrawn**, as a Kysely expression: taken back by its office; its page says so, its files go. */
export const isWithdrawnAt = (eb: ExpressionBuilder<DB, 'releases'>) => eb('releases.status', '=', 'withdrawn');

/** `hasPublicPage` as a Kysely expression: public now, or withdrawn (the API's sync lists withdrawn releases too, as tombstones). */
export const hasPublicPageAt = (eb: ExpressionBuilder<DB, 'releases'>, now: string) => eb.or([isPublicAt(eb, now), isWithdrawnAt(eb)]);

/**
 * **Last public change**: when readers last saw the release change: its last correction or
 * withdrawal, or when it went public, whichever is later (a scheduled release's row is written
 * before its time). The presenter's `updatedAt`, and what the API's `updated_since` compares.
 */
export const lastPublicChange = (row: { published_at: string | null; updated_at: string }): string =>
  row.published_at && row.published_at > row.updated_at ? row.published_at : row.updated_at;

/** `lastPublicChange` as a Kysely expression. */
export const lastPublicChangeOf = (eb: ExpressionBuilder<DB, 'releases'>) => {
  // The greater of the two, written so that SQLite (scalar `max`) and PostgreSQL (`greatest`) read it alike.
  const published = eb.fn.coalesce('releases.published_at', 'releases.updated_at');
  return eb.case().when(eb.ref('releases.updated_at'), '>=', published).then(eb.ref('releases.updated_at')).else(published).end();
};

/** **Due**: scheduled, and its time has come; `publishDue` makes it published. */
export const isDueAt = (eb: ExpressionBuilder<DB, 'releases'>, now: string) => eb.and([isScheduled(eb), eb('releases.published_at', '<=', now)]);

/** Status `scheduled`, as literal SQL: the condition of the partial index `releases_scheduled` (migration 0133). */
export const isScheduled = (eb: ExpressionBuilder<DB, 'releases'>) => sql<boolean>`${eb.ref('releases.status')} = 'scheduled'`;

/**
 * **Editable**: a draft, or a scheduled release before its time. Its text and photos change in
 * place; once public it changes only by a correction, and a withdrawn one not at all.
 */
export const isEditable = (row: ReleaseState, now: string): boolean => row.status === 'draft' || (row.status === 'scheduled' && row.published_at !== null && row.published_at > now);

/** A release's status as its office sees it: a scheduled one whose time has come counts as published. */
export const effectiveStatus = (row: ReleaseState, now: string): ReleaseStatus => (row.status === 'scheduled' && isPublic(row, now) ? 'published' : row.status);
