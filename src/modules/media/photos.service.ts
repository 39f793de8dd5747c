// The photo store: takes an uploaded picture, checks it, and writes a clean original plus responsive
// variants below the media folder. Knows nothing of HTTP or the database: the admin routes call
// `storeUpload` and hand the result to `releases.addPhoto`. See CONTEXT.md beside this file.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp, type Metadata, type Sharp } from './sharp.ts';
import { isDiskFull, ValidationError } from '../../lib/errors.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { EXTENSION, MIME, sniffFormat, stripMetadata, type PhotoFormat } from './photos.strip.ts';
import { mediaResolver, newFileKey } from './media-files.ts';

/** Why an upload was refused; the value of the `photo` field error (message keys `photo.error.*`). */
export type PhotoErrorCode = 'empty' | 'tooLarge' | 'unsupportedType' | 'corrupt' | 'tooSmall' | 'dimensionsTooLarge' | 'animated';

export interface PhotoVariant {
  width: number;
  height: number;
  /** Paths below the media folder. */
  webp: string;
  jpeg: string;
}

export interface StoredPhoto {
  /** The original, below the media folder: `releases/{releaseId}/{photoKey}/original.{jpg|png|webp}`. */
  path: string;
  /** Of the original, as displayed (after orientation). */
  width: number;
  height: number;
  mime: string;
  /** Size of the stored original, for the download link. */
  bytes: number;
  /** Narrowest first; never wider than the original. */
  variants: PhotoVariant[];
}

export interface PhotoStoreOptions {
  mediaDir: string;
  /** Largest accepted upload in bytes; default 20 MB. */
  maxBytes?: number;
  /** Largest accepted picture in pixels (width × height), against decompression bombs; default 100 megapixels. */
  maxPixels?: number;
  /** Smallest accepted width and height in pixels; default 200. */
  minSide?: number;
  /** Variant widths; default 480, 960, 1600. */
  widths?: readonly number[];
  /**
   * `thorough` (default) spends encoder time for smaller files (WebP effort 4, mozjpeg); `quick`
   * is about three times faster at slightly larger files (WebP effort 1, libjpeg-turbo), for the demo seed.
   */
  encoding?: 'thorough' | 'quick';
}

export const DEFAULT_MAX_PHOTO_BYTES = 20 * 1024 * 1024;
export const DEFAULT_VARIANT_WIDTHS = [480, 960, 1600] as const;

/** A fault of ours, not of the upload: answered with a 500. */
class StoreError extends Error {}

/** File-system errors (ENOSPC, EACCES, …) carry a string code; sharp's decoding errors do not. */
const isSystemError = (err: unknown): boolean => err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';

const refuse = (code: PhotoErrorCode, message: string): ValidationError => new ValidationError(message, { photo: code });

/** Variant widths for a picture `width` pixels wide: the standard widths below it, and its own width when it is narrower than the widest. */
export const variantWidths = (width: number, widths: readonly number[] = DEFAULT_VARIANT_WIDTHS): number[] => {
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  const below = sorted.filter((w) => w < width);
  const widest = sorted.at(-1) ?? width;
  return width <= widest && !below.includes(width) ? [...below, width] : below.length > 0 ? below : [width];
};

/** Reads a stream into memory, refusing more than `maxBytes`. Keeps draining after the limit so a multipart request is not left hanging. */
const readLimited = async (stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += buf.length;
      if (total <= maxBytes) chunks.push(buf);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw refuse('tooLarge', `The picture is larger than ${maxBytes} bytes`);
    throw err;
  }
  // @fastify/multipart (busboy) cuts a file at its own limit and says so with `truncated`.
  if (total > maxBytes || (stream as { truncated?: boolean }).truncated === true) throw refuse('tooLarge', `The picture is larger than ${maxBytes} bytes`);
  return Buffer.concat(chunks, total);
};

/** Like Promise.all, but waits for every promise before it throws the first rejection. */
const settledAll = async <T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> => {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
};

/** A photo key: the name of the folder that holds one photo's files. */
export const PHOTO_KEY = /^[A-Za-z0-9_-]{16}$/;
/** `releases/{id}/{key}/original.ext`: a directory owned by one photo. */
const PHOTO_DIR_PATH = /^releases\/\d+\/[A-Za-z0-9_-]{16}\/original\.(jpg|png|webp)$/;

