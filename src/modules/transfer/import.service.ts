// Imports releases from plain text (the portal form and our own .txt export) or our JSON export.
// Each file is read completely before anything is stored, and stored in one transaction per file,
// with the record of its content (release_imports), so importing the same file again stores nothing.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Services } from '../../services.ts';
import { ValidationError } from '../../lib/errors.ts';
import { cleanInput, cleanText, removedCount, removedInInput } from '../../lib/input-text.ts';
import { parseReleaseText, ReleaseTextError } from './release-text-parser.ts';
import type { ContactBlock, ReleaseInput } from '../releases/release.ts';
import { parseReleaseJson } from './release-json.ts';
import { findImport, insertImport } from './imports.repository.ts';

export interface ImportOptions {
  officeSlug: string;
  status: 'draft' | 'published' | 'scheduled';
  /** With `scheduled`: when it goes public, ISO-8601 with a zone (`2026-12-24T10:00+01:00`). */
  publishAt?: string;
  /** With `scheduled`: send it ahead under embargo to the office's accredited journalists (modules/prereleases). */
  prerelease?: 'accredited';
  lang?: 'de' | 'en';
}

export interface ImportResult {
  file: string;
  ok: boolean;
  releaseId?: number;
  /** The same file was imported into the office before; nothing was stored. */
  already?: boolean;
  url?: string;
  report: string[];
  error?: string;
}

export class ImportError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

interface Parsed {
  input: ReleaseInput;
  captions: { caption: string; credit: string; alt?: string }[];
  report: string[];
  /** Topic and region names to map to slugs (creating terms that are missing). */
  topicNames: string[];
  regionNames: string[];
  publishedAt?: string;
}

export const parseImportFile = (name: string, content: string, lang?: 'de' | 'en'): Parsed => {
  if (name.endsWith('.json')) {
    const data = parseReleaseJson(content);
    return {
      input: { ...data.input, topics: [], regions: [] },
      captions: data.photos.map((p) => ({ caption: p.caption, credit: p.credit, alt: p.alt })),
      report: ['format: Herold JSON export', ...data.attachments.map((a) => `attachment not imported (the export carries no file): "${a.name}" ${a.url}`)],
      topicNames: data.topics.map((t) => t.name),
      regionNames: data.regions.map((r) => r.name),
      ...(data.publishedAt ? { publishedAt: data.publishedAt } : {}),
    };
  }
  try {
    const parsed = parseReleaseText(content, lang ? { lang } : {});
    return {
      input: { ...parsed.input, topics: [], regions: [] },
      captions: parsed.captions,
      report: parsed.report,
      topicNames: parsed.input.topics,
      regionNames: parsed.input.regions,
    };
  } catch (error) {
    if (error instanceof ReleaseTextError) throw new ImportError(error.message, error.line);
    throw error;
  }
};

const sameContact = (a: ContactBlock, b: ContactBlock) => (Object.keys(a) as (keyof ContactBlock)[]).every((k) => a[k] === b[k]);

export const createImportService = ({ db, services }: { db: Kysely<DB>; services: Services }) => ({
  /** Imports one file's content. Never throws for bad input: the result says what went wrong. */
  async importOne(file: string, content: string, options: ImportOptions): Promise<ImportResult> {
    // Control characters go before anything reads the file (lib/input-text.ts); JSON escapes of them, after.
    const removed = removedCount(content);
    let parsed: Parsed;
    try {
      parsed = parseImportFile(file, cleanText(content), options.lang);
      const total = removed + removedInInput(parsed.input) + removedInInput(parsed.captions) + removedInInput([parsed.topicNames, parsed.regionNames]);
      parsed = { ...parsed, input: cleanInput(parsed.input), captions: cleanInput(parsed.captions), topicNames: cleanInput(parsed.topicNames), regionNames: cleanInput(parsed.regionNames) };
      if (total > 0) parsed.report.unshift(`control characters removed: ${total} (never stored)`);
    } catch (error) {
      if (error instanceof ImportError) return { file, ok: false, report: [], error: `${file}:${error.line}: ${error.message}` };
      if (error instanceof SyntaxError || error instanceof ValidationError) return { file, ok: false, report: [], error: `${file}: ${error.message}` };
      throw error;
    }
    const report = [...parsed.report];
    try {
      let office = await services.offices.findBySlug(options.officeSlug);
      if (!office) {
        const name = parsed.input.contact?.organisation ? titleCase(parsed.input.contact.organisation) : options.officeSlug;
        office = await services.offices.create(
          { slug: options.officeSlug, name, website: parsed.input.contact?.website ?? '', republicationNotice: parsed.input.republicationNotice, language: parsed.input.language },
          parsed.input.contact ? [parsed.input.contact] : [],
        );
        report.push(`office: created "${office.slug}" (${office.name})${parsed.input.contact ? ' with the contact from the file' : ''}`);
      } else {
        report.push(`office: ${office.slug}`);
        if (parsed.input.contact && !(await services.offices.contacts(office.id)).some((c) => sameContact({ ...c }, parsed.input.contact!)))
          report.push('contact: differs from the office contacts; kept with the release');
      }
      // The same file into the same office once: a run again after a crash skips what it stored.
      const sourceSha256 = createHash('sha256').update(content).digest('hex');
      const earlier = await findImport(db, office.id, sourceSha256);
      if (earlier) {
        report.push(`already imported as release ${earlier.release_id}: not stored again`);
        return { file, ok: true, releaseId: earlier.release_id, already: true, report };
      }
      const topics = await Promise.all(parsed.topicNames.map((n) => services.taxonomies.ensure('topics', n)));
      const regions = await Promise.all(parsed.regionNames.map((n) => services.taxonomies.ensure('regions', n)));
      const now = services.clock.now().toISOString();
      // One transaction: the release, published as asked, and the record of its file.
      const release = await services.releases.create(office.id, { ...parsed.input, topics, regions }, {
        status: options.status,
        ...(options.status === 'scheduled' && options.publishAt ? { publishAt: options.publishAt } : {}),
        ...(options.status === 'published' && parsed.publishedAt && parsed.publishedAt <= now ? { publishedAt: parsed.publishedAt } : {}),
        photos: parsed.captions.map((c) => ({ path: null, alt: c.alt ?? '', caption: c.caption, credit: c.credit })),
        alongside: (trx, releaseId) => insertImport(trx, { office_id: office.id, source_sha256: sourceSha256, release_id: releaseId, imported_at: now }),
      });
      report.push(`stored as release ${release.id} (${options.status}${release.publishedAt && options.status === 'scheduled' ? ` for ${release.publishedAt}` : ''})`);
      if (options.status === 'scheduled' && options.prerelease === 'accredited') {
        // Its own transaction, after the release's: the release stands even when nobody is accredited yet.
        const sent = await services.prereleases.send(release, 'all');
        report.push(sent > 0 ? `pre-release: queued for ${sent} accredited journalist${sent === 1 ? '' : 's'} (the server's mail job sends it)` : 'pre-release: no accredited journalist wants pre-releases by mail; nothing sent');
      }
      return { file, ok: true, releaseId: release.id, report };
    } catch (error) {
      if (error instanceof ValidationError) {
        const fields = Object.entries(error.fields).map(([k, v]) => `${k}: ${v}`).join(', ');
        return { file, ok: false, report, error: `${file}: ${error.message}${fields ? ` (${fields})` : ''}` };
      }
      throw error;
    }
  },
  db,
});

const titleCase = (upper: string): string =>
  upper === upper.toUpperCase() ? upper.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase()) : upper;

