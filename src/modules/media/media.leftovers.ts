// After a crash: the files of uploads that never reached the database. A photo is written into a
// temporary folder, renamed into place, and only then recorded; a logo is written under its final
// name, then recorded. A process killed in between leaves a temporary folder, or a photo folder or
// logo that nothing refers to (an attachment's folder has the same kind of name as a photo's).
//
// The server looks for them once it listens, not before: finding them reads every release's media
// folder, some 2.6 s for 60,000 releases with photos (and ten times that at a million), which held
// the start up. Uploads may then come in while it looks, so only what was written before the
// server started counts as a leftover (`writtenBefore`): a crashed process wrote its files before
// that, an upload of this one after. An upload of another process on the same media folder (a
// second server on shared storage) that began before this start and is still being written when
// it is looked at is taken for a leftover, as it was when the search ran before listening.
import { lstat, readdir, rm } from 'node:fs/promises';
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

export interface LeftoverOptions {
  /** Only files and folders last written before this time (epoch ms) are leftovers; without it, all. */
  writtenBefore?: number;
  /** Stops between folders (a shutdown): nothing more is removed; what was, is returned. */
  signal?: AbortSignal;
}

/** Removes unfinished uploads below `mediaDir`; returns their paths (relative to it). Only names this code writes are touched. */
export const removeMediaLeftovers = async (db: Kysely<DB>, mediaDir: string, { writtenBefore, signal }: LeftoverOptions = {}): Promise<string[]> => {
  // The folders first, then the database for the releases that have any to check: an empty (or
  // tidy) media folder costs no query of every photo row at a start.
  const found: string[] = [];
  const candidates: { releaseId: number; relative: string }[] = [];
  for (const id of await entries(path.join(mediaDir, 'releases'))) {
    if (signal?.aborted) return [];
    if (!/^\d+$/.test(id)) continue;
    for (const name of await entries(path.join(mediaDir, 'releases', id))) {
      const relative = `releases/${id}/${name}`;
      if (TEMPORARY.test(name)) found.push(relative);
      else if (PHOTO_KEY.test(name)) candidates.push({ releaseId: Number(id), relative });
    }
  }
  if (signal?.aborted) return [];
  const stored = await listStoredMediaPaths(db, [...new Set(candidates.map((c) => c.releaseId))]);
  const fileFolders = new Set([...stored.photos, ...stored.attachments].map((p) => path.posix.dirname(p)));
  const logos = new Set(stored.logos);
  for (const c of candidates) if (!fileFolders.has(c.relative)) found.push(c.relative);
  if (signal?.aborted) return [];
  for (const name of await entries(path.join(mediaDir, 'offices'))) {
    const relative = `offices/${name}`;
    if (LOGO_PATH.test(relative) && !logos.has(relative)) found.push(relative);
  }
  const leftovers: string[] = [];
  for (const relative of found) {
    if (signal?.aborted) break;
    const file = path.join(mediaDir, ...relative.split('/'));
    if (writtenBefore !== undefined) {
      const written = (await lstat(file).catch(() => undefined))?.mtimeMs;
      if (written === undefined || written >= writtenBefore) continue;
    }
    await rm(file, { recursive: true, force: true });
    leftovers.push(relative);
  }
  return leftovers;
};
