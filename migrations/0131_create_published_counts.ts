import { sql, type Kysely } from 'kysely';

// How many releases have the status `published`, for the whole site (scope 'site', id 0), per
// office, topic and region, kept by triggers on every write, so a listing's page count is one row
// read instead of a COUNT over every public release on each render. "Public now" differs from
// `published` only by scheduled releases whose time has come before the job flipped them (and,
// in theory, published ones dated in the future): the releases service adds those few from the
// partial index. The backfill is migration 0132.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('published_counts')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('site', 'office', 'topic', 'region')`))
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('published_counts_pk', ['scope', 'scope_id'])
    .execute();

  const add = (scope: string, id: string, delta: number) =>
    `insert into published_counts (scope, scope_id, n) values ('${scope}', ${id}, ${delta}) on conflict (scope, scope_id) do update set n = n + ${delta};`;
  const terms = (row: 'new' | 'old', delta: number) => `
      insert into published_counts (scope, scope_id, n) select 'topic', topic_id, ${delta} from release_topics where release_id = ${row}.id and true
        on conflict (scope, scope_id) do update set n = n + ${delta};
      insert into published_counts (scope, scope_id, n) select 'region', region_id, ${delta} from release_regions where release_id = ${row}.id and true
        on conflict (scope, scope_id) do update set n = n + ${delta};`;
  const statements = [
    `create trigger published_counts_release_insert after insert on releases when new.status = 'published' begin
      ${add('site', '0', 1)} ${add('office', 'new.office_id', 1)} ${terms('new', 1)}
    end`,
    // Before the delete: the release's topics and regions are still there (they go by ON DELETE CASCADE).
    `create trigger published_counts_release_delete before delete on releases when old.status = 'published' begin
      ${add('site', '0', -1)} ${add('office', 'old.office_id', -1)} ${terms('old', -1)}
    end`,
    `create trigger published_counts_release_update after update of status, office_id on releases
      when (old.status = 'published' or new.status = 'published') and (old.status is not new.status or old.office_id is not new.office_id) begin
      insert into published_counts (scope, scope_id, n) select 'site', 0, -1 where old.status = 'published' and true on conflict (scope, scope_id) do update set n = n - 1;
      insert into published_counts (scope, scope_id, n) select 'office', old.office_id, -1 where old.status = 'published' and true on conflict (scope, scope_id) do update set n = n - 1;
      insert into published_counts (scope, scope_id, n) select 'topic', topic_id, -1 from release_topics where release_id = old.id and old.status = 'published' and new.status <> 'published'
        on conflict (scope, scope_id) do update set n = n - 1;
      insert into published_counts (scope, scope_id, n) select 'region', region_id, -1 from release_regions where release_id = old.id and old.status = 'published' and new.status <> 'published'
        on conflict (scope, scope_id) do update set n = n - 1;
      insert into published_counts (scope, scope_id, n) select 'site', 0, 1 where new.status = 'published' and true on conflict (scope, scope_id) do update set n = n + 1;
      insert into published_counts (scope, scope_id, n) select 'office', new.office_id, 1 where new.status = 'published' and true on conflict (scope, scope_id) do update set n = n + 1;
      insert into published_counts (scope, scope_id, n) select 'topic', topic_id, 1 from release_topics where release_id = new.id and new.status = 'published' and old.status <> 'published'
        on conflict (scope, scope_id) do update set n = n + 1;
      insert into published_counts (scope, scope_id, n) select 'region', region_id, 1 from release_regions where release_id = new.id and new.status = 'published' and old.status <> 'published'
        on conflict (scope, scope_id) do update set n = n + 1;
    end`,
  ];
  for (const [table, column, scope] of [
    ['release_topics', 'topic_id', 'topic'],
    ['release_regions', 'region_id', 'region'],
  ] as const) {
    statements.push(
      `create trigger published_counts_${table}_insert after insert on ${table}
        when (select status from releases where id = new.release_id) = 'published' begin
        ${add(scope, `new.${column}`, 1)}
      end`,
      // A release deleted takes its terms along by cascade after its own trigger counted them: its row is gone then.
      `create trigger published_counts_${table}_delete after delete on ${table}
        when (select status from releases where id = old.release_id) = 'published' begin
        ${add(scope, `old.${column}`, -1)}
      end`,
      `create trigger published_counts_${table}_update after update on ${table} begin
        insert into published_counts (scope, scope_id, n) select '${scope}', old.${column}, -1 where (select status from releases where id = old.release_id) = 'published'
          on conflict (scope, scope_id) do update set n = n - 1;
        insert into published_counts (scope, scope_id, n) select '${scope}', new.${column}, 1 where (select status from releases where id = new.release_id) = 'published'
          on conflict (scope, scope_id) do update set n = n + 1;
      end`,
    );
  }
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'published_counts_release_insert',
    'published_counts_release_delete',
    'published_counts_release_update',
    'published_counts_release_topics_insert',
    'published_counts_release_topics_delete',
    'published_counts_release_topics_update',
    'published_counts_release_regions_insert',
    'published_counts_release_regions_delete',
    'published_counts_release_regions_update',
  ])
    await sql.raw(`drop trigger if exists ${name}`).execute(db);
  await db.schema.dropTable('published_counts').execute();
}
