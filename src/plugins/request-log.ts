// One log line per request, written when the answer has gone out: method, URL (one-time tokens
// masked, lib/redact.ts), status, time and, for page-cached routes, whether the cache answered.
// Fastify's own two lines per request ("incoming request", "request completed") are switched off
// in app.ts. Answers from the page cache and health checks are logged at debug only: they are the
// bulk of the traffic and say nothing an operator acts on.
import fp from 'fastify-plugin';
import { redactUrl } from '../lib/redact.ts';

export default fp(
  async (app) => {
    app.addHook('onResponse', async (request, reply) => {
      const cache = request.pageCacheHit ? 'hit' : request.pageCacheKey !== null ? 'miss' : undefined;
      const quiet = cache === 'hit' || request.routeOptions.url === '/healthz';
      const line = {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(cache ? { cache } : {}),
      };
      if (quiet) request.log.debug(line, 'request');
      else request.log.info(line, 'request');
    });
  },
  { name: 'request-log', dependencies: ['page-cache'] },
);
