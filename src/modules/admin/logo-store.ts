// Office logos: checked like photos (content sniffed, readable by sharp), kept as uploaded under
// media/offices/.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ValidationError } from '../../lib/errors.ts';
import { sniffImage as sniff } from './image-sniff.ts';

export const storeLogo = async (mediaDir: string, officeSlug: string, data: Buffer, maxBytes: number): Promise<string> => {
  if (data.length > maxBytes) throw new ValidationError('File too large', { photo: 'photoTooLarge' });
  const type = sniff(data);
  if (!type) throw new ValidationError('Not a JPEG, PNG or WebP image', { photo: 'photoType' });
  try {
    await sharp(data).metadata();
  } catch {
    throw new ValidationError('The image cannot be read', { photo: 'photoBroken' });
  }
  const relative = `offices/${officeSlug}-logo-${randomBytes(6).toString('hex')}.${type.ext}`;
  await mkdir(path.join(mediaDir, 'offices'), { recursive: true });
  await writeFile(path.join(mediaDir, ...relative.split('/')), data, { flag: 'wx' });
  return relative;
};

export const deleteLogo = async (mediaDir: string, relative: string): Promise<void> => {
  if (/^offices\/[a-z0-9-]+-logo-[0-9a-f]+\.(jpg|png|webp)$/.test(relative)) await rm(path.join(mediaDir, ...relative.split('/')), { force: true });
};
