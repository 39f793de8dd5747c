// The one plain-text layout of a release: `/releases/{id}.txt`, the text part of every e-mail,
// `herold export --format txt` and `herold import`. `renderReleaseText` writes it;
// `parseReleaseText` reads it back, and also reads the one-line-per-paragraph form of the
// press-release portals (see test/fixtures/import/).
//
// Layout (German; English uses the words in brackets):
//
//   Title, wrapped                              ← paragraphs before the date line:
//                                                  title, then subtitle
//   Subtitle, wrapped
//
//   Meldungsdatum: 26.08.2025                   [Release date: 26 Aug 2025]
//   Themen: Soziales, Integration               [Topics:]   (omitted when empty)
//   Regionen: Landkreis Kassel                  [Regions:]
//
//   Landkreis Kassel. First paragraph …         ← the dateline opens the first paragraph
//
//   Hintergrund:                                ← `## Hintergrund` (a short line ending in ':')
//
//   Die Termine im Überblick:                   ← a paragraph ending in ':' sits right on its list
//   - list item, continuation lines keep
//     a hanging indent
//
//   Korrektur vom 27.08.2025, 14:30 Uhr: …      [Correction of 27 Aug 2025, 14:30 CEST: …]
//
//   Bild: Caption text (Foto: Credit)           [Picture: … (Photo: …)]
//
//   Pressekontakt:                              [Press contact:]
//   ORGANISATION IN CAPITALS
//   Pressesprecherin Alia Beispiel              ← role + name
//   Musterstraße 1
//   12345 Musterstadt
//   Tel.: … / Fax: … / E-Mail: …                [Phone: / Fax: / Email:]
//   https://www.example.org
//
//   Republication notice.                       ← `Abdruckhinweis: …` when there is no contact
//
//   Die Pressestelle „Office“ ist Mitglied bei … ← platform footer and links; dropped on import
//
// A withdrawn release shows `ZURÜCKGEZOGEN: …` [WITHDRAWN] and the withdrawal note instead of
// body, corrections, captions and notice; the parser refuses to import it.
//
// Paragraphs are separated by one blank line and wrapped at 72 columns on spaces; a URL or word
// longer than that stands alone on its line. Contact lines are never wrapped. The body stays
// Markdown (links, emphasis, lists), except `##`/`###` headings, which become `Heading:` lines.
// Where a body paragraph would read back as something else (a heading, a caption, a dateline),
// the renderer adds one Markdown backslash escape and the parser removes it again, so our own
// output reads back losslessly.
import { emptyContact, type ContactBlock, type Release, type ReleaseInput } from '../modules/releases/release.ts';
import { zonedTime } from '../lib/zoned-time.ts';

export interface TextSite {
  /** TIME_ZONE: the zone the times of corrections and withdrawals are written in. */
  timeZone: string;
  siteName: string;
  siteUrl: string;
  releaseUrl: string;
  officeFeedUrl: string;
  subscribeUrl: string;
}

export interface ParsedReleaseText {
  input: ReleaseInput;
  captions: { caption: string; credit: string }[];
  titleDerived: boolean;
  /** `portal`: one paragraph a line, no blank lines; `herold`: blank-line paragraphs, wrapped. */
  format: 'portal' | 'herold';
  /** Human-readable lines saying what was recognised. */
  report: string[];
}

export class ReleaseTextError extends Error {
  /** 1-based line of the text the error is about. */
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'ReleaseTextError';
    this.line = line;
  }
}

type Lang = 'de' | 'en';

const WIDTH = 72;

const WORDS = {
  de: {
    date: 'Meldungsdatum',
    title: 'Titel',
    subtitle: 'Untertitel',
    topics: 'Themen',
    regions: 'Regionen',
    contact: 'Pressekontakt',
    phone: 'Tel.',
    fax: 'Fax',
    email: 'E-Mail',
    web: 'Web',
    caption: 'Bild',
    credit: 'Foto',
    notice: 'Abdruckhinweis',
    reason: 'Begründung',
  },
  en: {
    date: 'Release date',
    title: 'Title',
    subtitle: 'Subtitle',
    topics: 'Topics',
    regions: 'Regions',
    contact: 'Press contact',
    phone: 'Phone',
    fax: 'Fax',
    email: 'Email',
    web: 'Web',
    caption: 'Picture',
    credit: 'Photo',
    notice: 'Republication notice',
    reason: 'Reason',
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Vocabulary shared by the renderer and the parser

const DATE_LINE = /^(Meldungsdatum|Datum|Release date|Date)\s*:\s*(.*)$/i;
const META_LINE = /^(Themen|Topics|Regionen|Regions)\s*:\s*(.*)$/i;
const TITLE_LINE = /^(?:Titel|Title|Überschrift|Headline)\s*:\s*(.*)$/i;
const SUBTITLE_LINE = /^(?:Untertitel|Subtitle|Unterzeile)\s*:\s*(.*)$/i;
/** A title or subtitle that would read back as a label gets an explicit `Titel:` label. */
const RESERVED_PRE = /^(?:Titel|Title|Überschrift|Headline|Untertitel|Subtitle|Unterzeile|Meldungsdatum|Datum|Release date|Date|Themen|Topics|Regionen|Regions)\s*:/i;
const CONTACT_LABEL = /^(?:Pressekontakt|Kontakt|Ansprechpartner(?:in)?|Press contact|Media contact|Contact)\s*:$/i;
const FOOTER = /^(?:Die Pressestelle\b.*\bist Mitglied bei\b|The press office\b.*\bis a member of\b)/i;
const FOOTER_EN = /^The press office\b[\s\S]{0,300}?\bis\s+a\s+member\s+of\b/im;
const NOTICE_LABEL = /^(?:Abdruckhinweis|Republication notice)\s*:\s*/i;
/** Recognises an unlabelled republication notice in portal texts without a contact block. */
const NOTICE_TEXT = /frei veröffentlicht|Abdruck (?:honorar|kosten)frei|Belegexemplar|may be (?:freely )?(?:re)?publish|free (?:to|for) (?:re)?publi/i;
const CAPTION_PREFIX = /^(?:Bildunterschrift|Bilder|Bild|Fotos|Foto|Photos|Photo|Picture|Caption)(?:\s*\d+)?\s*:\s*/i;
const CREDIT_ONLY = /^(?:Fotos?|Photos?|Credit|Bildnachweis|Bildquelle|©)\s*:?\s*(\S.*)$/i;
const CORRECTION = /^(?:Korrektur vom \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr|Correction of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} [A-Z0-9+-]+):/;
const WITHDRAWN = /^(?:ZURÜCKGEZOGEN|WITHDRAWN):/;
/** Prefixes a body paragraph must not start with unescaped: they mark trailing parts. */
const RESERVED_BODY_PREFIX = /^(Bildunterschrift|Bilder|Bild|Fotos|Foto|Photos|Photo|Picture|Caption|Abdruckhinweis|Republication notice|ZURÜCKGEZOGEN|WITHDRAWN)(\s*\d+)?(\\*):/i;

const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?: +(.*))?$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const RULE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE_OR_TABLE = /^ {0,3}[>|]/;
/** Words a wrapped line must not start with: it would read back as a list item or heading. */
const MARKER_WORD = /^(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)$/;

