// When digests are due: the configured local time (DIGEST_TIME) in TIME_ZONE on each day, or on the
// configured weekday (DIGEST_WEEKDAY) for weekly digests. Wall times come from lib/zoned-time.ts.
import { zonedTime } from '../../lib/zoned-time.ts';

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
  const zone = zonedTime(timeZone);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const local = zone.parts(now);
  const dayAt = (offsetDays: number) => {
    const d = new Date(Date.UTC(local.year, local.month - 1, local.day + offsetDays));
    return { date: d, at: zone.at(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute) };
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
