// When a release is dated, as every channel that shows a date writes it (pages, lists, search
// results, embeds, mail): one rule, in TIME_ZONE through the translator (lib/zoned-time.ts).
import type { Translator } from '../i18n/i18n.ts';

/** What a release is dated by: its release date, when it went public and when it was last corrected. */
export interface ReleaseTimes {
  releaseDate: string;
  publishedAt: string | null;
  /** Its corrections, newest first (a view's). */
  corrections?: readonly { at: string }[];
  /** When it was last corrected (a list's row, `releases.corrected_at`): lists read no corrections. */
  correctedAt?: string | null;
}

/**
 * A release's date as pages, lists and mail show it, in TIME_ZONE: the release date with the time it
 * went public (`28.11.2026, 10:15 Uhr`), or, when it went public on another day, the release date and
 * that moment (`28.11.2026 · Veröffentlicht: 29.11.2026, 10:15 Uhr`); and after a correction
 * „aktualisiert am … um …“.
 */
export const releaseWhen = (r: ReleaseTimes, t: Translator) => {
  const at = r.publishedAt;
  const sameDay = at !== null && t.day(at) === r.releaseDate;
  // Only a correction updates a release for its readers (an import's row may be written after its publication time).
  const corrected = at !== null ? (r.corrections?.[0]?.at ?? r.correctedAt ?? null) : null;
  return {
    /** The release date, with the time of day where it went public that day. */
    date: sameDay ? t.dateTime(at) : t.date(r.releaseDate),
    /** For `<time datetime>`: the instant where the time is shown, else the calendar date. */
    dateIso: sameDay ? at : r.releaseDate,
    /** „Veröffentlicht: 29.11.2026, 10:15 Uhr“ when it went public on another day than its release date; else ''. */
    published: at !== null && !sameDay ? `${t.t('release.published')}: ${t.dateTime(at)}` : '',
    publishedIso: at ?? '',
    /** „aktualisiert am … um …“ after a correction; else ''. */
    updated: corrected ? t.t('release.updatedOnAt', { date: t.date(corrected), time: t.time(corrected) }) : '',
    updatedIso: corrected ?? '',
  };
};

export type ReleaseWhen = ReturnType<typeof releaseWhen>;

/** The date line as one string: `28.11.2026, 10:15 Uhr · aktualisiert am 29.11.2026 um 09:00 Uhr`. */
export const whenText = (when: ReleaseWhen): string => [when.date, when.published, when.updated].filter(Boolean).join(' · ');
