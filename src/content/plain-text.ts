// The plain-text layout's vocabulary and its rules of reading, shared by the renderer
// (release-text.ts, which documents the layout) and the importer's parser
// (modules/transfer/release-text-parser.ts): the labels, the Markdown block structure of a body, the
// heuristics that tell a heading, a dateline or a caption, and the escapes the renderer adds where a
// body paragraph would read back as one of those.

import { LABELLED_CREDIT } from './release-view.ts';

export type Lang = 'de' | 'en';

const WIDTH = 72;

// ---------------------------------------------------------------------------------------------
// Vocabulary shared by the renderer and the parser

export const DATE_LINE = /^(Meldungsdatum|Datum|Release date|Date)\s*:\s*(.*)$/i;
export const META_LINE = /^(Themen|Topics|Regionen|Regions)\s*:\s*(.*)$/i;
export const TITLE_LINE = /^(?:Titel|Title|Überschrift|Headline)\s*:\s*(.*)$/i;
export const SUBTITLE_LINE = /^(?:Untertitel|Subtitle|Unterzeile)\s*:\s*(.*)$/i;
/** A title or subtitle that would read back as a label gets an explicit `Titel:` label. */
export const RESERVED_PRE = /^(?:Titel|Title|Überschrift|Headline|Untertitel|Subtitle|Unterzeile|Meldungsdatum|Datum|Release date|Date|Themen|Topics|Regionen|Regions)\s*:/i;
export const CONTACT_LABEL = /^(?:Pressekontakt|Kontakt|Ansprechpartner(?:in)?|Press contact|Media contact|Contact)\s*:$/i;
export const FOOTER = /^(?:Die Pressestelle\b.*\bist Mitglied bei\b|The press office\b.*\bis a member of\b)/i;
export const FOOTER_EN = /^The press office\b[\s\S]{0,300}?\bis\s+a\s+member\s+of\b/im;
export const NOTICE_LABEL = /^(?:Abdruckhinweis|Republication notice)\s*:\s*/i;
/** Recognises an unlabelled republication notice in portal texts without a contact block. */
export const NOTICE_TEXT = /frei veröffentlicht|Abdruck (?:honorar|kosten)frei|Belegexemplar|may be (?:freely )?(?:re)?publish|free (?:to|for) (?:re)?publi/i;
export const CAPTION_PREFIX = /^(?:Bildunterschrift|Bilder|Bild|Fotos|Foto|Photos|Photo|Picture|Caption)(?:\s*\d+)?\s*:\s*/i;
export const CREDIT_ONLY = /^(?:Fotos?|Photos?|Credit|Bildnachweis|Bildquelle|©)\s*:?\s*(\S.*)$/i;
export const CORRECTION = /^(?:Korrektur vom \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr|Correction of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} [A-Z0-9+-]+):/;
export const WITHDRAWN = /^(?:ZURÜCKGEZOGEN|WITHDRAWN):/;
/** The time a release went public, our own line right before the platform footer. */
export const PUBLISHED =
  /^(?:Veröffentlicht: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr(?:, aktualisiert am \d{2}\.\d{2}\.\d{4} um \d{2}:\d{2} Uhr)?|Published: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} [A-Z0-9+-]+(?:, updated on \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2} [A-Z0-9+-]+)?)$/;
/** Prefixes a body paragraph must not start with unescaped: they mark trailing parts. */
export const RESERVED_BODY_PREFIX = /^(Bildunterschrift|Bilder|Bild|Fotos|Foto|Photos|Photo|Picture|Caption|Anhang|Attachment|Abdruckhinweis|Republication notice|ZURÜCKGEZOGEN|WITHDRAWN)(\s*\d+)?(\\*):/i;
/** An attachment of ours, between the captions and the contact block: `Anhang: Titel (PDF, 1,2 MB): https://…`. */
export const ATTACHMENT_LINE = /^(?:Anhang|Attachment): /;

export const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?: +(.*))?$/;
export const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
export const RULE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
export const QUOTE_OR_TABLE = /^ {0,3}[>|]/;
/** Words a wrapped line must not start with: it would read back as a list item or heading. */
const MARKER_WORD = /^(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)$/;

