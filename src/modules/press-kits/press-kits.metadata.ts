// The words a downloaded photo carries inside its file (IPTC and XMP), taken from the public view of
// its release, and the program that writes them: exiftool (Phil Harvey's Image::ExifTool, Debian's
// libimage-exiftool-perl). It writes IPTC-IIM and XMP into a JPEG losslessly (the image data stays
// bit for bit), and is the reader picture desks' tools agree with. One exiftool run stamps every
// photo of a release (`-execute`), so a kit costs one start of Perl, not one per photo.
import { execFile } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { datelinePlace, type PhotoView, type ReleaseView } from '../../content/release-view.ts';

/** What is written into a photo; every field plain text. */
export interface PhotoMetadata {
  /** The release's title. */
  headline: string;
  /** The caption (or, without one, the alt text), opened by the dateline as on paper: „Kassel. Die neue Brücke …“. */
  caption: string;
  /** The credit as written, or the office when there is none. */
  credit: string;
  /** The republication notice (rights and usage terms); empty when the release has none. */
  copyright: string;
  /** The office that published the photo: creator and source. */
  creator: string;
  /** The release date, `YYYY-MM-DD`. */
  dateCreated: string;
  /** The dateline's place. */
  city: string;
  /** The release's page. */
  webStatement: string;
  /**
   * An embargoed copy's instructions (modules/prereleases): the embargo and its recipient, in IPTC
   * SpecialInstructions and XMP photoshop:Instructions, where picture desks look for an embargo.
   * Absent on every public photo.
   */
  instructions?: string;
}

export const photoMetadata = (r: ReleaseView, p: PhotoView): PhotoMetadata => {
  const place = datelinePlace(r.dateline);
  const words = (p.caption || p.alt).trim();
  return {
    headline: r.title,
    caption: place ? `${place}. ${words}`.trim() : words,
    credit: p.credit.trim() || r.office.name,
    copyright: r.notice.trim(),
    creator: r.office.name,
    dateCreated: r.releaseDate,
    city: place,
    // An embargoed copy's page is its recipient's personal link, which a file must not carry onward.
    webStatement: r.embargo ? '' : r.links.page.url,
    ...(r.embargo ? { instructions: embargoInstructions(r) } : {}),
  };
};

/** „SPERRFRIST bis 2026-12-24T09:00Z (UTC). Exemplar für Name (Medium)“ in the release's language: the time in UTC, as a file leaves the site's time zone. */
const embargoInstructions = (r: ReleaseView): string => {
  const until = new Date(r.embargo!.until).toISOString().replace(/:00\.000Z$/, 'Z');
  return r.language === 'en' ? `EMBARGOED until ${until} (UTC). Copy for ${r.embargo!.recipient}` : `SPERRFRIST bis ${until} (UTC). Exemplar für ${r.embargo!.recipient}`;
};

/** The formats exiftool writes: IPTC and XMP into JPEG; XMP into PNG (IPTC there is not standard). Debian's exiftool 12.57 cannot write WebP. */
export const stampable = (mime: string): 'jpeg' | 'png' | null => (mime === 'image/jpeg' ? 'jpeg' : mime === 'image/png' ? 'png' : null);

