// What the API's release list asks of the other modules: the filters' slugs resolved, the page
// chosen in one of three stable orders, and the cursor that continues it. Without `q`, releases
// come newest publication first (as listings and feeds list them); with `updated_since`, oldest
// last public change first, withdrawn ones included (a sync); with `q`, through the search, newest
// release date first (the search's order). A cursor names the last release of its page in that
// order, so a page never repeats or skips a release because others were published meanwhile.
import { ValidationError } from '../../lib/errors.ts';
import { lastPublicChange, type Release } from '../releases/release.ts';
import type { ListFilter, ReleasesService } from '../releases/releases.service.ts';
import type { OfficesService } from '../offices/offices.service.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import type { SearchService } from '../search/search.service.ts';
import { searchKey } from '../search/search.keys.ts';

export interface ReleaseListRequest {
  q?: string | undefined;
  offices?: string[] | undefined;
  topic?: string | undefined;
  region?: string | undefined;
  language?: 'de' | 'en' | undefined;
  /** Release dates, inclusive, `YYYY-MM-DD`. */
  from?: string | undefined;
  to?: string | undefined;
  updatedSince?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface ReleaseListPage {
  releases: Release[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

/** A position in one of the three orders (see the top of this file). */
type Position = { order: 'published'; at: string; id: number } | { order: 'changed'; at: string; id: number } | { order: 'search'; key: number };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** The cursor as clients see it: opaque, URL-safe. */
export const encodeCursor = (p: Position): string =>
  Buffer.from(JSON.stringify(p.order === 'search' ? ['s', p.key] : [p.order === 'published' ? 'p' : 'c', p.at, p.id])).toString('base64url');

/** A cursor back to its position; undefined for anything this API did not make. */
export const decodeCursor = (cursor: string): Position | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const [kind, a, b] = value as unknown[];
  if (kind === 's' && value.length === 2 && Number.isSafeInteger(a)) return { order: 'search', key: a as number };
  if ((kind === 'p' || kind === 'c') && value.length === 3 && typeof a === 'string' && ISO.test(a) && Number.isSafeInteger(b) && (b as number) > 0)
    return { order: kind === 'p' ? 'published' : 'changed', at: a, id: b as number };
  return undefined;
};

/** The search as the API calls it: app.ts may hand searches to worker threads after the services are built. */
export type SearchFn = SearchService['search'];

export interface ApiServiceDeps {
  releases: Pick<ReleasesService, 'listAfter' | 'publicReleasesByIds'>;
  offices: Pick<OfficesService, 'findBySlug'>;
  taxonomies: Pick<TaxonomiesService, 'find' | 'findRedirect'>;
  search: SearchFn;
}

export const createApiService = ({ releases, offices, taxonomies, search }: ApiServiceDeps) => {
  /** A topic or region by its slug, or by an old slug of a renamed or merged one. */
  const term = async (table: 'topics' | 'regions', slug: string) => (await taxonomies.find(table, slug)) ?? (await taxonomies.find(table, (await taxonomies.findRedirect(table, slug)) ?? ''));

  return {
    async listReleases(request: ReleaseListRequest): Promise<ReleaseListPage> {
      const errors: Record<string, string> = {};
      const officeIds: number[] = [];
      const officeSlugs: string[] = [];
      for (const slug of new Set(request.offices ?? [])) {
        const office = await offices.findBySlug(slug);
        if (office) {
          officeIds.push(office.id);
          officeSlugs.push(office.slug);
        } else errors.office = 'unknown';
      }
      const topic = request.topic ? await term('topics', request.topic) : undefined;
      if (request.topic && !topic) errors.topic = 'unknown';
      const region = request.region ? await term('regions', request.region) : undefined;
      if (request.region && !region) errors.region = 'unknown';
      if (request.from && request.to && request.from > request.to) errors.to = 'beforeFrom';
      const since = request.updatedSince === undefined ? undefined : new Date(request.updatedSince);
      if (since && Number.isNaN(since.getTime())) errors.updated_since = 'invalid';
      if (request.q !== undefined && request.q.trim() !== '' && request.updatedSince) errors.updated_since = 'notWithQ';
      const order: Position['order'] = request.q?.trim() ? 'search' : request.updatedSince ? 'changed' : 'published';
      const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
      if (request.cursor !== undefined && position?.order !== order) errors.cursor = 'invalid';
      if (Object.keys(errors).length > 0) throw new ValidationError('Invalid parameters of the release list', errors);

      if (order === 'search') {
        const after = position?.order === 'search' ? position.key : undefined;
        const result = await search(
          request.q!,
          {
            offices: officeSlugs,
            ...(topic ? { topic: topic.slug } : {}),
            ...(region ? { region: region.slug } : {}),
            ...(request.from ? { from: request.from } : {}),
            ...(request.to ? { to: request.to } : {}),
            ...(request.language ? { language: request.language } : {}),
          },
          { sort: 'date', limit: request.limit + 1, ...(after !== undefined ? { afterKey: after } : {}) },
        );
        const hits = result.items.slice(0, request.limit);
        const last = hits.at(-1);
        const more = result.items.length > request.limit;
        const found = await releases.publicReleasesByIds(hits.map((h) => h.id));
        return { releases: found, next: more && last ? encodeCursor({ order: 'search', key: searchKey(last.releaseDate, last.id) }) : null };
      }

      const filter: ListFilter = {
        ...(officeIds.length > 0 ? { officeIds } : {}),
        ...(topic ? { topicId: topic.id } : {}),
        ...(region ? { regionId: region.id } : {}),
        ...(request.language ? { language: request.language } : {}),
        ...(request.from ? { dateFrom: request.from } : {}),
        ...(request.to ? { dateBefore: dayAfter(request.to) } : {}),
        ...(order === 'changed' ? { changedSince: since!.toISOString(), withWithdrawn: true } : {}),
      };
      const after = position && position.order !== 'search' ? { at: position.at, id: position.id } : undefined;
      const rows = await releases.listAfter(filter, { order, ...(after ? { after } : {}) }, request.limit + 1);
      const page = rows.slice(0, request.limit);
      const last = page.at(-1);
      const next =
        rows.length > request.limit && last
          ? encodeCursor(order === 'changed' ? { order, at: lastPublicChange({ published_at: last.publishedAt, updated_at: last.updatedAt }), id: last.id } : { order: 'published', at: last.publishedAt!, id: last.id })
          : null;
      return { releases: page, next };
    },
  };
};

/** The day after a `YYYY-MM-DD` date (the list's date filter takes an exclusive end). */
const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export type ApiService = ReturnType<typeof createApiService>;
