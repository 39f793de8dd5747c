// Whether an IP address is on the public internet: the one rule for every request the server makes
// to an address a user gave (webhooks, „Echtheit prüfen“ by URL). Not public: loopback, private,
// shared (CGNAT), link-local (with the cloud metadata address 169.254.169.254), multicast,
// documentation and other reserved ranges, also when wrapped in IPv6 (mapped, NAT64, 6to4).
import { BlockList, isIP } from 'node:net';

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

/** Whether the server may connect to this IP address on a user's behalf. */
export const isPublicAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(ipv6Bytes(address));
  if (inner !== null) return isPublicAddress(inner);
  return !blocked.check(address.split('%')[0]!, 'ipv6');
};
