// Password hashing with scrypt from node:crypto. The stored form carries its parameters
// (`scrypt$N$r$p$salt$hash`), so the cost can be raised later without breaking old hashes.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** OWASP's recommendation for scrypt: N = 2^17, r = 8, p = 1 (128 MiB, about 0.25 s). */
export const STRONG = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

const maxmemFor = (N: number, r: number) => 256 * N * r + 1024 * 1024;

export const hashPassword = async (password: string, params = STRONG): Promise<string> => {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: maxmemFor(params.N, params.r) });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scrypt(password, Buffer.from(parts[4]!, 'base64url'), expected.length, { N, r, p, maxmem: maxmemFor(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
};

/** A hash no password matches, verified against when the account is unknown, so answers take as long (made once per set of parameters). */
const dummies = new Map<string, Promise<string>>();
export const dummyHash = (params = STRONG): Promise<string> => {
  const key = `${params.N}$${params.r}$${params.p}`;
  let dummy = dummies.get(key);
  if (!dummy) {
    dummy = hashPassword(randomBytes(18).toString('base64url'), params);
    dummies.set(key, dummy);
  }
  return dummy;
};
