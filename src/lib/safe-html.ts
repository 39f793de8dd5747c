// A string of HTML that has been sanitised (or built only from escaped parts). Templates may print
// a SafeHtml unescaped; everything else they escape.
declare const safeHtmlBrand: unique symbol;
export type SafeHtml = string & { readonly [safeHtmlBrand]: true };

/** Marks a string as safe HTML. Call it only on sanitize-html output or fully escaped text. */
export const trustHtml = (html: string): SafeHtml => html as SafeHtml;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
