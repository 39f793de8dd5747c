// The index key of a release: the rowid of its entries in releases_fts and releases_fts_titles.
// It is −(day × 2^32 + id), the day being the release date as days since 1970: ascending keys are
// release dates newest first (later ids first within a day). FTS5 reads its lists in rowid order,
// forwards two to three times faster than backwards, so "the newest matches" is a plain forward
// read that stops early, and a date range is a rowid range FTS5 seeks to. releases_fts_keys
// remembers each release's key, so its entries can be found after its release date changed.

/** Release ids stay below this (4.29 billion); the low 32 bits of a key. */
export const KEY_SPAN = 2 ** 32;

const DAY_MS = 86_400_000;
/**
 * Day numbers are clamped to ±2^20 (the years 900 to 4840): keys stay exact in a JavaScript number,
 * and a release dated absurdly far out shares the edge day with any other such one.
 */
const DAY_LIMIT = 2 ** 20;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; NaN when it is not one. */
const dayNumber = (date: string): number => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS : Number.NaN;
};

/** The key of a release. Throws on a release date that is not `YYYY-MM-DD` or an id out of range. */
export const searchKey = (releaseDate: string, id: number): number => {
  const day = dayNumber(releaseDate);
  if (!Number.isFinite(day) || !Number.isSafeInteger(id) || id < 0 || id >= KEY_SPAN) throw new RangeError(`No search key for release ${id} of ${releaseDate}`);
  return -(Math.min(DAY_LIMIT, Math.max(-DAY_LIMIT, day)) * KEY_SPAN + id);
};

/** The release id in a key. */
export const releaseIdOfKey = (key: number): number => {
  const packed = -key;
  return packed - Math.floor(packed / KEY_SPAN) * KEY_SPAN;
};

/** The keys of the releases dated `from` to `to` (inclusive `YYYY-MM-DD`; either may be missing). */
export const keyRange = (from: string | undefined, to: string | undefined): { low?: number; high?: number } => ({
  ...(to !== undefined ? { low: searchKey(to, KEY_SPAN - 1) } : {}),
  ...(from !== undefined ? { high: searchKey(from, 0) } : {}),
});
