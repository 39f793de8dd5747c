// `npm run db:codegen`: migrates a temporary database and writes its table types with kysely-codegen
// into schema.generated.ts. `--verify` only compares (a unit test runs it, so stale types fail the
// run). The columns the migrations CHECK against a list of values are typed with that list (below;
// database.ts names the unions); integer primary keys, which SQLite reports as nullable, are typed
// as numbers; the FTS5 index tables are left out (search.repository.ts uses raw SQL for them).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

export const SCHEMA_FILE = path.resolve(import.meta.dirname, 'schema.generated.ts');
const BIN = path.resolve(import.meta.dirname, '../../node_modules/.bin/kysely-codegen');

const LANGUAGE = "'de' | 'en'";
const FREQUENCY = "'immediately' | 'daily' | 'weekly'";
const ROLE = "'owner' | 'editor'";

const COLUMN_TYPES: Record<string, string> = {
  'offices.language': `Generated<${LANGUAGE}>`,
  'releases.language': `Generated<${LANGUAGE}>`,
  'releases.status': "Generated<'draft' | 'scheduled' | 'published' | 'withdrawn'>",
  'memberships.role': ROLE,
  'user_tokens.purpose': "'set-password' | 'reset' | 'invite'",
  'user_tokens.role': `${ROLE} | null`,
  'subscriptions.frequency': FREQUENCY,
  'subscriptions.lang': `Generated<${LANGUAGE}>`,
  'subscriptions.status': "Generated<'active' | 'suspended'>",
  'subscription_targets.kind': "'office' | 'topic' | 'region' | 'search' | 'all'",
  'subscription_requests.frequency': FREQUENCY,
  'subscription_requests.lang': `Generated<${LANGUAGE}>`,
  'mail_outbox.kind': "'confirmation' | 'instant' | 'digest' | 'password-reset' | 'invitation' | 'application-confirmation' | 'application-declined' | 'webhook-disabled' | 'correction' | 'withdrawal' | 'journalist-login' | 'accreditation-decision' | 'accreditation-request' | 'prerelease' | 'prerelease-changed' | 'journalist-address' | 'journalist-address-changed'",
  'mail_outbox.lang': `${LANGUAGE} | null`,
  'mail_outbox.status': "Generated<'queued' | 'sending' | 'sent' | 'failed' | 'cancelled'>",
  'digest_runs.frequency': "'daily' | 'weekly'",
  'term_redirects.kind': "'topics' | 'regions'",
  'legal_pages.kind': "'imprint' | 'privacy'",
  'office_applications.lang': `Generated<${LANGUAGE}>`,
  'webhook_endpoints.status': "Generated<'active' | 'disabled'>",
  'webhook_events.type': "'release.published' | 'release.corrected' | 'release.withdrawn' | 'webhook.test'",
  'webhook_deliveries.status': "Generated<'queued' | 'sending' | 'delivered' | 'failed' | 'cancelled'>",
  'office_applications.status': "Generated<'unconfirmed' | 'confirmed' | 'accepted' | 'declined'>",
  'journalists.lang': `Generated<${LANGUAGE}>`,
  'journalist_tokens.purpose': "'login'",
  'accreditations.status': "'requested' | 'accepted' | 'refused' | 'revoked'",
  'prerelease_recipients.lang': `Generated<${LANGUAGE}>`,
  'prerelease_recipients.revoked_reason': "'removed' | 'cancelled' | 'withdrawn' | null",
  'prerelease_events.kind': "'opened' | 'press-kit' | 'photo' | 'attachment' | 'text'",
  // Primary keys: an INTEGER PRIMARY KEY is the rowid, never null; the TEXT keys are never null either.
  'release_fanouts.release_id': 'number',
  'releases_fts_keys.release_id': 'number',
  'sessions.id_hash': 'string',
  'user_tokens.token_hash': 'string',
  'form_stashes.token_hash': 'string',
  'login_throttles.key': 'string',
  'federation_posts.release_id': 'number',
  'federation_kv.key': 'string',
  'signing_keys.id': 'string',
  'journalist_tokens.token_hash': 'string',
  'journalist_sessions.id_hash': 'string',
};
const TABLES_WITH_ID = ['accreditations', 'audit_events', 'contacts', 'digest_runs', 'federation_followers', 'federation_queue', 'journalists', 'mail_outbox', 'office_applications', 'offices', 'prerelease_events', 'prerelease_recipients', 'regions', 'release_attachments', 'release_photos', 'release_revisions', 'release_signatures', 'releases', 'site_state', 'subscription_requests', 'subscriptions', 'topics', 'users', 'webhook_deliveries', 'webhook_endpoints', 'webhook_events'];
for (const table of TABLES_WITH_ID) COLUMN_TYPES[`${table}.id`] = table === 'site_state' ? 'number' : 'Generated<number>';

const codegenArgs = (databaseFile: string, verify: boolean): string[] => [
  '--dialect',
  'sqlite',
  '--url',
  databaseFile,
  '--out-file',
  SCHEMA_FILE,
  '--exclude-pattern',
  'releases_fts{,_config,_data,_docsize,_idx,_terms,_titles,_titles_config,_titles_data,_titles_docsize,_titles_idx}',
  '--overrides',
  JSON.stringify({ columns: COLUMN_TYPES }),
  '--log-level',
  'error',
  ...(verify ? ['--verify'] : []),
];

/** Migrates a temporary database and runs kysely-codegen on it; with `verify`, rejects when the file differs. */
export const generateSchemaTypes = async ({ verify = false } = {}): Promise<void> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'herold-codegen-'));
  try {
    const file = path.join(dir, 'codegen.sqlite');
    const { db } = openDatabase(file);
    await migrateToLatest(db);
    await db.destroy();
    await promisify(execFile)(BIN, codegenArgs(file, verify));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

if (import.meta.main) {
  const verify = process.argv.includes('--verify');
  try {
    await generateSchemaTypes({ verify });
    console.log(verify ? `${path.relative(process.cwd(), SCHEMA_FILE)} is up to date.` : `Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}.`);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    // kysely-codegen tries TypeScript's compiler API on each override and says so on stderr when the
    // installed TypeScript (the native 7.x) has none; it then prints the override as written, which is
    // what we want. Only the rest is worth reading.
    const noise = /^(?:Failed to parse type expression: .*|\s+at .*)$/;
    console.error((e.stderr || e.stdout || e.message).split('\n').filter((line) => !noise.test(line)).join('\n'));
    process.exitCode = 1;
  }
}
