import { AwsError } from '../../../core/errors.ts';
import { invalidParameter, notFoundError } from '../errors.ts';
import { cidrContains, formatCidr, parseCidr } from './cidr.ts';
import type { Ec2Model } from './index.ts';
import { allPeerings, peeringActiveFor, peeringStatus, type World } from './peering.ts';
import { getRouteTable } from './route-tables.ts';
import type { RouteState, RouteTableState, RouteTarget } from './state.ts';

/** The route's destination and target as CreateRoute / ReplaceRoute carry them. */
export interface RouteInput {
  DestinationCidrBlock?: string | undefined;
  DestinationIpv6CidrBlock?: string | undefined;
  DestinationPrefixListId?: string | undefined;
  GatewayId?: string | undefined;
  NatGatewayId?: string | undefined;
  TransitGatewayId?: string | undefined;
  VpcPeeringConnectionId?: string | undefined;
  NetworkInterfaceId?: string | undefined;
  InstanceId?: string | undefined;
  VpcEndpointId?: string | undefined;
  EgressOnlyInternetGatewayId?: string | undefined;
  LocalGatewayId?: string | undefined;
  CarrierGatewayId?: string | undefined;
  CoreNetworkArn?: string | undefined;
}

const UNSUPPORTED_TARGETS = [
  'VpcEndpointId',
  'EgressOnlyInternetGatewayId',
  'LocalGatewayId',
  'CarrierGatewayId',
  'CoreNetworkArn',
] as const;

/**
 * AWS takes NAT, transit gateway and peering ids in GatewayId too and files
 * them under their own member (the "forgiving" gatewayId the Terraform and
 * Pulumi docs warn about).
 */
function gatewayTarget(id: string): RouteTarget {
  if (id.startsWith('igw-')) return { kind: 'internet-gateway', id };
  if (id.startsWith('nat-')) return { kind: 'nat-gateway', id };
  if (id.startsWith('tgw-')) return { kind: 'transit-gateway', id };
  if (id.startsWith('pcx-')) return { kind: 'peering', id };
  // Gateway endpoints add their own prefix-list routes (ModifyVpcEndpoint), never CreateRoute.
  if (id.startsWith('vpce-'))
    throw invalidParameter(
      `The gateway ID '${id}' is not valid for this route; gateway endpoint routes are managed by the endpoint.`,
    );
  throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);
}

/** The one target a request names, or an error when it names none or several. */
export function requestedTarget(input: RouteInput): RouteTarget {
  const targets: RouteTarget[] = [];
  if (input.GatewayId) targets.push(gatewayTarget(input.GatewayId));
  if (input.NatGatewayId) targets.push({ kind: 'nat-gateway', id: input.NatGatewayId });
  if (input.TransitGatewayId) targets.push({ kind: 'transit-gateway', id: input.TransitGatewayId });
  if (input.VpcPeeringConnectionId) targets.push({ kind: 'peering', id: input.VpcPeeringConnectionId });
  if (input.NetworkInterfaceId) targets.push({ kind: 'network-interface', id: input.NetworkInterfaceId });
  if (input.InstanceId) targets.push({ kind: 'instance', id: input.InstanceId });
  for (const name of UNSUPPORTED_TARGETS) {
    if (input[name])
      throw new AwsError('InvalidParameterValue', `The twin does not emulate ${name} route targets.`);
  }
  if (targets.length !== 1) {
    throw new AwsError(
      'InvalidParameterCombination',
      'The request must contain exactly one of gatewayId, natGatewayId, transitGatewayId, vpcPeeringConnectionId, networkInterfaceId or instanceId',
    );
  }
  return targets[0]!;
}

/** The destination, validated: a canonical IPv4 CIDR or a prefix list id. */
export function requestedDestination(
  input: RouteInput,
): Pick<RouteState, 'destinationCidr' | 'destinationPrefixListId'> {
  if (input.DestinationIpv6CidrBlock) throw invalidParameter('The twin does not emulate IPv6 routes.');
  const given = [input.DestinationCidrBlock, input.DestinationPrefixListId].filter(Boolean).length;
  if (given !== 1) {
    throw new AwsError(
      'MissingParameter',
      'The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock or destinationPrefixListId',
    );
  }
  if (input.DestinationPrefixListId) return { destinationPrefixListId: input.DestinationPrefixListId };
  const cidr = parseCidr(input.DestinationCidrBlock);
  if (!cidr?.canonical) {
    throw invalidParameter(
      `Value (${input.DestinationCidrBlock}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`,
    );
  }
  return { destinationCidr: formatCidr(cidr) };
}

