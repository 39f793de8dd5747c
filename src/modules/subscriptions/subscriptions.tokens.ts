// Signed tokens for the links in mails: HMAC-SHA256 with SESSION_SECRET over a small JSON payload.
// Each token names its purpose, so a manage link cannot confirm and a confirmation link cannot
// unsubscribe. Confirmation tokens expire (7 days) and are single-use (they name a request row and
// its random nonce; the row is deleted on use). Manage and unsubscribe tokens do not expire (links
// in old mails must keep working, RFC 8058) but name the subscription's random token key, so
// deleting or re-keying a subscription revokes them.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPayload =
  | { p: 'confirm'; r: number; n: string; x: number }
  | { p: 'manage'; s: number; k: string }
  | { p: 'unsubscribe'; s: number; k: string }
  /** Confirms an application to join (modules/applications): its row and random nonce, and expiry. */
  | { p: 'application'; a: number; n: string; x: number };

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export const createTokens = (secret: string) => {
  const mac = (body: string) => createHmac('sha256', secret).update(`herold-subscription-token:${body}`).digest().subarray(0, 18);
  return {
    sign(payload: TokenPayload): string {
      const body = b64(JSON.stringify(payload));
      return `${body}.${b64(mac(body))}`;
    },
    /** The payload when the token is genuine and of `purpose`; undefined otherwise. Expiry is checked by the caller's clock. */
    verify<P extends TokenPayload['p']>(token: string, purpose: P): Extract<TokenPayload, { p: P }> | undefined {
      if (typeof token !== 'string' || token.length > 400 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return undefined;
      const [body, sig] = token.split('.') as [string, string];
      // Compare the text, not decoded bytes: base64 decoding would accept variants of a signature.
      const given = Buffer.from(sig);
      const expected = Buffer.from(b64(mac(body)));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
        return payload && payload.p === purpose ? (payload as Extract<TokenPayload, { p: P }>) : undefined;
      } catch {
        return undefined;
      }
    },
    /** A keyed hash of an IP address, for consent records and logs without the address itself. */
    hashIp(ip: string): string {
      return createHmac('sha256', secret).update(`ip:${ip}`).digest('base64url').slice(0, 22);
    },
  };
};

export type Tokens = ReturnType<typeof createTokens>;
