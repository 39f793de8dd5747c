// Where a webhook may go, so that an endpoint cannot make the server reach into its own network
// (SSRF): only https (http only with WEBHOOK_ALLOW_PRIVATE), no user name or password in the URL,
// and every address the host name resolves to must be public: no loopback, private, shared (CGNAT),
// link-local (with the cloud metadata address 169.254.169.254), multicast, documentation or other
// reserved range, also when wrapped in IPv6 (mapped, NAT64, 6to4). Checked when an endpoint is
// registered, and again before every attempt (DNS may have changed) and for every redirect; the
// connection then goes to the address that was checked (webhooks.post.ts), so a second DNS answer
// cannot slip in. WEBHOOK_ALLOW_PRIVATE=1 lifts the address rules (tests, a receiver on the same host).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type AddressProblem = 'invalidUrl' | 'notHttps' | 'credentials' | 'privateAddress' | 'unresolvable';

export interface CheckedTarget {
  url: URL;
  /** The address to connect to (checked). */
  address: string;
  family: 4 | 6;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address (already known to be one). */
const ipv6Bytes = (address: string): number[] => {
  let text = address.split('%')[0]!;
  // A dotted IPv4 tail (::ffff:1.2.3.4) as two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
};

/** An IPv4 address wrapped in an IPv6 one (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
const embeddedIpv4 = (bytes: number[]): string | null => {
  const is = (prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (is([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) || is([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return bytes.slice(12).join('.');
  if (is([0x20, 0x02])) return bytes.slice(2, 6).join('.');
  return null;
};

/** Whether a webhook may go to this IP address. */
export const isPublicAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(ipv6Bytes(address));
  if (inner !== null) return isPublicAddress(inner);
  return !blocked.check(address.split('%')[0]!, 'ipv6');
};

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
