import { cidrContains, formatCidr, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { allPeerings, peeringActiveFor, peeringStatus, type World } from './peering.ts';
import { getRouteTable } from './route-tables.ts';
import type { RouteState, RouteTableState, RouteTarget } from './state.ts';
import { vpcCidrs } from './vpc-lookups.ts';

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

interface TargetLookup {
  model: Ec2Model;
  world: World;
  id: string;
  now: number;
}

/** Where each kind of target sits: the VPCs it serves, or its NotFound error when it is gone. */
const TARGET_VPCS: Partial<
  Record<RouteTarget['kind'], (t: TargetLookup) => { vpcIds?: string[]; noun: string }>
> = {
  'internet-gateway': ({ model, id }) => {
    const igw = model.internetGateways.get(id);
    if (!igw) throw notFoundError('internetGateway', id);
    return { vpcIds: igw.attachments.map((a) => a.vpcId), noun: 'network gateway' };
  },
  'nat-gateway': ({ model, id }) => {
    const nat = model.natGateways.get(id);
    if (!nat || nat.state === 'deleted') throw notFoundError('natGateway', id);
    return { vpcIds: [nat.vpcId], noun: 'NAT gateway' };
  },
  'transit-gateway': ({ world, id }) => {
    const tgw = world.map((m) => m.transitGateways.get(id)).find(Boolean);
    if (!tgw || tgw.state === 'deleted') throw notFoundError('transitGateway', id);
    return { noun: 'transit gateway' };
  },
  // A route may name a pending-acceptance connection; it stays blackhole
  // until the connection is active (peering/vpc-peering-routing.html).
  peering: ({ world, id, now }) => {
    const conn = allPeerings(world).find((c) => c.id === id);
    const status = conn && peeringStatus(conn, now);
    if (!conn || (status !== 'active' && status !== 'pending-acceptance')) throw notFoundError('peering', id);
    return { vpcIds: [conn.requester.vpcId, conn.accepter.vpcId], noun: 'peering connection' };
  },
  'network-interface': ({ model, id }) => {
    const eni = model.networkInterfaces.get(id);
    if (!eni) throw notFoundError('networkInterface', id);
    return { vpcIds: [eni.vpcId], noun: 'network interface' };
  },
  instance: ({ model, id }) => {
    const instance = model.instances.get(id);
    if (!instance || instance.state === 'terminated') throw notFoundError('instance', id);
    return { vpcIds: [instance.vpcId], noun: 'instance' };
  },
};

/** The target exists, is visible to this account and sits in (or joins) the table's VPC. */
function checkTarget(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  target: RouteTarget,
  now: number,
): void {
  if (target.kind === 'local') return;
  const where = TARGET_VPCS[target.kind]?.({ model, world, id: target.id, now });
  if (where?.vpcIds && !where.vpcIds.includes(table.vpcId))
    throw differentNetworks(table, where.noun, target.id);
}

/**
 * A route as specific as one of the VPC's own CIDR blocks may only target an
 * interface or an instance (middlebox routing; RouteTables.html "more specific routes").
 */
function checkMoreSpecific(model: Ec2Model, table: RouteTableState, route: RouteState): void {
  const vpc = model.vpcs.get(table.vpcId);
  const destination = parseCidr(route.destinationCidr);
  const blocks = vpc ? vpcCidrs(vpc).map((c) => parseCidr(c)!) : [];
  if (!destination || !blocks.some((block) => cidrContains(block, destination))) return;
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

/** Whether each kind of target can carry traffic for a VPC right now. */
const TARGET_USABLE: Record<RouteTarget['kind'], (t: TargetLookup & { vpcId: string }) => boolean> = {
  local: () => true,
  'internet-gateway': ({ model, id, vpcId }) =>
    Boolean(
      model.internetGateways.get(id)?.attachments.some((a) => a.vpcId === vpcId && a.state === 'attached'),
    ),
  'nat-gateway': ({ model, id }) => ['available', 'pending'].includes(model.natGateways.get(id)?.state ?? ''),
  'transit-gateway': ({ world, id, vpcId }) => transitGatewayUsable(world, id, vpcId),
  peering: ({ world, id, vpcId, now }) => peeringActiveFor(world, id, vpcId, now),
  'gateway-endpoint': ({ model, id }) =>
    ['available', 'pending'].includes(model.vpcEndpoints.get(id)?.state ?? ''),
  'network-interface': ({ model, id }) => model.networkInterfaces.get(id)?.status === 'in-use',
  instance: ({ model, id }) => ['running', 'pending'].includes(model.instances.get(id)?.state ?? ''),
};

/**
 * A route's State, derived when read: `blackhole` when its target is gone or
 * unusable — a detached or deleted internet gateway, a deleted NAT gateway, a
 * peering connection that is not active, a transit gateway that is deleted or
 * has no available attachment in this VPC, a stopped or terminated instance
 * (API_Route: "blackhole … the route's target isn't available").
 *
 * @example routeState(model, world, table, table.routes[1]!, Date.now()) // 'active'
 */
export function routeState(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  route: RouteState,
  now: number,
): 'active' | 'blackhole' {
  const t = route.target;
  const id = t.kind === 'local' ? '' : t.id;
  return TARGET_USABLE[t.kind]({ model, world, id, now, vpcId: table.vpcId }) ? 'active' : 'blackhole';
}
