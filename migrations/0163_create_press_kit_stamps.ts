import { sql, type Kysely } from 'kysely';

// Which public version of a release has its photos stamped (modules/press-kits): `version` is the
// release's last public change (release.ts `lastPublicChange`) the stamped files were written for.
// The `stamp-press-kits` job stamps a release after it went public or was corrected and records it
// here; its sweep takes the public releases with photos whose version has no row (or whose folder is
// gone), so the first view of a release page finds its photos stamped. The request path still
// stamps on demand what is missing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table press_kit_stamps (
      release_id integer primary key not null references releases (id) on delete cascade,
      version text not null,
      stamped_at text not null
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table press_kit_stamps`.execute(db);
}
