import { sql, type Kysely } from 'kysely';

// Accreditations: a journalist's standing with one office (`office_id`), or with the whole
// platform (`office_id` null, granted by a platform admin). One row per journalist and office:
// asking again after a refusal or revocation moves the same row back to `requested`; the audit log
// keeps every step. Accredited (`accepted`) journalists of an office, and the platform-wide ones,
// may receive its releases before their time, under embargo.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accreditations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('journalist_id', 'integer', (c) => c.notNull().references('journalists.id').onDelete('cascade'))
    .addColumn('office_id', 'integer', (c) => c.references('offices.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('requested', 'accepted', 'refused', 'revoked')`))
    // The journalist's words with the request, and the office's with its decision.
    .addColumn('request_message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decision_message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await sql`CREATE UNIQUE INDEX accreditations_office_once ON accreditations (journalist_id, office_id) WHERE office_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX accreditations_platform_once ON accreditations (journalist_id) WHERE office_id IS NULL`.execute(db);
  await db.schema.createIndex('accreditations_office_status').on('accreditations').columns(['office_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('accreditations').execute();
}
