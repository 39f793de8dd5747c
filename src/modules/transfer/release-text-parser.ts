// Reads a release from its plain-text form: Herold's own (content/release-text.ts, whose comment
// shows the layout) or a press-release portal's one-paragraph-a-line form (test/fixtures/import/).
// `parseReleaseText` runs the steps below in order: lines → date line and header → title and
// subtitle → units (paragraphs, list items, blocks) → platform footer → contact block and notice →
// captions → corrections → body and dateline; each step notes what it recognised for the report.
import { emptyContact, type ContactBlock, type ReleaseInput } from '../releases/release.ts';
import {
  ATTACHMENT_LINE,
  CAPTION_PREFIX,
  CONTACT_LABEL,
  CORRECTION,
  CREDIT_ONLY,
  DATE_LINE,
  escapeDateline,
  escapeHeading,
  escapeReservedPrefix,
  FENCE,
  firstStop,
  FOOTER,
  FOOTER_EN,
  isAbbreviation,
  isHeadingLike,
  isPlaceLike,
  ITEM,
  markdownBlocks,
  META_LINE,
  normaliseBodyMarkdown,
  NOTICE_LABEL,
  NOTICE_TEXT,
  PUBLISHED,
  QUOTE_OR_TABLE,
  readRoleName,
  RESERVED_BODY_PREFIX,
  ROLE,
  RULE,
  splitParenCredit,
  splitRoleName,
  SUBTITLE_LINE,
  TITLE_LINE,
  WITHDRAWN,
  cols,
  collapse,
  type Lang,
} from '../../content/plain-text.ts';

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

// ---------------------------------------------------------------------------------------------
// Dates

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

const pad2 = (n: number): string => String(n).padStart(2, '0');

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Reads `26.08.2025`, `2025-08-26`, `26 Aug 2025`, `26. August 2025`, `August 26, 2025`. */
const readDate = (value: string): { iso: string } | { error: string } => {
  // A time after the date (`26.08.2025, 10:00 Uhr`) is allowed and ignored.
  const v = value.trim().replace(/[,\s]+(?:um\s+|at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:Uhr|h|[A-Z][A-Z0-9+-]{1,7}))?$/i, '');
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
// Parts of a portal text

/** `Landkreis Kassel. Der …` → dateline `Landkreis Kassel`; a place-like prefix only. */
const splitDateline = (text: string): { dateline: string; rest: string } | null => {
  const stop = firstStop(text);
  if (!stop || stop.slashes > 0 || !isPlaceLike(stop.prefix)) return null;
  return { dateline: stop.prefix, rest: stop.rest };
};

/** Portal texts also write `… Foto: X` at the end of a caption. */
const splitCredit = (text: string, portal: boolean): { caption: string; credit: string } => {
  const paren = splitParenCredit(text);
  if (paren) return paren;
  const m = portal ? /^(.*\S)\s+(?:Fotos?|Photos?|Bildnachweis|Credit)\s*:\s*([^:]{1,60})$/i.exec(text) : null;
  return m ? { caption: m[1]!, credit: m[2]!.trim() } : { caption: text, credit: '' };
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
// Units: the paragraphs, list items and blocks after the header

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

/** The report under construction: lines in the order of the parts of a release, whatever order they were found in. */
class Report {
  private readonly notes: [number, string][] = [];
  note(order: number, line: string): void {
    this.notes.push([order, line]);
  }
  lines(): string[] {
    return [...this.notes].sort((a, b) => a[0] - b[0]).map(([, line]) => line);
  }
}

// ---------------------------------------------------------------------------------------------
// The steps

/** Lines without a byte-order mark, with `\n` ends and no trailing blanks; the first line that holds text. */
const readLines = (text: string): { lines: string[]; firstLine: number } => {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+$/, ''));
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) throw new ReleaseTextError('The text is empty.', 1);
  return { lines, firstLine };
};

