// Attachments are checked by their content: a PDF by its header and end, an ODT and a DOCX by their
// container (a ZIP that really holds the format), never by name or Content-Type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sniffDocument } from '../../src/modules/media/attachments.sniff.ts';
import { docxDocument, odfDocument, pdfDocument, zipFile } from '../helpers/documents.ts';

test('a PDF, an ODT and a DOCX are recognised by their content', async () => {
  assert.deepEqual(await sniffDocument(pdfDocument()), { format: 'pdf' });
  assert.deepEqual(await sniffDocument(odfDocument('text')), { format: 'odt' });
  assert.deepEqual(await sniffDocument(docxDocument()), { format: 'docx' });
});

test('everything else is refused, saying whether it is another type or a broken document', async () => {
  const refused = async (data: Buffer) => ((await sniffDocument(data)) as { refused?: string }).refused;
  // Other types: text, HTML renamed .pdf, a picture, an ODF spreadsheet, a macro-enabled Word file, a plain ZIP.
  assert.equal(await refused(Buffer.from('Nur Text, kein PDF.')), 'unsupportedType');
  assert.equal(await refused(Buffer.from('<html><body>%PDF-1.4</body></html>')), 'unsupportedType');
  assert.equal(await refused(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'unsupportedType');
  assert.equal(await refused(odfDocument('spreadsheet')), 'unsupportedType');
  assert.equal(await refused(docxDocument({ macros: true })), 'unsupportedType');
  assert.equal(await refused(zipFile([{ name: 'readme.txt', data: 'Hallo' }])), 'unsupportedType');
  // Broken: a PDF cut off before its end, a ZIP cut in half, an ODT whose mimetype is compressed or whose content is missing.
  const pdf = pdfDocument();
  assert.equal(await refused(pdf.subarray(0, pdf.length - 40)), 'corrupt');
  const odt = odfDocument();
  assert.equal(await refused(odt.subarray(0, Math.floor(odt.length / 2))), 'corrupt');
  assert.equal(await refused(zipFile([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }, { name: 'content.xml', data: '<x/>' }, { name: 'META-INF/manifest.xml', data: '<m/>' }])), 'corrupt');
  assert.equal(await refused(zipFile([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true }])), 'corrupt');
  const docx = docxDocument();
  assert.equal(await refused(Buffer.concat([docx.subarray(0, 100), Buffer.alloc(50)])), 'corrupt');
});
