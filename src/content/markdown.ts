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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
const TAGS_AND_SPACE = /(?:<[^>]*>|\s)+/g;
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi;

const decodeEntity = (whole: string, name: string): string => {
  if (name in ENTITIES) return ENTITIES[name]!;
  const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : Number.NaN;
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
};

/**
 * Plain text of HTML this project made (sanitised or rendered from Markdown, so no comments, scripts
 * or attributes holding `>`): tags dropped, each tag and run of white space one space, entities
 * decoded. One pass of a regular expression, fast enough for every release at index time.
 */
export const htmlToText = (html: string): string => {
  const text = html.replace(TAGS_AND_SPACE, ' ');
  return (text.includes('&') ? text.replace(ENTITY, decodeEntity).replace(/\s{2,}/g, ' ') : text).trim();
};

/** Plain text of a Markdown fragment, for summaries and meta descriptions. */
export const markdownToPlainText = (markdown: string): string => htmlToText(md.render(markdown));

/** The first paragraph of a Markdown body as plain text, cut at a word boundary. */
export const summarise = (markdown: string, maxLength = 280): string => {
  const firstParagraph = markdown.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^\s*#/.test(p)) ?? '';
  const text = markdownToPlainText(firstParagraph);
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength).replace(/\s+\S*$/, '')} …`;
};
