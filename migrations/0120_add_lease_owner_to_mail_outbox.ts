import type { Kysely } from 'kysely';

// Which sender holds a claimed row: `host:pid-namespace:pid:start` of its process. A sender that
// finds the owner of a lease gone (the same host and process namespace, no such process) puts its
// rows back at once instead of waiting for the lease to run out: after a kill -9 and a restart,
// the mails in flight go out again within seconds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('lease_owner', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('lease_owner').execute();
}