/** The date line, the language, and the topic and region lines after it (continuation lines are indented). */
const readHeader = (lines: string[], firstLine: number, options: { lang?: Lang }, report: Report) => {
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
  let topics: string[] = [];
  let regions: string[] = [];
  let h = dateIdx + 1;
  for (let meta = META_LINE.exec(lines[h] ?? ''); meta; meta = META_LINE.exec(lines[h] ?? '')) {
    let value = meta[2]!;
    for (h++; h < lines.length && /^\s+\S/.test(lines[h]!); h++) value += ` ${lines[h]!.trim()}`;
    if (/^t/i.test(meta[1]!)) topics = splitTerms(value);
    else regions = splitTerms(value);
  }
  report.note(R.LANGUAGE, `language: ${language}`);
  report.note(R.DATE, `date: ${date.iso} (line ${dateIdx + 1})`);
  if (topics.length > 0) report.note(R.TOPICS, `topics: ${topics.join(', ')}`);
  if (regions.length > 0) report.note(R.REGIONS, `regions: ${regions.join(', ')}`);
  return { dateIdx, releaseDate: date.iso, language, topics, regions, bodyStart: h };
};

/** Our own form has blank lines between the paragraphs after the header; a portal's has none. */
const readFormat = (bodyLines: string[], report: Report): boolean => {
  const firstBody = bodyLines.findIndex((l) => l.trim() !== '');
  const lastBody = bodyLines.findLastIndex((l) => l.trim() !== '');
  const herold = firstBody >= 0 && bodyLines.slice(firstBody, lastBody + 1).some((l) => l.trim() === '');
  report.note(R.FORMAT, herold ? 'format: Herold (blank lines between paragraphs, wrapped lines joined)' : 'format: portal (one paragraph per line)');
  return herold;
};

/** Title and subtitle: the paragraphs (ours) or lines (a portal's) before the date line, labelled or not. */
const readTitles = (pre: string[], firstLine: number, herold: boolean): { title: string; subtitle: string } => {
  let title = '';
  let subtitle = '';
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
  return { title, subtitle };
};

/**
 * Where the release proper ends: at the platform footer (dropped with everything after it), or at
 * our publication line just before it (history, not input).
 */
const findEnd = (units: Unit[], report: Report): number => {
  const footerAt = units.findIndex((u) => u.kind === 'para' && FOOTER.test(u.text));
  let end = footerAt >= 0 ? footerAt : units.length;
  const last = units[end - 1];
  if (last && end - 1 >= 1 && last.kind === 'para' && PUBLISHED.test(last.text)) end--;
  if (footerAt >= 0) report.note(R.FOOTER, `footer dropped (line ${units[footerAt]!.line}${units.length > footerAt + 1 ? ' and the lines after it' : ''})`);
  return end;
};

/** The contact block, and the republication notice after it (or, without a contact, a labelled or portal-like last paragraph). */
const readContactAndNotice = (units: Unit[], end: number, herold: boolean, report: Report) => {
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
    report.note(R.CONTACT, `contact block (lines ${units[contactSpan.start]!.line}–${units[contactSpan.end]!.line}): ${read.found.join(', ')}`);
    const noticeUnits = units.slice(contactSpan.end + 1, end);
    notice = noticeUnits.map((u) => u.text).join('\n\n');
    if (noticeUnits.length > 0) report.note(R.NOTICE, `republication notice (line ${noticeUnits[0]!.line})`);
  } else {
    report.note(R.CONTACT, 'no contact block found');
    const last = units[end - 1];
    if (last && end - 1 >= 1 && last.kind === 'para' && (NOTICE_LABEL.test(last.text) || (!herold && NOTICE_TEXT.test(last.text)))) {
      notice = last.text.replace(NOTICE_LABEL, '');
      anchor = end - 1;
      report.note(R.NOTICE, `republication notice (line ${last.line})`);
    }
  }
  if (!notice) report.note(R.NOTICE, 'no republication notice found');
  return { contact, notice, anchor, hasContact: contactSpan !== null };
};

/** The captions between the body and `anchor` (see captionStart), each with its credit. */
const readCaptions = (units: Unit[], anchor: number, herold: boolean, hasContact: boolean, report: Report) => {
  const start = captionStart(units, anchor, herold, hasContact);
  const captions: { caption: string; credit: string }[] = [];
  for (const u of units.slice(start, anchor)) {
    const credit = CREDIT_ONLY.exec(u.text);
    const previous = captions[captions.length - 1];
    if (!herold && credit && isCreditOnly(u.text) && previous && !previous.credit) previous.credit = credit[1]!.trim();
    else if (!herold && credit && isCreditOnly(u.text)) captions.push({ caption: '', credit: credit[1]!.trim() });
    else captions.push(splitCredit(u.text.replace(CAPTION_PREFIX, ''), !herold));
  }
  for (const c of captions) report.note(R.CAPTIONS, `caption: "${c.caption}"${c.credit ? ` (credit: ${c.credit})` : ' (no credit)'}`);
  return { captions, start };
};

