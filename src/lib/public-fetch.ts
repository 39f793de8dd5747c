// Fetches a page someone else names (a link pasted into „Echtheit prüfen“) without letting them
// point the server at itself or its network: http(s) only, every address the name resolves to must
// be public (the check happens in the connection's own DNS lookup, so a name cannot resolve to a
// public address for the check and a private one for the request), at most three redirects (each
// checked again), a deadline and a size limit. `allowPrivate` (FEDERATION_ALLOW_PRIVATE, tests on
// loopback) lifts the address check.
import { isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { http, https } from './http-modules.ts';
import { isPublicAddress } from './public-address.ts';

export interface FetchedPage {
  url: string;
  contentType: string;
  body: string;
}

export class PublicFetchError extends Error {
  readonly reason: 'invalid' | 'private' | 'unreachable' | 'status' | 'tooLarge';
  constructor(reason: PublicFetchError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as { address: string; family: number }[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) return callback(new PublicFetchError('private', `${hostname} is not a public address`), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

export interface PublicFetchOptions {
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
}

export const fetchPublic = async (target: string, { allowPrivate = false, timeoutMs = 10_000, maxBytes = 2 * 1024 * 1024, userAgent = 'Herold' }: PublicFetchOptions = {}): Promise<FetchedPage> => {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new PublicFetchError('invalid', 'Not a URL');
  }
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PublicFetchError('invalid', 'Only http and https links');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(host) && !isPublicAddress(host)) throw new PublicFetchError('private', `${host} is not a public address`);
    const answer = await getOnce(url, { allowPrivate, timeoutMs, maxBytes, userAgent });
    if (answer.status >= 300 && answer.status < 400 && answer.location) {
      if (redirects >= 3) throw new PublicFetchError('unreachable', 'Too many redirects');
      url = new URL(answer.location, url);
      continue;
    }
    if (answer.status >= 400) throw new PublicFetchError('status', `The page answered ${answer.status}`);
    return { url: url.href, contentType: answer.contentType, body: answer.body };
  }
};

const getOnce = (url: URL, options: Required<PublicFetchOptions>) =>
  new Promise<{ status: number; location: string | undefined; contentType: string; body: string }>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, { headers: { 'user-agent': options.userAgent, accept: 'text/html, text/plain, application/json;q=0.9, */*;q=0.5' }, timeout: options.timeoutMs, ...(options.allowPrivate ? {} : { lookup: guardedLookup }) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          request.destroy(new PublicFetchError('tooLarge', 'The page is too large'));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, location: response.headers.location, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new PublicFetchError('unreachable', 'The page did not answer in time')));
    request.on('error', (error) => reject(error instanceof PublicFetchError ? error : new PublicFetchError('unreachable', error.message)));
  });
