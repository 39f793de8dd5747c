// What the admin area needs from photo processing. The media module's createPhotoStore
// (src/modules/media/photos.service.ts) implements it; tests may pass another.
export interface StoredPhoto {
  /** Path of the original below the media folder, e.g. `releases/12/…-original.jpg`. */
  path: string;
  width: number;
  height: number;
  mime: string;
  bytes: number;
  variants: unknown[];
}

export interface PhotoStore {
  /** Checks and stores an upload; throws ValidationError with `fields.photo` for a bad file. */
  storeUpload(releaseId: number, data: Buffer, originalName: string): Promise<StoredPhoto>;
  deletePhotoFiles(path: string): Promise<void>;
}
