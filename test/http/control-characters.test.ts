// Control characters (issue 14, item 6) are removed where text comes in — admin forms, public forms,
// `herold import` — so they reach no page, .txt, mail or feed; the import report says so and prints
// no raw escape sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildTestApp, createTestDb, dbEnv } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { cleanText, printable } from '../../src/lib/input-text.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
/** Every kind the rule removes: C0 (U+0001, VT, ESC), DEL, C1 (U+0085, U+009B), U+FFFE, U+FFFF, an unclosed RLO. */
const NASTY = '\u0001\u000B\u001B[31m\u007F\u0085\u009B\uFFFE\uFFFF\u202E';
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/;

test('cleanText: controls go, tab and line feed stay, bidi controls only in pairs', () => {
  assert.equal(cleanText(`a${NASTY}b\tc\r\nd\re`), 'a[31mb\tc\nd\ne');
  // Paired: kept. Unpaired (opened and not closed in the line, or closed without an opening): removed.
  assert.equal(cleanText('x\u202Eabc\u202Cy'), 'x\u202Eabc\u202Cy');
  assert.equal(cleanText('x\u2067abc\u2069y'), 'x\u2067abc\u2069y');
  assert.equal(cleanText('x\u202Eabc\ny\u202C'), 'xabc\ny');
  assert.equal(cleanText('x\u2069y\u202Cz'), 'xyz');
  assert.equal(printable('a\u001B[31mb\u202E'), 'a\\x1b[31mb\\u{202e}');
});

test('admin form: control characters are stored nowhere and shown nowhere', async (t) => {
  const { app } = await buildTestApp(t);
  await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  const office = (await app.services.offices.findBySlug('amt'))!;
  await createUser(app.services, { email: 'anna@amt.example', officeId: office.id, role: 'editor' });
  const browser = new Browser(app);
  await browser.login('anna@amt.example');
  const res = await browser.submitForm(
    '/admin/offices/amt/releases/new',
    '#release-form',
    { title: `Haushalt${NASTY} 2027`, subtitle: `Zahlen\u0007 und Fakten`, dateline: `Köln\u001B`, bodyMarkdown: `Der Kreistag${NASTY} hat beraten.\r\n\r\nZweiter\tAbsatz.` },
    { button: 'save' },
  );
  assert.equal(res.statusCode, 303);
  const id = Number(/\/releases\/(\d+)$/.exec(String(res.headers.location))![1]);
  await app.services.releases.publish(id);
  const release = (await app.services.releases.findById(id))!;
  assert.equal(release.title, 'Haushalt[31m 2027');
  assert.equal(release.subtitle, 'Zahlen und Fakten');
  assert.equal(release.dateline, 'Köln');
  assert.equal(release.bodyMarkdown, 'Der Kreistag[31m hat beraten.\n\nZweiter\tAbsatz.');
  for (const url of [`/releases/${id}-${release.slug}`, `/releases/${id}.txt`, '/offices/amt/feed.rss', '/offices/amt/feed.json']) {
    const body = (await app.inject(url)).body;
    assert.doesNotMatch(body, CONTROL, url);
  }
});

test('herold import: control characters removed, said in the report, no escape sequence on the terminal', async (t) => {
  const db = await createTestDb(t);
  await db.db.destroy();
  const file = path.join(db.dataDir, 'bunt.txt');
  await writeFile(
    file,
    ['Titel: Wochenmarkt\u001B[2J zieht um', 'Meldungsdatum: 30.04.2025', 'Lindenfeld. Der Wochenmarkt\u0007 findet auf dem Kirchplatz statt.\u001B]0;gehackt\u0007', ''].join('\n'),
  );
  const env = { ...process.env, ...dbEnv(db), DATA_DIR: db.dataDir, PUBLIC_URL: 'http://herold.test', LANG: 'de', DEMO: '0' };
  await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'migrate'], { env });
  const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), 'import', '--office', 'lindenfeld', file], { env });
  assert.match(stdout, /bunt\.txt: imported/);
  assert.match(stdout, /control characters removed: 4 \(never stored\)/);
  assert.doesNotMatch(stdout + stderr, /\u001B|\u0007/);
});
