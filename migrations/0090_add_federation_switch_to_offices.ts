import { sql, type Kysely } from 'kysely';

// Whether an office can be followed from the fediverse (ActivityPub). On by default: every office is
// followable unless its owner turns it off on the settings page.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('offices')
    .addColumn('is_federated', 'integer', (c) => c.notNull().defaultTo(1).check(sql`is_federated in (0, 1)`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offices').dropColumn('is_federated').execute();
}
