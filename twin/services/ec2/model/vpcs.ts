import { type Cidr, formatCidr, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { newDefaultNetworkAcl } from './network-acls.ts';
import { markVpcPeeringsDeleted, pendingRequestTo, type World } from './peering.ts';
import { newMainRouteTable } from './route-tables.ts';
import { newDefaultSecurityGroup } from './security-groups.ts';
import type { Tags, VpcState } from './state.ts';
import { getVpc } from './vpc-lookups.ts';

/** `Value (x) for parameter cidrBlock is invalid. This is not a valid CIDR block.` */
export function invalidCidrParameter(cidr: string | undefined, parameter = 'cidrBlock'): AwsError {
  return new AwsError(
    'InvalidParameterValue',
    `Value (${cidr ?? ''}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`,
  );
}

/**
 * A VPC's IPv4 block as a request names it (CreateVpc, AssociateVpcCidrBlock):
 * canonical and /16 to /28, or the error AWS gives; `missing` is the
 * operation's own message when no block is named.
 */
export function vpcBlock(text: string | undefined, missing: string): Cidr {
  if (!text) throw new AwsError('MissingParameter', missing);
  const cidr = parseCidr(text);
  if (!cidr) throw invalidCidrParameter(text);
  if (!cidr.canonical || cidr.prefix < 16 || cidr.prefix > 28)
    throw new AwsError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`);
  return cidr;
}

/**
 * Creates a VPC with what AWS makes alongside it: the main route table (one
 * `local` route), the default network ACL and the `default` security group
 * (docs.aws.amazon.com/vpc/latest/userguide/create-vpc.html). The block size
 * must be /16 to /28 (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
export function createVpc(model: Ec2Model, params: { cidr: string | undefined; tags: Tags }): VpcState {
  const cidr = vpcBlock(params.cidr, 'Either cidrBlock or ipv4IpamPoolId must be specified.');
  const id = model.newId('vpc');
  const vpc: VpcState = {
    id,
    ownerId: model.accountId,
    region: model.region,
    cidr: formatCidr(cidr),
    state: 'available',
    // A non-default VPC resolves DNS but gives no hostnames
    // (docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-support).
    enableDnsSupport: true,
    enableDnsHostnames: false,
    mainRouteTableId: '',
    defaultNetworkAclId: '',
    defaultSecurityGroupId: '',
    tags: params.tags,
  };
  model.vpcs.set(id, vpc);
  vpc.mainRouteTableId = newMainRouteTable(model, vpc).id;
  vpc.defaultNetworkAclId = newDefaultNetworkAcl(model, vpc).id;
  vpc.defaultSecurityGroupId = newDefaultSecurityGroup(model, vpc).id;
  return vpc;
}

/** What still stands in a VPC, in the order AWS users usually meet them. */
function vpcDependency(model: Ec2Model, world: World, vpc: VpcState, now: number): string | undefined {
  const inVpc = <T extends { vpcId: string }>(m: Map<string, T>) =>
    [...m.values()].some((x) => x.vpcId === vpc.id);
  if (inVpc(model.subnets)) return 'subnets';
  if ([...model.internetGateways.values()].some((g) => g.attachments.some((a) => a.vpcId === vpc.id))) {
    return 'an internet gateway';
  }
  if (
    [...model.securityGroups.values()].some((g) => g.vpcId === vpc.id && g.id !== vpc.defaultSecurityGroupId)
  ) {
    return 'security groups';
  }
  if ([...model.routeTables.values()].some((t) => t.vpcId === vpc.id && t.id !== vpc.mainRouteTableId)) {
    return 'route tables';
  }
  if ([...model.networkAcls.values()].some((a) => a.vpcId === vpc.id && !a.isDefault)) return 'network ACLs';
  if ([...model.vpcEndpoints.values()].some((e) => e.vpcId === vpc.id && e.state !== 'deleted'))
    return 'endpoints';
  const attachments = world.flatMap((m) => [...m.transitGatewayAttachments.values()]);
  if (attachments.some((a) => a.vpcId === vpc.id && a.state !== 'deleted'))
    return 'transit gateway attachments';
  if (pendingRequestTo(world, vpc.id, model.accountId, now)) return 'a pending peering request';
  return undefined;
}

/**
 * Deletes a VPC once it holds nothing but its defaults; AWS answers
 * `DependencyViolation` otherwise (API_DeleteVpc: "You must detach or delete
 * all gateways and resources that are associated with the VPC").
 */
export function deleteVpc(model: Ec2Model, world: World, vpcId: string | undefined, now: number): void {
  const vpc = getVpc(model, vpcId);
  if (vpcDependency(model, world, vpc, now)) {
    throw dependencyViolation(`The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
  }
  markVpcPeeringsDeleted(world, model, vpc.id, now);
  model.routeTables.delete(vpc.mainRouteTableId);
  model.networkAcls.delete(vpc.defaultNetworkAclId);
  model.securityGroups.delete(vpc.defaultSecurityGroupId);
  model.vpcs.delete(vpc.id);
}

export type VpcAttributeName = 'enableDnsSupport' | 'enableDnsHostnames';

/** ModifyVpcAttribute: one attribute per call, as AWS requires. */
export function setVpcAttribute(
  model: Ec2Model,
  vpcId: string | undefined,
  name: VpcAttributeName,
  value: boolean,
): void {
  const vpc = getVpc(model, vpcId);
  // "You can only enable DNS hostnames if you've enabled DNS support." (vpc-dns.html)
  if (name === 'enableDnsHostnames' && value && !vpc.enableDnsSupport) {
    throw new AwsError(
      'InvalidParameterValue',
      'DNS hostnames can only be enabled when DNS support is enabled.',
    );
  }
  vpc[name] = value;
}
