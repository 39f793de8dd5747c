// Who may read the API, and how often: every API route (`config: { api: true }`) answers any
// origin (CORS, reads only: the API has nothing to write and no cookies matter to it) and counts
// requests per address, API_RATE_LIMIT a minute, saying so in the `RateLimit-Limit`,
// `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` fields of the IETF draft
// (draft-ietf-httpapi-ratelimit-headers); over the limit, 429 with `Retry-After` and a problem
// document. Registered before the page cache, whose hook answers cached pages: a cached answer is
// counted like any other.
//
// The counter is our own (fixed one-minute windows, synchronous) rather than @fastify/rate-limit's
// store, which the forms use: it runs on every API answer, most of them straight from the cache,
// where its promise-based lookup cost a measurable share of the throughput.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { problemOf, sendProblem } from './api.problems.ts';

/** Headers a script on another site may read. */
const EXPOSED = 'ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy';

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSED,
};

/** What a preflight (OPTIONS) of a read is answered with. */
export const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, Accept-Language, If-None-Match, If-Modified-Since, Cache-Control',
  'access-control-max-age': '86400',
};

const WINDOW_MS = 60_000;
/** Addresses counted in one window at most; beyond, the window starts afresh (memory stays bounded). */
const MAX_ADDRESSES = 100_000;

/**
 * Requests per address in fixed windows of a minute: `hit` counts one and says how many are left
 * and how many seconds until the window ends.
 */
export const createCounter = (max: number, now: () => number = Date.now) => {
  let start = now();
  let counts = new Map<string, number>();
  return (address: string): { count: number; remaining: number; reset: number } => {
    const at = now();
    if (at - start >= WINDOW_MS || counts.size >= MAX_ADDRESSES) {
      start = at - ((at - start) % WINDOW_MS);
      counts = new Map();
    }
    const count = (counts.get(address) ?? 0) + 1;
    counts.set(address, count);
    return { count, remaining: Math.max(0, max - count), reset: Math.max(1, Math.ceil((start + WINDOW_MS - at) / 1000)) };
  };
};

export default fp(
  async (app, { perMinute }: { perMinute: number }) => {
    const hit = perMinute > 0 ? createCounter(perMinute) : null;
    const limit = String(perMinute);
    const policy = `${perMinute};w=60`;
    app.addHook('onRequest', function limitApi(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
      if (!request.routeOptions.config.api) return done();
      reply.headers(CORS_HEADERS);
      if (!hit) return done();
      const { count, remaining, reset } = hit(request.ip);
      reply.headers({ 'ratelimit-limit': limit, 'ratelimit-remaining': String(remaining), 'ratelimit-reset': String(reset), 'ratelimit-policy': policy });
      if (count <= perMinute) return done();
      reply.header('retry-after', String(reset));
      sendProblem(reply, problemOf(request, 429, 'rate-limited', request.t.t('api.problem.rate-limited.detail', { limit: perMinute })));
    });
  },
  { name: 'api-access', dependencies: ['security', 'views'] },
);
