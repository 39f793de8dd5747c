// The one place that turns instants into wall-clock times of the configured zone (TIME_ZONE) and
// back: pages, the admin's datetime-local inputs, the plain-text layout, mail and the digest
// schedule all go through `zonedTime(timeZone)`. No library: Intl knows the zones.
//
// Daylight saving time: a wall time that does not exist (the spring gap) is refused by `fromLocal`
// and moved forward by `at`; a wall time that exists twice (the autumn overlap) means its first
// occurrence (summer time).

export type TimeLang = 'de' | 'en';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedTime {
  readonly timeZone: string;
  /** The wall-clock parts of an instant in this zone. */
  parts(at: Date | string | number): LocalParts;
  /** `YYYY-MM-DD`, the calendar day of an instant in this zone. */
  localDate(at: Date | string | number): string;
  /** `YYYY-MM-DDTHH:mm` of an instant, for a datetime-local input's value. */
  toLocal(at: Date | string | number): string;
  /** `2026-03-29T02:30` → ISO UTC string; undefined when malformed or in the spring gap. */
  fromLocal(local: string): string | undefined;
  /** The instant of a wall time; a time in the spring gap is moved forward by the gap. */
  at(year: number, month: number, day: number, hour: number, minute: number): Date;
  /** `26.08.2025` / `26 Aug 2025`: a calendar date (`YYYY-MM-DD`) as it is, an instant in this zone. */
  formatDate(value: string, lang: TimeLang): string;
  /** `14:30 Uhr` / `14:30 CEST`. */
  formatTime(value: Date | string, lang: TimeLang): string;
  /** `26.08.2025, 14:30 Uhr` / `26 Aug 2025, 14:30 CEST`. */
  formatDateTime(value: Date | string, lang: TimeLang): string;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A calendar date in the house formats: `26.08.2025` (de), `26 Aug 2025` (en; month names fixed, not the ICU's). */
export const formatCalendarDate = (year: number, month: number, day: number, lang: TimeLang): string =>
  lang === 'de' ? `${pad2(day)}.${pad2(month)}.${year}` : `${day} ${MONTHS_EN[month - 1]} ${year}`;

const toMs = (at: Date | string | number): number => (at instanceof Date ? at.getTime() : typeof at === 'number' ? at : new Date(at).getTime());

const create = (timeZone: string): ZonedTime => {
  const partsFormat = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const zoneName = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' });

  // formatToParts is the costly step of rendering a date, and pages show the same instants again
  // and again (publication times): remembered per instant, a bounded number of them.
  const known = new Map<number, LocalParts>();
  const parts = (at: Date | string | number): LocalParts => {
    const ms = toMs(at);
    const seen = known.get(ms);
    if (seen) return { ...seen };
    const p: Record<string, number> = {};
    for (const part of partsFormat.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const result = { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
    if (known.size >= 10_000) known.clear();
    if (!Number.isNaN(ms)) known.set(ms, result);
    return { ...result };
  };

  /** Offset of the zone from UTC at an instant, in ms (e.g. +3_600_000 for CET). */
  const offsetAt = (ms: number): number => {
    const p = parts(ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };

  /** Every instant whose wall time here is the given one (none in the gap, two in the overlap), earliest first. */
  const instantsOf = (year: number, month: number, day: number, hour: number, minute: number, second: number): number[] => {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    return [...new Set([offsetAt(asUtc - 86_400_000), offsetAt(asUtc + 86_400_000), offsetAt(asUtc)])]
      .map((offset) => asUtc - offset)
      .filter((ms) => {
        const p = parts(ms);
        return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute;
      })
      .sort((a, b) => a - b);
  };

  const localDate = (at: Date | string | number): string => {
    const p = parts(at);
    return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
  };

  const formatTime = (value: Date | string, lang: TimeLang): string => {
    const p = parts(value);
    const time = `${pad2(p.hour)}:${pad2(p.minute)}`;
    if (lang === 'de') return `${time} Uhr`;
    const name = zoneName.formatToParts(new Date(toMs(value))).find((x) => x.type === 'timeZoneName')?.value ?? '';
    return name ? `${time} ${name}` : time;
  };

  return {
    timeZone,
    parts,
    localDate,
    toLocal: (at) => {
      const p = parts(at);
      return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`;
    },
    fromLocal: (local) => {
      const m = LOCAL.exec(local.trim());
      if (!m) return undefined;
      const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
      const check = new Date(Date.UTC(year, month - 1, day));
      if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
      const first = instantsOf(year, month, day, hour, minute, second)[0];
      return first === undefined ? undefined : new Date(first).toISOString();
    },
    at: (year, month, day, hour, minute) => {
      const first = instantsOf(year, month, day, hour, minute, 0)[0];
      if (first !== undefined) return new Date(first);
      // In the spring gap: the offset from before the gap, which lands as far past it as the time was in it.
      const asUtc = Date.UTC(year, month - 1, day, hour, minute);
      return new Date(asUtc - offsetAt(asUtc - 86_400_000));
    },
    formatDate: (value, lang) => {
      const m = CALENDAR_DATE.exec(value);
      if (m) return formatCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]), lang);
      const p = parts(value);
      return formatCalendarDate(p.year, p.month, p.day, lang);
    },
    formatTime,
    formatDateTime: (value, lang) => {
      const p = parts(value);
      return `${formatCalendarDate(p.year, p.month, p.day, lang)}, ${formatTime(value, lang)}`;
    },
  };
};

const zones = new Map<string, ZonedTime>();

/** The zoned time of `timeZone` (an IANA name, e.g. `Europe/Berlin`), made once per zone. */
export const zonedTime = (timeZone: string): ZonedTime => {
  let zoned = zones.get(timeZone);
  if (!zoned) {
    zoned = create(timeZone);
    zones.set(timeZone, zoned);
  }
  return zoned;
};
