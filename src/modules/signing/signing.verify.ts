// „Echtheit prüfen“: anyone pastes a text, a link or a signature file, and learns whether it matches
// a signed version of a release of this site (and which). Used by the /verify page and `herold
// verify`. What a pasted text must have to match: signing.match.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Urls } from '../../lib/urls.ts';
import { htmlToText } from '../../content/markdown.ts';
import { renderReleaseText } from '../../content/release-text.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { parseCanonical, type CanonicalRelease } from '../../content/release-canonical.ts';
import { de, en } from '../../i18n/catalogue.ts';
import type { Release } from '../releases/release.ts';
import { better, compareText, titleKey, wordsOf, type TextComparison } from './signing.match.ts';
import * as repo from './signing.repository.ts';
import { SIGNATURE_FORMAT, toSignedVersion, verifySignature, type SignedVersion } from './signing.service.ts';

export interface ReleaseRef {
  id: number;
  title: string;
  office: string;
  url: string;
}

export interface VersionRef {
  version: number;
  /** How many signed versions the release has. */
  of: number;
  signedAt: string;
  keyId: string;
  status: 'published' | 'withdrawn';
  /** Whether the signature checks out against the key's public half. */
  signatureValid: boolean;
  /** Whether the key has since been replaced (its signatures stay valid). */
  keyRetired: boolean;
}

export type Verification =
  /** Nothing to check, or nothing found. */
  | { kind: 'none'; reason: 'empty' | 'notFound' | 'unreachable' | 'notRelease' }
  /** A link to a release page of this site: the page is the original; its present version is signed. */
  | { kind: 'page'; release: ReleaseRef; version: VersionRef }
  /** A text compared with the signed versions of the release it names. */
  | { kind: 'text'; release: ReleaseRef; version: VersionRef; comparison: TextComparison; latest: boolean }
  /** A signature file (`.sig`) or a signed document: every version's signature checked. */
  | { kind: 'signatures'; release: ReleaseRef | null; versions: (VersionRef & { known: boolean })[]; valid: boolean };

export interface VerifyDeps {
  db: Kysely<DB>;
  urls: Urls;
  siteName: string;
  timeZone: string;
  findPublic: (id: number) => Promise<Release | undefined>;
  /** The releases a release page lists beside it („Mehr von dieser Pressestelle“, related ones): a copied page holds their titles. */
  around?: (release: Release) => Promise<{ fromOffice: { title: string; office: { name: string } }[]; related: { title: string; office: { name: string } }[] }>;
}

export interface VerifyOptions {
  /** Fetches a link that is not of this site; without it such links are not followed. */
  fetchPage?: (url: string) => Promise<{ contentType: string; body: string }>;
}

/**
 * Names of months and weekdays, as dates are written in both languages. Four formats a language,
 * each made once: a format is costly to make, and one per date took 45 ms of every start.
 */
const DATE_PARTS: readonly Intl.DateTimeFormatOptions[] = [{ month: 'long' }, { month: 'short' }, { weekday: 'long' }, { hour: 'numeric' }];
const dateWords = (['de', 'en'] as const).flatMap((lang) => {
  const formats = DATE_PARTS.map((part) => new Intl.DateTimeFormat(lang, { ...part, timeZone: 'UTC' }));
  return Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 1 + m))).flatMap((d) => formats.map((f) => f.format(d)));
});

/** Words of Herold's own labels in both languages: the layout around a release's parts. */
const LABEL_WORDS: ReadonlySet<string> = new Set([...Object.values(de), ...Object.values(en), ...dateWords, 'Uhr', 'B KB MB GB'].flatMap((text) => wordsOf(text.replace(/\{\w+\}/g, ' ')).map((w) => w.key)));

const pageText = (html: string): string => htmlToText(html.replace(/<(script|style|noscript|template|svg)\b[\s\S]*?<\/\1\s*>/gi, ' '));

const RELEASE_PATH = /^\/(?:releases|ap\/releases)\/(\d{1,12})(?:-[a-z0-9-]*)?(\.txt|\.sig)?$/;

