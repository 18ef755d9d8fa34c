import { ipInCidr } from '../../common/ip.ts';
import { prefixListById as ec2PrefixListById, prefixListFor } from '../services/ec2/model/prefix-lists.ts';
import { stableHash } from './hash.ts';
import type { NetworkView } from './view.ts';

/**
 * AWS-managed prefix lists of the gateway-endpoint services (S3 and
 * DynamoDB), one per service and region, named `com.amazonaws.<region>.<svc>`
 * (docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html). EC2
 * owns them (DescribePrefixLists, route rendering); this reads EC2's list so
 * that a route or rule naming a `pl-…` id means the same CIDRs here.
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

/** A second octet per region, so each region's made-up service ranges differ. */
export function regionOctet(region: string): number {
  return 200 + (stableHash(region) % 48);
}

/**
 * The managed prefix list of a gateway service in a region.
 *
 * @example servicePrefixList('us-east-1', 's3').name // 'com.amazonaws.us-east-1.s3'
 */
export function servicePrefixList(region: string, service: GatewayService): ManagedPrefixList {
  const list = prefixListFor(region, service)!;
  return { id: list.id, name: list.name, service, region, cidrs: [...list.cidrs] };
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
    const list = ec2PrefixListById(region, id);
    const service = GATEWAY_SERVICES.find((s) => list?.name === `com.amazonaws.${region}.${s}`);
    if (list && service) return { id: list.id, name: list.name, service, region, cidrs: [...list.cidrs] };
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
      if (list.cidrs.some((c) => ipInCidr(ip, c))) return list;
    }
  }
  return undefined;
}
