// Who may read the API, and how often: every API route (`config: { api: true }`) answers any
// origin (CORS, reads only: the API has nothing to write and no cookies matter to it) and counts
// requests per address (API_RATE_LIMIT a minute, @fastify/rate-limit's store), saying so in the
// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` fields of the
// IETF draft (draft-ietf-httpapi-ratelimit-headers); over the limit, 429 with `Retry-After` and a
// problem document. Registered before the page cache, whose hook answers cached pages: a cached
// answer is counted like any other.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

export default fp(
  async (app, { perMinute }: { perMinute: number }) => {
    const limiter = perMinute > 0 ? app.createRateLimit({ max: perMinute, timeWindow: 60_000 }) : null;
    const policy = `${perMinute};w=60`;
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.routeOptions.config.api) return;
      reply.headers(CORS_HEADERS);
      if (!limiter) return;
      const result = await limiter(request);
      // `isAllowed`: an address on the limiter's allow-list (none here), not counted.
      if (result.isAllowed) return;
      const reset = Math.max(0, Math.ceil(result.ttlInSeconds));
      reply.header('ratelimit-limit', result.max).header('ratelimit-remaining', Math.max(0, result.remaining)).header('ratelimit-reset', reset).header('ratelimit-policy', policy);
      if (!result.isExceeded) return;
      reply.header('retry-after', Math.max(1, reset));
      return sendProblem(reply, problemOf(request, 429, 'rate-limited', request.t.t('api.problem.rate-limited.detail', { limit: perMinute })));
    });
  },
  { name: 'api-access', dependencies: ['security', 'views'] },
);
