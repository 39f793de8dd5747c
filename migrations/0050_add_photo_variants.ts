import type { Kysely } from 'kysely';

// The responsive variants of a photo (WebP and JPEG per width) as a JSON array of
// {width, height, webp, jpeg}. Null for photos without variants: imported captions without a
// picture, and originals stored before the photo pipeline.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('release_photos').addColumn('variants_json', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('release_photos').dropColumn('variants_json').execute();
}
