// sharp as Herold uses it, loaded at its first use (an upload, a logo, the demo's pictures): serving
// pages never needs it, and sharp with libvips and what they import (semver, detect-libc, …) are some
// 70 files loaded at every start before, and some 11 MB resident from then on. Once the server
// listens it has another process import sharp (serve.ts, src/lib/loads-elsewhere.ts), so a broken
// install (no libvips for this platform) still stops the start, just after it.
//
// A photo is read and resized once, when it is uploaded (and the demo's pictures once, when they
// are made), so libvips' operation cache, kept for repeated operations on the same input (up to
// 50 MB by default), would only hold memory. Measured on a fresh `npm start` with the demo:
// 549–563 MB resident after start with the cache, 471–503 MB without.
import type SharpModule from 'sharp';

export type { Metadata, Sharp } from 'sharp';
export type SharpFactory = typeof SharpModule;

let loading: Promise<SharpFactory> | undefined;

/** sharp, imported and set up on the first call. */
export const loadSharp = (): Promise<SharpFactory> =>
  (loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  }));