/** Words after which a full stop does not end a sentence (or a dateline); so do ordinals (`1.`, `26.`) and initials. */
const ABBREVIATIONS = new Set([
  'st', 'dr', 'prof', 'nr', 'str', 'hl', 'bzw', 'ca', 'vgl', 'usw', 'etc', 'inkl', 'ggf', 'evtl', 'mio', 'mrd',
  'tel', 'abs', 'bd', 'kr', 'gem', 'dipl', 'ing', 'mr', 'mrs', 'ms', 'jr', 'no', 'inc', 'ltd', 'co', 'vs', 'sog',
]);

const ROLES = [
  'leiter(?:in)?\\s+(?:der\\s+|des\\s+)?(?:presse-\\s+und\\s+öffentlichkeitsarbeit|pressestelle|presse|kommunikation|unternehmenskommunikation|öffentlichkeitsarbeit|stabsstelle\\s+\\p{L}+)',
  '\\p{L}*referent(?:in)?(?:\\s+für\\s+(?:presse-\\s+und\\s+öffentlichkeitsarbeit|presse|kommunikation|öffentlichkeitsarbeit))?',
  '\\p{L}*sprecher(?:in)?',
  'presse-\\s+und\\s+öffentlichkeitsarbeit',
  'pressestelle',
  'pressekontakt',
  'öffentlichkeitsarbeit',
  'unternehmenskommunikation',
  'ansprechpartner(?:in)?',
  'press\\s+officer',
  'press\\s+office',
  'press\\s+secretary',
  'press\\s+contact',
  'spokes(?:person|man|woman)',
  'media\\s+(?:relations(?:\\s+(?:officer|manager))?|contact|officer)',
  'head\\s+of\\s+(?:communications?|press(?:\\s+office)?|media(?:\\s+relations)?|public\\s+relations)',
  'communications?\\s+(?:officer|manager|director)',
  '(?:public\\s+relations|pr)\\s+(?:officer|manager)',
];
export const ROLE = new RegExp(
  `^(?:(?:stellv\\.|stellvertretende[rn]?|kommissarische[rn]?|deputy|acting|senior|chief)\\s+)?(?:${ROLES.join('|')})(?=\\s|$)`,
  'iu',
);
const SPEECH_VERB = /(?:^|\s)(?:sagt|sagte|sagten|betont|betonte|erklärt|erklärte|ergänzt|ergänzte|so|meint|meinte|hinzu|zusammen|said|says|added|adds|explained|explains|stated|noted|notes)$/i;

// ---------------------------------------------------------------------------------------------
// Text helpers

export const cols = (s: string): number => [...s].length;
export const collapse = (s: string): string => s.replace(/[ \t\r\n]+/g, ' ').trim();

/**
 * Greedy word wrap on spaces. `first` prefixes the first line, `rest` every other line (hanging
 * indent). Words are never broken; a word that is too long stands alone. A marker-like word is
 * glued to the word before it, so a continuation line never starts like a list item or heading.
 */
export const wrap = (text: string, first = '', rest = first, width = WIDTH): string[] => {
  const tokens: string[] = [];
  for (const word of collapse(text).split(' ')) {
    if (word === '') continue;
    if (tokens.length > 0 && MARKER_WORD.test(word)) tokens[tokens.length - 1] += ` ${word}`;
    else tokens.push(word);
  }
  if (tokens.length === 0) return [first.trimEnd()];
  const lines: string[] = [];
  // The line's width is counted as it grows, not again for every word.
  const restCols = cols(rest);
  let line = first + tokens[0];
  let lineCols = cols(line);
  for (const token of tokens.slice(1)) {
    const tokenCols = cols(token);
    if (lineCols + 1 + tokenCols <= width) {
      line += ` ${token}`;
      lineCols += 1 + tokenCols;
    } else {
      lines.push(line);
      line = rest + token;
      lineCols = restCols + tokenCols;
    }
  }
  lines.push(line);
  return lines;
};

// ---------------------------------------------------------------------------------------------
// Markdown blocks: the body's structure, as far as the text layout cares

export interface ListItem {
  indent: number;
  marker: string;
  text: string;
}
export type Block =
  | { kind: 'para'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'verbatim'; lines: string[] };

