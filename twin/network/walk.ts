import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import type { Flow } from './flow.ts';
import { routeText, vpcRouteFor } from './routing.ts';
import { activePeeringBetween, hasSecurityGroups, securityGroupsAllow } from './security-groups.ts';
import type { NetworkView } from './view.ts';
import { type Arrival, type Position, Walk } from './walk-state.ts';
import {
  deliverLocal,
  type Step,
  viaAppliance,
  viaGatewayEndpoint,
  viaInternetGateway,
  viaNatGateway,
  viaPeering,
} from './walk-targets.ts';
import { viaTransitGateway } from './walk-tgw.ts';

/**
 * One packet, one direction: from an interface to an address, through
 * security groups, network ACLs and every router on the way. The answer
 * of a probe is another walk (see reachability.ts).
 */
export interface WalkResult {
  walk: Walk;
  arrival?: Arrival;
}

/** More route lookups than any sane path takes: a routing loop. */
const MAX_ROUTER_VISITS = 12;

/** The interface behind `ip` as seen from `vpcId`: in the VPC itself or a peered one (for group references). */
export function peerInterface(
  view: NetworkView,
  vpcId: string,
  ip: string,
): NetworkInterfaceState | undefined {
  const local = view.eniByIp(vpcId, ip);
  if (local) return local;
  for (const model of view.models) {
    for (const eni of model.networkInterfaces.values()) {
      if (eni.privateIp === ip && activePeeringBetween(view, vpcId, eni.vpcId)) return eni;
    }
  }
  return undefined;
}

/**
 * Sends a packet of `flow` from `eni` to `dstIp`. A reply (`reply: true`)
 * passes security groups without a rule, as the answer of a tracked
 * connection does.
 *
 * @example walkFrom(view, eni, '10.60.1.10', requestFlow('icmp', 0), false).walk.died?.reason
 */
export function walkFrom(
  view: NetworkView,
  eni: NetworkInterfaceState,
  dstIp: string,
  flow: Flow,
  reply: boolean,
  /** The source the packet carries when not the interface's own (a NAT gateway passing an answer back keeps the remote's). */
  srcIp = eni.privateIp,
): WalkResult {
  const walk = new Walk(view, flow, srcIp, dstIp, reply);
  walk.srcEni = eni;
  walk.publicSrc = eni.publicIp;
  if (!reply && hasSecurityGroups(eni)) {
    const verdict = securityGroupsAllow(
      view,
      eni,
      'egress',
      { ip: dstIp, eni: peerInterface(view, eni.vpcId, dstIp) },
      flow,
    );
    if (!verdict.allowed) {
      walk.leave(eni, 'REJECT');
      walk.fail(verdict.groupIds[0] ?? eni.id, `${verdict.says}: dropped as it leaves ${eni.id}`);
      return { walk };
    }
    walk.pass(verdict.groupIds[0] ?? eni.id, verdict.says);
  }
  walk.leave(eni, 'ACCEPT');
  walk.pass(eni.id, `${eni.id} (${eni.privateIp}) sends ${walk.what()}`);
  return travel(walk, { vpcId: eni.vpcId, subnetId: eni.subnetId, via: 'origin' });
}

/**
 * A packet arriving from outside a VPC (the internet through its gateway,
 * or a service through a gateway endpoint), for `privateIp` inside it.
 */
export function walkInto(
  view: NetworkView,
  vpcId: string,
  from: { ip: string; through: 'igw' | 'endpoint' },
  privateIp: string,
  flow: Flow,
): WalkResult {
  const walk = new Walk(view, flow, from.ip, privateIp, true);
  walk.pass(
    vpcId,
    `the answer from ${from.ip} enters ${vpcId} through its ${from.through === 'igw' ? 'internet gateway' : 'gateway endpoint'}`,
  );
  return travel(walk, { vpcId, via: from.through });
}

function travel(walk: Walk, start: Position): WalkResult {
  let pos = start;
  for (let visit = 0; visit < MAX_ROUTER_VISITS; visit++) {
    const outside = pos.via === 'peering' || pos.via === 'igw' || pos.via === 'endpoint';
    const step = outside ? deliverLocal(walk, pos.vpcId, undefined) : routeStep(walk, pos);
    if (step === false) return { walk };
    if ('arrived' in step) return { walk, arrival: step.arrived };
    pos = step.next;
  }
  walk.fail(pos.vpcId, `the packet went round ${MAX_ROUTER_VISITS} routers without arriving: a routing loop`);
  return { walk };
}

/** One VPC router visit: the subnet's route table picks a route, its target takes the packet. */
function routeStep(walk: Walk, pos: Position): Step {
  const subnetId = pos.subnetId!;
  const { table, choice } = vpcRouteFor(walk.view, subnetId, walk.dstIp);
  if (!table) return walk.fail(subnetId, `${subnetId} has no route table: dropped`);
  if (!choice) return walk.fail(table.id, `${table.id} has no route to ${walk.dstIp}: dropped`);
  if (choice.blackhole)
    return walk.fail(table.id, `${routeText(choice)} is a blackhole (${choice.blackhole}): dropped`);
  walk.pass(table.id, `${routeText(choice)} matches ${walk.dstIp}`);
  switch (choice.route.target.kind) {
    case 'local':
      return deliverLocal(walk, pos.vpcId, subnetId, pos.via === 'tgw');
    case 'transit-gateway':
      return viaTransitGateway(walk, pos, choice);
    case 'peering':
      return viaPeering(walk, pos, choice);
    case 'nat-gateway':
      return viaNatGateway(walk, pos, choice);
    case 'internet-gateway':
      return viaInternetGateway(walk, pos, choice);
    case 'gateway-endpoint':
      return viaGatewayEndpoint(walk, pos, choice);
    case 'network-interface':
    case 'instance':
      return viaAppliance(walk, pos, choice);
  }
}
