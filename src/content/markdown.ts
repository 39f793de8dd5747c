// Markdown → sanitised HTML. Rendered at write time and stored beside the Markdown (body_html), so
// a change of the allow-list (markdown-engine.ts) reaches stored bodies only through a migration
// that re-renders them.
//
// markdown-it and sanitize-html (with htmlparser2 and postcss, some 90 files) load at the first
// render, not with the server: serving stored pages needs neither. They are required, not imported
// (Node requires an ES module without top-level await synchronously), so rendering stays
// synchronous for its callers: bench/generate.ts renders inside better-sqlite3's transactions.
import { createRequire } from 'node:module';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';

type MarkdownEngine = typeof import('./markdown-engine.ts');

const require = createRequire(import.meta.url);
let engine: MarkdownEngine | undefined;

/** markdown-it and sanitize-html, set up (markdown-engine.ts); loaded on the first call. */
export const markdownEngine = (): MarkdownEngine => (engine ??= require('./markdown-engine.ts') as MarkdownEngine);

export const sanitize = (html: string): SafeHtml => markdownEngine().sanitize(html);

export const renderMarkdown = (markdown: string): SafeHtml => sanitize(markdownEngine().markdownHtml(markdown));

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g;
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi;
/** Elements that stand apart from the text around them: their tags separate words. */
const BLOCKS = new Set('address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr img li main nav ol p pre section table tbody td tfoot th thead tr ul'.split(' '));

const decodeEntity = (whole: string, name: string): string => {
  if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name]!;
  const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : Number.NaN;
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
};

/**
 * Plain text of HTML this project made (sanitised or rendered from Markdown, so no comments, scripts
 * or attributes holding `>`): the tags of blocks (paragraphs, list items, cells, line breaks) become
 * a space, inline tags nothing (`<em>Stadt</em>verwaltung` is one word), entities are decoded and
 * white space is folded. Used when a release is written (its body_text, summary) and for descriptions.
 */
export const htmlToText = (html: string): string => {
  const text = html.replace(TAG, (_tag, name: string) => (BLOCKS.has(name.toLowerCase()) ? ' ' : ''));
  return (text.includes('&') ? text.replace(ENTITY, decodeEntity) : text).replace(/\s+/g, ' ').trim();
};

/** Plain text of a Markdown fragment, for summaries and meta descriptions. */
export const markdownToPlainText = (markdown: string): string => htmlToText(markdownEngine().markdownHtml(markdown));

/** The first paragraph of a Markdown body as plain text, cut at a word boundary. */
export const summarise = (markdown: string, maxLength = 280): string => {
  const firstParagraph = markdown.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^\s*#/.test(p)) ?? '';
  const text = markdownToPlainText(firstParagraph);
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength).replace(/\s+\S*$/, '')} …`;
};

/**
 * Markdown links to a path of this site (`[Plan](/media/plan.pdf)`) made absolute against the site
 * (PUBLIC_URL), for text that leaves it: the plain text, the Markdown export. Other links, and
 * anything in code spans or blocks that merely looks like a link, stay as written.
 */
export const absoluteMarkdownLinks = (markdown: string, siteUrl: string): string => {
  const base = siteUrl.replace(/\/+$/, '');
  return markdown
    .split(/(^ {0,3}(?:`{3,}|~{3,})[\s\S]*?^ {0,3}(?:`{3,}|~{3,})[ \t]*$|`[^`\n]*`)/m)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\]\(([ \t]*<?)\/(?!\/)/g, `]($1${base}/`)))
    .join('');
};

/** `https://www.example.org/solar/` and `www.example.org/solar` name the same address for a reader. */
const sameAddress = (text: string, url: string): boolean => {
  const bare = (s: string) => s.trim().replace(/^(?:https?:\/\/|mailto:|tel:)/i, '').replace(/\/+$/, '').toLowerCase();
  return bare(text) === bare(url);
};

const INLINE_LINK = /(!?)\[((?:[^[\]\\\n]|\\.)*)\]\([ \t]*(?:<([^<>\n]*)>|((?:[^()\s]|\([^()\s]*\))+))(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)/g;
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^<>\s]+)>/gi;

/**
 * Markdown links and images written for a reader of plain text: `[Solarprogramm](https://…/solar)` →
 * `Solarprogramm (https://…/solar)`, a link whose text is its address → the address alone,
 * `<https://…>` → `https://…`. Code spans and blocks stay as written.
 */
export const markdownLinksAsText = (markdown: string): string =>
  markdown
    .split(/(^ {0,3}(?:`{3,}|~{3,})[\s\S]*?^ {0,3}(?:`{3,}|~{3,})[ \t]*$|`[^`\n]*`)/m)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(INLINE_LINK, (_whole, _image: string, text: string, angled: string | undefined, bare: string | undefined) => {
              const href = (angled ?? bare ?? '').trim();
              // An e-mail address or phone number is written as people write it, without its scheme.
              const url = href.replace(/^(?:mailto|tel):/i, '');
              const label = text.trim();
              if (!url) return label;
              return !label || sameAddress(label, href) ? url : `${label} (${url})`;
            })
            .replace(AUTOLINK, '$1'),
    )
    .join('');

/**
 * Headings of sanitised HTML moved `levels` down (h2 → h4 for 2), at most to h6: a body shown under
 * an outer heading (a digest entry's title) keeps its outline. Only our own tags are touched (the
 * allow-list gives headings no attributes).
 */
export const shiftHeadings = (html: SafeHtml, levels: number): SafeHtml =>
  levels <= 0 ? html : trustHtml(html.replace(/<(\/?)h([1-6])>/g, (_tag, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + levels)}>`));
