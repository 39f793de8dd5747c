// Translation and locale-aware formatting. One Translator per language, built once.
import { de, en, type MessageKey } from './catalogue.ts';
import type { Lang } from '../config.ts';

export type { MessageKey };
export type Params = Record<string, string | number>;

export interface Translator {
  lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** 26.08.2025 / 26 Aug 2025, from `YYYY-MM-DD` or an ISO time (shown in the configured zone). */
  date(value: string): string;
  /** 26.08.2025, 14:30 Uhr / 26 Aug 2025, 14:30 */
  dateTime(value: string): string;
  month(year: number, month: number): string;
  bytes(n: number): string;
}

const catalogues: Record<Lang, Record<MessageKey, string>> = { de, en };

export const createTranslator = (lang: Lang, timeZone: string): Translator => {
  const messages = catalogues[lang];
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const dateFormat = new Intl.DateTimeFormat(locale, lang === 'de'
    ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const plainDateFormat = new Intl.DateTimeFormat(locale, lang === 'de'
    ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  const t = (key: MessageKey, params?: Params): string => {
    const text = messages[key];
    if (text === undefined || !params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
  // Calendar dates repeat on every list (20 hits of a search share a few days): formatted once each.
  const plainDates = new Map<string, string>();
  const date = (value: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return dateFormat.format(new Date(value));
    let text = plainDates.get(value);
    if (text === undefined) {
      text = plainDateFormat.format(new Date(`${value}T00:00:00Z`));
      if (plainDates.size >= 10_000) plainDates.clear();
      plainDates.set(value, text);
    }
    return text;
  };
  return {
    lang,
    t,
    date,
    dateTime: (value) => {
      const d = new Date(value);
      return lang === 'de' ? `${dateFormat.format(d)}, ${timeFormat.format(d)} Uhr` : `${dateFormat.format(d)}, ${timeFormat.format(d)}`;
    },
    month: (year, month) => `${t(`month.${month}` as MessageKey)} ${year}`,
    bytes: (n) =>
      n >= 1024 * 1024 ? `${numberFormat.format(n / 1024 / 1024)} MB` : `${numberFormat.format(Math.max(1, Math.round(n / 1024)))} KB`,
  };
};
