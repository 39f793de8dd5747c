// Rendered public pages, kept in memory per URL and language until the content version changes.
// Routes opt in with `config: { pageCache: true }`. Answers carry an ETag; a matching
// If-None-Match gets 304. Scheduled releases are safe: pages are only ever rendered with what is
// public at that moment, and the publish job bumps the version when a scheduled time comes.
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    pageCache?: boolean;
  }
  interface FastifyRequest {
    pageCacheKey: string | null;
    pageCacheVersion: number;
  }
}

interface Entry {
  version: number;
  body: string;
  etag: string;
  contentType: string;
}

export interface PageCacheOptions {
  /** Reads the current content version (memoised by the caller). */
  version: () => Promise<number>;
  maxEntries?: number;
}

const etagMatches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

export default fp(
  async (app, { version, maxEntries = 2000 }: PageCacheOptions) => {
    const entries = new Map<string, Entry>();
    app.decorateRequest('pageCacheKey', null);
    app.decorateRequest('pageCacheVersion', 0);

    const keyOf = (request: FastifyRequest) => `${request.lang}\u0000${request.url}`;

    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (!request.routeOptions.config.pageCache) return;
      const key = keyOf(request);
      const current = await version();
      request.pageCacheKey = key;
      request.pageCacheVersion = current;
      const entry = entries.get(key);
      if (!entry || entry.version !== current) return;
      // Refresh recency for the LRU order.
      entries.delete(key);
      entries.set(key, entry);
      reply.header('etag', entry.etag).header('cache-control', 'public, max-age=60').header('vary', 'Cookie, Accept-Encoding');
      if (etagMatches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
      return reply.type(entry.contentType).send(entry.body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.pageCacheKey;
      if (key === null || reply.statusCode !== 200 || typeof payload !== 'string' || reply.hasHeader('etag')) return payload;
      const etag = `"${createHash('sha1').update(payload).digest('base64url').slice(0, 22)}"`;
      entries.set(key, { version: request.pageCacheVersion, body: payload, etag, contentType: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8') });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      reply.header('etag', etag).header('cache-control', 'public, max-age=60').header('vary', 'Cookie, Accept-Encoding');
      if (etagMatches(request.headers['if-none-match'], etag)) {
        reply.code(304);
        return '';
      }
      return payload;
    });
  },
  { name: 'page-cache', dependencies: ['views'] },
);
