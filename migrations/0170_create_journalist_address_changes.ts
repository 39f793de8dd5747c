import { sql, type Kysely } from 'kysely';

// A journalist's change of e-mail address (0150), waiting for the new address to be confirmed: the
// new address, and the SHA-256 of the confirmation link's token, made when its mail is sent (never
// stored in clear). The change takes effect only when the link is used (`used_at`); until then the
// old address stays the login. One open change per journalist: asking again replaces it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('journalist_address_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('journalist_id', 'integer', (c) => c.notNull().references('journalists.id').onDelete('cascade'))
    .addColumn('new_email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set with the token, when the confirmation mail is sent.
    .addColumn('expires_at', 'text')
    .addColumn('used_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX journalist_address_changes_token ON journalist_address_changes (token_hash) WHERE token_hash IS NOT NULL`.execute(db);
  await db.schema.createIndex('journalist_address_changes_journalist').on('journalist_address_changes').column('journalist_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('journalist_address_changes').execute();
}
