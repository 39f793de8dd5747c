import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { openDatabase } from '../../src/db/connect.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import { createServices } from '../../src/services.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { createOffice, createRelease } from '../helpers/factories.ts';

test('the backfill migration indexes the public releases that existed before search', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-backfill-'));
  const { db } = openDatabase(path.join(dir, 'herold.sqlite'));
  t.after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
  const { error } = await migrator.migrateTo('0004_create_site_state');
  assert.equal(error, undefined);

  // The schema of 0004: releases had no body_text yet (0051 fills it from body_html).
  const old = db as unknown as Kysely<any>;
  const at = '2026-03-01T08:00:00.000Z';
  const { id: officeId } = await db.insertInto('offices').values({ slug: 'stadt', name: 'Stadt Müllheim', created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  const { id: topicId } = await db.insertInto('topics').values({ slug: 'verkehr', name: 'Verkehr' }).returning('id').executeTakeFirstOrThrow();
  const release = (title: string, status: 'published' | 'draft' | 'withdrawn', body: string) => ({
    office_id: officeId,
    slug: 'x',
    title,
    release_date: '2026-03-01',
    body_markdown: body,
    body_html: `<p>${body.replace(/&/g, '&amp;')}</p>`,
    status,
    published_at: status === 'draft' ? null : at,
    created_at: at,
    updated_at: at,
  });
  const { id: publishedId } = await old.insertInto('releases').values(release('Bürgermeister eröffnet Radweg', 'published', 'Fahrräder & Fußgänger')).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('release_topics').values({ release_id: publishedId, topic_id: topicId }).execute();
  await old.insertInto('releases').values(release('Bürgermeister Entwurf', 'draft', 'Geheim')).execute();
  await old.insertInto('releases').values(release('Bürgermeister zurückgezogen', 'withdrawn', 'Falsch')).execute();

  await migrateToLatest(db);
  const services = createServices({ db, clock: fixedClock('2026-03-10T10:00:00Z') });
  const hits = await services.search.search('Buergermeister');
  assert.deepEqual(hits.items.map((h) => h.title), ['Bürgermeister eröffnet Radweg']);
  const byBody = await services.search.search('Fussganger');
  assert.equal(byBody.total, 1);
  // The snippet comes from the body text 0051 made of the stored HTML, entities decoded.
  assert.equal(String(byBody.items[0]!.snippetHtml), 'Fahrräder &amp; <mark>Fußgänger</mark>');
  assert.equal((await services.search.search('Mullheim')).total, 1);
  assert.equal((await services.search.search('', { topic: 'verkehr' })).total, 1);
});

test('the refold migration rebuilds the index with compatibility forms and contact names, and fills the vocabulary', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-refold-'));
  const { db } = openDatabase(path.join(dir, 'herold.sqlite'));
  t.after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
  assert.equal((await migrator.migrateTo('0094_create_release_signatures')).error, undefined);
  // Rows as they stood before 0141 (written straight into the tables, so no entry in the index).
  const at = '2026-03-01T08:00:00.000Z';
  const old = db as unknown as Kysely<any>;
  const { id: officeId } = await old.insertInto('offices').values({ slug: 'stadt', name: 'Stadtwerke Nord', created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  const { id } = await old
    .insertInto('releases')
    .values({ office_id: officeId, slug: 'x', title: 'CO₂-Bilanz', release_date: '2026-03-01', body_markdown: 'Die Solaranlage spart ½ Tonne.', body_html: '<p>Die Solaranlage spart ½ Tonne.</p>', body_text: 'Die Solaranlage spart ½ Tonne.', status: 'published', published_at: at, created_at: at, updated_at: at, contact_json: JSON.stringify({ name: 'Jörg Übermann' }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await old.insertInto('releases').values({ office_id: officeId, slug: 'y', title: 'Entwurf Solaranlage', release_date: '2026-03-01', body_markdown: 'x', body_html: '<p>x</p>', body_text: 'x', status: 'draft', published_at: null, created_at: at, updated_at: at }).execute();

  await migrateToLatest(db);
  const services = createServices({ db, clock: fixedClock('2026-03-10T10:00:00Z') });
  for (const query of ['co2', 'CO₂', 'Uebermann', '"1 2 Tonne"']) assert.deepEqual((await services.search.search(query)).items.map((h) => h.id), [id], query);
  const typo = await services.search.search('Solaranlgae');
  assert.equal(typo.total, 0);
  assert.equal(typo.suggestion, 'Solaranlage');
  assert.equal((await services.search.search('Solaranlage')).total, 1);
});

test('the vocabulary learns how the releases write a word: the 0162 backfill and the indexer fill the folded-only terms, so a suggestion shows Bürgermeister', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-display-'));
  const { db } = openDatabase(path.join(dir, 'herold.sqlite'));
  t.after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
  assert.equal((await migrator.migrateTo('0094_create_release_signatures')).error, undefined);
  const at = '2026-03-01T08:00:00.000Z';
  const old = db as unknown as Kysely<any>;
  const { id: officeId } = await old.insertInto('offices').values({ slug: 'stadt', name: 'Stadt Nord', created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  const body = 'Der Bürgermeister eröffnet das Straßenfest.';
  const { id } = await old
    .insertInto('releases')
    .values({ office_id: officeId, slug: 'x', title: 'Neuer Bürgermeister', release_date: '2026-03-01', body_markdown: body, body_html: `<p>${body}</p>`, body_text: body, status: 'published', published_at: at, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  const displayOf = async (term: string) => (await old.selectFrom('search_terms').select('display').where('term', '=', term).executeTakeFirst())?.display;

  // Up to 0161 the vocabulary holds the folded forms only (0142 read them from the index).
  assert.equal((await migrator.migrateTo('0161_fill_releases_corrected_at')).error, undefined);
  assert.equal(await displayOf('burgermeister'), null);
  assert.equal(await displayOf('strassenfest'), null);
  await migrateToLatest(db);
  assert.equal(await displayOf('burgermeister'), 'bürgermeister');
  assert.equal(await displayOf('strassenfest'), 'straßenfest');
  assert.equal(await displayOf('eroffnet'), 'eröffnet');

  const services = createServices({ db, clock: fixedClock('2026-03-10T10:00:00Z') });
  for (const typed of ['Bürgermeistr', 'Burgermeistr']) {
    const typo = await services.search.search(typed);
    assert.equal(typo.total, 0, typed);
    assert.equal(typo.suggestion, 'Bürgermeister', typed);
    assert.deepEqual((await services.search.search(typo.suggestion!)).items.map((h) => h.id), [id], typed);
  }

  // A term still without its written form gets it when a release holding it is indexed.
  await old.updateTable('search_terms').set({ display: null }).where('term', '=', 'strassenfest').execute();
  const kreis = await createOffice(services, { slug: 'kreis', name: 'Kreis Süd' });
  await createRelease(services, kreis.id, { title: 'Straßenfest im Kreis', bodyMarkdown: 'Text.', releaseDate: '2026-03-05' });
  assert.equal(await displayOf('strassenfest'), 'straßenfest');
  assert.equal((await services.search.search('Strassenfst')).suggestion, 'Straßenfest');
});
