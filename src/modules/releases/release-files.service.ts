// The files of a release in the database, photos and attachments: one save of the editor
// (`applyFileEdits`, inside the releases service's transaction of create, update or correct), and
// adding a file alone (`addPhoto`, `addAttachment`: the demo seed, imports, tests). Only an editable
// release (release.ts `isEditable`) takes changes in place; a public one changes its files by a
// correction, which records each change with the old values (release-files.ts `FileChange`). The
// files themselves are the media module's stores; callers delete the files this returns as obsolete
// once the change is committed. No change here touches the content version: the releases service
// bumps it when the change is public.
import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import type { Actor, AuditAction, AuditService } from '../audit/audit.service.ts';
import * as repo from './releases.repository.ts';
import { isEditable, nfc } from './release.ts';
import type { AttachmentEdit, FileChange, FileEdits, FileRecord, NewAttachment, NewPhoto, PhotoEdit, PhotoFile } from './release-files.ts';

export type { NewAttachment, NewPhoto };

const fileColumns = (photo: PhotoFile) => ({
  path: photo.path,
  width: photo.width ?? 0,
  height: photo.height ?? 0,
  mime: photo.mime ?? '',
  bytes: photo.bytes ?? 0,
  variants_json: photo.variants && photo.variants.length > 0 ? JSON.stringify(photo.variants.map(({ width, height, webp, jpeg }) => ({ width, height, webp, jpeg }))) : null,
});

/** The row columns of a new photo. */
export const photoColumns = (photo: NewPhoto) => ({
  ...fileColumns(photo),
  alt: nfc(photo.alt.trim()),
  caption: nfc(photo.caption.trim()),
  credit: nfc(photo.credit.trim()),
});

export const attachmentColumns = (a: NewAttachment, now: string) => ({ title: nfc(a.title.trim()), path: a.path, mime: a.mime, bytes: a.bytes, sha256: a.sha256, created_at: now });

const photoRecord = (p: Row<'release_photos'>): FileRecord => ({ path: p.path, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, alt: p.alt, caption: p.caption, credit: p.credit });
const attachmentRecord = (a: Pick<Row<'release_attachments'>, 'path' | 'mime' | 'bytes' | 'sha256' | 'title'>): FileRecord => ({ path: a.path, mime: a.mime, bytes: a.bytes, sha256: a.sha256, title: a.title });

/** What applying a save left behind: the changes (for a correction's note and revision) and the files no row names any more. */
export interface AppliedFileEdits {
  changes: FileChange[];
  obsoletePhotos: string[];
  obsoleteAttachments: string[];
}

