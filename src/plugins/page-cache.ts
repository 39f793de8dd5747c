// Rendered public pages, kept in memory per URL and language until the content version changes.
// Routes opt in with `config: { pageCache: true }`. Answers carry an ETag; a matching
// If-None-Match gets 304. Scheduled releases are safe: pages are only ever rendered with what is
// public at that moment, and the publish job bumps the version when a scheduled time comes.
// A cached page is kept as bytes (encoded to UTF-8 once, not on every answer) and, the first time a
// client asks for it, compressed once per encoding: a hit costs a map lookup, never a brotli run.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
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

type Encoding = 'br' | 'gzip';

interface Entry {
  version: number;
  body: Buffer;
  etag: string;
  contentType: string;
  compressed: Partial<Record<Encoding, Buffer>>;
}

export interface PageCacheOptions {
  /** Reads the current content version (memoised by the caller). */
  version: () => Promise<number>;
  maxEntries?: number;
  /** Smaller bodies are sent uncompressed (as @fastify/compress's threshold). */
  compressThreshold?: number;
}

const etagMatches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

/** The encoding to answer with: br before gzip, skipping any the client refuses with q=0. */
export const chooseEncoding = (header: string | undefined): Encoding | null => {
  if (!header) return null;
  const accepted = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
};

const compress = (body: Buffer, encoding: Encoding): Buffer =>
  encoding === 'br'
    ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: 6 });

export default fp(
  async (app, { version, maxEntries = 2000, compressThreshold = 1024 }: PageCacheOptions) => {
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
      reply.type(entry.contentType);
      const encoding = entry.body.length >= compressThreshold && request.headers['x-no-compression'] === undefined ? chooseEncoding(request.headers['accept-encoding']) : null;
      if (encoding === null) return reply.send(entry.body);
      // A content-encoding header tells @fastify/compress the body is compressed already.
      const body = (entry.compressed[encoding] ??= compress(entry.body, encoding));
      return reply.header('content-encoding', encoding).send(body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.pageCacheKey;
      if (key === null || reply.statusCode !== 200 || typeof payload !== 'string' || reply.hasHeader('etag')) return payload;
      const body = Buffer.from(payload);
      const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
      entries.set(key, { version: request.pageCacheVersion, body, etag, contentType: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'), compressed: {} });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      reply.header('etag', etag).header('cache-control', 'public, max-age=60').header('vary', 'Cookie, Accept-Encoding');
      if (etagMatches(request.headers['if-none-match'], etag)) {
        reply.code(304);
        return '';
      }
      return body;
    });
  },
  { name: 'page-cache', dependencies: ['views'] },
);
