// The table types are generated from the migrations (`npm run db:codegen`); this fails when a
// migration changed the schema and schema.generated.ts was not regenerated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSchemaTypes, SCHEMA_FILE } from '../../src/db/codegen.ts';
import { readFile } from 'node:fs/promises';

test('src/db/schema.generated.ts matches the migrated schema', async () => {
  const text = await readFile(SCHEMA_FILE, 'utf8');
  // The right file: every table of the migrations is in it, with the narrowed status column.
  assert.match(text, /^  releases: Releases;$/m);
  assert.match(text, /status: Generated<'draft' \| 'scheduled' \| 'published' \| 'withdrawn'>;/);
  await assert.doesNotReject(generateSchemaTypes({ verify: true }), 'stale: run `npm run db:codegen`');
});
