// Searches in worker threads. better-sqlite3 is synchronous, so a search in the main thread holds up
// every other request for its few milliseconds; with SEARCH_WORKERS threads (search.worker.ts, each
// with its own read-only connection; WAL lets them read while the main thread writes) searches run
// on the other cores while the main thread parses requests and renders pages. The pool replaces
// only `search` of the search service; alerts and follow targets stay in the main thread.
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../lib/clock.ts';
import type { SearchFilters, SearchOptions, SearchResult, SearchService } from './search.service.ts';

export interface SearchRequest {
  id: number;
  now: string;
  version: number;
  query: string;
  filters: SearchFilters;
  options: SearchOptions;
}

export type SearchResponse = { id: number; result: SearchResult; error?: undefined } | { id: number; error: string };

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (r: SearchResult) => void; reject: (e: Error) => void }>;
}

export interface SearchPoolOptions {
  /** The SQLite database file (the workers open it read-only). */
  file: string;
  size: number;
  clock: Clock;
  contentVersion: () => Promise<number>;
  /** Searches in this thread: used once the threads have failed too often. */
  fallback: SearchService['search'];
  /** Told when a thread fails; its pending searches fail and it is replaced (three times at most). */
  onError?: (error: Error) => void;
}

/** After this many failed threads the pool gives up and searches in the main thread. */
const MAX_FAILURES = 3;

/**
 * The young generation of a search thread, in MB. A search's garbage is small and short-lived; with
 * the 16 MB the server's `--max-semi-space-size=8` gives every isolate, a thread's heap stood at
 * 34 MB for 16 MB used. With 4 MB: 22 MB, searches as fast (1,500 searches on 100,000 releases,
 * p50 1.65 against 1.73 ms), 12 MB less resident memory a thread. V8 lets that flag override this
 * limit; the entry point (src/server.js) sets it back once the main thread's heap is made.
 */
const THREAD_YOUNG_GENERATION_MB = 4;

export interface SearchPool {
  search: SearchService['search'];
  close(): Promise<void>;
}

export const createSearchPool = ({ file, size, clock, contentVersion, fallback, onError }: SearchPoolOptions): SearchPool => {
  let nextId = 1;
  let closed = false;
  let failures = 0;
  let threads: Thread[] = [];

  const start = (): Thread => {
    const worker = new Worker(new URL('./search.worker.ts', import.meta.url), { workerData: { file }, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (response: SearchResponse) => {
      const waiting = thread.pending.get(response.id);
      if (!waiting) return;
      thread.pending.delete(response.id);
      if (response.error !== undefined) waiting.reject(new Error(`search worker: ${response.error}`));
      else waiting.resolve(response.result);
    });
    const fail = (error: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
      if (closed || !threads.includes(thread)) return;
      onError?.(error);
      failures++;
      threads = failures < MAX_FAILURES ? threads.map((t) => (t === thread ? start() : t)) : threads.filter((t) => t !== thread);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`search worker stopped (exit code ${code})`)));
    // An idle thread does not keep the process alive.
    worker.unref();
    return thread;
  };
  for (let i = 0; i < size; i++) threads.push(start());

  return {
    async search(query, filters = {}, options = {}) {
      if (closed) throw new Error('The search pool is closed');
      if (threads.length === 0) return fallback(query, filters, options);
      const version = await contentVersion();
      // The least busy thread; the first among equals.
      const thread = threads.reduce((best, t) => (t.pending.size < best.pending.size ? t : best));
      const id = nextId++;
      const request: SearchRequest = { id, now: clock.now().toISOString(), version, query, filters, options };
      const answer = new Promise<SearchResult>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        // A thread with a search under way keeps the process alive until it answers.
        thread.worker.ref();
        thread.worker.postMessage(request);
      }).finally(() => {
        if (thread.pending.size === 0) thread.worker.unref();
      });
      // A thread that failed (and was reported) leaves its searches to the main thread.
      return answer.catch(() => fallback(query, filters, options));
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
};
