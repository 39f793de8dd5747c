// A stand-in PhotoStore for the admin branch: sniffs JPEG/PNG/WebP by their magic bytes (never the
// name or the Content-Type), reads the size with sharp, and keeps the original under
// mediaDir/releases/{id}/. The media module's createPhotoStore replaces it (responsive variants,
// EXIF/GPS stripped) when the branches are merged.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ValidationError } from '../../lib/errors.ts';
import type { PhotoStore } from './photo-store.ts';
import { sniffImage as sniff } from './image-sniff.ts';

export const createInterimPhotoStore = ({ mediaDir, maxBytes }: { mediaDir: string; maxBytes: number }): PhotoStore => ({
  async storeUpload(releaseId, data) {
    if (data.length === 0) throw new ValidationError('No file', { photo: 'photoMissing' });
    if (data.length > maxBytes) throw new ValidationError('File too large', { photo: 'photoTooLarge' });
    const type = sniff(data);
    if (!type) throw new ValidationError('Not a JPEG, PNG or WebP image', { photo: 'photoType' });
    let width = 0;
    let height = 0;
    try {
      const meta = await sharp(data).metadata();
      width = meta.autoOrient?.width ?? meta.width ?? 0;
      height = meta.autoOrient?.height ?? meta.height ?? 0;
    } catch {
      throw new ValidationError('The image cannot be read', { photo: 'photoBroken' });
    }
    if (!width || !height) throw new ValidationError('The image cannot be read', { photo: 'photoBroken' });
    const relative = `releases/${releaseId}/${randomBytes(8).toString('hex')}-original.${type.ext}`;
    const file = path.join(mediaDir, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data, { flag: 'wx' });
    return { path: relative, width, height, mime: type.mime, bytes: data.length, variants: [] };
  },

  async deletePhotoFiles(relative) {
    if (!/^releases\/\d+\/[a-z0-9-]+\.(jpg|png|webp)$/.test(relative)) return;
    await rm(path.join(mediaDir, ...relative.split('/')), { force: true });
  },
});
