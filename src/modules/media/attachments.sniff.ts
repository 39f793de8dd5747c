// What a document really is, by its content: never by its name or the Content-Type the browser sent.
// - PDF: starts with `%PDF-1.x` or `%PDF-2.x`, and ends with `%%EOF` within its last 1024 bytes (where
//   readers look for it; a file cut off in transfer has none).
// - ODT and DOCX are ZIP containers; the container is read (yauzl: central directory, entry names and
//   sizes checked) and must really be the format:
//   ODT (ODF 1.2, part 3, 3.3): the first entry is `mimetype`, stored uncompressed, holding exactly
//   `application/vnd.oasis.opendocument.text`, and `content.xml` and `META-INF/manifest.xml` exist.
//   DOCX (ECMA-376 part 2, OPC): `[Content_Types].xml` declares a main part of the type
//   `…wordprocessingml.document.main+xml` (a macro-enabled .docm declares another and is refused),
//   and `_rels/.rels` exists.
// A spreadsheet, a presentation, an encrypted or a damaged container is refused with its reason.
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export type AttachmentFormat = 'pdf' | 'odt' | 'docx';

export const ATTACHMENT_MIME: Record<AttachmentFormat, string> = {
  pdf: 'application/pdf',
  odt: 'application/vnd.oasis.opendocument.text',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const formatOfMime = (mime: string): AttachmentFormat | undefined =>
  (Object.entries(ATTACHMENT_MIME) as [AttachmentFormat, string][]).find(([, m]) => m === mime)?.[0];

/** Why a document was refused: `unsupportedType` (not a PDF, ODT or DOCX by content) or `corrupt` (it claims to be one but is broken). */
export type SniffResult = { format: AttachmentFormat } | { refused: 'unsupportedType' | 'corrupt' };

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';
const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
/** The largest `[Content_Types].xml` read: real ones are a few KB. */
const MAX_CONTENT_TYPES = 256 * 1024;

const isPdf = (data: Buffer): SniffResult | undefined => {
  if (!/^%PDF-[12]\.\d/.test(data.subarray(0, 8).toString('latin1'))) return undefined;
  return data.subarray(Math.max(0, data.length - 1024)).includes('%%EOF', 0, 'latin1') ? { format: 'pdf' } : { refused: 'corrupt' };
};

const readEntry = async (zip: ZipFile, entry: Entry, max: number): Promise<Buffer> => {
  if (entry.uncompressedSize > max) throw new Error('entry too large');
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The format of a ZIP container, or why it is none of ours. */
const sniffZip = async (data: Buffer): Promise<SniffResult> => {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
  } catch {
    return { refused: 'corrupt' };
  }
  try {
    const entries: Entry[] = [];
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) return { refused: 'unsupportedType' };
      entries.push(entry);
      if (entries.length > 10_000) return { refused: 'corrupt' };
    }
    const named = (name: string) => entries.find((e) => e.fileName === name);
    const first = entries[0];
    if (first?.fileName === 'mimetype') {
      // ODF: stored, first, the exact type. Other ODF types (spreadsheet, presentation) are not ours.
      if (first.compressionMethod !== 0) return { refused: 'corrupt' };
      const type = (await readEntry(zip, first, 200)).toString('latin1');
      if (type !== ODT_MIMETYPE) return { refused: 'unsupportedType' };
      return named('content.xml') && named('META-INF/manifest.xml') ? { format: 'odt' } : { refused: 'corrupt' };
    }
    const types = named('[Content_Types].xml');
    if (types) {
      const xml = (await readEntry(zip, types, MAX_CONTENT_TYPES)).toString('utf8');
      const declared = [...xml.matchAll(/ContentType\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
      if (!declared.includes(DOCX_MAIN)) return { refused: 'unsupportedType' };
      return named('_rels/.rels') ? { format: 'docx' } : { refused: 'corrupt' };
    }
    return { refused: 'unsupportedType' };
  } catch {
    return { refused: 'corrupt' };
  } finally {
    zip.close();
  }
};

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The document's format by its content, or why it was refused. */
export const sniffDocument = async (data: Buffer): Promise<SniffResult> => {
  const pdf = isPdf(data);
  if (pdf) return pdf;
  if (data.subarray(0, 4).equals(ZIP_MAGIC)) return sniffZip(data);
  return { refused: 'unsupportedType' };
};
