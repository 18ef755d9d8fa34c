/**
 * IPv4 address and CIDR arithmetic for VPCs, subnets, routes, security
 * groups and network ACLs. Addresses are unsigned 32-bit numbers.
 */
export interface Cidr {
  /** First address of the block. */
  base: number;
  prefix: number;
}

/** `10.0.1.5` → number, or undefined when it is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses `a.b.c.d/n`. `canonical` is false when host bits are set
 * (`10.0.1.5/24`), which AWS refuses for VPCs, subnets and routes.
 */
export function parseCidr(text: string | undefined): (Cidr & { canonical: boolean }) | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text ?? '');
  if (!match) return undefined;
  const address = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return undefined;
  const base = (address & maskOf(prefix)) >>> 0;
  return { base, prefix, canonical: base === address };
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

export function ipInCidr(ip: number, cidr: Cidr): boolean {
  return ip >= cidr.base && ip <= lastAddress(cidr);
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && ipInCidr(inner.base, outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Same as `cidrContains` on the text forms (a summary route covering a VPC); false when either does not parse. */
export function cidrTextContains(outer: string, inner: string): boolean {
  const x = parseCidr(outer);
  const y = parseCidr(inner);
  return Boolean(x && y && cidrContains(x, y));
}

/** True when any block of `a` overlaps any block of `b`. */
export function anyCidrsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => cidrTextsOverlap(x, y)));
}

/** Same as `cidrsOverlap` on the text forms; false when either does not parse. */
export function cidrTextsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return Boolean(x && y && cidrsOverlap(x, y));
}
