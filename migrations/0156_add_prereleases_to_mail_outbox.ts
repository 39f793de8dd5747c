import { sql, type Kysely } from 'kysely';

// The mails of embargoed pre-releases (0155): `prerelease` (the personal link, minted when it is
// sent) and `prerelease-changed` (the embargo time moved, or the pre-release was cancelled or
// withdrawn), each naming its recipient. `change_key` says which change (`moved:<new time>`,
// `cancelled`, `withdrawn`), so one change is mailed once: unique (recipient) for the first mail
// and (recipient, change_key) for the others. Rebuilt as 0143 does (SQLite cannot change a CHECK
// in place), keeping other kinds, rows and indexes.
const KINDS = ['prerelease', 'prerelease-changed'];
const COLUMN = ', "prerelease_recipient_id" integer references "prerelease_recipients" ("id") on delete cascade, "change_key" text)';

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, (ddl) => {
    const withKinds = ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => {
      const kinds = [...new Set([...list.split(',').map((k) => k.trim()), ...KINDS.map((k) => `'${k}'`)])];
      return `check (kind in (${kinds.join(', ')}))`;
    });
    if (withKinds === ddl) throw new Error('mail_outbox: no CHECK on kind found');
    return withKinds.replace(/\)\s*$/, COLUMN);
  });
  await sql`CREATE UNIQUE INDEX mail_outbox_prerelease_once ON mail_outbox (prerelease_recipient_id) WHERE kind = 'prerelease'`.execute(db);
  await sql`CREATE UNIQUE INDEX mail_outbox_prerelease_change_once ON mail_outbox (prerelease_recipient_id, change_key) WHERE kind = 'prerelease-changed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM mail_outbox WHERE kind IN ('prerelease', 'prerelease-changed')`.execute(db);
  await sql`DROP INDEX mail_outbox_prerelease_once`.execute(db);
  await sql`DROP INDEX mail_outbox_prerelease_change_once`.execute(db);
  await rebuild(db, (ddl) =>
    ddl
      .replace(COLUMN, ')')
      .replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => `check (kind in (${list.split(',').map((k) => k.trim()).filter((k) => !KINDS.includes(k.replace(/'/g, ''))).join(', ')}))`),
  );
}

/** Rebuilds mail_outbox with the definition `change` makes of the current one, keeping rows, ids and indexes. */
const rebuild = async (db: Kysely<any>, change: (ddl: string) => string) => {
  const { rows: tables } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'mail_outbox'`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_outbox' AND sql IS NOT NULL`.execute(db);
  const ddl = change(tables[0]!.sql).replace(/^CREATE TABLE "mail_outbox"/, 'CREATE TABLE "mail_outbox_new"');
  const { rows: columns } = await sql<{ name: string }>`SELECT name FROM pragma_table_info('mail_outbox')`.execute(db);
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(ddl).execute(trx);
      const { rows: created } = await sql<{ name: string }>`SELECT name FROM pragma_table_info('mail_outbox_new')`.execute(trx);
      const shared = columns.map((c) => c.name).filter((name) => created.some((c) => c.name === name));
      const list = shared.map((name) => `"${name}"`).join(', ');
      await sql.raw(`INSERT INTO mail_outbox_new (${list}) SELECT ${list} FROM mail_outbox`).execute(trx);
      await sql`DROP TABLE mail_outbox`.execute(trx);
      await sql`ALTER TABLE mail_outbox_new RENAME TO mail_outbox`.execute(trx);
      for (const index of indexes) await sql.raw(index.sql).execute(trx);
      const { rows: problems } = await sql`PRAGMA foreign_key_check`.execute(trx);
      if (problems.length > 0) throw new Error(`mail_outbox rebuild: foreign key problems ${JSON.stringify(problems.slice(0, 5))}`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
};