const MONTH_NAMES: Record<string, number> = {
  jan: 1, january: 1, januar: 1, jänner: 1,
  feb: 2, february: 2, februar: 2,
  mar: 3, march: 3, mär: 3, märz: 3,
  apr: 4, april: 4,
  may: 5, mai: 5,
  jun: 6, june: 6, juni: 6,
  jul: 7, july: 7, juli: 7,
  aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, okt: 10, oktober: 10,
  nov: 11, november: 11,
  dec: 12, december: 12, dez: 12, dezember: 12,
};

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
const ROLE = new RegExp(
  `^(?:(?:stellv\\.|stellvertretende[rn]?|kommissarische[rn]?|deputy|acting|senior|chief)\\s+)?(?:${ROLES.join('|')})(?=\\s|$)`,
  'iu',
);
const SPEECH_VERB = /(?:^|\s)(?:sagt|sagte|sagten|betont|betonte|erklärt|erklärte|ergänzt|ergänzte|so|meint|meinte|hinzu|zusammen|said|says|added|adds|explained|explains|stated|noted|notes)$/i;

// ---------------------------------------------------------------------------------------------
// Text helpers

const cols = (s: string): number => [...s].length;
const collapse = (s: string): string => s.replace(/[ \t\r\n]+/g, ' ').trim();

/**
 * Greedy word wrap on spaces. `first` prefixes the first line, `rest` every other line (hanging
 * indent). Words are never broken; a word that is too long stands alone. A marker-like word is
 * glued to the word before it, so a continuation line never starts like a list item or heading.
 */
const wrap = (text: string, first = '', rest = first, width = WIDTH): string[] => {
  const tokens: string[] = [];
  for (const word of collapse(text).split(' ')) {
    if (word === '') continue;
    if (tokens.length > 0 && MARKER_WORD.test(word)) tokens[tokens.length - 1] += ` ${word}`;
    else tokens.push(word);
  }
  if (tokens.length === 0) return [first.trimEnd()];
  const lines: string[] = [];
  let line = first + tokens[0];
  for (const token of tokens.slice(1)) {
    if (cols(line) + 1 + cols(token) <= width) line += ` ${token}`;
    else {
      lines.push(line);
      line = rest + token;
    }
  }
  lines.push(line);
  return lines;
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Reads `26.08.2025`, `2025-08-26`, `26 Aug 2025`, `26. August 2025`, `August 26, 2025`. */
const readDate = (value: string): { iso: string } | { error: string } => {
  // A time after the date (`26.08.2025, 10:00 Uhr`) is allowed and ignored.
  const v = value.trim().replace(/[,\s]+(?:um\s+|at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:Uhr|h))?$/i, '');
  let y = 0;
  let m = 0;
  let d = 0;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/.exec(v))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\.?\s+(\p{L}+)\.?\s+(\d{4})$/u.exec(v)) && MONTH_NAMES[match[2]!.toLowerCase()])
    [d, m, y] = [Number(match[1]), MONTH_NAMES[match[2]!.toLowerCase()]!, Number(match[3])];
  else if ((match = /^(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u.exec(v)) && MONTH_NAMES[match[1]!.toLowerCase()])
    [m, d, y] = [MONTH_NAMES[match[1]!.toLowerCase()]!, Number(match[2]), Number(match[3])];
  else return { error: `cannot read the date "${v}"; write it as DD.MM.YYYY, e.g. 26.08.2025` };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y < 1900 || y > 2999)
    return { error: `"${v}" is not a calendar date` };
  return { iso: `${y}-${pad2(m)}-${pad2(d)}` };
};

// ---------------------------------------------------------------------------------------------
// Markdown blocks: the body's structure, as far as the text layout cares

interface ListItem {
  indent: number;
  marker: string;
  text: string;
}
type Block =
  | { kind: 'para'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'verbatim'; lines: string[] };

