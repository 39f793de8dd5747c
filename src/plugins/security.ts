// Security headers (helmet with a strict CSP), rate limits (opt-in per route), and form bodies.
// Forms use `formRateLimit`: over the limit, the request is only marked (`request.rateLimited`,
// with Retry-After), so the route shows its form again with 429, a message and what was typed,
// instead of an error page that loses it.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import formbody from '@fastify/formbody';
import { cleanInput } from '../lib/input-text.ts';

/** The site's Content Security Policy: scripts, styles and the rest from the site only; no frames of its pages elsewhere. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
};

/**
 * The route option (`helmet: EMBEDDABLE`) of the pages made for other sites' iframes (the embeds):
 * the same policy, but any site may frame them (`frame-ancestors *`, no X-Frame-Options). Nothing
 * else of the site may be framed.
 */
export const EMBEDDABLE = {
  contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES, frameAncestors: ['*'] } },
  frameguard: false,
} as const;

export default fp(
  async (app, { https }: { https: boolean }) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      crossOriginEmbedderPolicy: false,
      // Photos and feeds are meant to be fetched by other sites' readers and tools.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // HSTS only where the site is served over https; on a laptop's http://127.0.0.1 it means nothing.
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    });
    await app.register(rateLimit, { global: false });
    app.decorateRequest('rateLimited', false);
    app.decorate('formRateLimit', (options: { max: number; timeWindow: string }) => {
      const limiter = app.createRateLimit(options);
      return async function markRateLimited(request: FastifyRequest, reply: FastifyReply) {
        const result = await limiter(request);
        if (result.isAllowed || !result.isExceeded) return;
        request.rateLimited = true;
        reply.header('retry-after', result.ttlInSeconds);
      };
    });
    await app.register(formbody, { bodyLimit: 1024 * 1024 });
    // Control characters leave every form and JSON body here, before validation (lib/input-text.ts).
    app.addHook('preValidation', async (request) => {
      if (request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) request.body = cleanInput(request.body);
    });
  },
  { name: 'security' },
);
