// The canonical form of a release: what its signature covers (modules/signing). A channel like the
// others, a rendering of the presenter's public view (release-view.ts), never of a release row: the
// title, the release date and publication time, the dateline, the body as plain text, the photos'
// captions, credits and alt texts, the contact block, the republication notice, every correction,
// and the withdrawal. Links, picture files and layout are not covered, so a new picture size or a
// new PUBLIC_URL path scheme does not make a new version; the permanent URL is, as the origin claim.
//
// Serialised as JSON in the JSON Canonicalization Scheme (RFC 8785): keys sorted, no whitespace,
// strings escaped as ECMAScript's JSON.stringify does. The values are strings, integers, null,
// arrays and objects only, for which that is all RFC 8785 asks, so no library is needed.
import type { ContactBlock, ReleaseView } from './release-view.ts';

export const CANONICAL_FORMAT = 'herold-release/1';

const CONTACT_KEYS = ['organisation', 'role', 'name', 'street', 'postcode', 'town', 'phone', 'fax', 'email', 'website'] as const satisfies readonly (keyof ContactBlock)[];

export interface CanonicalRelease {
  format: typeof CANONICAL_FORMAT;
  /** The release's permanent URL (`{PUBLIC_URL}/releases/{id}`): who published it, and where. */
  id: string;
  /** The office's slug (slugs of offices never change). */
  office: string;
  language: 'de' | 'en';
  /** Only releases with a public page are signed: published (also a scheduled one whose time came), or withdrawn. */
  status: 'published' | 'withdrawn';
  title: string;
  subtitle: string;
  releaseDate: string;
  publishedAt: string | null;
  dateline: string;
  /** The body as plain text. */
  body: string;
  photos: { caption: string; credit: string; alt: string }[];
  contact: ContactBlock | null;
  notice: string;
  /** Newest first, as the view has them. */
  corrections: { at: string; note: string }[];
  withdrawn: { at: string | null; note: string } | null;
}

/** The canonical form of a release's public view. */
export const canonicalRelease = (view: ReleaseView): CanonicalRelease => ({
  format: CANONICAL_FORMAT,
  id: view.links.permanent.url,
  office: view.office.slug,
  language: view.language,
  status: view.withdrawn ? 'withdrawn' : 'published',
  title: view.title,
  subtitle: view.subtitle,
  releaseDate: view.releaseDate,
  publishedAt: view.publishedAt,
  dateline: view.dateline,
  body: view.body.text,
  photos: view.photos.map((p) => ({ caption: p.caption, credit: p.credit, alt: p.alt })),
  contact: view.contact ? (Object.fromEntries(CONTACT_KEYS.map((k) => [k, view.contact![k]])) as unknown as ContactBlock) : null,
  notice: view.notice,
  corrections: view.corrections.map((c) => ({ at: c.at, note: c.note })),
  withdrawn: view.withdrawn ? { at: view.withdrawn.at, note: view.withdrawn.note } : null,
});

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** RFC 8785 for strings, integers, booleans, null, arrays and objects. */
export const canonicalJson = (value: unknown): string => {
  const write = (v: Json): string => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new TypeError('The canonical form holds integers only');
      return String(v);
    }
    if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
    // RFC 8785 sorts by UTF-16 code units, which is what Array.prototype.sort does with strings.
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write(v[k]!)}`).join(',')}}`;
  };
  return write(value as Json);
};

const isString = (v: unknown): v is string => typeof v === 'string';

/** A canonical document read back (from a signature file someone pasted), or undefined when it is not one. */
export const parseCanonical = (text: string): CanonicalRelease | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  if (d.format !== CANONICAL_FORMAT) return undefined;
  const strings = ['id', 'office', 'language', 'status', 'title', 'subtitle', 'releaseDate', 'dateline', 'body', 'notice'];
  if (!strings.every((k) => isString(d[k]))) return undefined;
  if (!Array.isArray(d.photos) || !Array.isArray(d.corrections)) return undefined;
  const photosOk = d.photos.every((p: unknown) => typeof p === 'object' && p !== null && ['caption', 'credit', 'alt'].every((k) => isString((p as Record<string, unknown>)[k])));
  const correctionsOk = d.corrections.every((c: unknown) => typeof c === 'object' && c !== null && isString((c as Record<string, unknown>).at) && isString((c as Record<string, unknown>).note));
  const contactOk = d.contact === null || (typeof d.contact === 'object' && CONTACT_KEYS.every((k) => isString((d.contact as Record<string, unknown>)[k])));
  const withdrawnOk = d.withdrawn === null || (typeof d.withdrawn === 'object' && isString((d.withdrawn as Record<string, unknown>).note));
  return photosOk && correctionsOk && contactOk && withdrawnOk ? (d as unknown as CanonicalRelease) : undefined;
};
