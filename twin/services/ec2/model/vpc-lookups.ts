import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { PeeringSide, SubnetState, VpcState } from './state.ts';

/**
 * The look-ups every EC2 resource file shares: a VPC or subnet by id, a
 * VPC's routed blocks. They depend on the state alone, so route tables,
 * subnets, ACLs, security groups and peering import them from here and
 * none of those files has to import another for a look-up (they once
 * formed one eight-file import cycle through vpcs.ts).
 */

/** The VPC, or `InvalidVpcID.NotFound`. */
export function getVpc(model: Ec2Model, vpcId: string | undefined): VpcState {
  const vpc = vpcId ? model.vpcs.get(vpcId) : undefined;
  if (!vpc) throw notFoundError('vpc', vpcId ?? '');
  return vpc;
}

/** The subnet, or `InvalidSubnetID.NotFound`. */
export function getSubnet(model: Ec2Model, id: string | undefined): SubnetState {
  const subnet = id ? model.subnets.get(id) : undefined;
  if (!subnet) throw notFoundError('subnet', id ?? '');
  return subnet;
}

/** Every IPv4 block the VPC routes as `local`: the primary, then its associated secondaries. */
export function vpcCidrs(vpc: VpcState): string[] {
  const secondary = (vpc.secondaryCidrs ?? []).filter((a) => a.state === 'associated').map((a) => a.cidr);
  return [vpc.cidr, ...secondary];
}

/** A VPC by its owner, Region and id, in whichever account's model holds it. */
export function findVpc(
  world: readonly Ec2Model[],
  owner: { ownerId: string; region: string; vpcId: string },
) {
  return world.find((m) => m.accountId === owner.ownerId && m.region === owner.region)?.vpcs.get(owner.vpcId);
}

/** The blocks of one side of a peering: its VPC's, or what the connection recorded once the VPC is gone. */
export function sideCidrs(world: readonly Ec2Model[], side: PeeringSide): string[] {
  const vpc = findVpc(world, side);
  return vpc ? vpcCidrs(vpc) : [side.cidr];
}
