import {
  DescribeTransitGatewayAttachmentsCommand,
  type Route,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { ipInCidr, longestPrefixMatch, prefixLength } from '../common/ip.ts';
import type { AwsClients } from './clients.ts';
import { getRouteTableFor } from './vpc.ts';

/**
 * Where the route tables send a packet, hop by hop, for failure messages:
 * "rtb-… sends 172.21.1.10 to tgw-…; tgw-rtb-… has no route for 172.21.1.10".
 * It reads only what any operator can read (route tables, TGW routes), so it
 * explains a real account and the twin alike; it never decides a verdict.
 */
export async function explainRoute(
  clients: AwsClients,
  from: { subnetId: string; vpcId: string },
  toIp: string,
): Promise<string[]> {
  try {
    const table = await getRouteTableFor(clients, from);
    // Stryker disable next-line ArrayDeclaration: an element that is no route matches no address, as none does
    const route = longestMatch(table.Routes ?? [], toIp);
    if (!route) return [`${table.RouteTableId} has no route for ${toIp}: dropped in ${from.vpcId}`];
    const target = targetOf(route);
    const first = `${table.RouteTableId} sends ${toIp} (${route.DestinationCidrBlock}) to ${target}${route.State === 'blackhole' ? ' — a blackhole route' : ''}`;
    if (!route.TransitGatewayId || route.State === 'blackhole') return [first];
    return [first, ...(await explainTgwHop(clients, route.TransitGatewayId, from.vpcId, toIp))];
  } catch (error) {
    return [`(could not read the route tables: ${(error as Error).message})`];
  }
}

async function explainTgwHop(
  clients: AwsClients,
  tgwId: string,
  vpcId: string,
  toIp: string,
): Promise<string[]> {
  const atts = await clients.ec2.send(
    new DescribeTransitGatewayAttachmentsCommand({
      Filters: [
        { Name: 'transit-gateway-id', Values: [tgwId] },
        { Name: 'resource-id', Values: [vpcId] },
      ],
    }),
  );
  const attachment = atts.TransitGatewayAttachments?.find((a) => a.State === 'available');
  if (!attachment)
    return [`${vpcId} has no available attachment on ${tgwId}: dropped at the Transit Gateway`];
  const association = attachment.Association;
  if (association?.State !== 'associated' || !association.TransitGatewayRouteTableId) {
    return [
      `${attachment.TransitGatewayAttachmentId} is associated with no TGW route table: dropped at the Transit Gateway`,
    ];
  }
  const tableId = association.TransitGatewayRouteTableId;
  const found = await clients.ec2.send(
    new SearchTransitGatewayRoutesCommand({
      TransitGatewayRouteTableId: tableId,
      Filters: [{ Name: 'route-search.longest-prefix-match', Values: [toIp] }],
    }),
  );
  const best = (found.Routes ?? []).sort(
    (a, b) => prefixLength(b.DestinationCidrBlock) - prefixLength(a.DestinationCidrBlock),
  )[0];
  if (!best)
    return [
      `${tableId} (associated with ${attachment.TransitGatewayAttachmentId}) has no route for ${toIp}: dropped at the Transit Gateway`,
    ];
  if (best.State === 'blackhole')
    return [`${tableId} blackholes ${best.DestinationCidrBlock}: dropped at the Transit Gateway`];
  const next = best.TransitGatewayAttachments?.[0];
  // An answer naming no attachment leaves nothing to name: say so, never "to undefined (undefined)".
  if (!next) return [`${tableId} has a route for ${best.DestinationCidrBlock} that names no attachment`];
  return [
    `${tableId} sends ${best.DestinationCidrBlock} to ${next.TransitGatewayAttachmentId} (${next.ResourceId})`,
  ];
}

function targetOf(route: Route): string {
  return (
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NatGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    (route.GatewayId === 'local' ? 'the VPC itself (local)' : route.GatewayId) ??
    'an unknown target'
  );
}

/**
 * Whether the address `ip` lies in `cidr` (the argument order of a route:
 * block first).
 *
 * @example cidrContains('10.40.0.0/16', '10.40.1.10') // true
 */
export function cidrContains(cidr: string, ip: string): boolean {
  return ipInCidr(ip, cidr);
}

/** The most specific route for an address (prefix-list routes cannot match a private address). */
export function longestMatch(routes: Route[], ip: string): Route | undefined {
  const withCidr = routes.flatMap((route) =>
    route.DestinationCidrBlock ? [{ cidr: route.DestinationCidrBlock, route }] : [],
  );
  return longestPrefixMatch(withCidr, ip)?.route;
}
