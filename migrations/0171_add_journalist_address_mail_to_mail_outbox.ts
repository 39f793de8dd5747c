import { sql, type Kysely } from 'kysely';

// A journalist's own account mails (0150, 0170): `journalist-address` (to the new address, with the
// confirmation link, made when it is sent) and `journalist-address-changed` (to the old address,
// after the change, saying so). Both name the journalist (`journalist_id`, deleted with them) and
// the address they go to (`email`). Rebuilt as 0143 does (SQLite cannot change a CHECK in place),
// keeping other kinds, rows and indexes.
const KINDS = ['journalist-address', 'journalist-address-changed'];

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, (ddl) => {
    const withKinds = ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => {
      const kinds = [...new Set([...list.split(',').map((k) => k.trim()), ...KINDS.map((k) => `'${k}'`)])];
      return `check (kind in (${kinds.join(', ')}))`;
    });
    if (withKinds === ddl) throw new Error('mail_outbox: no CHECK on kind found');
    return withKinds;
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM mail_outbox WHERE kind IN ('journalist-address', 'journalist-address-changed')`.execute(db);
  await rebuild(db, (ddl) =>
    ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => `check (kind in (${list.split(',').map((k) => k.trim()).filter((k) => !KINDS.includes(k.replace(/'/g, ''))).join(', ')}))`),
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
