// Wall-clock times in a named zone (Europe/Berlin) ↔ UTC instants, for datetime-local inputs.
// Handles daylight saving time: a time that does not exist (the spring gap) is refused; a time
// that exists twice (the autumn overlap) means its first occurrence (summer time).

const partsIn = (ms: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
};

/** Offset of the zone from UTC at an instant, in ms (e.g. +3_600_000 for CET). */
const offsetAt = (ms: number, timeZone: string): number => {
  const p = partsIn(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
};

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2026-03-29T02:30` in `timeZone` → ISO UTC string, or undefined when invalid or non-existent. */
export const zonedLocalToUtc = (local: string, timeZone: string): string | undefined => {
  const m = LOCAL.exec(local.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  // Candidates from the offsets just before and after; keep those that read back as the same wall time.
  const candidates = [...new Set([offsetAt(asUtc - 86_400_000, timeZone), offsetAt(asUtc + 86_400_000, timeZone), offsetAt(asUtc, timeZone)])]
    .map((offset) => asUtc - offset)
    .filter((ms) => {
      const p = partsIn(ms, timeZone);
      return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute;
    })
    .sort((a, b) => a - b);
  return candidates.length > 0 ? new Date(candidates[0]!).toISOString() : undefined;
};

/** ISO UTC → `YYYY-MM-DDTHH:mm` wall time in `timeZone`, for a datetime-local input's value. */
export const utcToZonedLocal = (iso: string, timeZone: string): string => {
  const p = partsIn(new Date(iso).getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
};
