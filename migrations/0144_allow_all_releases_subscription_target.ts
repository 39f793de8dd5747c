import { sql, type Kysely } from 'kysely';

// A subscription can follow every release: the target kind `all` (value `*`). SQLite cannot change a
// CHECK in place: subscription_targets is rebuilt from its definition in sqlite_master with the kind
// added (foreign keys off, new table, copy, drop, rename, indexes, check), as 0068 does for the outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, (ddl) => {
    const changed = ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => `check (kind in (${[...new Set([...list.split(',').map((k) => k.trim()), "'all'"])].join(', ')}))`);
    if (changed === ddl) throw new Error('subscription_targets: no CHECK on kind found');
    return changed;
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM subscription_targets WHERE kind = 'all'`.execute(db);
  await rebuild(db, (ddl) => ddl.replace(/check \(kind in \(([^)]*)\)\)/i, (_whole, list: string) => `check (kind in (${list.split(',').map((k) => k.trim()).filter((k) => k !== "'all'").join(', ')}))`));
}

/** Rebuilds subscription_targets with the definition `change` makes of the current one, keeping rows and indexes. */
const rebuild = async (db: Kysely<any>, change: (ddl: string) => string) => {
  const { rows: tables } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'subscription_targets'`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'subscription_targets' AND sql IS NOT NULL`.execute(db);
  const ddl = change(tables[0]!.sql).replace(/^CREATE TABLE "subscription_targets"/, 'CREATE TABLE "subscription_targets_new"');
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(ddl).execute(trx);
      await sql`INSERT INTO subscription_targets_new (subscription_id, kind, value) SELECT subscription_id, kind, value FROM subscription_targets`.execute(trx);
      await sql`DROP TABLE subscription_targets`.execute(trx);
      await sql`ALTER TABLE subscription_targets_new RENAME TO subscription_targets`.execute(trx);
      for (const index of indexes) await sql.raw(index.sql).execute(trx);
      const { rows: problems } = await sql`PRAGMA foreign_key_check`.execute(trx);
      if (problems.length > 0) throw new Error(`subscription_targets rebuild: foreign key problems ${JSON.stringify(problems.slice(0, 5))}`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
};
