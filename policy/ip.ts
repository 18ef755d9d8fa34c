/**
 * IpAddress / NotIpAddress: "The IP address must be in the standard CIDR
 * format (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64). If you
 * specify an IP address without the associated routing prefix, IAM uses the
 * default prefix value of /32" (Condition operators, IP address).
 */

function parseV4(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function parseV6(ip: string): bigint | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

function parseIp(ip: string): { value: bigint; bits: number } | undefined {
  const v4 = parseV4(ip);
  if (v4 !== undefined) return { value: v4, bits: 32 };
  const v6 = ip.includes(':') ? parseV6(ip) : undefined;
  return v6 === undefined ? undefined : { value: v6, bits: 128 };
}

/** Whether `ip` lies in `cidr` (a bare address means /32, or /128 for IPv6). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base = '', prefixText] = cidr.trim().split('/');
  const addr = parseIp(ip.trim());
  const net = parseIp(base);
  if (!addr || !net || addr.bits !== net.bits) return false;
  const prefix = prefixText === undefined ? net.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > net.bits) return false;
  const shift = BigInt(net.bits - prefix);
  return addr.value >> shift === net.value >> shift;
}
