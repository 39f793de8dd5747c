import type { Kysely } from 'kysely';

// Fediverse accounts that follow an office: the actor's id, where to deliver (its inbox and its
// server's shared inbox) and the Follow activity that made it a follower (an Undo names it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('federation_followers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('inbox_url', 'text', (c) => c.notNull())
    .addColumn('shared_inbox_url', 'text')
    .addColumn('follow_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('federation_followers_office_actor').unique().on('federation_followers').columns(['office_id', 'actor_id']).execute();
  await db.schema.createIndex('federation_followers_actor').on('federation_followers').column('actor_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('federation_followers').execute();
}
