import { sql, type Kysely } from 'kysely';

// Verifiable releases. `signing_keys` holds the public half of every Ed25519 key an office ever had
// (the private half lives only in a file of the key folder); a rotated key is retired, never deleted,
// so old signatures stay verifiable. `release_signatures` holds every signed version of a release:
// the exact canonical document signed, its digest and the signature. `title_key` (the title's words)
// finds the versions of a pasted text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  // One current key per office.
  await db.schema.createIndex('signing_keys_current').unique().on('signing_keys').column('office_id').where(sql.ref('retired_at'), 'is', null).execute();
  await db.schema
    .createTable('release_signatures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.id'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_signatures_version').unique().on('release_signatures').columns(['release_id', 'version']).execute();
  await db.schema.createIndex('release_signatures_title').on('release_signatures').column('title_key').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_signatures').execute();
  await db.schema.dropTable('signing_keys').execute();
}
