// How an office's own data is shown: shared by its page and the API.

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