const markdownBlocks = (markdown: string): Block[] => {
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

const headingText = (text: string): string => text.replace(/\s*:+$/, '');

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
const isHeadingLike = (s: string): boolean => {
  if (!/[^\\:]:$/.test(s) || cols(s) > 60) return false;
  const h = s.slice(0, -1);
  if (!/^[\p{Lu}\p{N}„"»']/u.test(h)) return false;
  if (/[:;]/.test(h) || /[.!?]\s/.test(h) || /https?:|www\./i.test(h)) return false;
  if (h.split(' ').length > 8) return false;
  return !SPEECH_VERB.test(h);
};

const isPlaceLike = (s: string): boolean =>
  cols(s) >= 2 &&
  cols(s) <= 60 &&
  /^\p{Lu}/u.test(s) &&
  /^[\p{L}\p{N} .,'’()/&–-]+$/u.test(s) &&
  s.split(' ').length <= 8;

const isAbbreviation = (word: string): boolean =>
  /^\d{1,3}$/.test(word) || /^\p{L}$/u.test(word) || word.includes('.') || ABBREVIATIONS.has(word.toLowerCase());

/**
 * The first full stop of a paragraph that ends a sentence (followed by a space or the end),
 * skipping abbreviations and ordinals. Returns the prefix before it (backslashes in front of the
 * stop removed), the count of those backslashes, and the text after it.
 */
const firstStop = (text: string): { prefix: string; slashes: number; at: number; rest: string } | null => {
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

/** `Landkreis Kassel. Der …` → dateline `Landkreis Kassel`; a place-like prefix only. */
const splitDateline = (text: string): { dateline: string; rest: string } | null => {
  const stop = firstStop(text);
  if (!stop || stop.slashes > 0 || !isPlaceLike(stop.prefix)) return null;
  return { dateline: stop.prefix, rest: stop.rest };
};

/** Adds (render) or removes (parse) one backslash before the stop a dateline would end at. */
const escapeDateline = (text: string, direction: 1 | -1): string => {
  const stop = firstStop(text);
  if (!stop || !isPlaceLike(stop.prefix) || (direction === -1 && stop.slashes === 0)) return text;
  return text.slice(0, stop.at) + '\\'.repeat(stop.slashes + direction) + text.slice(stop.at + stop.slashes);
};

/** Adds (1) or removes (-1) a backslash before a heading-like final colon or a reserved prefix's colon. */
const escapeHeading = (text: string, direction: 1 | -1): string => {
  const m = /^([\s\S]*?)(\\*):$/.exec(text);
  if (!m || !isHeadingLike(`${m[1]}:`) || (direction === -1 && m[2] === '')) return text;
  return `${m[1]}${'\\'.repeat(m[2]!.length + direction)}:`;
};

const escapeReservedPrefix = (text: string, direction: 1 | -1): string => {
  const m = RESERVED_BODY_PREFIX.exec(text);
  if (!m || (direction === -1 && m[3] === '')) return text;
  const head = `${m[1]}${m[2] ?? ''}${'\\'.repeat(m[3]!.length + direction)}:`;
  return head + text.slice(m[0].length);
};

/** Splits a trailing `(Foto: X)` credit off a caption; parentheses may nest inside the credit. */
const splitParenCredit = (text: string): { caption: string; credit: string } | null => {
  if (!text.endsWith(')')) return null;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) {
      const inner = /^(?:Fotos?|Photos?|Bild|Credit|Bildnachweis|Bildquelle|©)\s*:?\s*([\s\S]*)$/i.exec(text.slice(i + 1, -1));
      return inner ? { caption: text.slice(0, i).trimEnd(), credit: inner[1]!.trim() } : null;
    }
  }
  return null;
};

/** Portal texts also write `… Foto: X` at the end of a caption. */
const splitCredit = (text: string, portal: boolean): { caption: string; credit: string } => {
  const paren = splitParenCredit(text);
  if (paren) return paren;
  const m = portal ? /^(.*\S)\s+(?:Fotos?|Photos?|Bildnachweis|Credit)\s*:\s*([^:]{1,60})$/i.exec(text) : null;
  return m ? { caption: m[1]!, credit: m[2]!.trim() } : { caption: text, credit: '' };
};

const splitRoleName = (line: string): { role: string; name: string } => {
  const m = ROLE.exec(line);
  return m ? { role: m[0], name: line.slice(m[0].length).trim() } : { role: '', name: line.trim() };
};

/** `Pressesprecherin Alia Beispiel`, or `Role: Name` when the role is not a known one. */
const readRoleName = (line: string): { role: string; name: string } => {
  const colon = line.indexOf(':');
  if (colon >= 0) return { role: line.slice(0, colon).trim(), name: line.slice(colon + 1).trim() };
  return splitRoleName(line);
};

const roleNameLine = (role: string, name: string): string | null => {
  if (!role && !name) return null;
  const plain = [role, name].filter(Boolean).join(' ');
  const back = readRoleName(plain);
  return back.role === role && back.name === name ? plain : `${role}: ${name}`.trim();
};

const isCapsLine = (s: string): boolean => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s) && !s.endsWith(':') && cols(s) <= 100;

const isStreetLike = (s: string): boolean =>
  /^Postfach\b/i.test(s) || (/\p{L}/u.test(s) && /\d+\s*[a-z]?(?:\s*[-–/]\s*\d+\s*[a-z]?)?$/i.test(s) && !/^\d/.test(s));

type ContactField = 'phone' | 'fax' | 'email' | 'website' | 'postcode' | 'street';

const classifyContactLine = (line: string): { field: ContactField; value: string; town?: string } | null => {
  let m: RegExpExecArray | null;
  if ((m = /^(?:Telefon|Tel|Phone|Fon|Mobil|Mobile|Handy)\.?(?:\s*:\s*|\s+(?=[+(\d]))(.*)$/i.exec(line))) return { field: 'phone', value: m[1]!.trim() };
  if ((m = /^(?:Telefax|Fax)\.?(?:\s*:\s*|\s+(?=[+(\d]))(.*)$/i.exec(line))) return { field: 'fax', value: m[1]!.trim() };
  if ((m = /^(?:E-Mail|Email|Mail)\s*:\s*(.*)$/i.exec(line))) return { field: 'email', value: m[1]!.trim() };
  if ((m = /^(?:Web|Internet|Website|Homepage|Webseite)\s*:\s*(.*)$/i.exec(line))) return { field: 'website', value: m[1]!.trim() };
  if (/^(?:https?:\/\/|www\.)\S+$/i.test(line)) return { field: 'website', value: line.trim() };
  if (/^[^\s@:]+@[^\s@]+\.[^\s@]+$/.test(line)) return { field: 'email', value: line.trim() };
  if ((m = /^((?:[A-Z]{1,2}-)?\d{4,5})\s+(\S.*)$/.exec(line))) return { field: 'postcode', value: m[1]!, town: m[2]!.trim() };
  if (isStreetLike(line)) return { field: 'street', value: line.trim() };
  return null;
};

/** Reads the lines of a contact block: optional label line, organisation in capitals, then parts. */
const readContact = (lines: string[]): { contact: ContactBlock; found: string[] } => {
  const contact = emptyContact();
  let k = 0;
  if (lines[0] !== undefined && CONTACT_LABEL.test(lines[0])) k++;
  if (lines[k] !== undefined && isCapsLine(lines[k]!)) contact.organisation = lines[k++]!;
  const untyped: string[] = [];
  for (; k < lines.length; k++) {
    const line = lines[k]!;
    const c = classifyContactLine(line);
    if (!c) untyped.push(line);
    else if (c.field === 'postcode') {
      if (!contact.postcode && !contact.town) [contact.postcode, contact.town] = [c.value, c.town ?? ''];
      else untyped.push(line);
    } else if (!contact[c.field]) contact[c.field] = c.value;
  }
  if (untyped.length >= 2 && !contact.organisation && !ROLE.test(untyped[0]!)) contact.organisation = untyped.shift()!;
  if (untyped.length === 1) Object.assign(contact, readRoleName(untyped[0]!));
  else if (untyped.length >= 2) {
    const last = untyped[untyped.length - 1]!;
    const lastIsRole = splitRoleName(last).name === '' && !ROLE.test(untyped[0]!);
    contact.role = lastIsRole ? last : untyped.slice(0, -1).join(', ');
    contact.name = lastIsRole ? untyped.slice(0, -1).join(' ') : last;
  }
  const found = (Object.keys(contact) as (keyof ContactBlock)[]).filter((key) => contact[key] !== '');
  return { contact, found };
};

// ---------------------------------------------------------------------------------------------
// Render

const termsLine = (label: string, names: string[]): string[] => {
  const sep = names.some((n) => n.includes(',')) ? '; ' : ', ';
  return wrap(`${label}: ${names.join(sep)}`, '', '  ');
};

const renderBody = (release: Release): string[][] => {
  const blocks = markdownBlocks(release.bodyMarkdown);
  const dateline = collapse(release.dateline);
  const out: string[][] = [];
  if (dateline && blocks[0]?.kind !== 'para') out.push(wrap(`${dateline}.`));
  blocks.forEach((block, index) => {
    // A paragraph ending in a colon right before a list is its lead-in: printed without a blank
    // line before the list, so it never reads back as a heading and needs no escape.
    const leadIn = (b: Block | undefined, next: Block | undefined): boolean => b?.kind === 'para' && b.text.endsWith(':') && next?.kind === 'list';
    switch (block.kind) {
      case 'para': {
        let text = escapeReservedPrefix(block.text, 1);
        if (!leadIn(block, blocks[index + 1])) text = escapeHeading(text, 1);
        if (index === 0) text = dateline ? `${dateline}${dateline.endsWith('.') ? '' : '.'} ${text}` : escapeDateline(text, 1);
        out.push(wrap(text));
        return;
      }
      case 'heading': {
        if (block.level !== 2 && block.level !== 3) out.push(wrap(`${'#'.repeat(block.level)} ${block.text}`));
        else {
          const text = headingText(block.text);
          out.push(wrap(isHeadingLike(`${text}:`) ? `${text}:` : `## ${text}`));
        }
        return;
      }
      case 'list': {
        const lines = block.items.flatMap((it) => {
          const lead = `${' '.repeat(it.indent)}${it.marker} `;
          return wrap(it.text, lead, ' '.repeat(cols(lead)));
        });
        if (leadIn(blocks[index - 1], block)) out[out.length - 1]!.push(...lines);
        else out.push(lines);
        return;
      }
      case 'verbatim':
        out.push(block.lines);
    }
  });
  return out;
};

const renderContact = (contact: ContactBlock, lang: Lang): string[] => {
  const w = WORDS[lang];
  const c = Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, collapse(v)])) as unknown as ContactBlock;
  const website = /^(?:https?:\/\/|www\.)\S+$/i.test(c.website) ? c.website : c.website && `${w.web}: ${c.website}`;
  return [
    `${w.contact}:`,
    c.organisation.toLocaleUpperCase('de-DE'),
    roleNameLine(c.role, c.name) ?? '',
    c.street,
    [c.postcode, c.town].filter(Boolean).join(' '),
    c.phone && `${w.phone}: ${c.phone}`,
    c.fax && `${w.fax}: ${c.fax}`,
    c.email && `${w.email}: ${c.email}`,
    website,
  ].filter((line) => line !== '');
};

const renderFooter = (release: Release, site: TextSite): string[][] => {
  const office = release.office.name;
  if (release.language === 'en')
    return [
      wrap(
        `The press office “${office}” is a member of ${site.siteName} [${site.siteUrl}]. There you can search the releases of other press offices and subscribe to them as an RSS feed or by e-mail.`,
      ),
      [
        ...wrap(`RSS feed of this press office: ${site.officeFeedUrl}`),
        ...wrap(`Subscribe by e-mail: ${site.subscribeUrl}`),
        ...wrap(`This release online: ${site.releaseUrl}`),
      ],
    ];
  return [
    wrap(
      `Die Pressestelle „${office}“ ist Mitglied bei ${site.siteName} [${site.siteUrl}]. Dort können Sie Mitteilungen weiterer Pressestellen recherchieren und als RSS-Feed oder E-Mail abonnieren.`,
    ),
    [
      ...wrap(`RSS-Feed dieser Pressestelle: ${site.officeFeedUrl}`),
      ...wrap(`Per E-Mail abonnieren: ${site.subscribeUrl}`),
      ...wrap(`Diese Mitteilung online: ${site.releaseUrl}`),
    ],
  ];
};

/** The plain-text form of a release (UTF-8, `\n` line ends, one trailing newline). */
export const renderReleaseText = (release: Release, site: TextSite): string => {
  const lang: Lang = release.language === 'en' ? 'en' : 'de';
  const w = WORDS[lang];
  const paras: string[][] = [];
  const title = collapse(release.title);
  const subtitle = collapse(release.subtitle);
  if (title) paras.push(wrap(RESERVED_PRE.test(title) ? `${w.title}: ${title}` : title));
  if (subtitle) paras.push(wrap(RESERVED_PRE.test(subtitle) || !title ? `${w.subtitle}: ${subtitle}` : subtitle));

  const time = zonedTime(site.timeZone);
  const header = [`${w.date}: ${time.formatDate(release.releaseDate, lang)}`];
  const topics = release.topics.map((t) => collapse(t.name)).filter(Boolean);
  const regions = release.regions.map((t) => collapse(t.name)).filter(Boolean);
  if (topics.length > 0) header.push(...termsLine(w.topics, topics));
  if (regions.length > 0) header.push(...termsLine(w.regions, regions));
  paras.push(header);

  const withdrawn = release.status === 'withdrawn';
  if (withdrawn) {
    const when = release.withdrawnAt ? time.formatDateTime(release.withdrawnAt, lang) : '';
    paras.push(
      wrap(
        lang === 'de'
          ? `ZURÜCKGEZOGEN: Diese Mitteilung wurde ${when ? `am ${when} ` : ''}zurückgezogen und ist nicht mehr gültig. Bitte verwenden Sie sie nicht mehr.`
          : `WITHDRAWN: This release was withdrawn${when ? ` on ${when}` : ''} and is no longer valid. Please do not use it.`,
      ),
    );
    if (collapse(release.withdrawalNote)) paras.push(wrap(`${w.reason}: ${release.withdrawalNote}`));
  } else {
    paras.push(...renderBody(release));
    for (const c of [...release.corrections].sort((a, b) => a.at.localeCompare(b.at)))
      paras.push(wrap(`${lang === 'de' ? 'Korrektur vom' : 'Correction of'} ${time.formatDateTime(c.at, lang)}: ${c.note}`));
    for (const photo of [...release.photos].sort((a, b) => a.position - b.position)) {
      const caption = collapse(photo.caption);
      const credit = collapse(photo.credit);
      if (!caption && !credit) continue;
      // An empty credit is written out when the caption itself ends like a credit.
      const showCredit = credit || (splitParenCredit(caption) ? ' ' : '');
      paras.push(wrap([`${w.caption}:`, caption, showCredit && `(${w.credit}: ${credit})`].filter(Boolean).join(' ')));
    }
  }

  const notice = release.republicationNotice
    .split(/\n\s*\n/)
    .map(collapse)
    .filter(Boolean);
  const hasContact = release.contact !== null && Object.values(release.contact).some((v) => collapse(v) !== '');
  if (release.contact && hasContact) paras.push(renderContact(release.contact, lang));
  if (!withdrawn && notice.length > 0) {
    if (!hasContact) notice[0] = `${w.notice}: ${notice[0]}`;
    paras.push(...notice.map((p) => wrap(p)));
  }
  paras.push(...renderFooter(release, site));
  return `${paras.map((p) => p.join('\n')).join('\n\n')}\n`;
};

// ---------------------------------------------------------------------------------------------
// Parse

interface Unit {
  kind: 'para' | 'item' | 'verbatim' | 'contact';
  /** Unwrapped text (para, item) or the lines joined by `\n` (verbatim, contact). */
  text: string;
  lines: string[];
  line: number;
  indent: number;
  marker: string;
  /** A paragraph printed right above a list (our own form): never a heading. */
  leadIn?: boolean;
}

const unit = (kind: Unit['kind'], text: string, lines: string[], line: number, indent = 0, marker = ''): Unit => ({
  kind,
  text,
  lines,
  line,
  indent,
  marker,
});

/** Herold form: blocks separated by blank lines; fences keep their blank lines. */
const heroldUnits = (lines: string[], offset: number): Unit[] => {
  const units: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.trim() === '') {
      i++;
      continue;
    }
    const start = i;
    const fence = FENCE.exec(lines[i]!);
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      for (i++; i < lines.length && !close.test(lines[i]!); i++);
      const block = lines.slice(start, Math.min(i + 1, lines.length));
      units.push(unit('verbatim', block.join('\n'), block, offset + start + 1));
      i++;
      continue;
    }
    while (i < lines.length && lines[i]!.trim() !== '') i++;
    const block = lines.slice(start, i);
    const first = block[0]!;
    const line = offset + start + 1;
    const firstItem = block.findIndex((l) => ITEM.test(l) && !RULE.test(l));
    if (QUOTE_OR_TABLE.test(first) || RULE.test(first)) units.push(unit('verbatim', block.join('\n'), block, line));
    else if (isContactBlock(block)) units.push(unit('contact', block.join('\n'), block, line));
    else if (firstItem >= 0) {
      if (firstItem > 0) units.push({ ...unit('para', collapse(block.slice(0, firstItem).join(' ')), block.slice(0, firstItem), line), leadIn: true });
      for (const [n, l] of block.slice(firstItem).entries()) {
        const m = ITEM.exec(l);
        const last = units[units.length - 1];
        if (m && !RULE.test(l)) units.push(unit('item', collapse(m[3] ?? ''), [l], line + firstItem + n, m[1]!.length, m[2]!));
        else if (last) last.text = collapse(`${last.text} ${l}`);
      }
    }
    else units.push(unit('para', collapse(block.join(' ')), block, line));
  }
  return units;
};

