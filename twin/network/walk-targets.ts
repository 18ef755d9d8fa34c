import { ipInCidr, isPrivateAddress } from '../../common/ip.ts';
import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import { vpcCidrs } from '../services/ec2/model/vpc-lookups.ts';
import { gatewayServiceOf } from './prefix-lists.ts';
import { classifyPublicAddress } from './public-addresses.ts';
import { routeText, type VpcRouteChoice } from './routing.ts';
import { hasSecurityGroups, securityGroupsAllow } from './security-groups.ts';
import type { NetworkView } from './view.ts';
import { type Arrival, LATENCY, type Position, type Via, type Walk } from './walk-state.ts';

/**
 * What a VPC router does with a packet for each kind of route target. Each
 * handler either moves the packet on (`next`), delivers it (`arrived`), or
 * records where it died and returns false.
 */
export type Step = { next: Position } | { arrived: Arrival } | false;

export function transitive(walk: Walk, pos: Position, target: string, allowed: readonly Via[]): boolean {
  if (allowed.includes(pos.via)) return true;
  const how =
    pos.via === 'tgw'
      ? 'a transit gateway'
      : pos.via === 'peering'
        ? 'a peering connection'
        : `the ${pos.via}`;
  return walk.fail(
    target,
    `traffic that entered ${pos.vpcId} through ${how} cannot leave it again through ${target}: AWS does not route transitively`,
  );
}

/** Why an interface cannot answer (stopped instance, detached ENI), or undefined when it can. */
export function silentBecause(view: NetworkView, eni: NetworkInterfaceState): string | undefined {
  const instanceId = eni.attachment?.instanceId;
  if (instanceId) {
    const instance = view.instance(instanceId);
    if (instance?.state !== 'running')
      return `${instanceId} is ${instance?.state ?? 'gone'}: nothing answers at ${eni.privateIp}`;
    return undefined;
  }
  if (eni.interfaceType === 'interface' && eni.status !== 'in-use')
    return `${eni.id} is not attached to anything: nothing answers at ${eni.privateIp}`;
  return undefined;
}

/**
 * Delivery to an interface of `vpcId` by its private address: ACLs at the
 * subnet edge, then its security groups. Inside one subnet no ACL applies,
 * except to a packet out of a Transit Gateway: the destination subnet's
 * inbound rules are evaluated even when the attachment's interface is in
 * that subnet (docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html, "transit
 * gateway to instances": inbound rules of the instance's subnet, with the
 * packet's source address).
 */
export function deliverLocal(
  walk: Walk,
  vpcId: string,
  from: string | undefined,
  fromTransitGateway = false,
): Step {
  const eni = walk.view.eniByIp(vpcId, walk.dstIp);
  if (!eni)
    return walk.fail(
      vpcId,
      `no network interface in ${vpcId} has the address ${walk.dstIp}: the packet is dropped`,
    );
  const silent = silentBecause(walk.view, eni);
  if (silent) return walk.fail(eni.attachment?.instanceId ?? eni.id, silent);
  if (from && from !== eni.subnetId && !walk.acl(from, 'outbound')) return false;
  if ((from !== eni.subnetId || fromTransitGateway) && !walk.acl(eni.subnetId, 'inbound')) {
    walk.touch(eni, 'ingress', 'REJECT');
    return false;
  }
  walk.travel(from, eni.subnetId);
  if (!from) walk.latencyMs += LATENCY.sameAz;
  if (!walk.reply && hasSecurityGroups(eni)) {
    const verdict = securityGroupsAllow(
      walk.view,
      eni,
      'ingress',
      { ip: walk.srcIp, eni: walk.srcEni },
      walk.flow,
    );
    if (!verdict.allowed) {
      walk.touch(eni, 'ingress', 'REJECT');
      return walk.fail(verdict.groupIds[0] ?? eni.id, `${verdict.says}: dropped at ${eni.id}`);
    }
    walk.pass(verdict.groupIds[0] ?? eni.id, verdict.says);
  }
  walk.touch(eni, 'ingress', 'ACCEPT');
  walk.pass(eni.id, `${eni.id} (${eni.privateIp}) receives the ${walk.reply ? 'reply' : 'packet'}`);
  return { arrived: { kind: 'eni', eni } };
}

