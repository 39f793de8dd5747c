// One attempt of a delivery: POSTs the body to the endpoint, connecting to the address that
// webhooks.address.ts checked (a `lookup` that answers with it, so DNS is asked once and cannot
// change its mind between the check and the connection), within a time limit. A 307 or 308
// redirect (which keep the method and body) is followed up to three times, each target checked like
// the first; any other redirect is a failure, as is every answer outside 2xx.
import { http, https } from '../../lib/http-modules.ts';
import type { LookupFunction } from 'node:net';
import { resolveTarget, type CheckedTarget } from './webhooks.address.ts';

export interface PostResult {
  ok: boolean;
  /** The HTTP status of the last answer, if there was one. */
  status: number | null;
  /** Why it failed, in a few words for the delivery log (never the body's text). */
  error: string | null;
}

export interface PostOptions {
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs: number;
  userAgent: string;
  /** Checks an address (default webhooks.address.ts `resolveTarget`); a test stands in to reach a redirect from loopback. */
  resolve?: typeof resolveTarget;
}

const MAX_REDIRECTS = 3;
/** Of an answer's body only this much is read (and then dropped): receivers have nothing to tell us. */
const MAX_ANSWER_BYTES = 64 * 1024;

const pinned = (target: CheckedTarget): LookupFunction =>
  ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;

const once = (target: CheckedTarget, options: PostOptions): Promise<{ status: number; location: string | undefined } | { error: string }> =>
  new Promise((resolve) => {
    const client = target.url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (value: { status: number; location: string | undefined } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned(target),
        headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body), 'user-agent': options.userAgent },
        // No connection pooling: each attempt stands alone.
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const done = () => finish({ status: response.statusCode ?? 0, location: response.headers.location });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ error: `no answer within ${Math.round(options.timeoutMs / 1000)} s` });
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ? `${error.code}` : 'connection failed' }));
    request.end(options.body);
  });

/** POSTs the body to `url`, following 307/308 redirects to checked addresses only. */
export const postWebhook = async (url: string, options: PostOptions): Promise<PostResult> => {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = await (options.resolve ?? resolveTarget)(current, options.allowPrivate);
    if ('problem' in target) return { ok: false, status: null, error: hop === 0 ? `address refused: ${target.problem}` : `redirect refused: ${target.problem}` };
    const answer = await once(target, options);
    if ('error' in answer) return { ok: false, status: null, error: answer.error };
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, error: null };
    if ((answer.status === 307 || answer.status === 308) && answer.location) {
      try {
        current = new URL(answer.location, target.url).toString();
      } catch {
        return { ok: false, status: answer.status, error: 'redirect to an invalid address' };
      }
      continue;
    }
    return { ok: false, status: answer.status, error: answer.status >= 300 && answer.status < 400 ? `redirect (${answer.status}) not followed: only 307 and 308 keep the POST` : `HTTP ${answer.status}` };
  }
  return { ok: false, status: null, error: `more than ${MAX_REDIRECTS} redirects` };
};