export const markdownBlocks = (markdown: string): Block[] => {
  const lines = markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\t/g, '    ').trimEnd());
  const blocks: Block[] = [];
  let para: string[] | null = null;
  let list: ListItem[] | null = null;
  let verbatim: string[] | null = null;
  let blankBefore = false;
  const flush = (): void => {
    if (para) blocks.push({ kind: 'para', text: collapse(para.join(' ')) });
    if (list) blocks.push({ kind: 'list', items: list });
    if (verbatim) blocks.push({ kind: 'verbatim', lines: verbatim });
    para = list = verbatim = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      if (para || verbatim) flush();
      blankBefore = true;
      continue;
    }
    const wasBlank = blankBefore;
    blankBefore = false;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body = [line];
      const close = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      for (i++; i < lines.length; i++) {
        body.push(lines[i]!);
        if (close.test(lines[i]!)) break;
      }
      blocks.push({ kind: 'verbatim', lines: body });
      continue;
    }
    const setext = para ? SETEXT.exec(line) : null;
    if (setext && para) {
      blocks.push({ kind: 'heading', level: setext[1]![0] === '=' ? 1 : 2, text: collapse((para as string[]).join(' ')) });
      para = null;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ kind: 'verbatim', lines: [line.trim()] });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: 'heading', level: atx[1]!.length, text: collapse(atx[2] ?? '') });
      continue;
    }
    const item = ITEM.exec(line);
    // An ordered item interrupts a paragraph only when it starts at 1 (as in CommonMark).
    if (item && !(para && /^\d/.test(item[2]!) && !/^1[.)]$/.test(item[2]!))) {
      if (!list) flush();
      list ??= [];
      list.push({ indent: item[1]!.length, marker: item[2]!, text: collapse(item[3] ?? '') });
      continue;
    }
    if (list) {
      const last = list[list.length - 1]!;
      if (!wasBlank || /^\s/.test(line)) {
        last.text = collapse(`${last.text} ${line}`);
        continue;
      }
      flush();
    }
    if (verbatim) {
      (verbatim as string[]).push(line);
      continue;
    }
    if (!para && QUOTE_OR_TABLE.test(line)) {
      verbatim = [line];
      continue;
    }
    para ??= [];
    para.push(line);
  }
  flush();
  return blocks.filter((b) => !(b.kind === 'heading' && headingText(b.text) === ''));
};

export const headingText = (text: string): string => text.replace(/\s*:+$/, '');

const serialiseBlocks = (blocks: Block[]): string =>
  blocks
    .map((b) => {
      switch (b.kind) {
        case 'para':
          return b.text;
        case 'heading':
          return b.level === 2 || b.level === 3 ? `## ${headingText(b.text)}` : `${'#'.repeat(b.level)} ${b.text}`;
        case 'list':
          return b.items.map((it) => `${' '.repeat(it.indent)}${it.marker} ${it.text}`.trimEnd()).join('\n');
        case 'verbatim':
          return b.lines.join('\n');
      }
    })
    .join('\n\n');

/**
 * The canonical form of a Markdown body, as the text layout gives it back: trailing whitespace
 * trimmed, paragraphs on one line, one blank line between blocks, lists tight, `###` headings
 * as `##` (without a trailing colon). Idempotent.
 */
export const normaliseBodyMarkdown = (markdown: string): string => serialiseBlocks(markdownBlocks(markdown));

// ---------------------------------------------------------------------------------------------
// Heuristics shared by render and parse (the renderer escapes whatever they would misread)

