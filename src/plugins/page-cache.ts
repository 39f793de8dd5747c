// Rendered public pages and feeds, kept in memory per URL (and language) until the content version
// changes. Routes opt in with `config: { pageCache: true }`, or with options (see PageCacheRoute).
// Answers carry an ETag and a Last-Modified (the time of the last public change); a matching
// If-None-Match, or without one a satisfied If-Modified-Since, gets 304; the ETag is the hash of the
// body's UTF-8 bytes, the same in every coding. An entry keeps its body only in the codings clients
// have asked for (brotli for browsers, gzip for clients without it, the plain bytes for the few
// that take no compression): a page is compressed once, when it is stored or first asked for that
// way, and a coding not yet held is made from one that is, so the plain bytes are not kept beside a
// compressed body merely to make others from. Scheduled releases are safe: pages are only ever
// rendered with what is public at that moment, and the publish job bumps the version when a
// scheduled time comes.
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ownedBytes, ownedUtf8 } from '../lib/owned-bytes.ts';

export interface PageCacheRoute {
  /** Cache-Control max-age in seconds (default 60). */
  maxAge?: number;
  /** The answer is the same in every UI language: one entry for all, no `Vary: Cookie`. */
  shared?: boolean;
  /** Only these query parameters make a different answer; others are left out of the key. */
  query?: readonly string[];
}


type Encoding = 'br' | 'gzip';
/** How a body is sent: compressed, or as its UTF-8 bytes. */
type Coding = Encoding | 'identity';

interface Entry {
  version: number;
  /** The length of the body as UTF-8: whether it is compressed at all (`compressThreshold`). */
  rawLength: number;
  /**
   * The body in each coding asked for so far, at least one. On the data of 100,000 releases a
   * release page is 12.7 KiB and 3.9 KiB compressed: the plain bytes kept beside the one coding a
   * reader asks for made an entry four times the size it needs to be.
   */
  bodies: Partial<Record<Coding, Buffer>>;
  /** The hash of the body as UTF-8, whichever coding is sent: one ETag per version of a page. */
  etag: string;
  lastModified: string;
  contentType: string;
  /** ETag, Last-Modified, Cache-Control, Vary and the answer's Link, as sent. */
  headers: Record<string, string>;
  /** The same with the content type: what a cache hit writes besides the request's own headers. */
  sendHeaders: Record<string, string>;
}

export interface ContentState {
  version: number;
  changedAt: string;
}

export interface PageCacheOptions {
  /** Reads the current content version and the time of the last change (memoised by the caller). */
  state: () => Promise<ContentState>;
  /** The state `state` would answer, if it has it at hand without reading (else null). */
  peek?: () => ContentState | null;
  maxEntries?: number;
  /**
   * Upper bound of the bytes held (the bodies in every coding kept), so odd query strings cannot
   * fill memory. The default, 16 MiB, is twice what 2,000 entries took on the data of 100,000
   * releases with clients that all ask for one coding (7.9 MiB: a release page 3.9 KiB compressed,
   * a feed 11 KiB); clients without compression, at 12.7 KiB a release page, find 900 pages kept.
   */
  maxBytes?: number;
  /** Bodies smaller than this are sent uncompressed (as @fastify/compress does). */
  compressThreshold?: number;
}

const etagMatches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);

/** HTTP dates have whole seconds: not modified if the last change lies within the second of If-Modified-Since or before. */
const notModifiedSince = (header: string | undefined, lastModified: string): boolean => {
  if (!header) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since;
};

const isNotModified = (request: FastifyRequest, etag: string, lastModified: string): boolean => {
  const inm = request.headers['if-none-match'];
  // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
  if (inm !== undefined) return etagMatches(inm, etag);
  return notModifiedSince(request.headers['if-modified-since'], lastModified);
};

