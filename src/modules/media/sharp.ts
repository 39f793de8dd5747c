// sharp as Herold uses it. A photo is read and resized once, when it is uploaded (and the demo's
// pictures once, when they are made), so libvips' operation cache, kept for repeated operations on
// the same input (up to 50 MB by default), would only hold memory. Measured on a fresh `npm start`
// with the demo: 549–563 MB resident after start with the cache, 471–503 MB without.
import sharp from 'sharp';

sharp.cache(false);

export default sharp;
export type { Metadata, Sharp } from 'sharp';
