// What the admin area needs from photo processing: the part of the media store it calls
// (src/modules/media/photos.service.ts). Tests may pass another implementation.
import type { PhotoStore as MediaPhotoStore } from '../media/photos.service.ts';

export type { StoredPhoto } from '../media/photos.service.ts';
export type PhotoStore = Pick<MediaPhotoStore, 'storeUpload' | 'deletePhotoFiles'>;
