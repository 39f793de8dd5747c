import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('releases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('restrict'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subtitle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('release_date', 'text', (c) => c.notNull())
    .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    // Plain-text summary (subtitle or first paragraph), written with the body, for lists and feeds.
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    // The press-contact block, copied as JSON when the release is saved, so that later edits of a
    // contact do not rewrite published history.
    .addColumn('contact_json', 'text')
    .addColumn('republication_notice', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de').check(sql`language in ('de', 'en')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'scheduled', 'published', 'withdrawn')`),
    )
    // When the release goes (or went) public. For a scheduled release this is its publish-at time;
    // public queries always compare it with now, so nothing appears before its time.
    .addColumn('published_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawal_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('preview_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('releases_scheduled_has_time', sql`status in ('draft') or published_at is not null`)
    .execute();
  await db.schema.createIndex('releases_public').on('releases').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('releases_office').on('releases').columns(['office_id', 'published_at']).execute();
  await db.schema.createIndex('releases_release_date').on('releases').column('release_date').execute();

  for (const [table, column, target] of [
    ['release_topics', 'topic_id', 'topics.id'],
    ['release_regions', 'region_id', 'regions.id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
      .addColumn(column, 'integer', (c) => c.notNull().references(target).onDelete('cascade'))
      .addPrimaryKeyConstraint(`${table}_pk`, ['release_id', column])
      .execute();
    await db.schema.createIndex(`${table}_${column}`).on(table).columns([column, 'release_id']).execute();
  }

  await db.schema
    .createTable('release_photos')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
    // Original file below the media folder; null for a caption imported without its picture.
    .addColumn('path', 'text')
    .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('width', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('height', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mime', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('release_photos_release').on('release_photos').columns(['release_id', 'position']).execute();

  await db.schema
    .createTable('release_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id').onDelete('cascade'))
    // The text as it stood before the correction.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subtitle', 'text', (c) => c.notNull())
    .addColumn('dateline', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_revisions_release').on('release_revisions').columns(['release_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['release_revisions', 'release_photos', 'release_regions', 'release_topics', 'releases']) {
    await db.schema.dropTable(table).execute();
  }
}
