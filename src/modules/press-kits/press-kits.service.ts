// The press kit of a public release: one ZIP with its plain text, an HTML copy, every photo in full
// resolution with its words written in (press-kits.metadata.ts) and every attachment, made from the
// presenter's view and nothing else. The stamped photos are kept on disk (`DATA_DIR/press-kits/{releaseId}/`),
// named by a hash of the original's path (a path is never reused) and of the words written into it,
// so a correction of caption, credit, title or notice makes new files; whatever a release's current
// view does not name is removed when its kit is next asked for, and a release that is no longer
// public loses its folder (`forget`, `sweep`).
//
// The ZIP is stored, not deflated (JPEG and PNG do not shrink, the text is small), which makes its
// size exact before a byte is written: yazl computes it from the entries' sizes
// (`calculatedTotalSizeCallback`). The page prints that size, and the download sends it as Content-Length
// and streams the files from disk.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { createTranslator } from '../../i18n/i18n.ts';
import { viewDigest, type ReleaseView } from '../../content/release-view.ts';
import { renderReleaseText, type TextSite } from '../../content/release-text.ts';
import { portableView } from '../../content/release-html.ts';
import { htmlTemplates } from '../../content/templates.ts';
import type { Release } from '../releases/release.ts';
import { mediaResolver } from '../media/media-files.ts';
import type { PageDownloads } from '../releases/releases.views.ts';
import { ExiftoolMissingError, photoMetadata, stampable, type Exiftool, type StampJob } from './press-kits.metadata.ts';

/** A photo's original with the release's words written in. */
export interface StampedPhoto {
  photoId: number;
  /** Absolute path of the file to send. */
  file: string;
  bytes: number;
  mime: string;
  /** `{slug}-{id}-foto-{n}.jpg`. */
  name: string;
}

export interface PressKit {
  /** `{slug}-{id}.zip`; its entries sit in the folder `{slug}-{id}/`. */
  fileName: string;
  /** The ZIP's exact size in bytes. */
  bytes: number;
  /** Changes with any byte of the ZIP. */
  etag: string;
  /** The downloadable originals, by photo id. */
  photos: Map<number, StampedPhoto>;
  /** Entry names in the ZIP, in order. */
  entries: string[];
  /** A new stream of the ZIP (its files are read only as it is consumed). */
  stream(): Readable;
}

export interface PressKitService {
  /** exiftool's version; throws ExiftoolMissingError when it cannot be run (checked when the server starts). */
  exiftoolVersion(): Promise<string>;
  /** The kit of a release public now, from its public view; stamps what is not stamped yet. */
  build(release: Release, view: ReleaseView, options?: BuildOptions): Promise<PressKit>;
  /**
   * What the release page prints (releases.views.ts `PageDownloads`): the kit's size and each photo
   * download's, from the kit itself, so they are the real ones: made for the page and remembered by
   * the view, and made again at each download of the public kit. When the kit cannot be made (no
   * exiftool, a file missing) the log says why and the page shows without it: no kit size.
   */
  pageDownloads(release: Release, view: ReleaseView, log: ErrorLog): Promise<PageDownloads>;
  /**
   * Stamps the photos of a release public now into its folder, as `build` would (what is stamped for
   * the current words stays, the rest of the folder goes), without making the kit: the
   * `stamp-press-kits` job (press-kits.stamping.ts), so that the release page finds them stamped.
   * Returns how many photos have a stamped file.
   */
  stamp(release: Release, view: ReleaseView): Promise<number>;
  /**
   * `stamp` for several releases with one exiftool run (the job's sweep). All or nothing: when it
   * fails, stamp them one by one to find the one that fails. Returns the count per release id.
   */
  stampMany(items: { release: Release; view: ReleaseView }[]): Promise<Map<number, number>>;
  /** The ids of the releases that have a folder of stamped files. */
  folders(): Promise<Set<number>>;
  /** Removes the stamped files of a release (withdrawn, or no longer public). */
  forget(releaseId: number): Promise<void>;
  /**
   * Removes the folders of every release withdrawn or deleted; returns their ids. A draft's or a
   * scheduled release's folder stays: it may hold embargoed copies (BuildOptions.copy) that a
   * recipient is downloading.
   */
  sweep(unwithdrawnAmong: (releaseIds: number[]) => Promise<ReadonlySet<number>>): Promise<number[]>;
}

