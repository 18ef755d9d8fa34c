import { cidrContains, stableHash } from './cidr.ts';
import type { NetworkView } from './view.ts';

/**
 * AWS-managed prefix lists of the gateway-endpoint services (S3 and
 * DynamoDB), one per service and region, named `com.amazonaws.<region>.<svc>`
 * as DescribePrefixLists shows them
 * (docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 * Ids and CIDRs are deterministic stand-ins: the twin never contacts them.
 */
export interface ManagedPrefixList {
  id: string;
  name: string;
  service: GatewayService;
  region: string;
  cidrs: string[];
}

export type GatewayService = 's3' | 'dynamodb';
export const GATEWAY_SERVICES: readonly GatewayService[] = ['s3', 'dynamodb'];

/** A second octet per region, so each region's service ranges differ. */
export function regionOctet(region: string): number {
  return 200 + (stableHash(region) % 48);
}

/**
 * The managed prefix list of a gateway service in a region.
 *
 * @example servicePrefixList('us-east-1', 's3').name // 'com.amazonaws.us-east-1.s3'
 */
export function servicePrefixList(region: string, service: GatewayService): ManagedPrefixList {
  const k = regionOctet(region);
  const cidrs = service === 's3' ? [`52.${k}.0.0/16`, `54.${k}.0.0/17`] : [`3.${k}.0.0/16`];
  const id = `pl-${stableHash(`${region}:${service}`).toString(16).padStart(8, '0')}`;
  return { id, name: `com.amazonaws.${region}.${service}`, service, region, cidrs };
}

/** Regions the twin holds EC2 state in, plus `extra`. */
function knownRegions(view: NetworkView, extra: readonly string[]): string[] {
  return [...new Set([...extra, ...view.models.map((m) => m.region)])];
}

/** A managed prefix list by id, in any region the twin knows. */
export function prefixListById(
  view: NetworkView,
  id: string,
  regions: readonly string[] = [],
): ManagedPrefixList | undefined {
  for (const region of knownRegions(view, regions)) {
    for (const service of GATEWAY_SERVICES) {
      const list = servicePrefixList(region, service);
      if (list.id === id) return list;
    }
  }
  return undefined;
}

/** The gateway service whose prefix list holds `ip`, if any. */
export function gatewayServiceOf(
  view: NetworkView,
  ip: string,
  regions: readonly string[] = [],
): ManagedPrefixList | undefined {
  for (const region of knownRegions(view, regions)) {
    for (const service of GATEWAY_SERVICES) {
      const list = servicePrefixList(region, service);
      if (list.cidrs.some((c) => cidrContains(c, ip))) return list;
    }
  }
  return undefined;
}
