import { sql, type Kysely } from 'kysely';

// The plain text of a release's body beside its HTML, written with it (releases.service.ts
// `contentColumns`): search snippets and the index read it instead of stripping the HTML of every
// hit on every search. Frozen in time: the
// conversion below is a copy of src/content/markdown.ts `htmlToText` as of this migration.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

const BLOCKS = new Set('address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr img li main nav ol p pre section table tbody td tfoot th thead tr ul'.split(' '));

const htmlToText = (html: string): string =>
  html
    .replace(/<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g, (_tag, name: string) => (BLOCKS.has(name.toLowerCase()) ? ' ' : ''))
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (whole: string, name: string) => {
      if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name]!;
      const code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : Number.NaN;
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .replace(/\s+/g, ' ')
    .trim();

const BATCH = 2000;

// Batches of releases, each in a transaction. Should the migration stop half-way, running it again
// goes on where it stopped: the column is added once, and only empty texts of non-empty bodies filled.
export async function up(db: Kysely<any>): Promise<void> {
  const { rows: columns } = await sql<{ name: string }>`select name from pragma_table_info('releases')`.execute(db);
  if (!columns.some((c) => c.name === 'body_text')) await db.schema.alterTable('releases').addColumn('body_text', 'text', (c) => c.notNull().defaultTo('')).execute();
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; body_html: string; body_text: string }>`
      select id, body_html, body_text from releases where id > ${after} order by id limit ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) if (r.body_text === '' && r.body_html !== '') await sql`update releases set body_text = ${htmlToText(r.body_html)} where id = ${r.id}`.execute(trx);
    });
    after = rows.at(-1)!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('releases').dropColumn('body_text').execute();
}
