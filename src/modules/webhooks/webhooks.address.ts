// Where a webhook may go, so that an endpoint cannot make the server reach into its own network
// (SSRF): only https (http only with WEBHOOK_ALLOW_PRIVATE), no user name or password in the URL,
// and every address the host name resolves to must be public: no loopback, private, shared (CGNAT),
// link-local (with the cloud metadata address 169.254.169.254), multicast, documentation or other
// reserved range, also when wrapped in IPv6 (mapped, NAT64, 6to4). Checked when an endpoint is
// registered, and again before every attempt (DNS may have changed) and for every redirect; the
// connection then goes to the address that was checked (webhooks.post.ts), so a second DNS answer
// cannot slip in. WEBHOOK_ALLOW_PRIVATE=1 lifts the address rules (tests, a receiver on the same host).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from '../../lib/public-address.ts';

export { isPublicAddress };

export type AddressProblem = 'invalidUrl' | 'notHttps' | 'credentials' | 'privateAddress' | 'unresolvable';

export interface CheckedTarget {
  url: URL;
  /** The address to connect to (checked). */
  address: string;
  family: 4 | 6;
}

/** The URL's own rules (scheme, no credentials), before any address is looked at. */
export const checkUrl = (raw: string, allowPrivate: boolean): { url: URL } | { problem: AddressProblem } => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: 'invalidUrl' };
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return { problem: url.protocol === 'http:' ? 'notHttps' : 'invalidUrl' };
  if (url.username || url.password) return { problem: 'credentials' };
  if (!url.hostname || raw.length > 2000) return { problem: 'invalidUrl' };
  return { url };
};

/** Resolves the URL's host and checks every address; the first is the one to connect to. */
export const resolveTarget = async (raw: string, allowPrivate: boolean): Promise<CheckedTarget | { problem: AddressProblem }> => {
  const checked = checkUrl(raw, allowPrivate);
  if ('problem' in checked) return checked;
  const { url } = checked;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      return { problem: 'unresolvable' };
    }
  }
  if (addresses.length === 0) return { problem: 'unresolvable' };
  if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) return { problem: 'privateAddress' };
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
};