const isContactBlock = (block: string[]): boolean =>
  block.length >= 2 &&
  !block.some((l) => ITEM.test(l)) &&
  (CONTACT_LABEL.test(block[0]!) || (isCapsLine(block[0]!) && block.every((l) => cols(l) <= 100) && block.slice(1).some((l) => classifyContactLine(l))));

/** Portal form: every line is a paragraph (or a list item). */
const portalUnits = (lines: string[], offset: number): Unit[] =>
  lines.flatMap((l, n) => {
    if (l.trim() === '') return [];
    const m = ITEM.exec(l);
    return m && !RULE.test(l)
      ? [unit('item', collapse(m[3] ?? ''), [l], offset + n + 1, m[1]!.length, m[2]!)]
      : [unit('para', collapse(l), [l.trim()], offset + n + 1)];
  });

/**
 * Finds the contact block of a portal text: from a `Pressekontakt:` line or an organisation line
 * in capitals, over at most three untyped lines (role, name), to the last line that is clearly a
 * contact part (Tel./Fax/E-Mail, web address, postcode and town, street and number).
 */
const findPortalContact = (units: Unit[], end: number): { start: number; end: number } | null => {
  for (let i = 0; i < end; i++) {
    const u = units[i]!;
    if (u.kind !== 'para' || !(CONTACT_LABEL.test(u.text) || isCapsLine(u.text))) continue;
    let lastTyped = -1;
    let untyped = 0;
    for (let j = i + 1; j < end; j++) {
      const v = units[j]!;
      if (v.kind !== 'para' || cols(v.text) > 100 || FOOTER.test(v.text)) break;
      if (classifyContactLine(v.text)) lastTyped = j;
      else if (lastTyped >= 0 || ++untyped > 3) break;
    }
    if (lastTyped >= 0) return { start: i, end: lastTyped };
  }
  return null;
};