/** An image's header as sharp reads it (nothing decoded, no pixel limit), or undefined when sharp cannot read it. */
export const readHeader = async (data: Buffer): Promise<Metadata | undefined> => {
  // Outside the try: sharp that cannot load is not a picture that cannot be read.
  const sharp = await loadSharp();
  try {
    return await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    return undefined;
  }
};

/** Whether an image of `format` holds no EXIF, XMP or IPTC and no orientation still to apply. */
export const hasNoMetadata = async (data: Buffer, format: string): Promise<boolean> => {
  const m = await readHeader(data);
  return m !== undefined && m.format === format && !m.exif && !m.xmp && !m.iptc && (m.orientation ?? 1) === 1;
};

/** The message for a refused upload, in the reader's language, with the limits filled in. */
export const photoErrorMessage = (code: string, t: Translator, store: { maxBytes: number; maxPixels: number; minSide: number }): string => {
  switch (code) {
    case 'tooLarge':
      return t.t('photo.error.tooLarge', { max: t.bytes(store.maxBytes) });
    case 'tooSmall':
      return t.t('photo.error.tooSmall', { min: store.minSide });
    case 'dimensionsTooLarge':
      return t.t('photo.error.dimensionsTooLarge', { max: Math.floor(store.maxPixels / 1_000_000) });
    case 'empty':
    case 'corrupt':
    case 'animated':
      return t.t(`photo.error.${code}`);
    default:
      return t.t('photo.error.unsupportedType');
  }
};

