import { longestPrefixMatch } from '../../common/ip.ts';
import type {
  RouteState,
  RouteTableState,
  TransitGatewayRouteTableState,
} from '../services/ec2/model/state.ts';
import { effectiveTgwRoutes } from '../services/ec2/model/transit-gateway-routes.ts';
import { vpcCidrs } from '../services/ec2/model/vpc-lookups.ts';
import { prefixListById } from './prefix-lists.ts';
import type { NetworkView } from './view.ts';

/**
 * Route selection. A VPC route table picks the most specific route for the
 * destination; a prefix-list route counts with each CIDR of the list
 * (docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html).
 * A route whose target is gone or not usable is a blackhole: matching
 * packets are dropped, not passed to a less specific route.
 */
export interface VpcRouteChoice {
  table: RouteTableState;
  route: RouteState;
  /** The CIDR that matched (one of the prefix list's for prefix-list routes). */
  cidr: string;
  /** Why the route is a blackhole, when it is one. */
  blackhole?: string;
}

function describeDestination(route: RouteState): string {
  return route.destinationPrefixListId ?? route.destinationCidr ?? '?';
}

/** Routes of a table as CIDR candidates; the local routes (one per VPC block) are implied if the state leaves them out. */
function candidates(view: NetworkView, table: RouteTableState): { cidr: string; route: RouteState }[] {
  const out: { cidr: string; route: RouteState }[] = [];
  const region = view.regionOfVpc(table.vpcId);
  for (const route of table.routes) {
    if (route.destinationCidr) out.push({ cidr: route.destinationCidr, route });
    else if (route.destinationPrefixListId) {
      for (const cidr of prefixListById(view, route.destinationPrefixListId, region ? [region] : [])?.cidrs ??
        [])
        out.push({ cidr, route });
    }
  }
  const vpc = view.vpc(table.vpcId);
  if (vpc && !table.routes.some((r) => r.target.kind === 'local')) {
    for (const cidr of vpcCidrs(vpc)) {
      out.push({
        cidr,
        route: { destinationCidr: cidr, target: { kind: 'local' }, origin: 'CreateRouteTable' },
      });
    }
  }
  return out;
}

/** Why a route's target cannot carry traffic now, or undefined when it can. */
export function blackholeReason(
  view: NetworkView,
  table: RouteTableState,
  route: RouteState,
): string | undefined {
  const t = route.target;
  switch (t.kind) {
    case 'local':
      return undefined;
    case 'internet-gateway': {
      const igw = view.internetGateway(t.id);
      return igw?.attachments.some((a) => a.vpcId === table.vpcId && a.state === 'attached')
        ? undefined
        : `${t.id} is not attached to ${table.vpcId}`;
    }
    case 'nat-gateway': {
      const nat = view.natGateway(t.id);
      return nat?.state === 'available' ? undefined : `${t.id} is ${nat?.state ?? 'gone'}`;
    }
    case 'transit-gateway': {
      const tgw = view.transitGateway(t.id);
      return tgw?.state === 'available' ? undefined : `${t.id} is ${tgw?.state ?? 'gone'}`;
    }
    case 'peering': {
      const pcx = view.peering(t.id);
      return pcx?.status === 'active' ? undefined : `${t.id} is ${pcx?.status ?? 'gone'}`;
    }
    case 'gateway-endpoint': {
      const vpce = view.endpoint(t.id);
      return vpce?.state === 'available' ? undefined : `${t.id} is ${vpce?.state ?? 'gone'}`;
    }
    case 'network-interface':
      return view.eni(t.id) ? undefined : `${t.id} is gone`;
    case 'instance':
      return view.instance(t.id) ? undefined : `${t.id} is gone`;
  }
}

/**
 * The route `subnetId`'s route table uses for `dstIp`, or undefined with
 * the table when nothing matches.
 *
 * @example vpcRouteFor(view, 'subnet-0abc', '10.60.1.10')?.route.target // { kind: 'transit-gateway', id: 'tgw-0…' }
 */
export function vpcRouteFor(
  view: NetworkView,
  subnetId: string,
  dstIp: string,
): { table?: RouteTableState; choice?: VpcRouteChoice } {
  const table = view.routeTableForSubnet(subnetId);
  if (!table) return {};
  const best = longestPrefixMatch(candidates(view, table), dstIp);
  if (!best) return { table };
  const blackhole = blackholeReason(view, table, best.route);
  return { table, choice: { table, route: best.route, cidr: best.cidr, ...(blackhole && { blackhole }) } };
}

export function routeText(choice: VpcRouteChoice): string {
  const target = choice.route.target.kind === 'local' ? 'local' : choice.route.target.id;
  return `${choice.table.id} route ${describeDestination(choice.route)} → ${target}`;
}

/** A Transit Gateway route as the table holds it, static or propagated. */
export interface TgwRoute {
  cidr: string;
  attachmentId?: string;
  blackhole: boolean;
  type: 'static' | 'propagated';
}

/**
 * Static routes plus the CIDRs of available attachments propagating into the
 * table, a static route winning on the same CIDR and a static route whose
 * attachment is gone being a blackhole — as EC2 computes them for
 * SearchTransitGatewayRoutes, so the engine routes by what the API shows.
 */
export function tgwRoutes(view: NetworkView, table: TransitGatewayRouteTableState): TgwRoute[] {
  return effectiveTgwRoutes(view.models, table.id).map((r) => ({
    cidr: r.cidr,
    ...(r.attachmentId && { attachmentId: r.attachmentId }),
    blackhole: r.state === 'blackhole',
    type: r.type,
  }));
}

/** The Transit Gateway route for `dstIp` in `table` (longest prefix), if any. */
export function tgwRouteFor(
  view: NetworkView,
  table: TransitGatewayRouteTableState,
  dstIp: string,
): TgwRoute | undefined {
  return longestPrefixMatch(tgwRoutes(view, table), dstIp);
}