export interface BuildOptions {
  /**
   * A copy of its own (an embargoed copy for one recipient, modules/prereleases: `embargo-{id}`):
   * its stamped photos live in a subfolder of the release's, so they neither replace the public
   * ones nor are removed by them; `forget` and `sweep` remove them with the release's folder.
   */
  copy?: string;
}

interface Entry {
  name: string;
  size: number;
  buffer?: Buffer;
  file?: string;
}

/** Where a failure is told (the request's logger). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

export interface PressKitDeps {
  mediaDir: string;
  /** `DATA_DIR/press-kits`. */
  cacheDir: string;
  exiftool: Exiftool;
  site: TextSite;
}

const hash = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 32);

/** A release's folder name in the kit and the ZIP's name. */
const kitBase = (view: ReleaseView): string => `${view.slug || 'pressemitteilung'}-${view.id}`;

/** Unique names: a second `Plan.pdf` becomes `Plan (2).pdf`. */
const uniqueName = (taken: Set<string>, name: string): string => {
  let candidate = name;
  const dot = name.lastIndexOf('.');
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  taken.add(candidate.toLowerCase());
  return candidate;
};

/** What stamping a release's photos into `folder` takes: the files already current, the photos to stamp. */
interface StampPlan {
  folder: string;
  stamped: Map<number, StampedPhoto>;
  jobs: (StampJob & { photoId: number; name: string; mime: string })[];
}

/** Folders remembered as tidied (see `tidied`): about 200 bytes each. */
const TIDIED_MAX = 20_000;

/** Entries of the page-size cache (`pageSizes`): about 300 bytes each. */
const PAGE_SIZES_MAX = 20_000;

const STAMPED_FILE = /^[A-Za-z0-9_-]{32}\.(?:jpg|jpeg|png)$/;