/** The order after a save: each kept file at the place asked for (1-based), ties in their old order. */
const reorder = <T extends { id: number }>(kept: T[], position: (item: T) => number | null): T[] =>
  kept
    .map((item, index) => ({ item, index, at: position(item) ?? index + 1 }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((x) => x.item);

/**
 * Applies one save's file edits to release `releaseId` in `trx`. In a correction the order stays as
 * it is and every change is returned as a `FileChange`; otherwise files are also reordered and no
 * changes are recorded (a draft has no history).
 */
export const applyFileEdits = async (trx: Kysely<DB>, releaseId: number, edits: FileEdits, now: string, { correction }: { correction: boolean }): Promise<AppliedFileEdits> => {
  const changes: FileChange[] = [];
  const obsoletePhotos: string[] = [];
  const obsoleteAttachments: string[] = [];

  const photos = await repo.listPhotosOfRelease(trx, releaseId);
  const photoEdits = new Map<number, PhotoEdit>(edits.photos.map((e) => [e.id, e]));
  const keptPhotos: Row<'release_photos'>[] = [];
  for (const [index, photo] of photos.entries()) {
    const edit = photoEdits.get(photo.id);
    const number = index + 1;
    if (!edit) {
      keptPhotos.push(photo);
      continue;
    }
    if (edit.remove) {
      await repo.deletePhoto(trx, photo.id);
      if (photo.path) obsoletePhotos.push(photo.path);
      if (correction) changes.push({ kind: 'photo', change: 'removed', number, before: photoRecord(photo), after: null });
      continue;
    }
    const words = { alt: nfc(edit.alt.trim()), caption: nfc(edit.caption.trim()), credit: nfc(edit.credit.trim()) };
    for (const part of ['alt', 'caption', 'credit'] as const) {
      if (correction && words[part] !== photo[part]) changes.push({ kind: 'photo', change: part, number, before: photo[part], after: words[part] });
    }
    const file = edit.replacement ? fileColumns(edit.replacement) : {};
    await repo.updatePhoto(trx, photo.id, { ...words, ...file });
    if (edit.replacement) {
      if (photo.path) obsoletePhotos.push(photo.path);
      if (correction) changes.push({ kind: 'photo', change: 'replaced', number, before: photoRecord(photo), after: photoRecord({ ...photo, ...words, ...file } as Row<'release_photos'>) });
    }
    keptPhotos.push(photo);
  }
  const photoOrder = correction ? keptPhotos : reorder(keptPhotos, (p) => photoEdits.get(p.id)?.position ?? null);
  for (const [position, photo] of photoOrder.entries()) if (photo.position !== position) await repo.updatePhoto(trx, photo.id, { position });
  if (edits.newPhoto) {
    await repo.insertPhoto(trx, { release_id: releaseId, position: photoOrder.length, ...photoColumns(edits.newPhoto) });
    if (correction) changes.push({ kind: 'photo', change: 'added', number: photoOrder.length + 1, before: null, after: photoRecord({ ...photoColumns(edits.newPhoto) } as Row<'release_photos'>) });
  }

  const attachments = await repo.listAttachmentsOfRelease(trx, releaseId);
  const attachmentEdits = new Map<number, AttachmentEdit>(edits.attachments.map((e) => [e.id, e]));
  const keptAttachments: Row<'release_attachments'>[] = [];
  for (const [index, attachment] of attachments.entries()) {
    const edit = attachmentEdits.get(attachment.id);
    const number = index + 1;
    if (!edit) {
      keptAttachments.push(attachment);
      continue;
    }
    if (edit.remove) {
      await repo.deleteAttachment(trx, attachment.id);
      obsoleteAttachments.push(attachment.path);
      if (correction) changes.push({ kind: 'attachment', change: 'removed', number, before: attachmentRecord(attachment), after: null });
      continue;
    }
    const title = nfc(edit.title.trim());
    if (correction && title !== attachment.title) changes.push({ kind: 'attachment', change: 'title', number, before: attachment.title, after: title });
    const file = edit.replacement ? { path: edit.replacement.path, mime: edit.replacement.mime, bytes: edit.replacement.bytes, sha256: edit.replacement.sha256 } : {};
    await repo.updateAttachment(trx, attachment.id, { title, ...file });
    if (edit.replacement) {
      obsoleteAttachments.push(attachment.path);
      if (correction) changes.push({ kind: 'attachment', change: 'replaced', number, before: attachmentRecord(attachment), after: attachmentRecord({ ...attachment, title, ...file }) });
    }
    keptAttachments.push(attachment);
  }
  const attachmentOrder = correction ? keptAttachments : reorder(keptAttachments, (a) => attachmentEdits.get(a.id)?.position ?? null);
  for (const [position, attachment] of attachmentOrder.entries()) if (attachment.position !== position) await repo.updateAttachment(trx, attachment.id, { position });
  if (edits.newAttachment) {
    const columns = attachmentColumns(edits.newAttachment, now);
    await repo.insertAttachment(trx, { release_id: releaseId, position: attachmentOrder.length, ...columns });
    if (correction) changes.push({ kind: 'attachment', change: 'added', number: attachmentOrder.length + 1, before: null, after: attachmentRecord(columns) });
  }
  return { changes, obsoletePhotos, obsoleteAttachments };
};

export interface ReleaseFilesServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit?: AuditService;
  /** Captions and attachment titles are in the search index (search.indexer.ts). */
  reindex?: (trx: Kysely<DB>, releaseId: number, now: string) => Promise<void>;
}

export const createReleaseFilesService = ({ db, clock, audit, reindex = async () => {} }: ReleaseFilesServiceDeps) => {
  const record = async (trx: Kysely<DB>, actor: Actor | undefined, row: repo.ReleaseRow, action: AuditAction, detail: string) => {
    if (actor && audit) await audit.record({ officeId: row.office_id, actor, action, releaseId: row.id, subject: row.title, detail }, trx);
  };

  /** The release, if its files may change in place now; a NotFoundError or ConflictError otherwise. */
  const editableRow = async (trx: Kysely<DB>, releaseId: number, now: string): Promise<repo.ReleaseRow> => {
    const row = await repo.findReleaseById(trx, releaseId);
    if (!row) throw new NotFoundError(`Release ${releaseId} not found`);
    if (!isEditable(row, now)) throw new ConflictError('A public release changes its files only by a correction');
    return row;
  };

  const add = async (releaseId: number, edits: Partial<FileEdits>, action: AuditAction, detail: string, actor?: Actor) => {
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const row = await editableRow(trx, releaseId, now);
      await applyFileEdits(trx, releaseId, { photos: [], attachments: [], newPhoto: null, newAttachment: null, ...edits }, now, { correction: false });
      await repo.updateRelease(trx, releaseId, { updated_at: now });
      await record(trx, actor, row, action, detail);
      await reindex(trx, releaseId, now);
    });
  };

  return {
    /** Adds a photo at the end; returns its id. */
    async addPhoto(releaseId: number, photo: NewPhoto, actor?: Actor): Promise<number> {
      await add(releaseId, { newPhoto: photo }, 'photo.added', photo.alt.trim(), actor);
      return (await repo.listPhotosOfRelease(db, releaseId)).at(-1)!.id;
    },

    /** Adds an attachment at the end; returns its id. */
    async addAttachment(releaseId: number, attachment: NewAttachment, actor?: Actor): Promise<number> {
      await add(releaseId, { newAttachment: attachment }, 'attachment.added', attachment.title.trim(), actor);
      return (await repo.listAttachmentsOfRelease(db, releaseId)).at(-1)!.id;
    },
  };
};

export type ReleaseFilesService = ReturnType<typeof createReleaseFilesService>;
