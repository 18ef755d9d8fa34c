import ipaddr from 'ipaddr.js';

/**
 * The one IP address and CIDR module, for the suite (helpers/, the targets
 * checks), the IAM evaluator (policy/) and the twin alike. It lives in
 * common/, beside neither, because the suite may never import twin/ and the
 * twin should not reach into the suite's helpers/: common/ holds pure code
 * (no SDK, no I/O) that both sides, and the probe bundle, may import.
 *
 * Parsing and family checks stand on ipaddr.js; the IPv4 blocks EC2
 * allocates from are also plain numbers (`Cidr`), for address arithmetic.
 * Addresses must be written in the standard form: IPv4 as a dotted quad of
 * decimal octets without leading zeros, IPv6 in RFC 4291 text; no zone ids.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parsed values by their text. The twin asks about the same few addresses
 * and blocks again and again on every packet walk, and parsing (ipaddr.js
 * tries several notations) costs far more than matching; a bounded cache
 * makes a walk cost matching only.
 */
function memo<T>(parse: (text: string) => T | undefined): (text: string) => T | undefined {
  const seen = new Map<string, T | null>();
  return (text) => {
    let hit = seen.get(text);
    if (hit === undefined) {
      if (seen.size >= 10_000) seen.clear();
      hit = parse(text) ?? null;
      seen.set(text, hit);
    }
    return hit ?? undefined;
  };
}

/** A parsed address, or undefined when `text` is not one in standard form. */
const parseAddress = memo((text: string): Address | undefined => {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
});

interface Block {
  address: Address;
  prefix: number;
}

/** `a/n` in either family; a bare address is a single-address block (/32 or /128). */
const parseBlock = memo((text: string): Block | undefined => {
  const [base = '', bits, extra] = text.trim().split('/');
  const address = parseAddress(base);
  if (!address || extra !== undefined) return undefined;
  const width = address.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return { address, prefix: width };
  if (!(width === 32 ? /^\d{1,2}$/ : /^\d{1,3}$/).test(bits) || Number(bits) > width) return undefined;
  return { address, prefix: Number(bits) };
});

function blockHolds(outer: Block, address: Address): boolean {
  return address.kind() === outer.address.kind() && address.match(outer.address, outer.prefix);
}

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/**
 * Whether the address `ip` lies in `cidr`, in either family; a bare address
 * as `cidr` means that one address. False when either does not parse or the
 * families differ.
 *
 * @example ipInCidr('10.40.1.10', '10.40.0.0/16') // true
 * @example ipInCidr('2001:db8::1', '2001:db8::/32') // true
 */
export function ipInCidr(ip: string, cidr: string): boolean {
  const address = parseAddress(ip.trim());
  const block = parseBlock(cidr);
  return Boolean(address && block && blockHolds(block, address));
}

/**
 * Whether every address of `inner` lies in `outer` (a summary route covering
 * a VPC, a subnet inside its VPC); false when either does not parse.
 *
 * @example cidrTextContains('10.0.0.0/16', '10.0.1.0/24') // true
 */
export function cidrTextContains(outer: string, inner: string): boolean {
  const a = parseBlock(outer);
  const b = parseBlock(inner);
  return Boolean(a && b && b.prefix >= a.prefix && blockHolds(a, b.address));
}

/** Whether two blocks share an address (then one holds the other); false when either does not parse. */
export function cidrTextsOverlap(a: string, b: string): boolean {
  return cidrTextContains(a, b) || cidrTextContains(b, a);
}

/** True when any block of `a` overlaps any block of `b`. */
export function anyCidrsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => cidrTextsOverlap(x, y)));
}

/** The prefix length of `cidr` (a bare address is a /32 or /128), or -1 when it does not parse. */
export function prefixLength(cidr: string | undefined): number {
  return parseBlock(cidr ?? '')?.prefix ?? -1;
}

/** Addresses in a block (a bare address holds one), or NaN when it does not parse. */
export function blockSize(cidr: string): number {
  const block = parseBlock(cidr);
  if (!block) return Number.NaN;
  return 2 ** ((block.address.kind() === 'ipv4' ? 32 : 128) - block.prefix);
}

/**
 * The network a CIDR with host bits set really names, or undefined when none
 * are set (or it does not parse). AWS refuses such blocks for VPCs, subnets
 * and routes.
 *
 * @example hostBitsOf('10.0.1.5/16') // '10.0.0.0/16'
 */
export function hostBitsOf(cidr: string): string | undefined {
  const block = parseBlock(cidr);
  if (!block) return undefined;
  const family = block.address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  const network = family.networkAddressFromCIDR(`${block.address.toString()}/${block.prefix}`);
  if (network.toNormalizedString() === block.address.toNormalizedString()) return undefined;
  return `${network.toString()}/${block.prefix}`;
}

/**
 * The candidate whose CIDR is the most specific match for `ip`; ties keep
 * the first candidate, so callers list the preferred kind first (a static
 * Transit Gateway route before a propagated one for the same CIDR).
 *
 * @example longestPrefixMatch([{ cidr: '0.0.0.0/0' }, { cidr: '10.40.0.0/16' }], '10.40.1.10') // { cidr: '10.40.0.0/16' }
 */
export function longestPrefixMatch<T extends { cidr: string }>(
  candidates: readonly T[],
  ip: string,
): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const candidate of candidates) {
    const length = prefixLength(candidate.cidr);
    if (length > bestLength && ipInCidr(ip, candidate.cidr)) {
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
  return NOT_PUBLIC.some((cidr) => ipInCidr(ip, cidr));
}

// IPv4 as numbers, for the address arithmetic of EC2 allocation.

/** An IPv4 block as numbers. */
export interface Cidr {
  /** First address of the block. */
  base: number;
  prefix: number;
}

/** `10.0.1.5` → 167772421, or undefined when it is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  if (!isIpv4(text)) return undefined;
  return ipaddr.IPv4.parse(text).octets.reduce((value, octet) => value * 256 + octet, 0);
}

/** 167772421 → `10.0.1.5`. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/**
 * Parses an IPv4 `a.b.c.d/n` (the prefix is required, as EC2 requires it).
 * `canonical` is false when host bits are set (`10.0.1.5/24`), which AWS
 * refuses for VPCs, subnets and routes.
 */
export function parseCidr(text: string | undefined): (Cidr & { canonical: boolean }) | undefined {
  if (!text?.includes('/')) return undefined;
  const block = parseBlock(text);
  if (block?.address.kind() !== 'ipv4') return undefined;
  const address = parseIpv4(block.address.toString())!;
  const size = 2 ** (32 - block.prefix);
  const base = address - (address % size);
  return { base, prefix: block.prefix, canonical: base === address };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function lastAddress(cidr: Cidr): number {
  return cidr.base + cidrSize(cidr) - 1;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base <= lastAddress(outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/**
 * "The first four IP addresses and the last IP address in each subnet CIDR
 * block are not available for your use, and they cannot be assigned to a
 * resource" (Amazon VPC User Guide, "Subnet CIDR blocks"). False when either
 * does not parse.
 *
 * @example reservedInSubnet('10.0.1.255', '10.0.1.0/24') // true
 */
export function reservedInSubnet(ip: string, subnetCidr: string): boolean {
  const address = parseIpv4(ip);
  const subnet = parseCidr(subnetCidr);
  if (address === undefined || !subnet) return false;
  const offset = address - subnet.base;
  return offset < 4 || offset === cidrSize(subnet) - 1;
}
