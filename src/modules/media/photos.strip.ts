// Pure byte-level code for uploaded pictures: sniffing the real type from the first bytes, and
// removing metadata from an original WITHOUT re-encoding it, so that the "download full size" file
// keeps every pixel exactly as the photographer delivered it.
//
// Stripping works by allow-list: only the parts needed to draw the picture (and its colour profile)
// are copied; everything else is dropped: EXIF (with GPS and the embedded thumbnail), XMP, IPTC,
// comments, maker blocks, text chunks, secondary images appended after the end of a JPEG (MPF
// depth maps and gain maps carry their own EXIF) and any trailing bytes. The ICC colour profile is
// kept so that an Adobe RGB original still shows its true colours; it carries no location.
// Each function returns null when the bytes do not parse as expected: the caller then re-encodes.

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

export const MIME: Record<PhotoFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const EXTENSION: Record<PhotoFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The format told by the first bytes, or null. Names and Content-Type headers are never asked. */
export const sniffFormat = (data: Buffer): PhotoFormat | null => {
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data.length >= 16 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
};

export const stripMetadata = (format: PhotoFormat, data: Buffer): Buffer | null => {
  try {
    if (format === 'jpeg') return stripJpeg(data);
    if (format === 'png') return stripPng(data);
    return stripWebp(data);
  } catch {
    return null;
  }
};

// --- JPEG ---------------------------------------------------------------------------------------

const startsWith = (data: Buffer, offset: number, text: string): boolean => data.toString('latin1', offset, offset + text.length) === text;

/** Which marker segments survive: the ones that describe the image, JFIF, the ICC profile, Adobe's colour transform. */
const keepJpegSegment = (marker: number, data: Buffer, payload: number): boolean => {
  if (marker === 0xe0) return startsWith(data, payload, 'JFIF\0');
  if (marker === 0xe2) return startsWith(data, payload, 'ICC_PROFILE\0');
  if (marker === 0xee) return startsWith(data, payload, 'Adobe');
  if (marker >= 0xe0 && marker <= 0xef) return false; // other APPn: EXIF, XMP, MPF, IPTC, maker data
  if (marker === 0xfe) return false; // COM
  return true; // SOFn, DHT, DQT, DRI, DAC, DNL, SOS, …
};

export const stripJpeg = (data: Buffer): Buffer | null => {
  if (data[0] !== 0xff || data[1] !== 0xd8) return null;
  const parts: Buffer[] = [data.subarray(0, 2)];
  let i = 2;
  let sawFrame = false;
  while (i < data.length) {
    // Fill bytes (0xFF) may pad before a marker.
    if (data[i] !== 0xff) return null;
    while (data[i] === 0xff) i++;
    const marker = data[i++];
    if (marker === undefined) return null;
    if (marker === 0xd9) {
      // End of image: anything after it (appended images, trailers) is dropped.
      parts.push(Buffer.from([0xff, 0xd9]));
      return sawFrame ? Buffer.concat(parts) : null;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (i + 2 > data.length) return null;
    const length = data.readUInt16BE(i);
    if (length < 2 || i + length > data.length) return null;
    const end = i + length;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sawFrame = true;
    if (keepJpegSegment(marker, data, i + 2)) parts.push(data.subarray(i - 2, end));
    i = end;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
      const start = i;
      while (i < data.length) {
        if (data[i] === 0xff) {
          const next = data[i + 1];
          if (next === undefined) return null;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
            i += next === 0xff ? 1 : 2;
            continue;
          }
          break;
        }
        i++;
      }
      if (i >= data.length) return null; // truncated: no end-of-image marker
      parts.push(data.subarray(start, i));
    }
  }
  return null;
};

// --- PNG ----------------------------------------------------------------------------------------

/** Chunks that draw the picture or describe its colours. Text, time, eXIf and private chunks go. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'cICP', 'mDCV', 'cLLI', 'mDCv', 'cLLi']);

export const stripPng = (data: Buffer): Buffer | null => {
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  const parts: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  while (i + 12 <= data.length) {
    const length = data.readUInt32BE(i);
    const type = data.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > data.length) return null;
    if (PNG_KEEP.has(type)) parts.push(data.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(parts);
  }
  return null;
};

// --- WebP ---------------------------------------------------------------------------------------

const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ICCP', 'ANIM', 'ANMF']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

export const stripWebp = (data: Buffer): Buffer | null => {
  if (data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') return null;
  const riffEnd = Math.min(data.length, 8 + data.readUInt32LE(4));
  const parts: Buffer[] = [];
  let i = 12;
  while (i + 8 <= riffEnd) {
    const fourCC = data.toString('latin1', i, i + 4);
    const size = data.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > riffEnd) return null;
    if (WEBP_KEEP.has(fourCC)) {
      const chunk = Buffer.from(data.subarray(i, Math.min(end, riffEnd)));
      if (chunk.length % 2 === 1) return null;
      if (fourCC === 'VP8X') chunk[8] = chunk[8]! & ~(VP8X_EXIF | VP8X_XMP);
      parts.push(chunk);
    }
    i = end;
  }
  if (i !== riffEnd || parts.length === 0) return null;
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
};
