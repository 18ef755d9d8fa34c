import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { InterfaceType, NetworkInterfaceState, SubnetState, Tags } from './state.ts';
import { allocatePrivateIp } from './subnets.ts';
import { getSubnet } from './vpc-lookups.ts';

/**
 * Elastic network interfaces: the ones callers make (CreateNetworkInterface,
 * an instance's primary ENI) and the ones AWS services place in a subnet for
 * you (interface endpoints, Transit Gateway attachments, Lambda Hyperplane).
 */

/** The account AWS's endpoint ENIs name as requester (docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html). */
export const VPC_ENDPOINT_REQUESTER_ID = '727180483921';
/** Owner shown on the attachment of a requester-managed ENI. */
export const AWS_MANAGED_OWNER = 'amazon-aws';

export function getNetworkInterface(model: Ec2Model, id: string | undefined): NetworkInterfaceState {
  const eni = id ? model.networkInterfaces.get(id) : undefined;
  if (!eni) throw notFoundError('networkInterface', id ?? '');
  return eni;
}

/**
 * Security groups for an ENI in `subnet`: the given ids, which must exist in
 * the subnet's VPC, or the VPC's default group when none are given.
 */
export function resolveSecurityGroups(
  model: Ec2Model,
  subnet: SubnetState,
  ids: readonly string[] | undefined,
): string[] {
  if (!ids?.length) {
    const vpc = model.vpcs.get(subnet.vpcId);
    return vpc?.defaultSecurityGroupId ? [vpc.defaultSecurityGroupId] : [];
  }
  for (const id of ids) {
    const group = model.securityGroups.get(id);
    if (!group) throw notFoundError('securityGroup', id);
    if (group.vpcId !== subnet.vpcId) {
      throw new AwsError(
        'InvalidParameter',
        `Security group ${id} and subnet ${subnet.id} belong to different networks.`,
      );
    }
  }
  return [...new Set(ids)];
}

export interface NewNetworkInterface {
  subnetId: string;
  securityGroupIds: string[];
  privateIp?: string | undefined;
  publicIp?: string | undefined;
  description?: string | undefined;
  interfaceType: InterfaceType;
  requesterManaged: boolean;
  requesterId?: string | undefined;
  attachment?: NetworkInterfaceState['attachment'];
  sourceDestCheck?: boolean;
  tags?: Tags;
}

/** Places an ENI in a subnet of this model's account. */
export function addNetworkInterface(model: Ec2Model, spec: NewNetworkInterface): NetworkInterfaceState {
  const subnet = getSubnet(model, spec.subnetId);
  const eni: NetworkInterfaceState = {
    id: model.newId('eni'),
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    ownerId: model.accountId,
    availabilityZone: subnet.availabilityZone,
    privateIp: allocatePrivateIp(model, subnet.id, spec.privateIp),
    securityGroupIds: spec.securityGroupIds,
    interfaceType: spec.interfaceType,
    status: spec.attachment ? 'in-use' : 'available',
    description: spec.description ?? '',
    requesterManaged: spec.requesterManaged,
    sourceDestCheck: spec.sourceDestCheck ?? true,
    tags: spec.tags ?? {},
  };
  if (spec.publicIp) eni.publicIp = spec.publicIp;
  if (spec.requesterId) eni.requesterId = spec.requesterId;
  if (spec.attachment) eni.attachment = spec.attachment;
  model.networkInterfaces.set(eni.id, eni);
  return eni;
}

export interface ServiceEniSpec {
  subnetId: string;
  type: InterfaceType;
  description: string;
  /** Shown as RequesterId: an AWS account or principal id (`727180483921`, `AROA…:function`). */
  requesterId: string;
  securityGroupIds: string[];
  privateIp?: string;
}

/**
 * An ENI an AWS service makes in your subnet (interface endpoint, Lambda
 * Hyperplane, Transit Gateway attachment): requester-managed, in use from
 * the start, with an `ela-attach-…` attachment owned by AWS, so
 * DeleteNetworkInterface refuses it as AWS does.
 *
 * @example
 *   const eni = createServiceEni(vpcOwnerModel, { subnetId, type: 'lambda',
 *     description: 'AWS Lambda VPC ENI-fn-…', requesterId: `${roleId}:fn`, securityGroupIds });
 */
export function createServiceEni(model: Ec2Model, spec: ServiceEniSpec): NetworkInterfaceState {
  return addNetworkInterface(model, {
    subnetId: spec.subnetId,
    securityGroupIds: spec.securityGroupIds,
    privateIp: spec.privateIp,
    description: spec.description,
    interfaceType: spec.type,
    requesterManaged: true,
    requesterId: spec.requesterId,
    attachment: { id: model.newId('ela-attach'), deviceIndex: 1, status: 'attached' },
    // Transit Gateway ENIs forward traffic that is not theirs, so they do not check source/destination.
    sourceDestCheck: spec.type !== 'transit_gateway',
  });
}

/** Removes an ENI without the checks a caller faces; for the service that owns it. */
export function removeNetworkInterface(model: Ec2Model, id: string): void {
  model.networkInterfaces.delete(id);
}

/**
 * DeleteNetworkInterface: an attached interface (an instance's, or one an AWS
 * service manages) cannot be deleted
 * (InvalidNetworkInterface.InUse, docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
export function deleteNetworkInterface(model: Ec2Model, id: string | undefined): void {
  const eni = getNetworkInterface(model, id);
  if (eni.attachment || eni.status === 'in-use') {
    throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`);
  }
  model.networkInterfaces.delete(eni.id);
}

/** ModifyNetworkInterfaceAttribute `Groups`: replaces the interface's security groups. */
export function setNetworkInterfaceGroups(
  model: Ec2Model,
  eni: NetworkInterfaceState,
  groupIds: readonly string[],
): void {
  if (!groupIds.length)
    throw new AwsError('InvalidParameterValue', 'At least one security group must be specified');
  eni.securityGroupIds = resolveSecurityGroups(model, getSubnet(model, eni.subnetId), groupIds);
}

/** A stable MAC address derived from the ENI id (AWS MACs are locally administered: `0a:…` / `12:…`). */
export function macAddressOf(eniId: string): string {
  const h = createHash('sha256').update(eniId).digest('hex');
  return ['0e', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(':');
}

/**
 * The private DNS name of an address: `ip-10-0-1-10.ec2.internal` in
 * us-east-1, `ip-….REGION.compute.internal` elsewhere
 * (docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-hostnames).
 */
export function privateDnsNameOf(region: string, ip: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The public DNS name of a public address (`ec2-54-1-2-3.compute-1.amazonaws.com` in us-east-1). */
export function publicDnsNameOf(region: string, ip: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1'
    ? `${host}.compute-1.amazonaws.com`
    : `${host}.${region}.compute.amazonaws.com`;
}
