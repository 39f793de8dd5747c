// After a crash: the files of uploads that never reached the database. A photo is written into a
// temporary folder, renamed into place, and only then recorded; a logo is written under its final
// name, then recorded. A process killed in between leaves a temporary folder, or a photo folder or
// logo that nothing refers to (an attachment's folder has the same kind of name as a photo's). The server removes them when it starts, before it takes uploads.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { listStoredMediaPaths } from './media.repository.ts';
import { PHOTO_KEY } from './photos.service.ts';
import { LOGO_PATH } from './logos.service.ts';

const TEMPORARY = /^\.[A-Za-z0-9_-]{16}\.tmp$/;

const entries = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
};

/** Removes unfinished uploads below `mediaDir`; returns their paths (relative to it). Only names this code writes are touched. */
export const removeMediaLeftovers = async (db: Kysely<DB>, mediaDir: string): Promise<string[]> => {
  // The folders first, then the database for the releases that have any to check: an empty (or
  // tidy) media folder costs no query of every photo row at a start.
  const leftovers: string[] = [];
  const candidates: { releaseId: number; relative: string }[] = [];
  for (const id of await entries(path.join(mediaDir, 'releases'))) {
    if (!/^\d+$/.test(id)) continue;
    for (const name of await entries(path.join(mediaDir, 'releases', id))) {
      const relative = `releases/${id}/${name}`;
      if (TEMPORARY.test(name)) leftovers.push(relative);
      else if (PHOTO_KEY.test(name)) candidates.push({ releaseId: Number(id), relative });
    }
  }
  const stored = await listStoredMediaPaths(db, [...new Set(candidates.map((c) => c.releaseId))]);
  const fileFolders = new Set([...stored.photos, ...stored.attachments].map((p) => path.posix.dirname(p)));
  const logos = new Set(stored.logos);
  for (const c of candidates) if (!fileFolders.has(c.relative)) leftovers.push(c.relative);
  for (const name of await entries(path.join(mediaDir, 'offices'))) {
    const relative = `offices/${name}`;
    if (LOGO_PATH.test(relative) && !logos.has(relative)) leftovers.push(relative);
  }
  for (const relative of leftovers) await rm(path.join(mediaDir, ...relative.split('/')), { recursive: true, force: true });
  return leftovers;
};