/** The best encoding the client accepts, preferring brotli; q=0 refuses. */
export const chooseEncoding = (header: string | string[] | undefined): Encoding | null => {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of String(header).toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name!.trim(), q ? Number(q[1]) : 1);
  }
  // Brotli only when named: a bare `*` gets gzip, which every client that sends it understands.
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? accepted.get('*') ?? 0) > 0) return 'gzip';
  return null;
};

/** The body in `coding`, made from its UTF-8 bytes, in memory of its own: it is kept in the entry. */
const encode = (raw: Buffer, coding: Coding): Buffer => {
  if (coding === 'identity') return ownedBytes(raw);
  return ownedBytes(
    coding === 'br'
      ? brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4, [zlibConstants.BROTLI_PARAM_LGWIN]: 18, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : gzipSync(raw),
  );
};

/** The body's UTF-8 bytes again, from whichever coding the entry holds (brotli and gzip both decode quickly). */
const decode = ({ identity, br, gzip }: Entry['bodies']): Buffer => identity ?? (br ? brotliDecompressSync(br) : gunzipSync(gzip!));

const routeOptions = (request: FastifyRequest): PageCacheRoute | null => {
  const setting = request.routeOptions.config.pageCache;
  if (!setting) return null;
  return setting === true ? {} : setting;
};

