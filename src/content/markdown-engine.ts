// markdown-it and sanitize-html, set up as Herold renders Markdown. Only markdown.ts loads this, at
// the first render: the server starts without it.
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

/** Sanitised HTML: only the allow-list above is kept. */
export const sanitize = (html: string): SafeHtml => trustHtml(sanitizeHtml(html, ALLOWED));

/** markdown-it's HTML of Markdown, not sanitised yet. */
export const markdownHtml = (markdown: string): string => md.render(markdown);
