// Translation and locale-aware formatting. One Translator per language, built once.
import { de, en, type MessageKey } from './catalogue.ts';
import type { Lang } from '../config.ts';
import { zonedTime } from '../lib/zoned-time.ts';

export type { MessageKey };
export type Params = Record<string, string | number>;

export interface Translator {
  lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** 26.08.2025 / 26 Aug 2025, from `YYYY-MM-DD` or an ISO time (shown in the configured zone). */
  date(value: string): string;
  /** 26.08.2025, 14:30 Uhr / 26 Aug 2025, 14:30 CEST */
  dateTime(value: string): string;
  /** 14:30 Uhr / 14:30 CEST */
  time(value: string): string;
  /** `YYYY-MM-DD`: the calendar day of an instant in the configured zone. */
  day(value: string): string;
  month(year: number, month: number): string;
  bytes(n: number): string;
}

const catalogues: Record<Lang, Record<MessageKey, string>> = { de, en };

/** Translators made so far, by language and zone: making one makes an Intl.NumberFormat, which costs more than rendering a page's text (0.3 ms). */
const made = new Map<string, Translator>();

/** The translator of `lang` in `timeZone`; one per pair, made at its first use (a translator holds no state). */
export const createTranslator = (lang: Lang, timeZone: string): Translator => {
  const key = `${lang} ${timeZone}`;
  let translator = made.get(key);
  if (translator === undefined) made.set(key, (translator = makeTranslator(lang, timeZone)));
  return translator;
};

const makeTranslator = (lang: Lang, timeZone: string): Translator => {
  const messages = catalogues[lang];
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  // Dates and times as everywhere else (the plain text, mail): lib/zoned-time.ts, in TIME_ZONE.
  const zone = zonedTime(timeZone);
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  const t = (key: MessageKey, params?: Params): string => {
    const text = messages[key];
    if (text === undefined || !params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
  return {
    lang,
    t,
    date: (value) => zone.formatDate(value, lang),
    dateTime: (value) => zone.formatDateTime(value, lang),
    time: (value) => zone.formatTime(value, lang),
    day: (value) => zone.localDate(value),
    month: (year, month) => `${t(`month.${month}` as MessageKey)} ${year}`,
    bytes: (n) =>
      n >= 1024 * 1024 ? `${numberFormat.format(n / 1024 / 1024)} MB` : `${numberFormat.format(Math.max(1, Math.round(n / 1024)))} KB`,
  };
};
