import type { NetworkInterfaceState, TransitGatewayVpcAttachmentState } from '../services/ec2/model/state.ts';
import { tgwRouteFor, type VpcRouteChoice } from './routing.ts';
import { LATENCY, type Position, type Walk } from './walk-state.ts';
import { type Step, transitive } from './walk-targets.ts';

/**
 * A packet through a Transit Gateway: into the source VPC's attachment in
 * the sender's Availability Zone, the associated route table's decision,
 * out of the destination attachment.
 */
function tgwInterface(
  walk: Walk,
  attachment: TransitGatewayVpcAttachmentState,
  subnetId: string,
): NetworkInterfaceState | undefined {
  return attachment.networkInterfaceIds.map((id) => walk.view.eni(id)).find((e) => e?.subnetId === subnetId);
}

/**
 * Into a Transit Gateway. The source VPC's attachment must have a subnet in
 * the sender's Availability Zone (docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html);
 * the sender subnet's outbound ACL and the attachment subnet's inbound ACL
 * both apply, even when they are one subnet (docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html).
 */
export function viaTransitGateway(walk: Walk, pos: Position, choice: VpcRouteChoice): Step {
  const tgwId = (choice.route.target as { id: string }).id;
  if (!transitive(walk, pos, tgwId, ['origin', 'nat', 'appliance'])) return false;
  const attachments = walk.view.attachmentsOf(pos.vpcId, tgwId).filter((a) => a.state === 'available');
  if (!attachments.length)
    return walk.fail(tgwId, `${pos.vpcId} has no available attachment to ${tgwId}: dropped`);
  const az = walk.view.subnet(pos.subnetId)?.availabilityZoneId;
  const pick = attachments
    .flatMap((a) => a.subnetIds.map((s) => ({ a, s })))
    .find((x) => walk.view.subnet(x.s)?.availabilityZoneId === az);
  if (!pick) {
    return walk.fail(
      attachments[0]!.id,
      `${attachments[0]!.id} has no subnet in ${az}, so resources there cannot reach ${tgwId}`,
    );
  }
  if (pos.subnetId && !walk.acl(pos.subnetId, 'outbound')) return false;
  if (!walk.acl(pick.s, 'inbound')) return false;
  walk.travel(pos.subnetId, pick.s);
  walk.touch(tgwInterface(walk, pick.a, pick.s), 'ingress', 'ACCEPT');
  return acrossTransitGateway(walk, pick.a, az);
}

/** The Transit Gateway's own decision: the source attachment's associated table, longest prefix, blackholes drop. */
function acrossTransitGateway(
  walk: Walk,
  from: TransitGatewayVpcAttachmentState,
  az: string | undefined,
): Step {
  const table = walk.view.tgwRouteTable(from.associatedRouteTableId);
  if (table?.state !== 'available') {
    return walk.fail(
      from.transitGatewayId,
      `${from.id} is not associated with any transit gateway route table: dropped at the Transit Gateway`,
    );
  }
  const route = tgwRouteFor(walk.view, table, walk.dstIp);
  const where = `${table.id} (associated with ${from.id})`;
  if (!route)
    return walk.fail(table.id, `${where} has no route to ${walk.dstIp}: dropped at the Transit Gateway`);
  if (route.blackhole)
    return walk.fail(
      table.id,
      `${where} has a blackhole route ${route.cidr} for ${walk.dstIp}: dropped at the Transit Gateway`,
    );
  const to = walk.view.tgwAttachment(route.attachmentId);
  if (to?.state !== 'available') {
    return walk.fail(
      table.id,
      `${where} sends ${walk.dstIp} to ${route.attachmentId}, which is ${to?.state ?? 'gone'}: dropped at the Transit Gateway`,
    );
  }
  const subnetId =
    to.subnetIds.find((s) => walk.view.subnet(s)?.availabilityZoneId === az) ?? to.subnetIds[0];
  if (!subnetId) return walk.fail(to.id, `${to.id} has no subnets: dropped at the Transit Gateway`);
  walk.pass(
    table.id,
    `${where} sends ${walk.dstIp} to ${to.id} in ${to.vpcId} (${route.type} route ${route.cidr})`,
  );
  walk.routedHops += 1;
  walk.latencyMs += LATENCY.transitGateway;
  walk.touch(tgwInterface(walk, to, subnetId), 'egress', 'ACCEPT');
  return { next: { vpcId: to.vpcId, subnetId, via: 'tgw' } };
}
