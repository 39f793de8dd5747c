import { sql, type Kysely } from 'kysely';

// Press offices asking to join: what they wrote, whether the applicant confirmed the address
// (double opt-in), and the platform admins' decision. An accepted application names the office it
// became.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('office_applications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('de').check(sql`lang in ('de', 'en')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unconfirmed').check(sql`status in ('unconfirmed', 'confirmed', 'accepted', 'declined')`))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decision_message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('office_id', 'integer', (c) => c.references('offices.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('office_applications_status').on('office_applications').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('office_applications_email').on('office_applications').columns(['email', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('office_applications').execute();
}