export default fp(
  async (app, { state, peek = () => null, maxEntries = 2000, maxBytes = 16 * 1024 * 1024, compressThreshold = 1024 }: PageCacheOptions) => {
    const entries = new Map<string, Entry>();
    let heldBytes = 0;
    app.decorateRequest('pageCacheKey', null);
    app.decorateRequest('pageCacheVersion', 0);
    app.decorateRequest('pageCacheChangedAt', '');
    app.decorateRequest('pageCacheHit', false);

    const keyOf = (request: FastifyRequest, options: PageCacheRoute): string => {
      let url = request.url;
      if (options.query) {
        const [path, search = ''] = url.split('?', 2) as [string, string?];
        const params = new URLSearchParams(search);
        const kept = options.query.flatMap((name) => params.getAll(name).map((value) => [name, value]));
        url = kept.length > 0 ? `${path}?${new URLSearchParams(kept).toString()}` : path;
      }
      return options.shared ? url : `${request.lang}\u0000${url}`;
    };

    /** What an entry holds: its body in the codings kept. */
    const sizeOf = ({ bodies }: Entry): number => (bodies.identity?.length ?? 0) + (bodies.br?.length ?? 0) + (bodies.gzip?.length ?? 0);
    const evict = () => {
      while (entries.size > maxEntries || (heldBytes > maxBytes && entries.size > 1)) {
        const [oldestKey, oldest] = entries.entries().next().value!;
        entries.delete(oldestKey);
        heldBytes -= sizeOf(oldest);
      }
    };
    /** The coding a request gets: the best it accepts, unless the body is too small to compress. */
    const codingOf = (request: FastifyRequest, rawLength: number): Coding => (rawLength >= compressThreshold ? chooseEncoding(request.headers['accept-encoding']) : null) ?? 'identity';
    /** The entry's body in `coding`, made and kept if it was not yet asked for. */
    const bodyOf = (entry: Entry, coding: Coding): Buffer => {
      let body = entry.bodies[coding];
      if (!body) {
        body = entry.bodies[coding] = encode(decode(entry.bodies), coding);
        heldBytes += body.length;
        evict();
      }
      return body;
    };
    const store = (key: string, entry: Entry) => {
      const old = entries.get(key);
      if (old) {
        heldBytes -= sizeOf(old);
        entries.delete(key);
      }
      entries.set(key, entry);
      heldBytes += sizeOf(entry);
      evict();
    };

    const cacheHeaders = (options: PageCacheRoute, etag: string, lastModified: string): Record<string, string> => ({
      etag,
      'last-modified': new Date(lastModified).toUTCString(),
      'cache-control': `public, max-age=${options.maxAge ?? 60}`,
      // Lower case, as @fastify/compress writes it: it looks for this spelling before adding its own.
      vary: options.shared ? 'accept-encoding' : 'cookie, accept-encoding',
    });

    /** Answers a cached page from the entry of the request's key, if it is current; says whether it did. */
    const answerFromCache = (request: FastifyRequest, reply: FastifyReply, options: PageCacheRoute, current: ContentState): boolean => {
      const key = keyOf(request, options);
      request.pageCacheKey = key;
      request.pageCacheVersion = current.version;
      request.pageCacheChangedAt = current.changedAt;
      const entry = entries.get(key);
      if (!entry || entry.version !== current.version) return false;
      // Refresh recency for the LRU order.
      entries.delete(key);
      entries.set(key, entry);
      request.pageCacheHit = true;
      if (isNotModified(request, entry.etag, entry.lastModified)) {
        reply.headers(entry.headers).code(304).send();
        return true;
      }
      const coding = codingOf(request, entry.rawLength);
      const body = bodyOf(entry, coding);
      // Written straight to the socket: the answer is complete, so Fastify's onSend hooks (cookies,
      // compression, this plugin's own) have nothing to do, and running them, with a header check
      // each, cost a third of a cached API answer's time against the bare ceiling. The headers set
      // so far (security headers, CORS and rate limit of the API) go along; onResponse hooks (the
      // request log) still run when the answer is finished.
      const headers: Record<string, string | number | string[]> = { ...(reply.getHeaders() as Record<string, string | number | string[]>), ...entry.sendHeaders, 'content-length': body.length };
      if (coding !== 'identity') headers['content-encoding'] = coding;
      reply.hijack();
      reply.raw.writeHead(200, headers);
      reply.raw.end(request.method === 'HEAD' ? undefined : body);
      return true;
    };

    // A callback hook rather than an async one: while the content version read within the last
    // second is still good (`peek`), a hit is answered without a promise or a turn of the event loop.
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return done();
      const options = routeOptions(request);
      if (!options) return done();
      const fresh = peek();
      if (fresh) {
        if (!answerFromCache(request, reply, options, fresh)) done();
        return;
      }
      state().then(
        (current) => {
          if (!answerFromCache(request, reply, options, current)) done();
        },
        (error: Error) => done(error),
      );
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.pageCacheKey;
      if (key === null || reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload)) || reply.hasHeader('etag')) return payload;
      const options = routeOptions(request) ?? {};
      // Encoded once (routes send text, or its UTF-8 bytes as the feeds do): the ETag is the hash of
      // these bytes, and they or their compressed form are what the cache keeps and sends (a string
      // would be encoded again for the hash and again for the socket). In memory of their own, so
      // that the bound on the cache's bytes is the bound on the memory it holds.
      const raw = typeof payload === 'string' ? ownedUtf8(payload) : ownedBytes(payload);
      const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
      const lastModified = request.pageCacheChangedAt || new Date(0).toISOString();
      const contentType = String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8');
      // A Link header (rel=next of an API page, rel=canonical of a release's .txt) belongs to the answer.
      const link = reply.getHeader('link');
      const headers = { ...cacheHeaders(options, etag, lastModified), ...(link !== undefined ? { link: String(link) } : {}) };
      // Kept in the coding this client asks for, and sent so: compressed here once, not once by
      // @fastify/compress for this answer and again for the next (it leaves an encoded answer alone).
      const coding = codingOf(request, raw.length);
      const body = encode(raw, coding);
      store(key, { version: request.pageCacheVersion, rawLength: raw.length, bodies: { [coding]: body }, etag, lastModified, contentType, headers, sendHeaders: { ...headers, 'content-type': contentType } });
      reply.headers(headers);
      if (isNotModified(request, etag, lastModified)) {
        reply.code(304);
        return '';
      }
      if (coding !== 'identity') reply.header('content-encoding', coding);
      return body;
    });
  },
  { name: 'page-cache', dependencies: ['views'] },
);
