import { sql, type Kysely } from 'kysely';

// One-time links sent to people: set a first password, reset a password, accept an invitation.
// Only the SHA-256 of the token is stored; each link expires and is used once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('set-password', 'reset', 'invite')`))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    // For invitations: the office and role granted on acceptance.
    .addColumn('office_id', 'integer', (c) => c.references('offices.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.check(sql`role is null or role in ('owner', 'editor')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('user_tokens_user').on('user_tokens').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_tokens').execute();
}
