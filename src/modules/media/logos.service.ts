// Office logos, treated like photos: sharp reads the upload (its own format detection: JPEG, PNG or
// WebP, whatever the name says), refuses one with too many pixels before decoding it, and writes it
// anew — upright, at most LOGO_MAX_SIDE on its longer side, in sRGB, with no metadata (EXIF with
// GPS and camera serial, XMP, comments) and nothing appended after the image (an HTML tail stays
// behind). Stored below media/offices/ under a new name each time, so it can be cached long.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSharp } from './sharp.ts';
import { ValidationError } from '../../lib/errors.ts';
import { hasNoMetadata, readHeader } from './photos.service.ts';

/** Largest logo read, in pixels (width × height): a 16,383 × 16,383 PNG of 261 KB is refused before it is decoded. */
export const LOGO_MAX_PIXELS = 25_000_000;
/** A stored logo is at most this wide and high (it is shown at 72 px, feeds ask for less than 400). */
export const LOGO_MAX_SIDE = 1024;

const FORMATS = { jpeg: 'jpg', png: 'png', webp: 'webp' } as const;
type LogoFormat = keyof typeof FORMATS;
const isLogoFormat = (format: string | undefined): format is LogoFormat => format !== undefined && Object.hasOwn(FORMATS, format);

const refuse = (key: string, message: string) => new ValidationError(message, { photo: key });

/** Checks and re-encodes an uploaded logo; returns the new file's path below the media folder. */
export const storeLogo = async (mediaDir: string, officeSlug: string, data: Buffer, maxBytes: number): Promise<string> => {
  if (data.length > maxBytes) throw refuse('photoTooLarge', 'File too large');
  const meta = await readHeader(data);
  if (!meta || !isLogoFormat(meta.format)) throw refuse('photoType', 'Not a JPEG, PNG or WebP image');
  if (!meta.width || !meta.height) throw refuse('photoBroken', 'The image cannot be read');
  if (meta.width * meta.height > LOGO_MAX_PIXELS) throw refuse('logoDimensions', `The image has more than ${LOGO_MAX_PIXELS} pixels`);
  const format = meta.format;
  const sharp = await loadSharp();
  let clean: Buffer;
  try {
    // failOn 'error': a truncated or damaged image is refused instead of coming out grey.
    const pipeline = sharp(data, { failOn: 'error', limitInputPixels: LOGO_MAX_PIXELS }).autoOrient().resize({ width: LOGO_MAX_SIDE, height: LOGO_MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    clean = await (format === 'jpeg' ? pipeline.jpeg({ quality: 90 }) : format === 'png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.webp({ quality: 90 })).toBuffer();
  } catch {
    throw refuse('photoBroken', 'The image cannot be read');
  }
  if (!(await hasNoMetadata(clean, format))) throw new Error('Metadata survived re-encoding the logo');
  const relative = `offices/${officeSlug}-logo-${randomBytes(6).toString('hex')}.${FORMATS[format]}`;
  await mkdir(path.join(mediaDir, 'offices'), { recursive: true });
  await writeFile(path.join(mediaDir, ...relative.split('/')), clean, { flag: 'wx' });
  return relative;
};

/** The path of a logo this store wrote: `offices/{slug}-logo-{random}.{ext}`. */
export const LOGO_PATH = /^offices\/[a-z0-9-]+-logo-[0-9a-f]+\.(jpg|png|webp)$/;

export const deleteLogo = async (mediaDir: string, relative: string): Promise<void> => {
  if (LOGO_PATH.test(relative)) await rm(path.join(mediaDir, ...relative.split('/')), { force: true });
};
