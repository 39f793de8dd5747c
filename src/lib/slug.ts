// URL slugs from German and English titles: umlauts transliterated, everything else folded to ASCII.
const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'ae', Ö: 'oe', Ü: 'ue', ẞ: 'ss' };

export const slugify = (text: string, maxLength = 80): string => {
  const ascii = text
    // Composed first (NFC), so „ü“ typed as u + combining diaeresis is transliterated like „ü“.
    .normalize('NFC')
    .replace(/[äöüßÄÖÜẞ]/g, (c) => TRANSLITERATION[c]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = ascii.slice(0, maxLength).replace(/-[^-]*$/, (tail) => (ascii.length > maxLength ? '' : tail));
  return cut.replace(/-+$/, '') || 'mitteilung';
};

export const isSlug = (text: string): boolean => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text) && text.length <= 100;
