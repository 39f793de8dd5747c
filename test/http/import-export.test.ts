import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as cheerio from 'cheerio';
import { buildTestApp, createTestDb, dbEnv, type TestDb } from '../helpers/app.ts';
import { createServices } from '../../src/services.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { renderReleaseText } from '../../src/content/release-text.ts';
import { normaliseBodyMarkdown } from '../../src/content/plain-text.ts';
import { absoluteMarkdownLinks, markdownLinksAsText } from '../../src/content/markdown.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';
import { createUrls } from '../../src/lib/urls.ts';
import { createImportService } from '../../src/modules/transfer/import.service.ts';
import { releaseToJson } from '../../src/modules/transfer/release-json.ts';
import type { Release } from '../../src/modules/releases/release.ts';
import { openDatabase, openPostgres } from '../../src/db/connect.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/import');

const herold = async (target: Pick<TestDb, 'dataDir' | 'databaseUrl'>, ...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/herold.js'), ...args], {
      env: { ...process.env, ...dbEnv(target), DATA_DIR: target.dataDir, PUBLIC_URL: 'http://herold.test', LANG: 'de', DEMO: '0' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const site = { timeZone: 'Europe/Berlin', siteName: 'Herold', siteUrl: 'http://herold.test' };
const urls = createUrls('http://herold.test');

/** What an export must carry across: everything an author wrote. */
const comparable = (r: Release) => ({
  title: r.title,
  subtitle: r.subtitle,
  releaseDate: r.releaseDate,
  dateline: r.dateline,
  body: normaliseBodyMarkdown(r.bodyMarkdown),
  contact: r.contact,
  notice: r.republicationNotice,
  language: r.language,
  topics: r.topics.map((t) => t.name),
  regions: r.regions.map((t) => t.name),
  photos: r.photos.map((p) => ({ caption: p.caption, credit: p.credit })),
});

/**
 * What the text layout gives back: links written `text (URL)` for readers, and a credit that already
 * said „Foto: …“ printed with that label once (it reads back without it).
 */
const comparableAsText = (r: Release) => {
  const c = comparable(r);
  return {
    ...c,
    body: normaliseBodyMarkdown(markdownLinksAsText(absoluteMarkdownLinks(r.bodyMarkdown, site.siteUrl))),
    photos: c.photos.map((p) => ({ ...p, credit: p.credit.replace(/^(?:Fotos?|Photos?|Bild|Credit|Bildnachweis|Bildquelle)\s*:\s*/i, '') })),
  };
};

test('export then import gives the same release back, for every demo release, as txt and as json', async (t) => {
  const db = await createTestDb(t);
  const services = createServices({ db: db.db });
  await seedDemo(services, path.join(db.dataDir, 'media'));
  const importer = createImportService({ db: db.db, services });
  const ids = (await db.db.selectFrom('releases').select('id').orderBy('id').execute()).map((r) => r.id);
  assert.ok(ids.length >= 12);
  for (const id of ids) {
    const original = (await services.releases.findById(id))!;
    for (const [name, content] of [
      ['release.txt', renderReleaseText(presentRelease(original, urls), site)],
      ['release.json', JSON.stringify(releaseToJson(presentRelease(original, urls, { audience: 'office' })))],
    ] as const) {
      if (original.status === 'withdrawn' && name.endsWith('.txt')) continue; // the text shows the notice, not the body
      const result = await importer.importOne(name, content, { officeSlug: 'reimport', status: 'draft' });
      assert.equal(result.ok, true, `${id} ${name}: ${result.error}`);
      const copy = (await services.releases.findById(result.releaseId!))!;
      assert.deepEqual(comparable(copy), name.endsWith('.txt') ? comparableAsText(original) : comparable(original), `release ${id} via ${name}`);
    }
  }
});

test('herold CLI: migrate, import (portal form, report, failures), export, backup', async (t) => {
  const db = await createTestDb(t);
  await db.db.destroy();
  const dir = db;

  const help = await herold(dir);
  assert.equal(help.code, 2);
  assert.match(help.stdout, /Usage: herold <command>/);
  const unknown = await herold(dir, 'frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  assert.equal((await herold(dir, 'migrate')).code, 0);

  const noOffice = await herold(dir, 'import', path.join(FIXTURES, 'landkreis-mit-fax.txt'));
  assert.equal(noOffice.code, 2);
  assert.match(noOffice.stderr, /--office SLUG is required/);

  const imported = await herold(dir, 'import', '--office', 'landkreis-hohenwald', '--status', 'published', path.join(FIXTURES, 'landkreis-mit-fax.txt'), path.join(FIXTURES, 'zwei-bilder.txt'));
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /landkreis-mit-fax\.txt: imported/);
  assert.match(imported.stdout, /office: created "landkreis-hohenwald"/);
  assert.match(imported.stdout, /http:\/\/herold\.test\/releases\/1-/);

  const broken = await herold(dir, 'import', '--office', 'landkreis-hohenwald', path.join(FIXTURES, 'kaputt-ohne-datum.txt'), path.join(FIXTURES, 'kaputt-unmoegliches-datum.txt'));
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /kaputt-ohne-datum\.txt:\d+: /);
  assert.match(broken.stderr, /kaputt-unmoegliches-datum\.txt:\d+: /);
  assert.match(broken.stderr, /nothing was stored from this file/);

  const { db: check } = db.databaseUrl ? await openPostgres(db.databaseUrl) : openDatabase(path.join(db.dataDir, 'herold.sqlite'));
  const count = await check.selectFrom('releases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await check.destroy();
  assert.equal(Number(count.n), 2);

  const txt = await herold(dir, 'export', '1');
  assert.equal(txt.code, 0);
  assert.match(txt.stdout, /^Meldungsdatum: \d\d\.\d\d\.\d{4}$/m);
  const json = JSON.parse((await herold(dir, 'export', '2', '--format', 'json')).stdout);
  assert.equal(json.format, 'herold-release');
  assert.equal(json.photos.length, 2);
  const md = await herold(dir, 'export', '1', '--format', 'md');
  assert.match(md.stdout, /^# /);
  assert.equal((await herold(dir, 'export', '99')).code, 1);
  assert.equal((await herold(dir, 'export', 'abc')).code, 2);
  assert.equal((await herold(dir, 'export', '1', '--format', 'pdf')).code, 2);

  const dest = path.join(db.dataDir, 'backup.sqlite');
  const backup = await herold(dir, 'backup', dest);
  if (db.databaseUrl) {
    // PostgreSQL is backed up with its own tools: the command says so instead of copying anything.
    assert.equal(backup.code, 2);
    assert.match(backup.stderr, /pg_dump/);
    return;
  }
  assert.equal(backup.code, 0, backup.stderr);
  assert.ok(existsSync(dest));
  const { db: copy } = openDatabase(dest);
  const copied = await copy.selectFrom('releases').select('title').execute();
  await copy.destroy();
  assert.equal(copied.length, 2);
  assert.equal((await herold(dir, 'backup', dest)).code, 2, 'refuses to overwrite');
});

test('a release imported as published while the server runs is live on the site', async (t) => {
  // The app's clock stands an hour ahead, so the CLI's publication time (now) lies in its past.
  const { app, db } = await buildTestApp(t, { now: new Date(Date.now() + 3_600_000).toISOString() });
  const before = cheerio.load((await app.inject('/')).body);
  assert.equal(before('.card-title').length, 0);
  const result = await herold(db, 'import', '--office', 'neues-amt', '--status', 'published', path.join(FIXTURES, 'mit-titel.txt'));
  assert.equal(result.code, 0, result.stderr);
  // The server notices another process's change within a second: poll, bounded.
  let titles: string[] = [];
  for (let i = 0; i < 100 && titles.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const $ = cheerio.load((await app.inject('/')).body);
    titles = $('.card-title').map((_, el) => $(el).text().trim()).get();
  }
  assert.equal(titles.length, 1);
  const office = cheerio.load((await app.inject('/offices/neues-amt')).body);
  assert.equal(office('.card-title').length, 1);
  if (!db.databaseUrl) assert.ok((await readdir(db.dataDir)).includes('herold.sqlite'));
});
