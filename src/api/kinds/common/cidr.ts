/**
 * CIDR parsing for NetworkPolicy ipBlocks and EndpointSlice-like address checks (upstream
 * IsValidCIDR and the "strict subset" test of ValidateIPBlock). Addresses become BigInts so IPv4
 * and IPv6 share one code path.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  /** The network address as an integer (host bits kept as given). */
  address: bigint;
  prefix: number;
}

export const CIDR_ERROR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const n = ipv4ToBigInt(v4Tail[1] as string);
    text = `${text.slice(0, -(v4Tail[1] as string).length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(tail !== undefined ? missing : 0).fill('0'), ...tailParts];
  return parts.reduce((acc, p) => (acc << 16n) | BigInt(Number.parseInt(p || '0', 16)), 0n);
}

/** Parses `addr/prefix`; undefined when it is not a valid CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (isIPv4(ip) && prefix <= 32) return { family: 4, address: ipv4ToBigInt(ip), prefix };
  if (isIPv6(ip) && !ip.includes('%') && prefix <= 128) return { family: 6, address: ipv6ToBigInt(ip), prefix };
  return undefined;
}

function networkOf(c: Cidr, prefix: number): bigint {
  const width = c.family === 4 ? 32 : 128;
  const hostBits = BigInt(width - prefix);
  return (c.address >> hostBits) << hostBits;
}

/** Whether inner lies inside outer and is smaller than it. */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix > outer.prefix && networkOf(inner, outer.prefix) === networkOf(outer, outer.prefix);
}
