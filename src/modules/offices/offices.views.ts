// How an office's own data is shown: shared by its page and the API; the directory's filter.
import { foldText } from '../../lib/fold.ts';

/**
 * The office website as a link target: http(s) as it is, a bare host (as imports bring them) with
 * https:// before it, anything else (`javascript:`, `data:`) no link at all. The settings form checks
 * the scheme, but offices made by the import or the CLI do not pass through it.
 */
export const webHref = (website: string): string => {
  const w = website.trim();
  if (/^https?:\/\/\S+$/i.test(w)) return w;
  if (/^[\p{L}\p{N}][\p{L}\p{N}.-]*\.[\p{L}]{2,}(?:[/?#]\S*)?$/u.test(w)) return `https://${w}`;
  return '';
};

/** The longest filter text the directory reads; the rest is ignored. */
export const MAX_FILTER_LENGTH = 100;

/**
 * The offices whose name or contacts' towns hold every word typed, folded as search folds
 * (Muenchen finds München, strasse finds Straße), each word anywhere in a word (hausen finds
 * Musterhausen). Nothing typed: all of them.
 */
export const filterOffices = <T extends { name: string; towns: readonly string[] }>(offices: readonly T[], typed: string): T[] => {
  const words = foldText(typed.slice(0, MAX_FILTER_LENGTH)).split(' ').filter(Boolean);
  if (words.length === 0) return [...offices];
  return offices.filter((o) => {
    const text = ` ${foldText([o.name, ...o.towns].join(' '))}`;
    return words.every((w) => text.includes(w));
  });
};
