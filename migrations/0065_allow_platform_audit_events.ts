import { sql, type Kysely } from 'kysely';

// Platform admins' changes (topics, regions, legal pages, applications to join) belong to no
// office: `office_id` becomes nullable. SQLite cannot drop NOT NULL in place, so the table is
// rebuilt with the same columns and rows (nothing references it).
export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, { officeRequired: false });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM audit_events WHERE office_id IS NULL`.execute(db);
  await rebuild(db, { officeRequired: true });
}

/** audit_events as 0014 made it, with `office_id` required or not; rows, ids and the index kept. */
const rebuild = async (db: Kysely<any>, { officeRequired }: { officeRequired: boolean }) => {
  await db.schema
    .createTable('audit_events_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => (officeRequired ? c.notNull() : c).references('offices.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('user_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('release_id', 'integer')
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO audit_events_new (id, office_id, user_id, user_email, action, release_id, subject, detail, created_at)
    SELECT id, office_id, user_id, user_email, action, release_id, subject, detail, created_at FROM audit_events`.execute(db);
  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('audit_events_new').renameTo('audit_events').execute();
  await db.schema.createIndex('audit_events_office').on('audit_events').columns(['office_id', 'created_at']).execute();
};