/**
 * Across a peering connection, only to an address of the peer VPC: a
 * peering connection is not transitive and carries no edge-to-edge traffic
 * (docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html).
 */
export function viaPeering(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const pcxId = (choice.route.target as { id: string }).id;
  if (!transitive(walk, pos, pcxId, ['origin', 'nat'])) return false;
  const pcx = walk.view.peering(pcxId)!;
  const local = [pcx.requester, pcx.accepter].find((side) => side.vpcId === pos.vpcId);
  if (!local) return walk.fail(pcxId, `${pcxId} does not connect ${pos.vpcId}: dropped`);
  const peer = local === pcx.requester ? pcx.accepter : pcx.requester;
  // Any of the peer's associated blocks, secondaries included, is reachable across the connection.
  const peerVpc = walk.view.vpc(peer.vpcId);
  const peerCidrs = peerVpc ? vpcCidrs(peerVpc) : [peer.cidr];
  if (!peerCidrs.some((cidr) => ipInCidr(walk.dstIp, cidr))) {
    return walk.fail(
      pcxId,
      `${pcxId} carries traffic only to ${peer.vpcId} (${peerCidrs.join(', ')}); ${walk.dstIp} is outside it and peering is not transitive: dropped`,
    );
  }
  if (pos.subnetId && !walk.acl(pos.subnetId, 'outbound')) return false;
  walk.pass(pcxId, `${pcxId} carries the packet to ${peer.vpcId}`);
  walk.latencyMs += LATENCY.peering;
  return { next: { vpcId: peer.vpcId, via: 'peering' } };
}

/** Through a NAT gateway, which rewrites the source to its own address and routes on from its subnet. */
export function viaNatGateway(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const natId = (choice.route.target as { id: string }).id;
  if (!transitive(walk, pos, natId, ['origin', 'tgw', 'appliance'])) return false;
  const nat = walk.view.natGateway(natId)!;
  const natEni = walk.view.natInterface(nat);
  if (!walk.cross(pos.subnetId, nat.subnetId)) return false;
  walk.travel(pos.subnetId, nat.subnetId);
  walk.touch(natEni, 'ingress', 'ACCEPT');
  const publicIp = nat.connectivityType === 'public' ? nat.publicIp : undefined;
  walk.translations.push({
    natGatewayId: nat.id,
    natEniId: natEni.id,
    natIp: nat.privateIp,
    publicIp,
    original: walk.srcIp,
  });
  walk.pass(
    nat.id,
    `${nat.id} translates ${walk.srcIp} to ${nat.privateIp}${publicIp ? ` (${publicIp} on the internet)` : ''}`,
  );
  walk.srcIp = nat.privateIp;
  walk.srcEni = natEni;
  walk.publicSrc = publicIp;
  walk.touch(natEni, 'egress', 'ACCEPT');
  walk.routedHops += 1;
  walk.latencyMs += LATENCY.natGateway;
  return { next: { vpcId: nat.vpcId, subnetId: nat.subnetId, via: 'nat' } };
}

/**
 * Out through an internet gateway: only public destinations, and only for a
 * source with a public address (its own, or a NAT gateway's), which the
 * gateway translates (docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
 */
