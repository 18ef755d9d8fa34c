import { formatIpv4, ipInCidr, parseCidr } from '../../common/ip.ts';
import { stableHash } from './hash.ts';
import { type GatewayService, gatewayServiceOf, regionOctet, servicePrefixList } from './prefix-lists.ts';
import type { NetworkView } from './view.ts';

/**
 * Deterministic public addresses for what lives outside the lab: AWS
 * service endpoints (inside the service's prefix list for S3 and DynamoDB,
 * so a gateway endpoint's prefix-list route matches them) and hosts on the
 * internet. They are answers to DNS questions only; nothing is contacted.
 */

function quad(a: number, b: number, seed: string): string {
  const h = stableHash(seed);
  return `${a}.${b}.${(h >>> 8) % 256}.${1 + (h % 254)}`;
}

/** A stable host address inside `cidr` (not its first or last). */
function addressIn(cidr: string, seed: string): string {
  const block = parseCidr(cidr)!;
  const size = 2 ** (32 - block.prefix);
  return formatIpv4(block.base + 1 + (stableHash(seed) % Math.max(1, size - 2)));
}

/** The regional public address of an AWS service endpoint (`s3`, `ssm`, `logs`…). */
export function servicePublicAddress(region: string, service: string): string {
  const k = regionOctet(region);
  if (service === 's3' || service === 'dynamodb') {
    return addressIn(servicePrefixList(region, service as GatewayService).cidrs[0]!, `${region}:${service}`);
  }
  return quad(18, k, `${region}:${service}`);
}

/** The block of the non-gateway service endpoints of a region. */
function serviceBlock(region: string): string {
  return `18.${regionOctet(region)}.0.0/16`;
}

/**
 * A public address for a host outside AWS, from TEST-NET-1 (192.0.2.0/24,
 * RFC 5737): documentation space that no real host answers on, so even a
 * socket that escaped the runtime's hooks could reach nobody.
 */
export function externalHostAddress(hostname: string): string {
  return `192.0.2.${1 + (stableHash(`net:${hostname.toLowerCase()}`) % 254)}`;
}

export type PublicDestination =
  | { kind: 'aws-service'; region: string; service?: string; gateway: boolean }
  | { kind: 'internet' };

/** What answers at a public address: an AWS service endpoint, or some internet host. */
export function classifyPublicAddress(
  view: NetworkView,
  ip: string,
  regions: readonly string[] = [],
): PublicDestination {
  const list = gatewayServiceOf(view, ip, regions);
  if (list) return { kind: 'aws-service', region: list.region, service: list.service, gateway: true };
  for (const region of new Set([...regions, ...view.models.map((m) => m.region)])) {
    if (ipInCidr(ip, serviceBlock(region))) return { kind: 'aws-service', region, gateway: false };
  }
  return { kind: 'internet' };
}