export const createPhotoStore = (options: PhotoStoreOptions) => {
  const mediaDir = path.resolve(options.mediaDir);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PHOTO_BYTES;
  const maxPixels = options.maxPixels ?? 100_000_000;
  const minSide = options.minSide ?? 200;
  const widths = options.widths ?? DEFAULT_VARIANT_WIDTHS;
  const quick = options.encoding === 'quick';
  const webpOptions = { quality: 80, effort: quick ? 1 : 4 };
  const jpegOptions = quick ? { quality: 82, progressive: true, optimiseCoding: true } : { quality: 82, progressive: true, mozjpeg: true };
  // failOn 'error': a truncated or damaged picture aborts decoding instead of coming out grey.
  const open = async (data: Buffer): Promise<Sharp> => (await loadSharp())(data, { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true });

  const inside = mediaResolver(mediaDir);

  /** Reads the header; refuses what is not a single still picture of a sensible size. */
  const inspect = async (data: Buffer, format: PhotoFormat) => {
    const meta = await readHeader(data);
    if (!meta || meta.format !== format || !meta.width || !meta.height) throw refuse('corrupt', 'The picture cannot be read');
    if ((meta.pages ?? 1) > 1) throw refuse('animated', 'Animated pictures are not accepted');
    if (meta.width * meta.height > maxPixels) throw refuse('dimensionsTooLarge', `The picture has more than ${maxPixels} pixels`);
    const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
    if (oriented.width < minSide || oriented.height < minSide) throw refuse('tooSmall', `The picture is smaller than ${minSide} pixels on a side`);
    return { meta, oriented };
  };

  /**
   * The original to keep. Without a rotation to apply, its metadata is cut out byte by byte (the
   * picture stays bit-for-bit what was delivered). With an EXIF rotation, or when the lossless cut
   * fails, it is re-encoded upright at high quality (PNG and lossless WebP stay lossless), keeping
   * only the ICC profile. Either way the result is checked: no EXIF, XMP or IPTC may remain.
   */
  const cleanOriginal = async (data: Buffer, format: PhotoFormat, orientation: number): Promise<Buffer> => {
    if (orientation <= 1) {
      const stripped = stripMetadata(format, data);
      if (stripped && (await hasNoMetadata(stripped, format))) return stripped;
    }
    const lossless = format === 'png' || (format === 'webp' && data.includes('VP8L', 12, 'latin1'));
    const pipeline = (await open(data)).autoOrient().keepIccProfile();
    const encoded =
      format === 'jpeg'
        ? pipeline.jpeg({ quality: 95, chromaSubsampling: '4:4:4', mozjpeg: false })
        : format === 'png'
          ? pipeline.png({ compressionLevel: 9 })
          : pipeline.webp(lossless ? { lossless: true } : { quality: 95 });
    const out = await encoded.toBuffer();
    if (!(await hasNoMetadata(out, format))) throw new StoreError('Metadata survived re-encoding');
    return out;
  };

  const writeVariants = async (source: Buffer, dir: string, relDir: string, width: number): Promise<PhotoVariant[]> => {
    const variants: PhotoVariant[] = [];
    for (const w of variantWidths(width, widths)) {
      // Metadata is dropped by default; colours are converted to sRGB. Each width is decoded afresh,
      // which lets libjpeg shrink on load: faster than resizing one full-size decode.
      const resized = (await open(source)).autoOrient().resize({ width: w, withoutEnlargement: true });
      // Both encodings settle before anything is decided: when one fails (a full disk), the other
      // must not still be writing into the folder that is then removed.
      const [webp, jpeg] = await settledAll([
        resized.clone().webp(webpOptions).toFile(path.join(dir, `${w}.webp`)),
        resized.clone().flatten({ background: '#ffffff' }).jpeg(jpegOptions).toFile(path.join(dir, `${w}.jpg`)),
      ]);
      variants.push({ width: jpeg.width, height: jpeg.height, webp: `${relDir}/${w}.webp`, jpeg: `${relDir}/${w}.jpg` });
      if (webp.width !== jpeg.width) throw new StoreError('Variant widths differ');
    }
    return variants;
  };

  const store = {
    maxBytes,
    maxPixels,
    minSide,

    /** Checks an upload and stores it; throws a ValidationError with a `photo` field error when refused. */
    async storeUpload(releaseId: number, data: Buffer | NodeJS.ReadableStream, originalName: string): Promise<StoredPhoto> {
      void originalName; // never used for type or file name; kept for logs and future use
      if (!Number.isSafeInteger(releaseId) || releaseId <= 0) throw new Error(`Invalid release id ${releaseId}`);
      const input = Buffer.isBuffer(data) ? data : await readLimited(data, maxBytes);
      if (input.length === 0) throw refuse('empty', 'The file is empty');
      if (input.length > maxBytes) throw refuse('tooLarge', `The picture is larger than ${maxBytes} bytes`);
      const format = sniffFormat(input);
      if (!format) throw refuse('unsupportedType', 'Only JPEG, PNG and WebP pictures are accepted');
      const { meta } = await inspect(input, format);

      const key = newFileKey();
      const relDir = `releases/${releaseId}/${key}`;
      const finalDir = inside(relDir);
      const tmpDir = inside(`releases/${releaseId}/.${key}.tmp`);
      await mkdir(tmpDir, { recursive: true });
      try {
        let original: Buffer;
        let variants: PhotoVariant[];
        try {
          original = await cleanOriginal(input, format, meta.orientation ?? 1);
          const cleanMeta = await (await loadSharp())(original, { limitInputPixels: false }).metadata();
          variants = await writeVariants(original, tmpDir, relDir, cleanMeta.width ?? 0);
          await writeFile(path.join(tmpDir, `original.${EXTENSION[format]}`), original);
          const last = variants.at(-1);
          if (!last || !cleanMeta.width || !cleanMeta.height) throw new StoreError('No variants');
          await rename(tmpDir, finalDir);
          return {
            path: `${relDir}/original.${EXTENSION[format]}`,
            width: cleanMeta.width,
            height: cleanMeta.height,
            mime: MIME[format],
            bytes: original.length,
            variants,
          };
        } catch (err) {
          if (err instanceof ValidationError || err instanceof StoreError || isSystemError(err) || isDiskFull(err)) throw err;
          // What is left comes from decoding (truncated data, bad Huffman tables, …): a broken file.
          throw refuse('corrupt', 'The picture is damaged or incomplete');
        }
      } finally {
        // Never in place of the error that got us here; a folder left behind is removed at the next start (media.leftovers.ts).
        await rm(tmpDir, { recursive: true, force: true }).catch(() => {});
      }
    },

    /**
     * Removes the files of a photo. For a path written by `storeUpload` that is its whole folder
     * (original and variants); for an older single file (the first demo seeds) that file alone.
     */
    async deletePhotoFiles(photoPath: string): Promise<void> {
      const target = PHOTO_DIR_PATH.test(photoPath) ? path.posix.dirname(photoPath) : photoPath;
      const abs = inside(target);
      await rm(abs, { recursive: PHOTO_DIR_PATH.test(photoPath), force: true });
    },

    /** True when the file exists below the media folder. */
    async exists(rel: string): Promise<boolean> {
      try {
        return (await stat(inside(rel))).isFile();
      } catch {
        return false;
      }
    },
  };
  return store;
};

export type PhotoStore = ReturnType<typeof createPhotoStore>;