export const createVerifier = ({ db, urls, siteName, timeZone, findPublic, around }: VerifyDeps) => {
  const origin = new URL(urls.base).origin;

  const releaseRef = (release: Release): ReleaseRef => ({ id: release.id, title: release.title, office: release.office.name, url: urls.absolute(urls.release(release)) });

  const versionRef = async (v: SignedVersion, of: number): Promise<VersionRef> => {
    const key = await repo.findKey(db, v.keyId);
    const doc = parseCanonical(v.document);
    return {
      version: v.version,
      of,
      signedAt: v.signedAt,
      keyId: v.keyId,
      status: doc?.status ?? 'published',
      signatureValid: key !== undefined && verifySignature(v.document, v.signature, JSON.parse(key.public_jwk) as JsonWebKey),
      keyRetired: Boolean(key?.retired_at),
    };
  };

  /**
   * The words around a release that are layout, not content: Herold's labels, the site's and the
   * office's names, its topics and regions, and whatever the plain-text layout (the .txt and mail)
   * prints around the parts: its own words, from a copy of the view with every part emptied.
   */
  const layoutWords = (release: Release): Set<string> => {
    const view = presentRelease(release, urls);
    const x = (value: string) => (value ? 'x' : '');
    const skeleton = {
      ...view,
      title: '',
      subtitle: '',
      dateline: '',
      summary: '',
      body: { ...view.body, text: '', markdown: '' },
      photos: view.photos.map((p) => ({ ...p, caption: 'x', credit: x(p.credit), alt: '' })),
      contact: view.contact ? (Object.fromEntries(Object.entries(view.contact).map(([k, v]) => [k, x(String(v))])) as unknown as typeof view.contact) : null,
      notice: x(view.notice),
      corrections: view.corrections.map((c) => ({ ...c, note: 'x' })),
      withdrawn: view.withdrawn ? { ...view.withdrawn, note: 'x' } : null,
    };
    const textLayout = wordsOf(renderReleaseText(skeleton, { timeZone, siteName, siteUrl: urls.base })).map((w) => w.key);
    return new Set([...LABEL_WORDS, ...textLayout, ...wordsOf([siteName, release.office.name, ...release.topics.map((t) => t.name), ...release.regions.map((r) => r.name)].join(' ')).map((w) => w.key)]);
  };

  /** Release ids a text names: links to this site's releases, and titles of signed versions standing alone on a line. */
  const candidates = async (text: string): Promise<number[]> => {
    const ids = new Set<number>();
    for (const match of text.matchAll(/https?:\/\/[^\s"'<>)]+/g)) {
      try {
        const url = new URL(match[0]);
        const path = RELEASE_PATH.exec(url.pathname);
        if (url.origin === origin && path) ids.add(Number(path[1]));
      } catch {
        // not a URL after all
      }
    }
    // A title stands on a line of its own, or (wrapped, as in the .txt) on two or three.
    const lines = text
      .split(/\r?\n/)
      .map((l) => titleKey(l))
      .filter((k) => k.length > 0)
      .slice(0, 200);
    const keys = lines.flatMap((_, i) => [lines.slice(i, i + 1), lines.slice(i, i + 2), lines.slice(i, i + 3)].map((run) => run.join(' ')));
    for (const id of await repo.listReleaseIdsByTitle(db, [...new Set(keys)].slice(0, 600), 10)) ids.add(id);
    return [...ids].slice(0, 10);
  };

  const verifyText = async (text: string): Promise<Verification> => {
    let best: { release: Release; version: SignedVersion; of: number; comparison: TextComparison; latest: boolean } | undefined;
    for (const id of await candidates(text)) {
      const release = await findPublic(id);
      if (!release) continue;
      const versions = (await repo.listSignatures(db, id)).map(toSignedVersion);
      const layout = layoutWords(release);
      // A copied page also holds the titles of the releases listed beside it: layout, not content.
      if (around) {
        const beside = await around(release);
        for (const w of wordsOf([...beside.fromOffice, ...beside.related].flatMap((x) => [x.title, x.office.name]).join(' '))) layout.add(w.key);
      }
      for (const [index, version] of versions.entries()) {
        const doc = parseCanonical(version.document);
        if (!doc) continue;
        const comparison = compareText(doc, text, layout);
        if (!best || better(comparison, best.comparison)) best = { release, version, of: versions.length, comparison, latest: index === 0 };
      }
    }
    if (!best || best.comparison.verdict === 'unrelated') return { kind: 'none', reason: 'notFound' };
    return { kind: 'text', release: releaseRef(best.release), version: await versionRef(best.version, best.of), comparison: best.comparison, latest: best.latest };
  };

  /** A `.sig` file or a signed document (the canonical form), as JSON. */
  const verifySignatures = async (value: Record<string, unknown>, raw: string): Promise<Verification> => {
    const versions: (VersionRef & { known: boolean })[] = [];
    let releaseId: number | undefined;
    const check = async (v: SignedVersion, of: number) => {
      const doc = parseCanonical(v.document);
      const path = doc ? RELEASE_PATH.exec(new URL(doc.id, urls.base).pathname) : null;
      if (doc && new URL(doc.id, urls.base).origin === origin && path) releaseId ??= Number(path[1]);
      // Known: this very document is a signed version in this site's records.
      const stored = releaseId === undefined ? [] : (await repo.listSignatures(db, releaseId)).map(toSignedVersion);
      const known = stored.some((s) => s.document === v.document && s.signature === v.signature);
      versions.push({ ...(await versionRef(v, of)), known });
    };
    if (value.format === SIGNATURE_FORMAT && Array.isArray(value.versions)) {
      const given = (value.versions as unknown[]).filter((v): v is SignedVersion => typeof v === 'object' && v !== null && ['document', 'signature', 'keyId', 'signedAt'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string'));
      if (given.length === 0) return { kind: 'none', reason: 'notRelease' };
      for (const v of given.slice(0, 100)) await check({ ...v, version: Number(v.version) || 0 }, given.length);
    } else {
      const doc = parseCanonical(raw);
      if (!doc) return { kind: 'none', reason: 'notRelease' };
      const match = await findStored(doc, raw);
      if (!match) return { kind: 'none', reason: 'notFound' };
      await check(match.version, match.of);
    }
    const release = releaseId === undefined ? undefined : await findPublic(releaseId);
    return { kind: 'signatures', release: release ? releaseRef(release) : null, versions, valid: versions.every((v) => v.signatureValid) };
  };

  /** The stored signed version whose document is exactly this one. */
  const findStored = async (doc: CanonicalRelease, raw: string) => {
    const path = RELEASE_PATH.exec(new URL(doc.id, urls.base).pathname);
    if (!path || new URL(doc.id, urls.base).origin !== origin) return undefined;
    const versions = (await repo.listSignatures(db, Number(path[1]))).map(toSignedVersion);
    const version = versions.find((v) => v.document === raw.trim());
    return version ? { version, of: versions.length } : undefined;
  };

  /** A link: this site's release pages are answered from the records; other pages are fetched and compared. */
  const verifyUrl = async (target: URL, options: VerifyOptions): Promise<Verification> => {
    const path = RELEASE_PATH.exec(target.pathname);
    if (target.origin === origin) {
      if (!path) return { kind: 'none', reason: 'notRelease' };
      const release = await findPublic(Number(path[1]));
      if (!release) return { kind: 'none', reason: 'notFound' };
      const versions = (await repo.listSignatures(db, release.id)).map(toSignedVersion);
      if (versions.length === 0) return { kind: 'none', reason: 'notFound' };
      if (path[2] === '.sig') return verifySignatures({ format: SIGNATURE_FORMAT, versions }, '');
      return { kind: 'page', release: releaseRef(release), version: await versionRef(versions[0]!, versions.length) };
    }
    if (!options.fetchPage) return { kind: 'none', reason: 'unreachable' };
    let page;
    try {
      page = await options.fetchPage(target.href);
    } catch {
      return { kind: 'none', reason: 'unreachable' };
    }
    if (/json/i.test(page.contentType) || /^\s*\{/.test(page.body)) {
      const json = parseJson(page.body);
      if (json) return verifySignatures(json, page.body);
    }
    return verifyText(/html/i.test(page.contentType) || /^\s*</.test(page.body) ? pageText(page.body) : page.body);
  };

  return {
    /** Checks what someone pasted: a link, a signature file or signed document (JSON), or a text. */
    async verify(input: string, options: VerifyOptions = {}): Promise<Verification> {
      const text = input.trim();
      if (!text) return { kind: 'none', reason: 'empty' };
      if (/^https?:\/\/\S+$/.test(text)) {
        try {
          return await verifyUrl(new URL(text), options);
        } catch {
          return { kind: 'none', reason: 'notFound' };
        }
      }
      if (text.startsWith('{')) {
        const json = parseJson(text);
        if (json) return verifySignatures(json, text);
      }
      return verifyText(/^<|<\/p>|<br\b/i.test(text) ? pageText(text) : text);
    },
  };
};

const parseJson = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

export type Verifier = ReturnType<typeof createVerifier>;