function differentNetworks(table: RouteTableState, what: string, id: string): AwsError {
  return invalidParameter(`route table ${table.id} and ${what} ${id} belong to different networks`);
}

/** The target exists, is visible to this account and sits in (or joins) the table's VPC. */
function checkTarget(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  target: RouteTarget,
  now: number,
): void {
  switch (target.kind) {
    case 'internet-gateway': {
      const igw = model.internetGateways.get(target.id);
      if (!igw) throw notFoundError('internetGateway', target.id);
      if (!igw.attachments.some((a) => a.vpcId === table.vpcId))
        throw differentNetworks(table, 'network gateway', target.id);
      return;
    }
    case 'nat-gateway': {
      const nat = model.natGateways.get(target.id);
      if (!nat || nat.state === 'deleted') throw notFoundError('natGateway', target.id);
      if (nat.vpcId !== table.vpcId) throw differentNetworks(table, 'NAT gateway', target.id);
      return;
    }
    case 'transit-gateway': {
      const tgw = world.map((m) => m.transitGateways.get(target.id)).find(Boolean);
      if (!tgw || tgw.state === 'deleted') throw notFoundError('transitGateway', target.id);
      return;
    }
    case 'peering': {
      // A route may name a pending-acceptance connection; it stays blackhole
      // until the connection is active (peering/vpc-peering-routing.html).
      const conn = allPeerings(world).find((c) => c.id === target.id);
      const status = conn && peeringStatus(conn, now);
      if (!conn || (status !== 'active' && status !== 'pending-acceptance'))
        throw notFoundError('peering', target.id);
      if (conn.requester.vpcId !== table.vpcId && conn.accepter.vpcId !== table.vpcId) {
        throw differentNetworks(table, 'peering connection', target.id);
      }
      return;
    }
    case 'network-interface': {
      const eni = model.networkInterfaces.get(target.id);
      if (!eni) throw notFoundError('networkInterface', target.id);
      if (eni.vpcId !== table.vpcId) throw differentNetworks(table, 'network interface', target.id);
      return;
    }
    case 'instance': {
      const instance = model.instances.get(target.id);
      if (!instance || instance.state === 'terminated') throw notFoundError('instance', target.id);
      if (instance.vpcId !== table.vpcId) throw differentNetworks(table, 'instance', target.id);
      return;
    }
    default:
      return;
  }
}

/**
 * A route as specific as the VPC's own CIDR may only target an interface or
 * an instance (middlebox routing; RouteTables.html "more specific routes").
 */
function checkMoreSpecific(model: Ec2Model, table: RouteTableState, route: RouteState): void {
  const vpc = model.vpcs.get(table.vpcId);
  const destination = parseCidr(route.destinationCidr);
  const vpcCidr = parseCidr(vpc?.cidr);
  if (!destination || !vpcCidr || !cidrContains(vpcCidr, destination)) return;
  if (route.target.kind === 'network-interface' || route.target.kind === 'instance') return;
  throw invalidParameter(
    `The destination CIDR block ${route.destinationCidr} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.`,
  );
}

function sameDestination(
  a: RouteState,
  b: Pick<RouteState, 'destinationCidr' | 'destinationPrefixListId'>,
): boolean {
  return a.destinationCidr !== undefined
    ? a.destinationCidr === b.destinationCidr
    : a.destinationPrefixListId === b.destinationPrefixListId;
}

function destinationText(d: Pick<RouteState, 'destinationCidr' | 'destinationPrefixListId'>): string {
  return d.destinationCidr ?? d.destinationPrefixListId ?? '';
}