/** A short line ending in a colon, like `Hintergrund:`, is a heading (not `… sagte:`). */
export const isHeadingLike = (s: string): boolean => {
  if (!/[^\\:]:$/.test(s) || cols(s) > 60) return false;
  const h = s.slice(0, -1);
  if (!/^[\p{Lu}\p{N}„"»']/u.test(h)) return false;
  if (/[:;]/.test(h) || /[.!?]\s/.test(h) || /https?:|www\./i.test(h)) return false;
  if (h.split(' ').length > 8) return false;
  return !SPEECH_VERB.test(h);
};

export const isPlaceLike = (s: string): boolean =>
  cols(s) >= 2 &&
  cols(s) <= 60 &&
  /^\p{Lu}/u.test(s) &&
  /^[\p{L}\p{N} .,'’()/&–-]+$/u.test(s) &&
  s.split(' ').length <= 8;

export const isAbbreviation = (word: string): boolean =>
  /^\d{1,3}$/.test(word) || /^\p{L}$/u.test(word) || word.includes('.') || ABBREVIATIONS.has(word.toLowerCase());

/**
 * The first full stop of a paragraph that ends a sentence (followed by a space or the end),
 * skipping abbreviations and ordinals. Returns the prefix before it (backslashes in front of the
 * stop removed), the count of those backslashes, and the text after it.
 */
export const firstStop = (text: string): { prefix: string; slashes: number; at: number; rest: string } | null => {
  const re = /(\\*)\.(?= \S|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const prefix = text.slice(0, m.index);
    const lastWord = prefix.split(' ').pop() ?? '';
    if (isAbbreviation(lastWord)) continue;
    return { prefix, slashes: m[1]!.length, at: m.index, rest: text.slice(m.index + m[0].length).trimStart() };
  }
  return null;
};

/** Adds (render) or removes (parse) one backslash before the stop a dateline would end at. */
export const escapeDateline = (text: string, direction: 1 | -1): string => {
  const stop = firstStop(text);
  if (!stop || !isPlaceLike(stop.prefix) || (direction === -1 && stop.slashes === 0)) return text;
  return text.slice(0, stop.at) + '\\'.repeat(stop.slashes + direction) + text.slice(stop.at + stop.slashes);
};

/** Adds (1) or removes (-1) a backslash before a heading-like final colon or a reserved prefix's colon. */
export const escapeHeading = (text: string, direction: 1 | -1): string => {
  const m = /^([\s\S]*?)(\\*):$/.exec(text);
  if (!m || !isHeadingLike(`${m[1]}:`) || (direction === -1 && m[2] === '')) return text;
  return `${m[1]}${'\\'.repeat(m[2]!.length + direction)}:`;
};

export const escapeReservedPrefix = (text: string, direction: 1 | -1): string => {
  const m = RESERVED_BODY_PREFIX.exec(text);
  if (!m || (direction === -1 && m[3] === '')) return text;
  const head = `${m[1]}${m[2] ?? ''}${'\\'.repeat(m[3]!.length + direction)}:`;
  return head + text.slice(m[0].length);
};

/** Splits a trailing `(Foto: X)` credit off a caption; parentheses may nest inside the credit. */
export const splitParenCredit = (text: string): { caption: string; credit: string } | null => {
  if (!text.endsWith(')')) return null;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) {
      const parenthesis = text.slice(i + 1, -1);
      // A credit that names another kind („Grafik: Stadtwerke“, „Foto/Grafik: …“) is the credit as written.
      const labelled = LABELLED_CREDIT.exec(parenthesis);
      if (labelled && !/^(?:Fotos?|Photos?|Bild|Credit|Bildnachweis|Bildquelle)\s*:$/i.test(labelled[0])) return { caption: text.slice(0, i).trimEnd(), credit: parenthesis.trim() };
      const inner = /^(?:Fotos?|Photos?|Bild|Credit|Bildnachweis|Bildquelle|©)\s*:?\s*([\s\S]*)$/i.exec(parenthesis);
      return inner ? { caption: text.slice(0, i).trimEnd(), credit: inner[1]!.trim() } : null;
    }
  }
  return null;
};

export const splitRoleName = (line: string): { role: string; name: string } => {
  const m = ROLE.exec(line);
  return m ? { role: m[0], name: line.slice(m[0].length).trim() } : { role: '', name: line.trim() };
};

/** `Pressesprecherin Alia Beispiel`, or `Role: Name` when the role is not a known one. */
export const readRoleName = (line: string): { role: string; name: string } => {
  const colon = line.indexOf(':');
  if (colon >= 0) return { role: line.slice(0, colon).trim(), name: line.slice(colon + 1).trim() };
  return splitRoleName(line);
};

export const roleNameLine = (role: string, name: string): string | null => {
  if (!role && !name) return null;
  const plain = [role, name].filter(Boolean).join(' ');
  const back = readRoleName(plain);
  return back.role === role && back.name === name ? plain : `${role}: ${name}`.trim();
};
