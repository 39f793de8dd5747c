// What the photo and attachment stores share: paths that stay inside the media folder, and each
// stored file's own folder, named by a random key (`releases/{releaseId}/{key}/…`).
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** 16 random base64url characters (96 bits): a folder name nobody guesses, never reused. */
export const newFileKey = (): string => randomBytes(12).toString('base64url');

const isSafeRelative = (rel: string): boolean =>
  rel.length > 0 && !path.isAbsolute(rel) && !rel.includes('\\') && !rel.includes('\0') && rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..');

/** Resolves a path below the media folder; throws for anything that would leave it. */
export const mediaResolver = (mediaDir: string) => {
  const root = path.resolve(mediaDir);
  return (rel: string): string => {
    if (!isSafeRelative(rel)) throw new Error(`Unsafe media path: ${rel}`);
    const abs = path.resolve(root, rel);
    if (!abs.startsWith(root + path.sep)) throw new Error(`Media path outside the media folder: ${rel}`);
    return abs;
  };
};
