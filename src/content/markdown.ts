// Markdown → sanitised HTML. Rendered at write time and stored beside the Markdown; when the
// allow-list below changes, `herold rerender` rebuilds every stored body.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';

// Raw HTML in Markdown is off; sanitize-html is the second wall, for anything markdown-it lets by.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's', 'sup', 'sub'],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // A release's headline is its h1; body headings start one level below.
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener noreferrer' } : attribs,
    }),
  },
};
ALLOWED.allowedAttributes = { ...(ALLOWED.allowedAttributes as Record<string, string[]>), a: ['href', 'title', 'rel'] };

export const sanitize = (html: string): SafeHtml => trustHtml(sanitizeHtml(html, ALLOWED));

export const renderMarkdown = (markdown: string): SafeHtml => sanitize(md.render(markdown));

/** Plain text of a Markdown fragment, for summaries and meta descriptions. */
/** Plain text of an HTML fragment: tags dropped, entities decoded, white space folded. */
export const htmlToPlainText = (html: string): string =>
  sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

export const markdownToPlainText = (markdown: string): string => htmlToPlainText(md.render(markdown));

/** The first paragraph of a Markdown body as plain text, cut at a word boundary. */
export const summarise = (markdown: string, maxLength = 280): string => {
  const firstParagraph = markdown.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^\s*#/.test(p)) ?? '';
  const text = markdownToPlainText(firstParagraph);
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength).replace(/\s+\S*$/, '')} …`;
};