/** exiftool's arguments that write `m` (one tag a value; a value may hold newlines, never read by a shell). */
export const exiftoolTagArgs = (m: PhotoMetadata, format: 'jpeg' | 'png'): string[] => {
  const xmp: [string, string][] = [
    ['XMP-photoshop:Headline', m.headline],
    ['XMP-dc:Title', m.headline],
    ['XMP-dc:Description', m.caption],
    ['XMP-photoshop:Credit', m.credit],
    ['XMP-dc:Rights', m.copyright],
    ['XMP-xmpRights:UsageTerms', m.copyright],
    ['XMP-xmpRights:WebStatement', m.webStatement],
    ['XMP-dc:Creator', m.creator],
    ['XMP-photoshop:Source', m.creator],
    ['XMP-photoshop:DateCreated', m.dateCreated],
    ['XMP-photoshop:City', m.city],
    ['XMP-iptcCore:Location', m.city],
    ['XMP-photoshop:Instructions', m.instructions ?? ''],
  ];
  // IPTC-IIM has length limits (a 128-byte copyright notice, 32-byte credit and city): exiftool cuts
  // longer values there, as the standard says; the XMP copy keeps them whole.
  const iptc: [string, string][] =
    format === 'jpeg'
      ? [
          ['IPTC:CodedCharacterSet', 'UTF8'],
          ['IPTC:Headline', m.headline],
          ['IPTC:ObjectName', m.headline],
          ['IPTC:Caption-Abstract', m.caption],
          ['IPTC:Credit', m.credit],
          ['IPTC:CopyrightNotice', m.copyright],
          ['IPTC:By-line', m.creator],
          ['IPTC:Source', m.creator],
          ['IPTC:DateCreated', m.dateCreated.replace(/-/g, ':')],
          ['IPTC:City', m.city],
          ['IPTC:SpecialInstructions', m.instructions ?? ''],
        ]
      : [];
  return [...xmp, ...iptc].filter(([, value]) => value !== '').map(([tag, value]) => `-${tag}=${value.replace(/\r\n?/g, '\n')}`);
};

/** One photo to stamp: the original, the new file (must not exist; same extension) and its words. */
export interface StampJob {
  source: string;
  target: string;
  format: 'jpeg' | 'png';
  metadata: PhotoMetadata;
}

export class ExiftoolMissingError extends Error {
  readonly code = 'EXIFTOOL_MISSING';
  constructor(program: string) {
    super(`exiftool was not found (${program}): photos cannot be given their caption, credit and notice. Install it (Debian/Ubuntu: apt-get install libimage-exiftool-perl) or set EXIFTOOL.`);
  }
}

/**
 * How much lower than the server's the priority of exiftool is (a nice value added). At the server's
 * priority, exiftool runs (the stamp-press-kits job's and first views' of unstamped releases) took a
 * busy two-core machine from the event loop, and every reader waited for them: in a one-minute soak
 * at 2,000 releases, unstamped, the event loop's p99 delay was 199 and 248 ms, listings' p50 44 and
 * 65 ms; at a lower priority 46 and 49 ms, 12 and 12 ms. A first view that waits for its stamping
 * waits longer on a busy machine (p99 2.4 s → 5 s), one reader instead of all. Lowering only the
 * job's runs changed nothing: first views started most of them.
 */
export const EXIFTOOL_NICENESS = 10;

const run = (program: string, args: string[], timeout: number): Promise<{ stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = execFile(program, args, { timeout, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new ExiftoolMissingError(program));
      if (error) return reject(Object.assign(new Error(`exiftool failed: ${stderr.trim() || error.message}`), { cause: error }));
      resolve({ stdout, stderr });
    });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + EXIFTOOL_NICENESS));
      } catch {
        // Gone already, or not allowed here: it runs at the server's priority.
      }
    }
  });

export interface Exiftool {
  /** The version, or throws ExiftoolMissingError. */
  version(): Promise<string>;
  /** Writes each job's target: the source with the words added, image data unchanged. One run of exiftool, at a lower priority (EXIFTOOL_NICENESS). */
  stamp(jobs: StampJob[]): Promise<void>;
}

export const createExiftool = (program: string, { timeoutMs = 120_000 }: { timeoutMs?: number } = {}): Exiftool => ({
  async version() {
    return (await run(program, ['-ver'], 30_000)).stdout.trim();
  },
  async stamp(jobs) {
    if (jobs.length === 0) return;
    const args: string[] = [];
    jobs.forEach((job, i) => {
      if (i > 0) args.push('-execute');
      // Both paths are absolute, so neither reads as an option.
      args.push(...exiftoolTagArgs(job.metadata, job.format), '-o', job.target, job.source);
    });
    // Common to every photo: quiet (IPTC's length cuts are no failure), IPTC written in UTF-8.
    args.push('-common_args', '-q', '-q', '-charset', 'iptc=UTF8');
    await run(program, args, timeoutMs);
  },
});
