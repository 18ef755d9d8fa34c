import { ipInCidr } from '../../policy/ip.ts';

/**
 * CIDR arithmetic for the targets file's own consistency (IPv4, as the file
 * is). Containment reuses the IAM condition matcher (policy/ip.ts), which
 * masks both sides by the outer prefix.
 */

function split(cidr: string): { base: string; prefix: number } {
  const [base = '', prefix = '32'] = cidr.split('/');
  return { base, prefix: Number(prefix) };
}

/** Whether every address of `inner` lies in `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = split(inner);
  return a.prefix >= split(outer).prefix && ipInCidr(a.base, outer);
}

/** Whether two blocks share an address (one then holds the other). */
export function cidrsOverlap(a: string, b: string): boolean {
  return cidrWithin(a, b) || cidrWithin(b, a);
}

/** The network a CIDR with host bits set really names (`10.0.1.5/16` → `10.0.0.0/16`), or undefined when none are set. */
export function hostBitsOf(cidr: string): string | undefined {
  const { base, prefix } = split(cidr);
  const n = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(n / size) * size;
  if (network === n) return undefined;
  return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${prefix}`;
}

/** Addresses in a block. */
export function blockSize(cidr: string): number {
  return 2 ** (32 - split(cidr).prefix);
}

/**
 * "The first four IP addresses and the last IP address in each subnet CIDR
 * block are not available for your use, and they cannot be assigned to a
 * resource" (Amazon VPC User Guide, "Subnet CIDR blocks").
 */
export function reservedInSubnet(ip: string, subnetCidr: string): boolean {
  const { base } = split(subnetCidr);
  const toInt = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const offset = toInt(ip) - toInt(base);
  return offset < 4 || offset === blockSize(subnetCidr) - 1;
}