export const createPressKitService = ({ mediaDir, cacheDir, exiftool, site }: PressKitDeps): PressKitService => {
  const media = mediaResolver(mediaDir);
  const folderOf = (releaseId: number) => path.join(cacheDir, String(releaseId));
  /** One build at a time per release, so one never removes what another is writing. */
  const running = new Map<number, Promise<unknown>>();
  /** After what runs for any of these releases, before what comes next for each (one release, or a group the sweep stamps). */
  const seriallyAll = <T>(releaseIds: number[], work: () => Promise<T>): Promise<T> => {
    const previous = Promise.allSettled(releaseIds.map((id) => running.get(id)));
    const next = previous.then(work);
    for (const id of releaseIds) running.set(id, next);
    void next
      .finally(() => {
        for (const id of releaseIds) if (running.get(id) === next) running.delete(id);
      })
      .catch(() => {});
    return next;
  };
  const serially = <T>(releaseId: number, work: () => Promise<T>): Promise<T> => seriallyAll([releaseId], work);
  /**
   * Folders this process has tidied, with the files they were left holding. Every view of a release
   * page plans its kit, and listing the folder to remove what the view no longer names took a third
   * of rendering the page again after a publish. A folder is listed again when its release's view
   * names other files, when something was stamped into it, and after a restart (a crash leaves its
   * `.tmp-` files for then). Only the removing of what stamping left behind depends on this: a file
   * removed from outside (`forget`, another process) is stamped again all the same.
   */
  const tidied = new Map<string, string>();

  const sizeOf = async (file: string): Promise<number | null> => {
    try {
      return (await stat(file)).size;
    } catch {
      return null;
    }
  };

  const planStamps = async (release: Release, view: ReleaseView, folder: string): Promise<StampPlan> => {
    const plan: StampPlan = { folder, stamped: new Map(), jobs: [] };
    for (const photo of view.photos) {
      const stored = release.photos.find((p) => p.id === photo.id);
      const format = stampable(photo.mime);
      if (!stored?.path || !photo.original || !format) continue;
      const metadata = photoMetadata(view, photo);
      const ext = format === 'jpeg' ? 'jpg' : 'png';
      const file = path.join(folder, `${hash(JSON.stringify({ v: 1, path: stored.path, metadata }))}.${ext}`);
      const bytes = await sizeOf(file);
      if (bytes !== null) plan.stamped.set(photo.id, { photoId: photo.id, file, bytes, mime: photo.mime, name: photo.downloadName });
      // A photo whose file is gone (a lost upload, a media folder not restored) is not given to
      // exiftool, which would fail the whole run, at every view of the page: the kit reports it missing.
      else if ((await sizeOf(media(stored.path))) === null) continue;
      else plan.jobs.push({ source: media(stored.path), target: file, format, metadata, photoId: photo.id, name: photo.downloadName, mime: photo.mime });
    }
    return plan;
  };

  /**
   * Stamps what the plans name in one exiftool run (starting exiftool costs more than stamping a
   * photo), then removes from each folder what its release's current view does not name.
   */
  const applyStamps = async (plans: StampPlan[]): Promise<void> => {
    // exiftool writes beside the final name and the file is renamed into place: a reader never
    // sees half a file, and a crash leaves only a `.tmp-` file, removed below on the next build.
    const temporary = plans.flatMap((plan) => plan.jobs.map((job) => ({ ...job, plan, final: job.target, target: path.join(plan.folder, `.tmp-${randomBytes(6).toString('hex')}${path.extname(job.target)}`) })));
    if (temporary.length > 0) {
      for (const plan of plans) if (plan.jobs.length > 0) await mkdir(plan.folder, { recursive: true });
      try {
        await exiftool.stamp(temporary);
        for (const job of temporary) {
          await rename(job.target, job.final);
          job.plan.stamped.set(job.photoId, { photoId: job.photoId, file: job.final, bytes: (await stat(job.final)).size, mime: job.mime, name: job.name });
        }
      } finally {
        await Promise.all(temporary.map((job) => rm(job.target, { force: true })));
      }
    }
    // What the current view does not name: an earlier correction's words, a removed photo.
    for (const plan of plans) {
      const keep = new Set([...plan.stamped.values()].map((s) => path.basename(s.file)));
      const kept = [...keep].sort().join('/');
      if (plan.jobs.length === 0 && tidied.get(plan.folder) === kept) continue;
      for (const name of await readdir(plan.folder).catch(() => [] as string[])) {
        if (!keep.has(name) && (STAMPED_FILE.test(name) || name.startsWith('.tmp-'))) await rm(path.join(plan.folder, name), { force: true });
      }
      tidied.delete(plan.folder);
      tidied.set(plan.folder, kept);
      if (tidied.size > TIDIED_MAX) tidied.delete(tidied.keys().next().value!);
    }
  };

  /** Stamps the photos of the view that have no current stamped file; removes the release's other files. */
  const stampPhotos = async (release: Release, view: ReleaseView, folder: string): Promise<Map<number, StampedPhoto>> => {
    const plan = await planStamps(release, view, folder);
    await applyStamps([plan]);
    return plan.stamped;
  };

  /** The HTML copy: the portable rendering (content/release-html.ts) as a page of its own, linking the kit's files. */
  const htmlCopy = (view: ReleaseView, names: { photos: Map<number, string>; attachments: Map<number, string> }): string => {
    const t = createTranslator(view.language, site.timeZone);
    const portable = portableView(view, t);
    const local = (name: string | undefined) => (name ? encodeURIComponent(name) : '');
    const r = {
      ...portable,
      photos: portable.photos.map((p, i) => {
        const file = local(names.photos.get(view.photos[i]!.id));
        return file ? { ...p, src: file, original: file, width: view.photos[i]!.width, height: view.photos[i]!.height } : p;
      }),
      attachments: portable.attachments.map((a, i) => ({ ...a, url: local(names.attachments.get(view.attachments[i]!.id)) || a.url })),
    };
    return htmlTemplates.render('releases/press-kit', { r, t: t.t, lang: view.language, title: view.title });
  };

  /**
   * What release pages show of their kits, by a hash of the view: the view names every file the
   * kit holds (a stamped photo is named after what it holds) and is what the two copies are made
   * from (the site is the service's). Planning the kit, sizing its files and its ZIP took 140 µs of
   * the 900 of a release page not in the page cache at 100,000 releases, and rendering the two
   * copies for their sizes a third of such a page before that. It outlives the page cache, which
   * every publish empties. Only kits made are kept; least recently used go first.
   */
  const pageSizes = new Map<string, { releaseId: number; downloads: PageDownloads }>();
  const pageKey = (view: ReleaseView): string => viewDigest(view, ['html', 'leadHtml', 'text', 'markdown']);
  const keepPageSizes = (key: string, releaseId: number, downloads: PageDownloads) => {
    pageSizes.delete(key);
    pageSizes.set(key, { releaseId, downloads });
    if (pageSizes.size > PAGE_SIZES_MAX) pageSizes.delete(pageSizes.keys().next().value!);
  };
  const downloadsOf = (kit: { bytes: number; photos: Map<number, StampedPhoto> }): PageDownloads => ({ kitBytes: kit.bytes, photoBytes: new Map([...kit.photos].map(([id, p]) => [id, p.bytes])) });

  /**
   * The kit's entries and exact size. `sizesOnly` (the release page): the two copies are stand-ins
   * of the right length, so the ZIP has the right size but must not be sent.
   */
  const make = async (release: Release, view: ReleaseView, copy: string | undefined, sizesOnly: boolean) => {
    if (copy !== undefined && !/^[a-z0-9-]{1,40}$/.test(copy)) throw new Error(`Invalid press-kit copy name: ${copy}`);
    const photos = await stampPhotos(release, view, copy ? path.join(folderOf(view.id), copy) : folderOf(view.id));
    const base = kitBase(view);
    const taken = new Set<string>([`${base}.txt`, `${base}.html`]);
    const photoNames = new Map<number, string>();
    const attachmentNames = new Map<number, string>();
    const files: Entry[] = [];
    for (const photo of view.photos) {
      const s = photos.get(photo.id);
      const stored = release.photos.find((p) => p.id === photo.id);
      // A photo exiftool cannot write into (WebP) goes in as it is.
      const file = s?.file ?? (stored?.path ? media(stored.path) : undefined);
      if (!file) continue;
      const size = s?.bytes ?? (await sizeOf(file));
      if (size === null) throw new Error(`Photo file missing: ${file}`);
      const name = uniqueName(taken, photo.downloadName);
      photoNames.set(photo.id, name);
      files.push({ name, size, file });
    }
    for (const attachment of view.attachments) {
      const stored = release.attachments.find((a) => a.id === attachment.id);
      if (!stored) continue;
      const file = media(stored.path);
      const size = await sizeOf(file);
      if (size === null) throw new Error(`Attachment file missing: ${file}`);
      const name = uniqueName(taken, attachment.fileName);
      attachmentNames.set(attachment.id, name);
      files.push({ name, size, file });
    }
    let copies: Entry[];
    if (sizesOnly) {
      // Sizes only: the ZIP's size depends on the entries' sizes and names, not on their bytes.
      const text = Buffer.byteLength(renderReleaseText(view, site));
      const html = Buffer.byteLength(htmlCopy(view, { photos: photoNames, attachments: attachmentNames }));
      copies = [{ name: `${base}.txt`, size: text }, { name: `${base}.html`, size: html }];
    } else {
      const text = Buffer.from(renderReleaseText(view, site), 'utf8');
      const html = Buffer.from(htmlCopy(view, { photos: photoNames, attachments: attachmentNames }), 'utf8');
      copies = [{ name: `${base}.txt`, size: text.length, buffer: text }, { name: `${base}.html`, size: html.length, buffer: html }];
    }
    const entries: Entry[] = [...copies, ...files];
    // Every entry dated by the release's last public change: the same kit is the same bytes.
    const mtime = new Date(view.updatedAt);
    const zip = (open: boolean): { zipfile: yazl.ZipFile; size: Promise<number> } => {
      const zipfile = new yazl.ZipFile();
      // Every entry as a stream of known size, the two copies too: then the layout (a data
      // descriptor after each entry) is the same whether the bytes are at hand or not, and the
      // release page learns the size without making the copies. Only a ZIP that is sent opens its
      // entries; one made to learn its size never reads them.
      for (const entry of entries) {
        const source = (): Readable => (entry.buffer ? Readable.from([entry.buffer], { objectMode: false }) : createReadStream(entry.file!));
        zipfile.addReadStreamLazy(`${base}/${entry.name}`, { mtime, compress: false, size: entry.size }, (cb) => (open ? cb(null, source()) : undefined));
      }
      // @types/yazl 3.3 types the callback without its argument, the calculated size (yazl's README).
      const calculated = (resolve: (size: number) => void) => resolve as unknown as () => void;
      const size = new Promise<number>((resolve) => zipfile.end({ forceZip64Format: false, comment: '' }, calculated(resolve)));
      return { zipfile, size };
    };
    const bytes = await zip(false).size;
    if (bytes < 0) throw new Error('Press kit size could not be computed');
    return { base, photos, entries, mtime, bytes, zip };
  };

  const build = (release: Release, view: ReleaseView, { copy }: BuildOptions = {}): Promise<PressKit> =>
    serially(view.id, async () => {
      // A public kit made for a download is what its page should print (its files may have been
      // stamped anew since the page remembered them); one that cannot be made is not printed.
      const made = await make(release, view, copy, false).catch((error: unknown) => {
        if (copy === undefined) pageSizes.delete(pageKey(view));
        throw error;
      });
      const { base, photos, entries, mtime, bytes, zip } = made;
      if (copy === undefined) keepPageSizes(pageKey(view), view.id, downloadsOf(made));
      const etag = `"${hash(JSON.stringify(entries.map((e) => [e.name, e.size, e.file ? path.basename(e.file) : createHash('sha256').update(e.buffer!).digest('hex')])) + mtime.toISOString())}"`;
      return {
        fileName: `${base}.zip`,
        bytes,
        etag,
        photos,
        entries: entries.map((e) => `${base}/${e.name}`),
        stream: () => zip(true).zipfile.outputStream as Readable,
      };
    });

  const forget = (releaseId: number) => {
    for (const [key, kept] of pageSizes) if (kept.releaseId === releaseId) pageSizes.delete(key);
    return serially(releaseId, () => rm(folderOf(releaseId), { recursive: true, force: true }));
  };

  return {
    exiftoolVersion: () => exiftool.version(),
    build,
    stamp: (release, view) =>
      serially(view.id, async () => {
        // The folder is made even for a release whose photos exiftool cannot write (WebP): the job's sweep takes a missing folder for lost files.
        await mkdir(folderOf(view.id), { recursive: true });
        return (await stampPhotos(release, view, folderOf(view.id))).size;
      }),
    stampMany: (items) =>
      seriallyAll(
        items.map(({ view }) => view.id),
        async () => {
          const plans: StampPlan[] = [];
          for (const { release, view } of items) {
            await mkdir(folderOf(view.id), { recursive: true });
            plans.push(await planStamps(release, view, folderOf(view.id)));
          }
          await applyStamps(plans);
          return new Map(items.map(({ view }, i) => [view.id, plans[i]!.stamped.size]));
        },
      ),
    async folders() {
      return new Set((await readdir(cacheDir).catch(() => [] as string[])).filter((name) => /^\d{1,12}$/.test(name)).map(Number));
    },
    async pageDownloads(release, view, log) {
      if (view.withdrawn) return { kitBytes: null, photoBytes: new Map() };
      const key = pageKey(view);
      const kept = pageSizes.get(key);
      if (kept) {
        keepPageSizes(key, view.id, kept.downloads);
        return kept.downloads;
      }
      try {
        const downloads = downloadsOf(await serially(view.id, () => make(release, view, undefined, true)));
        keepPageSizes(key, view.id, downloads);
        return downloads;
      } catch (error) {
        if (error instanceof ExiftoolMissingError) log.error({ event: 'press-kit.exiftool.missing' }, error.message);
        else log.error({ event: 'press-kit.failed', err: error, releaseId: view.id }, 'the press kit could not be made; the release page shows without it');
        return { kitBytes: null, photoBytes: new Map() };
      }
    },
    forget,
    async sweep(unwithdrawnAmong) {
      // One question for all folders: a site stamps every public release with photos, and a query
      // per folder made the start of a large site wait seconds (a round trip each on PostgreSQL).
      const ids = (await readdir(cacheDir).catch(() => [] as string[])).filter((name) => /^\d{1,12}$/.test(name)).map(Number);
      const kept = ids.length > 0 ? await unwithdrawnAmong(ids) : new Set<number>();
      const removed = ids.filter((id) => !kept.has(id));
      for (const id of removed) await forget(id);
      return removed;
    },
  };
};
