// A search thread (see search.pool.ts): its own read-only connection to the database file and its own
// search service, answering `search` requests. The main thread passes its clock's time and its
// content version with every request, so a test's fixed clock holds here too and what the search
// service keeps per content version is dropped the moment the main thread changes something.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from '../../db/database.ts';
import { CACHE_KIB, withStatementCache } from '../../db/connect.ts';
import { publicCardsByIds } from '../releases/release-cards.ts';
import { createSearchService } from './search.service.ts';
import type { SearchRequest, SearchResponse } from './search.pool.ts';

const port = parentPort!;
const { file } = workerData as { file: string };

// WAL lets this connection read while the main thread writes; it sees every committed change.
const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma(`cache_size = -${CACHE_KIB}`);
const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });

let now = new Date();
let version = 0;
const clock = { now: () => new Date(now) };
// Cards through release-cards.ts, not the releases service: a thread needs nothing else of it.
const search = createSearchService({ db, clock, releases: { publicCardsByIds: (ids) => publicCardsByIds(db, ids, clock.now().toISOString()), contentVersion: async () => version } });

port.on('message', async (request: SearchRequest) => {
  now = new Date(request.now);
  version = request.version;
  let response: SearchResponse;
  try {
    response = { id: request.id, result: await search.search(request.query, request.filters, request.options) };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  port.postMessage(response);
});
