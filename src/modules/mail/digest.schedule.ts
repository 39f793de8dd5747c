// When digests are due: pure date arithmetic in the configured time zone (no library). The due
// time of a period is the configured local time (DIGEST_TIME) on each day, or on the configured
// weekday (DIGEST_WEEKDAY) for weekly digests; DST changes are handled by re-reading the offset.

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
};

export const localParts = (at: Date, timeZone: string): LocalParts => {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
};

/** Offset of the zone from UTC at `at`, in ms. */
const offsetAt = (at: number, timeZone: string): number => {
  const p = localParts(new Date(at), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(at / 60_000) * 60_000;
};

/** The UTC instant of a local wall-clock time in `timeZone`. */
export const zonedTime = (year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date => {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let t = guess - offsetAt(guess, timeZone);
  const again = guess - offsetAt(t, timeZone);
  if (again !== t) t = again;
  return new Date(t);
};

const ymd = (d: Date) => d.toISOString().slice(0, 10);

export interface DuePeriod {
  frequency: 'daily' | 'weekly';
  /** Unique key of the period, e.g. `daily:2026-03-10`. */
  key: string;
  /** When the period's digest became due. */
  dueAt: Date;
}

/** The most recent due daily and weekly digest times at or before `now`. */
export const latestDuePeriods = (now: Date, timeZone: string, time: string, weekday: number): DuePeriod[] => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const local = localParts(now, timeZone);
  const dayAt = (offsetDays: number) => {
    const d = new Date(Date.UTC(local.year, local.month - 1, local.day + offsetDays));
    return { date: d, at: zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, timeZone) };
  };
  let daily = dayAt(0);
  if (daily.at > now) daily = dayAt(-1);
  const todayIso = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() || 7;
  let back = (todayIso - weekday + 7) % 7;
  let weekly = dayAt(-back);
  if (weekly.at > now) {
    back += 7;
    weekly = dayAt(-back);
  }
  return [
    { frequency: 'daily', key: `daily:${ymd(daily.date)}`, dueAt: daily.at },
    { frequency: 'weekly', key: `weekly:${ymd(weekly.date)}`, dueAt: weekly.at },
  ];
};
