// Following a search, pure: the canonical form of a search (text plus applied filters) as stored in
// a subscription target (`kind = 'search'`), its query string (search page and search feeds), and a
// readable description. The search service makes the canonical form from what a visitor sent
// (`followTarget`), so one search is always one stored value.

/** The filters of a search that were understood and applied, normalised (for links, feeds, the form and stored searches). */
export interface AppliedFilters {
  offices: string[];
  topic: string | null;
  region: string | null;
  from: string | null;
  to: string | null;
  language: 'de' | 'en' | null;
}

/** Longest stored value (JSON); a query over MAX_QUERY_LENGTH is refused before this matters. */
export const MAX_TARGET_LENGTH = 2000;

/** What a search target holds: the text and the filters, as the search URL names them. */
export interface FollowedSearch {
  q: string;
  filters: AppliedFilters;
}

const NO_FILTERS: AppliedFilters = { offices: [], topic: null, region: null, from: null, to: null, language: null };

/**
 * The stored value: JSON with a fixed key order, empty parts left out, offices sorted, so equal
 * searches give equal strings (`{"q":"radweg","filters":{"offices":["a","b"],"topic":"verkehr"}}`).
 */
export const encodeFollowedSearch = ({ q, filters }: FollowedSearch): string => {
  const f: Record<string, unknown> = {};
  if (filters.offices.length > 0) f.offices = [...new Set(filters.offices)].sort();
  for (const key of ['topic', 'region', 'from', 'to', 'language'] as const) if (filters[key]) f[key] = filters[key];
  return JSON.stringify({ q: q.trim(), filters: f });
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v.length <= 200 ? v : null);

/** The search of a stored value; undefined when the value is not one (never throws). */
export const decodeFollowedSearch = (value: string): FollowedSearch | undefined => {
  if (value.length > MAX_TARGET_LENGTH) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || typeof (raw as { q?: unknown }).q !== 'string') return undefined;
  const { q, filters } = raw as { q: string; filters?: Record<string, unknown> };
  const f = filters && typeof filters === 'object' ? filters : {};
  const language = f.language === 'de' || f.language === 'en' ? f.language : null;
  return {
    q,
    filters: {
      ...NO_FILTERS,
      offices: Array.isArray(f.offices) ? f.offices.map(str).filter((x): x is string => x !== null).slice(0, 20) : [],
      topic: str(f.topic),
      region: str(f.region),
      from: str(f.from),
      to: str(f.to),
      language,
    },
  };
};

/**
 * The query string of a search without sort and page, in the order of the search URL
 * (search.views.ts `searchParams`): q, office…, topic, region, from, to, lang. Search feeds and
 * the "alert me" link use it.
 */
export const followedSearchParams = ({ q, filters }: FollowedSearch): URLSearchParams => {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  for (const office of filters.offices) params.append('office', office);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.region) params.set('region', filters.region);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.language) params.set('lang', filters.language);
  return params;
};

/** Names of offices, topics and regions by slug, to describe a search. */
export interface SearchNames {
  offices: ReadonlyMap<string, string>;
  topics: ReadonlyMap<string, string>;
  regions: ReadonlyMap<string, string>;
}

/**
 * A readable one-line description: the text in quotes, then the names of the filters, the date
 * range and the language, e.g. `„Radweg“ · Stadt Musterhausen · Verkehr · 2026-03-01 – 2026-03-31 · de`.
 */
export const describeFollowedSearch = ({ q, filters }: FollowedSearch, names: SearchNames): string => {
  const text = q.trim();
  const parts: string[] = [];
  if (text) parts.push(`„${text.length > 80 ? `${text.slice(0, 80)}…` : text}“`);
  for (const office of filters.offices) parts.push(names.offices.get(office) ?? office);
  if (filters.topic) parts.push(names.topics.get(filters.topic) ?? filters.topic);
  if (filters.region) parts.push(names.regions.get(filters.region) ?? filters.region);
  if (filters.from || filters.to) parts.push(`${filters.from ?? '…'} – ${filters.to ?? '…'}`);
  if (filters.language) parts.push(filters.language);
  return parts.join(' · ');
};
