/**
 * IPv4 addresses and CIDR blocks as 32-bit numbers: parsing, containment
 * and longest-prefix match, the one rule every AWS router here applies
 * (VPC route tables, Transit Gateway route tables).
 */

/** `10.40.1.10` → 170393866; undefined when not a dotted-quad IPv4 address. */
export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out = out * 256 + n;
  }
  return out;
}

/** 170393866 → `10.40.1.10`. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function isIpv4(text: string): boolean {
  return ipToInt(text) !== undefined;
}

export interface Cidr {
  /** First address of the block. */
  base: number;
  prefix: number;
}

/** `10.0.0.0/16` → { base, prefix: 16 }; a bare address is a /32. */
export function parseCidr(cidr: string): Cidr | undefined {
  const [ip, bits = '32'] = cidr.split('/');
  const addr = ipToInt(ip ?? '');
  if (addr === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix };
}

/**
 * Whether `ip` falls inside `cidr`.
 *
 * @example cidrContains('10.40.0.0/16', '10.40.1.10') // true
 */
export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const addr = ipToInt(ip);
  if (!block || addr === undefined) return false;
  return addr >= block.base && addr < block.base + 2 ** (32 - block.prefix);
}

export function prefixLength(cidr: string): number {
  return parseCidr(cidr)?.prefix ?? -1;
}

/**
 * The candidate whose CIDR is the most specific match for `ip`; ties keep
 * the first candidate, so callers list the preferred kind first (a static
 * Transit Gateway route before a propagated one for the same CIDR).
 *
 * @example longestPrefixMatch([{ cidr: '0.0.0.0/0', value: 'igw' }, { cidr: '10.40.0.0/16', value: 'local' }], '10.40.1.10') // { cidr: '10.40.0.0/16', value: 'local' }
 */
export function longestPrefixMatch<T extends { cidr: string }>(
  candidates: readonly T[],
  ip: string,
): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const candidate of candidates) {
    const length = prefixLength(candidate.cidr);
    if (length > bestLength && cidrContains(candidate.cidr, ip)) {
      best = candidate;
      bestLength = length;
    }
  }
  return best;
}

const NOT_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '0.0.0.0/8',
];

/** RFC 1918, shared (CGNAT), loopback and link-local space: never routed on the internet. */
export function isPrivateAddress(ip: string): boolean {
  return NOT_PUBLIC.some((cidr) => cidrContains(cidr, ip));
}

/** A small stable hash for deterministic addresses and jitter. */
export function stableHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}
