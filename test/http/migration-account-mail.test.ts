// Migration 0060 builds mail_outbox anew (SQLite cannot change a CHECK constraint) to take
// password-reset and invitation mails. Every row, its id, the id sequence and the digest
// deliveries' links to their rows survive it, and it can be undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { openDatabase } from '../../src/db/connect.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';

test('0060 keeps the outbox rows, their ids and the digest deliveries pointing at them', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-migration-'));
  const { db } = openDatabase(path.join(dir, 'herold.sqlite'));
  t.after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
  assert.equal((await migrator.migrateTo('0051_add_release_body_text')).error, undefined);

  const now = '2026-03-10T10:00:00.000Z';
  for (const id of [1, 2]) {
    await sql`INSERT INTO subscriptions (id, email, frequency, token_key, confirmed_at, consent_json, created_at, updated_at) VALUES (${id}, ${`leser${id}@example.org`}, 'daily', 'key', ${now}, '{}', ${now}, ${now})`.execute(db);
  }
  await sql`INSERT INTO digest_runs (id, period_key, frequency, window_start, window_end, created_at) VALUES (1, 'daily:2026-03-10', 'daily', ${now}, ${now}, ${now})`.execute(db);
  for (const [id, sub] of [[5, 1], [9, 2]] as const) {
    await sql`INSERT INTO mail_outbox (id, kind, subscription_id, digest_run_id, status, attempts, next_attempt_at, created_at) VALUES (${id}, 'digest', ${sub}, 1, 'sent', 1, ${now}, ${now})`.execute(db);
    await sql`INSERT INTO digest_deliveries (digest_run_id, subscription_id, outbox_id) VALUES (1, ${sub}, ${id})`.execute(db);
  }
  await sql`INSERT INTO mail_outbox (id, kind, subscription_id, status, attempts, next_attempt_at, created_at, last_error) VALUES (12, 'instant', 1, 'failed', 8, ${now}, ${now}, 'gone')`.execute(db);
  await sql`DELETE FROM mail_outbox WHERE id = 12`.execute(db); // the sequence stays at 12
  await sql`INSERT INTO mail_outbox (id, kind, subscription_id, status, attempts, next_attempt_at, created_at) VALUES (11, 'instant', 2, 'queued', 0, ${now}, ${now})`.execute(db);
  const rows = async () => (await sql<Record<string, unknown>>`SELECT id, kind, subscription_id, digest_run_id, status, attempts FROM mail_outbox ORDER BY id`.execute(db)).rows;
  const deliveries = async () => (await sql<Record<string, unknown>>`SELECT digest_run_id, subscription_id, outbox_id FROM digest_deliveries ORDER BY subscription_id`.execute(db)).rows;
  const [beforeRows, beforeDeliveries] = [await rows(), await deliveries()];
  assert.equal(beforeRows.length, 3);

  assert.equal((await migrator.migrateTo('0060_add_account_mail_to_mail_outbox')).error, undefined);
  assert.deepEqual(await rows(), beforeRows);
  assert.deepEqual(await deliveries(), beforeDeliveries);
  await sql`INSERT INTO mail_outbox (kind, email, lang, status, attempts, next_attempt_at, created_at) VALUES ('password-reset', 'anna@example.org', 'de', 'queued', 0, ${now}, ${now})`.execute(db);
  assert.equal((await sql<{ id: number }>`SELECT max(id) AS id FROM mail_outbox`.execute(db)).rows[0]!.id, 13, 'ids go on after the highest ever given');
  await assert.rejects(sql`INSERT INTO mail_outbox (kind, status, attempts, next_attempt_at, created_at) VALUES ('newsletter', 'queued', 0, ${now}, ${now})`.execute(db), /CHECK/);
  const indexes = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_outbox' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)).rows.map((r) => r.name);
  assert.deepEqual(indexes, ['mail_outbox_digest_once', 'mail_outbox_due', 'mail_outbox_instant_once', 'mail_outbox_request', 'mail_outbox_status_created', 'mail_outbox_subscription']);
  assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(db)).rows, []);

  // Undone, the account mail goes and everything else stays.
  assert.equal((await migrator.migrateTo('0051_add_release_body_text')).error, undefined);
  assert.deepEqual(await rows(), beforeRows);
  assert.deepEqual(await deliveries(), beforeDeliveries);
});
