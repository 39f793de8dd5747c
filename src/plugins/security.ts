// Security headers (helmet's with a strict CSP, computed once), rate limits (opt-in per route), and
// form bodies.
// Forms use `formRateLimit`: over the limit, the request is only marked (`request.rateLimited`,
// with Retry-After), so the route shows its form again with 429, a message and what was typed,
// instead of an error page that loses it.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import rateLimit, { normalizeIP, type RateLimitPluginOptions } from '@fastify/rate-limit';
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
 * The headers helmet sets for `options`, worked out once. Our policies are constant (no nonces, no
 * per-request directives), so the answer is the same for every request; @fastify/helmet built
 * helmet's middleware anew on every request instead, a tenth of a cached API answer's time.
 */
export const securityHeadersOf = (options: HelmetOptions): Readonly<Record<string, string>> => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
};

const policy = (https: boolean, frameAncestors: string[]): HelmetOptions => ({
  contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES, frameAncestors } },
  crossOriginEmbedderPolicy: false,
  // Photos and feeds are meant to be fetched by other sites' readers and tools.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  // HSTS only where the site is served over https; on a laptop's http://127.0.0.1 it means nothing.
  strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  // The pages made for other sites' iframes (route config `embed`, the embeds) may be framed by any
  // site: `frame-ancestors *` and no X-Frame-Options. Nothing else of the site may be framed.
  xFrameOptions: frameAncestors.includes('*') ? false : { action: 'sameorigin' },
});

export default fp(
  async (app, { https, rateLimitStore }: { https: boolean; rateLimitStore?: RateLimitPluginOptions['store'] }) => {
    const site = securityHeadersOf(policy(https, ["'none'"]));
    const embeddable = securityHeadersOf(policy(https, ['*']));
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(request.routeOptions.config.embed ? embeddable : site);
      done();
    });
    // Several servers on one database count the form limits there (rate-limit-store.ts); one counts in memory.
    await app.register(rateLimit, { global: false, ...(rateLimitStore ? { store: rateLimitStore } : {}) });
    app.decorateRequest('rateLimited', false);
    app.decorate('formRateLimit', (name: string, options: { max: number; timeWindow: string }) => {
      // The form's name in the key: one address's logins and its password resets are counted apart.
      // The address as the plugin counts it by default: an IPv6 address by its /64, so no one gets round the limit by taking the next address.
      const limiter = app.createRateLimit({ ...options, keyGenerator: (request) => `${name}:${normalizeIP(request.ip)}` });
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