const sentences = (text: string): number => {
  let count = 0;
  let rest = text;
  for (let stop = firstStop(rest); stop && stop.rest; stop = firstStop(rest)) {
    count++;
    rest = stop.rest;
  }
  return count + 1;
};

/** Markdown inline syntax to plain text, for a derived title. */
const stripInline = (text: string): string =>
  text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(„"])([*_])(\S(?:.*?\S)?)\2(?=[\s).,;:!?“"]|$)/g, '$1$3')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!:])/g, '$1');

const deriveTitle = (markdown: string): string => {
  const plain = collapse(stripInline(markdown));
  const match = /[.!?](?= |$)/g;
  let end = plain.length;
  for (let m = match.exec(plain); m; m = match.exec(plain)) {
    if (m[0] === '.' && isAbbreviation(plain.slice(0, m.index).split(' ').pop() ?? '')) continue;
    end = m[0] === '.' ? m.index : m.index + 1;
    break;
  }
  const sentence = plain.slice(0, end).trim();
  if (cols(sentence) <= 90) return sentence;
  const cut = [...sentence].slice(0, 89).join('');
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length).replace(/[\s,;:–-]+$/, '')}…`;
};

const splitTerms = (value: string): string[] =>
  value
    .split(value.includes(';') ? ';' : ',')
    .map(collapse)
    .filter(Boolean);

/** `Foto: Name` on its own: a credit for the caption before it (short, no full sentence). */
const isCreditOnly = (text: string): boolean => {
  const m = CREDIT_ONLY.exec(text);
  return m !== null && cols(m[1]!) <= 60 && m[1]!.split(' ').length <= 5 && !/[.!?]$/.test(m[1]!);
};

/**
 * Where the captions before `anchor` (the contact block, else the notice, else the footer)
 * start. The first paragraph of the body is never a caption.
 *
 * Our own form: the paragraphs directly before the anchor that start with `Bild:`/`Picture:`
 * (or Foto:, Bildunterschrift:, Photo:, Caption:); body paragraphs starting like that are
 * escaped by the renderer, so nothing else is taken.
 *
 * Portal form, in this order:
 *  1. marked paragraphs directly before the anchor: starting with a caption prefix, or ending
 *     in a credit (`(Foto: X)`, `… Foto: X`), or a credit line (`Foto: Name`, short, no full
 *     stop) together with the unmarked paragraph just before it;
 *  2. otherwise, the portal convention: with a contact block and at least two body paragraphs,
 *     the single paragraph directly before the contact block, if it reads like a caption: one
 *     sentence, at most 300 characters, no web or mail address, not a heading or list item.
 */
const captionStart = (units: Unit[], anchor: number, herold: boolean, hasContact: boolean): number => {
  let i = anchor - 1;
  if (herold) {
    while (i >= 1 && units[i]!.kind === 'para' && CAPTION_PREFIX.test(units[i]!.text) && !RESERVED_BODY_PREFIX.exec(units[i]!.text)?.[3]) i--;
    return i + 1;
  }
  while (i >= 1) {
    const u = units[i]!;
    if (u.kind !== 'para' || isHeadingLike(u.text) || CORRECTION.test(u.text)) break;
    const marked = CAPTION_PREFIX.test(u.text) || isCreditOnly(u.text) || splitCredit(u.text, true).credit !== '';
    const beforeCredit = i + 1 < anchor && isCreditOnly(units[i + 1]!.text);
    if (!marked && !beforeCredit) break;
    i--;
  }
  if (i + 1 < anchor || !hasContact) return i + 1;
  const candidate = units[anchor - 1];
  const paragraphsBefore = units.slice(0, anchor).filter((u) => u.kind === 'para').length;
  if (
    candidate &&
    anchor - 1 >= 1 &&
    paragraphsBefore >= 2 &&
    candidate.kind === 'para' &&
    cols(candidate.text) <= 300 &&
    sentences(candidate.text) === 1 &&
    !/https?:|www\.|@/.test(candidate.text) &&
    !isHeadingLike(candidate.text) &&
    !CORRECTION.test(candidate.text)
  )
    return anchor - 1;
  return anchor;
};

/** Order of the report lines: the order of the parts in a release. */
const R = { FORMAT: 0, LANGUAGE: 1, TITLE: 2, SUBTITLE: 3, DATE: 4, TOPICS: 5, REGIONS: 6, DATELINE: 7, BODY: 8, CORRECTIONS: 9, CAPTIONS: 10, CONTACT: 11, NOTICE: 12, FOOTER: 13 } as const;

/** Reads a release from its plain-text form (ours, or a portal's). Throws ReleaseTextError. */
export const parseReleaseText = (text: string, options: { lang?: 'de' | 'en' } = {}): ParsedReleaseText => {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+$/, ''));
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) throw new ReleaseTextError('The text is empty.', 1);
  const notes: [number, string][] = [];
  const note = (order: number, line: string): void => void notes.push([order, line]);

  // Date line
  const dateIdx = lines.findIndex((l) => DATE_LINE.test(l));
  if (dateIdx < 0)
    throw new ReleaseTextError(
      'No date line found: a release needs a line "Meldungsdatum: DD.MM.YYYY" (or "Release date: 26 Aug 2025") before its body.',
      firstLine + 1,
    );
  const dateMatch = DATE_LINE.exec(lines[dateIdx]!)!;
  const date = readDate(dateMatch[2]!);
  if ('error' in date) throw new ReleaseTextError(`The date line says ${date.error}.`, dateIdx + 1);
  const language: Lang = /^release date$/i.test(dateMatch[1]!) || FOOTER_EN.test(lines.join('\n')) ? 'en' : (options.lang ?? 'de');

  // Header lines after the date: topics, regions (continuation lines are indented)
  let topics: string[] = [];
  let regions: string[] = [];
  let h = dateIdx + 1;
  for (let meta = META_LINE.exec(lines[h] ?? ''); meta; meta = META_LINE.exec(lines[h] ?? '')) {
    let value = meta[2]!;
    for (h++; h < lines.length && /^\s+\S/.test(lines[h]!); h++) value += ` ${lines[h]!.trim()}`;
    if (/^t/i.test(meta[1]!)) topics = splitTerms(value);
    else regions = splitTerms(value);
  }

  // Format: our own form has blank lines between the paragraphs after the header.
  const bodyLines = lines.slice(h);
  const firstBody = bodyLines.findIndex((l) => l.trim() !== '');
  const lastBody = bodyLines.findLastIndex((l) => l.trim() !== '');
  const herold = firstBody >= 0 && bodyLines.slice(firstBody, lastBody + 1).some((l) => l.trim() === '');
  const format = herold ? 'herold' : 'portal';
  note(R.FORMAT, herold ? 'format: Herold (blank lines between paragraphs, wrapped lines joined)' : 'format: portal (one paragraph per line)');
  note(R.LANGUAGE, `language: ${language}`);
  note(R.DATE, `date: ${date.iso} (line ${dateIdx + 1})`);

  // Title and subtitle: the paragraphs (herold) or lines (portal) before the date line
  let title = '';
  let subtitle = '';
  const pre = lines.slice(0, dateIdx);
  const preBlocks = herold || pre.slice(firstLine, pre.findLastIndex((l) => l.trim() !== '') + 1).some((l) => l.trim() === '');
  const preUnits: { text: string; line: number }[] = [];
  pre.forEach((l, n) => {
    if (l.trim() === '') return;
    const last = preUnits[preUnits.length - 1];
    if (preBlocks && last && n > 0 && pre[n - 1]!.trim() !== '') last.text = collapse(`${last.text} ${l}`);
    else preUnits.push({ text: collapse(l), line: n + 1 });
  });
  for (const u of preUnits) {
    let m: RegExpExecArray | null;
    if ((m = TITLE_LINE.exec(u.text)) && !title) title = collapse(m[1]!);
    else if ((m = SUBTITLE_LINE.exec(u.text)) && !subtitle) subtitle = collapse(m[1]!);
    else if (!title) title = u.text;
    else if (!subtitle) subtitle = u.text;
    else throw new ReleaseTextError('Only a title and a subtitle may stand before the date line.', u.line);
  }

  const units = herold ? heroldUnits(bodyLines, h) : portalUnits(bodyLines, h);
  const emptyBody = (): ReleaseTextError =>
    new ReleaseTextError(
      'The release has no body text: write at least one paragraph after the date line, before the contact block.',
      units[0]?.line ?? Math.min(h + 1, lines.length),
    );
  if (units[0] && units[0].kind === 'para' && WITHDRAWN.test(units[0].text))
    throw new ReleaseTextError('This release was withdrawn; its text has no body to import.', units[0].line);

  // Platform footer: dropped, with everything after it.
  let end = units.length;
  const footerAt = units.findIndex((u) => u.kind === 'para' && FOOTER.test(u.text));
  if (footerAt >= 0) {
    end = footerAt;
    note(R.FOOTER, `footer dropped (line ${units[footerAt]!.line}${units.length > footerAt + 1 ? ' and the lines after it' : ''})`);
  }

  // Contact block, and the republication notice after it
  let contact: ContactBlock | null = null;
  let anchor = end;
  let notice = '';
  let contactSpan: { start: number; end: number } | null = null;
  if (herold) {
    for (let i = end - 1; i >= 0 && !contactSpan; i--) if (units[i]!.kind === 'contact') contactSpan = { start: i, end: i };
  } else contactSpan = findPortalContact(units, end);
  if (contactSpan) {
    const contactLines = units.slice(contactSpan.start, contactSpan.end + 1).flatMap((u) => u.lines.map((l) => l.trim()));
    const read = readContact(contactLines);
    contact = read.contact;
    anchor = contactSpan.start;
    note(R.CONTACT, `contact block (lines ${units[contactSpan.start]!.line}–${units[contactSpan.end]!.line}): ${read.found.join(', ')}`);
    const noticeUnits = units.slice(contactSpan.end + 1, end);
    notice = noticeUnits.map((u) => u.text).join('\n\n');
    if (noticeUnits.length > 0) note(R.NOTICE, `republication notice (line ${noticeUnits[0]!.line})`);
  } else {
    note(R.CONTACT, 'no contact block found');
    const last = units[end - 1];
    if (last && end - 1 >= 1 && last.kind === 'para' && (NOTICE_LABEL.test(last.text) || (!herold && NOTICE_TEXT.test(last.text)))) {
      notice = last.text.replace(NOTICE_LABEL, '');
      anchor = end - 1;
      note(R.NOTICE, `republication notice (line ${last.line})`);
    }
  }
  if (!notice) note(R.NOTICE, 'no republication notice found');

  // Captions: the paragraphs just before the contact block (see captionStart).
  const capStart = captionStart(units, anchor, herold, contactSpan !== null);
  const captions: { caption: string; credit: string }[] = [];
  for (const u of units.slice(capStart, anchor)) {
    const credit = CREDIT_ONLY.exec(u.text);
    const previous = captions[captions.length - 1];
    if (!herold && credit && isCreditOnly(u.text) && previous && !previous.credit) previous.credit = credit[1]!.trim();
    else if (!herold && credit && isCreditOnly(u.text)) captions.push({ caption: '', credit: credit[1]!.trim() });
    else captions.push(splitCredit(u.text.replace(CAPTION_PREFIX, ''), !herold));
  }
  for (const c of captions) note(R.CAPTIONS, `caption: "${c.caption}"${c.credit ? ` (credit: ${c.credit})` : ' (no credit)'}`);

  // Corrections (our own form) are history, not input: dropped.
  let bodyEnd = capStart;
  while (bodyEnd - 1 >= 1 && units[bodyEnd - 1]!.kind === 'para' && CORRECTION.test(units[bodyEnd - 1]!.text)) bodyEnd--;
  if (bodyEnd < capStart) note(R.CORRECTIONS, `corrections dropped: ${capStart - bodyEnd}`);

  const body = units.slice(0, bodyEnd);
  if (body.length === 0) throw emptyBody();

  // Dateline: the place before the first full stop of the first paragraph.
  let dateline = '';
  const blocks: string[] = [];
  let headings = 0;
  let paragraphs = 0;
  let items = 0;
  body.forEach((u, index) => {
    if (u.kind === 'item') {
      items++;
      const line = `${' '.repeat(u.indent)}${u.marker} ${u.text}`.trimEnd();
      const prev = body[index - 1];
      if (prev?.kind === 'item') blocks[blocks.length - 1] += `\n${line}`;
      else blocks.push(line);
      return;
    }
    if (u.kind !== 'para') {
      paragraphs++;
      blocks.push(u.kind === 'verbatim' ? u.text : collapse(u.lines.join(' ')));
      return;
    }
    let text = u.text;
    if (!u.leadIn && isHeadingLike(text)) {
      headings++;
      blocks.push(`## ${text.slice(0, -1)}`);
      return;
    }
    if (index === 0) {
      const split = splitDateline(text);
      if (split) {
        dateline = split.dateline;
        text = split.rest;
        if (!text) return;
      } else text = escapeDateline(text, -1);
    }
    paragraphs++;
    blocks.push(escapeReservedPrefix(u.leadIn ? text : escapeHeading(text, -1), -1));
  });
  const bodyMarkdown = normaliseBodyMarkdown(blocks.join('\n\n'));
  if (!bodyMarkdown) throw emptyBody();
  note(R.DATELINE, dateline ? `dateline: ${dateline}` : 'no dateline found');
  note(R.BODY, `body: ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}, ${headings} heading${headings === 1 ? '' : 's'}, ${items} list item${items === 1 ? '' : 's'}`);

  let titleDerived = false;
  if (!title) {
    const firstPara = markdownBlocks(bodyMarkdown).find((b) => b.kind === 'para');
    title = deriveTitle(firstPara?.kind === 'para' ? firstPara.text : bodyMarkdown);
    titleDerived = true;
    note(R.TITLE, `title derived from the first sentence: ${title}`);
  } else note(R.TITLE, `title: ${title}`);
  if (subtitle) note(R.SUBTITLE, `subtitle: ${subtitle}`);
  if (topics.length > 0) note(R.TOPICS, `topics: ${topics.join(', ')}`);
  if (regions.length > 0) note(R.REGIONS, `regions: ${regions.join(', ')}`);

  return {
    input: {
      title,
      subtitle,
      releaseDate: date.iso,
      dateline,
      bodyMarkdown,
      contact,
      republicationNotice: notice,
      topics,
      regions,
      language,
    },
    captions,
    titleDerived,
    format,
    report: notes.sort((a, b) => a[0] - b[0]).map(([, line]) => line),
  };
};