export function viaInternetGateway(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const igwId = (choice.route.target as { id: string }).id;
  if (!transitive(walk, pos, igwId, ['origin', 'nat'])) return false;
  if (isPrivateAddress(walk.dstIp))
    return walk.fail(igwId, `${igwId} does not carry traffic to the private address ${walk.dstIp}: dropped`);
  const publicIp = walk.publicSrc;
  if (!publicIp)
    return walk.fail(
      igwId,
      `${walk.srcIp} has no public IPv4 address, so ${igwId} cannot translate it: dropped`,
    );
  if (pos.subnetId && !walk.acl(pos.subnetId, 'outbound')) return false;
  walk.pass(igwId, `${igwId} translates ${walk.srcIp} to ${publicIp} and sends the packet to the internet`);
  walk.exit = { vpcId: pos.vpcId, privateIp: walk.srcIp, publicIp };
  walk.srcIp = publicIp;
  const region = walk.view.regionOfVpc(pos.vpcId);
  const where = classifyPublicAddress(walk.view, walk.dstIp, region ? [region] : []);
  if (where.kind === 'aws-service') {
    walk.latencyMs += LATENCY.awsService;
    return {
      arrived: {
        kind: 'service',
        region: where.region,
        ...(where.service && { service: where.service }),
        vpcId: pos.vpcId,
      },
    };
  }
  walk.latencyMs += LATENCY.internet;
  return { arrived: { kind: 'internet', vpcId: pos.vpcId } };
}

/**
 * To S3 or DynamoDB through a gateway endpoint's prefix-list route. Only
 * traffic that starts in the endpoint's VPC may use it
 * (docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 */
export function viaGatewayEndpoint(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const vpceId = (choice.route.target as { id: string }).id;
  if (pos.via !== 'origin')
    return walk.fail(vpceId, `${vpceId} serves only traffic that starts in ${pos.vpcId}: dropped`);
  const vpce = walk.view.endpoint(vpceId)!;
  const list = gatewayServiceOf(walk.view, walk.dstIp);
  if (pos.subnetId && !walk.acl(pos.subnetId, 'outbound')) return false;
  walk.pass(vpceId, `${vpceId} carries the packet to ${vpce.serviceName}`);
  walk.latencyMs += LATENCY.awsService;
  return {
    arrived: {
      kind: 'service',
      region: list?.region ?? '',
      ...(list && { service: list.service }),
      endpointId: vpceId,
      vpcId: pos.vpcId,
    },
  };
}

/** Through an appliance (a route to an ENI or instance): it forwards only with source/destination checking off. */
export function viaAppliance(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const target = choice.route.target as { kind: 'instance' | 'network-interface'; id: string };
  const eni = walk.view.eni(
    target.kind === 'instance' ? walk.view.instance(target.id)?.primaryNetworkInterfaceId : target.id,
  );
  if (!eni)
    return walk.fail(target.id, `${routeText(choice)} points at an interface that does not exist: dropped`);
  const silent = silentBecause(walk.view, eni);
  if (silent) return walk.fail(target.id, silent);
  if (!walk.cross(pos.subnetId, eni.subnetId)) return false;
  if (eni.sourceDestCheck) {
    walk.touch(eni, 'ingress', 'REJECT');
    return walk.fail(
      eni.id,
      `${eni.id} has source/destination checking on, so it drops traffic not addressed to it`,
    );
  }
  if (!walk.reply && hasSecurityGroups(eni)) {
    const inbound = securityGroupsAllow(
      walk.view,
      eni,
      'ingress',
      { ip: walk.srcIp, eni: walk.srcEni },
      walk.flow,
    );
    const outbound = securityGroupsAllow(walk.view, eni, 'egress', { ip: walk.dstIp }, walk.flow);
    const denied = [inbound, outbound].find((v) => !v.allowed);
    if (denied) return walk.fail(denied.groupIds[0] ?? eni.id, `${denied.says}: dropped at ${eni.id}`);
  }
  walk.travel(pos.subnetId, eni.subnetId);
  walk.touch(eni, 'ingress', 'ACCEPT');
  walk.touch(eni, 'egress', 'ACCEPT');
  walk.pass(eni.id, `${eni.id} forwards the packet`);
  walk.routedHops += 1;
  walk.latencyMs += LATENCY.appliance;
  return { next: { vpcId: eni.vpcId, subnetId: eni.subnetId, via: 'appliance' } };
}