/** CreateRoute: `RouteAlreadyExists` when the table already has the destination. */
export function createRoute(
  model: Ec2Model,
  world: World,
  tableId: string | undefined,
  input: RouteInput,
  now: number,
): RouteState {
  const table = getRouteTable(model, tableId);
  const route: RouteState = {
    ...requestedDestination(input),
    target: requestedTarget(input),
    origin: 'CreateRoute',
  };
  if (table.routes.some((r) => sameDestination(r, route))) {
    throw new AwsError(
      'RouteAlreadyExists',
      `The route identified by ${destinationText(route)} already exists.`,
    );
  }
  checkMoreSpecific(model, table, route);
  checkTarget(model, world, table, route.target, now);
  table.routes.push(route);
  return route;
}

/**
 * ReplaceRoute: the route must exist (AWS answers InvalidParameterValue, not
 * InvalidRoute.NotFound, for a missing one) and the local route stays local.
 */
export function replaceRoute(
  model: Ec2Model,
  world: World,
  tableId: string | undefined,
  input: RouteInput,
  now: number,
): RouteState {
  const table = getRouteTable(model, tableId);
  const destination = requestedDestination(input);
  const route = table.routes.find((r) => sameDestination(r, destination));
  if (!route) {
    throw invalidParameter(
      `There is no route defined for '${destinationText(destination)}' in the route table. Use CreateRoute instead.`,
    );
  }
  if (route.target.kind === 'local')
    throw invalidParameter(`cannot replace local route ${destinationText(route)} in route table ${table.id}`);
  const target = requestedTarget(input);
  checkMoreSpecific(model, table, { ...route, target });
  checkTarget(model, world, table, target, now);
  route.target = target;
  route.origin = 'CreateRoute';
  return route;
}

/** DeleteRoute: `InvalidRoute.NotFound` for a missing destination; the local route cannot go. */
export function deleteRoute(model: Ec2Model, tableId: string | undefined, input: RouteInput): void {
  const table = getRouteTable(model, tableId);
  const destination = requestedDestination(input);
  const route = table.routes.find((r) => sameDestination(r, destination));
  if (!route) {
    const kind = destination.destinationCidr ? 'destination-cidr-block' : 'destination-prefix-list-id';
    throw new AwsError(
      'InvalidRoute.NotFound',
      `no route with ${kind} ${destinationText(destination)} in route table ${table.id}`,
    );
  }
  if (route.target.kind === 'local')
    throw invalidParameter(`cannot remove local route ${destinationText(route)} in route table ${table.id}`);
  table.routes = table.routes.filter((r) => r !== route);
}

function transitGatewayUsable(world: World, tgwId: string, vpcId: string): boolean {
  const tgw = world.map((m) => m.transitGateways.get(tgwId)).find(Boolean);
  if (!tgw || tgw.state === 'deleted' || tgw.state === 'deleting') return false;
  return world.some((m) =>
    [...m.transitGatewayAttachments.values()].some(
      (a) => a.transitGatewayId === tgwId && a.vpcId === vpcId && a.state === 'available',
    ),
  );
}

/**
 * A route's State, derived when read: `blackhole` when its target is gone or
 * unusable — a detached or deleted internet gateway, a deleted NAT gateway, a
 * peering connection that is not active, a transit gateway that is deleted or
 * has no available attachment in this VPC, a terminated instance
 * (API_Route: "blackhole … the route's target isn't available").
 */
export function routeState(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  route: RouteState,
  now: number,
): 'active' | 'blackhole' {
  const t = route.target;
  const ok = (() => {
    switch (t.kind) {
      case 'local':
        return true;
      case 'internet-gateway':
        return Boolean(
          model.internetGateways
            .get(t.id)
            ?.attachments.some((a) => a.vpcId === table.vpcId && a.state === 'attached'),
        );
      case 'nat-gateway': {
        const state = model.natGateways.get(t.id)?.state;
        return state === 'available' || state === 'pending';
      }
      case 'transit-gateway':
        return transitGatewayUsable(world, t.id, table.vpcId);
      case 'peering':
        return peeringActiveFor(world, t.id, table.vpcId, now);
      case 'gateway-endpoint': {
        const state = model.vpcEndpoints.get(t.id)?.state;
        return state === 'available' || state === 'pending';
      }
      case 'network-interface':
        return model.networkInterfaces.get(t.id)?.status === 'in-use';
      case 'instance': {
        const state = model.instances.get(t.id)?.state;
        return state === 'running' || state === 'pending';
      }
      default:
        return false;
    }
  })();
  return ok ? 'active' : 'blackhole';
}
