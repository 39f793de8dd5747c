// The photos of a release in the database: add, change the words, reorder, remove. Only an editable
// release (release.ts `isEditable`: a draft, or scheduled before its time) takes photo changes; a
// public one changes by a correction. The files themselves are the media module's photo store
// (modules/media/photos.service.ts); the admin routes call it before adding and after removing.
// No photo change touches the content version: an editable release is not public, and public
// validators (Last-Modified, ETags) move only with a public change.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../lib/errors.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';
import * as repo from './releases.repository.ts';
import { isEditable, nfc, type PhotoVariant } from './release.ts';

export interface NewPhoto {
  path: string | null;
  alt: string;
  caption: string;
  credit: string;
  width?: number;
  height?: number;
  mime?: string;
  bytes?: number;
  /** From the photo store (modules/media); the shape of `StoredPhoto` spreads in directly. */
  variants?: PhotoVariant[];
}

/** The row columns of a new photo. */
export const photoColumns = (photo: NewPhoto) => ({
  path: photo.path,
  alt: nfc(photo.alt.trim()),
  caption: nfc(photo.caption.trim()),
  credit: nfc(photo.credit.trim()),
  width: photo.width ?? 0,
  height: photo.height ?? 0,
  mime: photo.mime ?? '',
  bytes: photo.bytes ?? 0,
  variants_json: photo.variants && photo.variants.length > 0 ? JSON.stringify(photo.variants.map(({ width, height, webp, jpeg }) => ({ width, height, webp, jpeg }))) : null,
});

export interface ReleasePhotosServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit?: AuditService;
  /** Captions are in the search index (search.indexer.ts). */
  reindex?: (trx: Kysely<DB>, releaseId: number, now: string) => Promise<void>;
}

export const createReleasePhotosService = ({ db, clock, audit, reindex = async () => {} }: ReleasePhotosServiceDeps) => {
  const record = async (trx: Kysely<DB>, actor: Actor | undefined, row: repo.ReleaseRow, action: AuditAction, detail: string) => {
    if (actor && audit) await audit.record({ officeId: row.office_id, actor, action, releaseId: row.id, subject: row.title, detail }, trx);
  };

  /** The release, if its photos may change now; a NotFoundError or ConflictError otherwise. */
  const editableRow = async (trx: Kysely<DB>, releaseId: number, now: string): Promise<repo.ReleaseRow> => {
    const row = await repo.findReleaseById(trx, releaseId);
    if (!row) throw new NotFoundError(`Release ${releaseId} not found`);
    if (!isEditable(row, now)) throw new ConflictError('A public release changes its photos only by a correction');
    return row;
  };

  const photoOf = async (trx: Kysely<DB>, releaseId: number, photoId: number) => {
    const photo = await repo.findPhotoById(trx, photoId);
    if (!photo || photo.release_id !== releaseId) throw new NotFoundError('Photo not found');
    return photo;
  };

  /** Positions 0…n-1 in the order given, and the release marked changed. */
  const finish = async (trx: Kysely<DB>, row: repo.ReleaseRow, photoIds: number[], now: string) => {
    const photos = await repo.listPhotosOfRelease(trx, row.id);
    const byId = new Map(photos.map((p) => [p.id, p]));
    for (const [position, id] of photoIds.entries()) if (byId.get(id)?.position !== position) await repo.updatePhoto(trx, id, { position });
    await repo.updateRelease(trx, row.id, { updated_at: now });
    await reindex(trx, row.id, now);
  };

  return {
    async addPhoto(releaseId: number, photo: NewPhoto, actor?: Actor): Promise<number> {
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const row = await editableRow(trx, releaseId, now);
        const count = (await repo.listPhotosOfRelease(trx, releaseId)).length;
        const photoId = await repo.insertPhoto(trx, { release_id: releaseId, position: count, ...photoColumns(photo) });
        await record(trx, actor, row, 'photo.added', photo.alt.trim());
        await reindex(trx, releaseId, now);
        return photoId;
      });
    },

    /** Changes the words of a photo (caption, alt text, credit). */
    async updatePhoto(releaseId: number, photoId: number, words: { alt: string; caption: string; credit: string }, actor?: Actor): Promise<void> {
      const errors: FieldErrors = {};
      if (!words.alt.trim()) errors.alt = 'required';
      else if (words.alt.length > 500) errors.alt = 'tooLong';
      if (words.caption.length > 1000) errors.caption = 'tooLong';
      if (words.credit.length > 200) errors.credit = 'tooLong';
      if (Object.keys(errors).length > 0) throw new ValidationError('The photo needs an alt text', errors);
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const row = await editableRow(trx, releaseId, now);
        await photoOf(trx, releaseId, photoId);
        await repo.updatePhoto(trx, photoId, { alt: nfc(words.alt.trim()), caption: nfc(words.caption.trim()), credit: nfc(words.credit.trim()) });
        await record(trx, actor, row, 'photo.updated', words.alt.trim());
        await finish(trx, row, (await repo.listPhotosOfRelease(trx, releaseId)).map((p) => p.id), now);
      });
    },

    /** Moves a photo one place up (-1) or down (+1); positions are renumbered 0…n-1. */
    async movePhoto(releaseId: number, photoId: number, direction: -1 | 1): Promise<void> {
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const row = await editableRow(trx, releaseId, now);
        const ids = (await repo.listPhotosOfRelease(trx, releaseId)).map((p) => p.id);
        const index = ids.indexOf(photoId);
        if (index < 0) throw new NotFoundError('Photo not found');
        const target = index + direction;
        if (target >= 0 && target < ids.length) [ids[index], ids[target]] = [ids[target]!, ids[index]!];
        await finish(trx, row, ids, now);
      });
    },

    /** Removes a photo; returns its file path (for the caller to delete the files) or null. */
    async removePhoto(releaseId: number, photoId: number, actor?: Actor): Promise<string | null> {
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const row = await editableRow(trx, releaseId, now);
        const photo = await photoOf(trx, releaseId, photoId);
        await repo.deletePhoto(trx, photoId);
        await record(trx, actor, row, 'photo.removed', photo.alt);
        await finish(trx, row, (await repo.listPhotosOfRelease(trx, releaseId)).map((p) => p.id), now);
        return photo.path;
      });
    },
  };
};

export type ReleasePhotosService = ReturnType<typeof createReleasePhotosService>;
