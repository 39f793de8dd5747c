// The one rule for characters no text of ours may hold, applied where text comes in: every form
// and JSON body (plugins/security.ts), multipart fields (modules/admin/upload.ts) and `herold
// import` (modules/transfer/import.service.ts). Removed: C0 controls but tab and line feed (a
// carriage return becomes a line feed), DEL, C1 controls, U+FFFE/U+FFFF, lone surrogates, and
// bidirectional embeddings, overrides and isolates left open or closed without an opening within
// their line (they would turn the text after them around on the page, in mail and in feeds).

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const EMBEDDING_OPEN = new Set(['\u202A', '\u202B', '\u202D', '\u202E']);
const ISOLATE_OPEN = new Set(['\u2066', '\u2067', '\u2068']);

/** A line without its unpaired bidi controls: an opening kept only with its closing, and the other way round. */
const pairBidi = (line: string): string => {
  if (!BIDI.test(line)) return line;
  const chars = [...line];
  const keep = chars.map(() => true);
  const open: { index: number; isolate: boolean }[] = [];
  chars.forEach((c, i) => {
    if (EMBEDDING_OPEN.has(c) || ISOLATE_OPEN.has(c)) {
      open.push({ index: i, isolate: ISOLATE_OPEN.has(c) });
      keep[i] = false;
    } else if (c === '\u202C') {
      const top = open.at(-1);
      if (top && !top.isolate) {
        open.pop();
        keep[top.index] = true;
      } else keep[i] = false;
    } else if (c === '\u2069') {
      // A PDI closes its isolate and whatever was opened inside it and not closed (those stay removed).
      const at = open.findLastIndex((o) => o.isolate);
      if (at >= 0) {
        keep[open[at]!.index] = true;
        open.length = at;
      } else keep[i] = false;
    }
  });
  return chars.filter((_, i) => keep[i]).join('');
};

/** A name or other one-line field: control characters and runs of white space become one space, trimmed. */
export const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();

/** The text without the characters above; line ends as `\n`. */
export const cleanText = (text: string): string => {
  const lines = text.replace(/\r\n?/g, '\n').replace(CONTROL, '').split('\n');
  return lines.map(pairBidi).join('\n');
};

/** How many characters cleanText removes from a text (a CRLF turned LF is not counted). */
export const removedCount = (text: string): number => {
  const normal = text.replace(/\r\n?/g, '\n');
  return [...normal].length - [...cleanText(normal)].length;
};

/** Every string in a parsed body (objects, arrays, nested) cleaned; other values as they are. */
export const cleanInput = <T>(value: T): T => {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v) => cleanInput(v)) as T;
  // Plain records only (parsers make them with odd prototypes: fast-querystring's has none of Object's); not Dates, Buffers.
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && Object.prototype.toString.call(value) === '[object Object]') {
    const out: Record<string, unknown> = {};
    // defineProperty: a field named `__proto__` stays a field.
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: cleanInput(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
};

/** How many characters cleanInput removes from every string in a value. */
export const removedInInput = (value: unknown): number => {
  if (typeof value === 'string') return removedCount(value);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + removedInInput(v), 0);
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.values(value).reduce((n: number, v) => n + removedInInput(v), 0);
  return 0;
};

/** A text to print on a terminal: controls shown as `\x1b`-style escapes, never sent raw. */
export const printable = (text: string): string =>
  text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