/** Corrections (our own form) are history, not input: where the body ends before them. */
const bodyEndBefore = (units: Unit[], captionsStart: number, report: Report): number => {
  let bodyEnd = captionsStart;
  while (bodyEnd - 1 >= 1 && units[bodyEnd - 1]!.kind === 'para' && CORRECTION.test(units[bodyEnd - 1]!.text)) bodyEnd--;
  if (bodyEnd < captionsStart) report.note(R.CORRECTIONS, `corrections dropped: ${captionsStart - bodyEnd}`);
  return bodyEnd;
};

/** The body as Markdown, and the dateline: the place before the first full stop of the first paragraph. */
const readBody = (body: Unit[], report: Report): { dateline: string; bodyMarkdown: string } => {
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
  report.note(R.DATELINE, dateline ? `dateline: ${dateline}` : 'no dateline found');
  report.note(R.BODY, `body: ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}, ${headings} heading${headings === 1 ? '' : 's'}, ${items} list item${items === 1 ? '' : 's'}`);
  return { dateline, bodyMarkdown: normaliseBodyMarkdown(blocks.join('\n\n')) };
};

/** Reads a release from its plain-text form (ours, or a portal's). Throws ReleaseTextError. */
export const parseReleaseText = (text: string, options: { lang?: Lang } = {}): ParsedReleaseText => {
  const report = new Report();
  const { lines, firstLine } = readLines(text);
  const header = readHeader(lines, firstLine, options, report);
  const bodyLines = lines.slice(header.bodyStart);
  const herold = readFormat(bodyLines, report);
  let { title, subtitle } = readTitles(lines.slice(0, header.dateIdx), firstLine, herold);

  const units = herold ? heroldUnits(bodyLines, header.bodyStart) : portalUnits(bodyLines, header.bodyStart);
  const emptyBody = (): ReleaseTextError =>
    new ReleaseTextError(
      'The release has no body text: write at least one paragraph after the date line, before the contact block.',
      units[0]?.line ?? Math.min(header.bodyStart + 1, lines.length),
    );
  if (units[0] && units[0].kind === 'para' && WITHDRAWN.test(units[0].text))
    throw new ReleaseTextError('This release was withdrawn; its text has no body to import.', units[0].line);

  const end = findEnd(units, report);
  const { contact, notice, anchor: contactAt, hasContact } = readContactAndNotice(units, end, herold, report);
  // Our attachment lines stand right before the contact block: links to files, not input.
  let anchor = contactAt;
  while (anchor >= 2 && units[anchor - 1]!.kind === 'para' && ATTACHMENT_LINE.test(units[anchor - 1]!.text)) anchor--;
  if (anchor < contactAt) report.note(R.CAPTIONS, `attachments dropped: ${contactAt - anchor} (files are not imported from text)`);
  const captions = readCaptions(units, anchor, herold, hasContact, report);
  const body = units.slice(0, bodyEndBefore(units, captions.start, report));
  if (body.length === 0) throw emptyBody();
  const { dateline, bodyMarkdown } = readBody(body, report);
  if (!bodyMarkdown) throw emptyBody();

  const titleDerived = !title;
  if (titleDerived) {
    const firstPara = markdownBlocks(bodyMarkdown).find((b) => b.kind === 'para');
    title = deriveTitle(firstPara?.kind === 'para' ? firstPara.text : bodyMarkdown);
    report.note(R.TITLE, `title derived from the first sentence: ${title}`);
  } else report.note(R.TITLE, `title: ${title}`);
  if (subtitle) report.note(R.SUBTITLE, `subtitle: ${subtitle}`);

  return {
    input: { title, subtitle, releaseDate: header.releaseDate, dateline, bodyMarkdown, contact, republicationNotice: notice, topics: header.topics, regions: header.regions, language: header.language },
    captions: captions.captions,
    titleDerived,
    format: herold ? 'herold' : 'portal',
    report: report.lines(),
  };
};
