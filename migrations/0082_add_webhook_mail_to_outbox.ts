import { sql, type Kysely } from 'kysely';

// The outbox also carries the message to an office's owners (or, for a platform-wide endpoint, the
// platform admins) that a webhook endpoint was disabled after failing for a day: the kind
// `webhook-disabled`, with the address and language in the existing `email` and `lang` columns and
// a `webhook_endpoint_id` reference. SQLite cannot change a CHECK in place: the table is rebuilt as
// 0068 does (its definition read from sqlite_master, so kinds other migrations added are kept).
const KINDS = ['webhook-disabled'];

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, (ddl) => {
    const withKinds = ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => {
      const kinds = [...new Set([...list.split(',').map((k) => k.trim()), ...KINDS.map((k) => `'${k}'`)])];
      return `check (kind in (${kinds.join(', ')}))`;
    });
    if (withKinds === ddl) throw new Error('mail_outbox: no CHECK on kind found');
    return withKinds.replace(/\)\s*$/, ', "webhook_endpoint_id" integer references "webhook_endpoints" ("id") on delete cascade)');
  });
  await db.schema.createIndex('mail_outbox_webhook_endpoint').on('mail_outbox').column('webhook_endpoint_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM mail_outbox WHERE webhook_endpoint_id IS NOT NULL`.execute(db);
  await db.schema.dropIndex('mail_outbox_webhook_endpoint').execute();
  await rebuild(db, (ddl) =>
    ddl
      .replace(/, "webhook_endpoint_id" integer references "webhook_endpoints" \("id"\) on delete cascade\)\s*$/, ')')
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
