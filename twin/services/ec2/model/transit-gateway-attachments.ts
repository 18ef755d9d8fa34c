import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { createServiceEni, removeNetworkInterface } from './network-interfaces.ts';
import type { World } from './peering.ts';
import type { Tags, TransitGatewayVpcAttachmentState } from './state.ts';
import { enabled, findTransitGateway } from './transit-gateways.ts';
import { getSubnet, getVpc } from './vpc-lookups.ts';

/**
 * Transit Gateway VPC attachments (docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html).
 * An attachment lives in the TGW owner's model; its ENIs live in the VPC
 * owner's, one `transit_gateway` interface per subnet, one subnet per AZ.
 */

/** An attachment the caller can see (as TGW owner or VPC owner), with the model that holds it. */
export function findAttachment(
  world: World,
  caller: Ec2Model,
  id: string | undefined,
): { owner: Ec2Model; attachment: TransitGatewayVpcAttachmentState } {
  for (const owner of world) {
    const attachment =
      id && owner.region === caller.region ? owner.transitGatewayAttachments.get(id) : undefined;
    if (attachment && (owner === caller || attachment.vpcOwnerId === caller.accountId))
      return { owner, attachment };
  }
  throw notFoundError('transitGatewayAttachment', id ?? '');
}

/** Every attachment the caller can see: those of its TGWs and those of its VPCs. */
export function attachmentsVisibleTo(world: World, caller: Ec2Model): TransitGatewayVpcAttachmentState[] {
  return world
    .filter((m) => m.region === caller.region)
    .flatMap((m) =>
      [...m.transitGatewayAttachments.values()].filter(
        (a) => m === caller || a.vpcOwnerId === caller.accountId,
      ),
    );
}

/** The model of the account whose VPC an attachment joins: its subnets and ENIs live there. */
function vpcOwnerModel(
  world: World,
  owner: Ec2Model,
  attachment: TransitGatewayVpcAttachmentState,
): Ec2Model | undefined {
  return world.find((m) => m.accountId === attachment.vpcOwnerId && m.region === owner.region);
}

export interface NewVpcAttachment {
  transitGatewayId: string | undefined;
  vpcId: string | undefined;
  subnetIds: string[];
  dnsSupport?: string | undefined;
  applianceModeSupport?: string | undefined;
  tags: Tags;
}

/** Subnets of the VPC, at most one per Availability Zone (DuplicateSubnetsInSameZone otherwise). */
function checkSubnets(vpcModel: Ec2Model, vpcId: string, subnetIds: readonly string[]): void {
  if (!subnetIds.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter SubnetIds');
  const zones = new Set<string>();
  for (const id of subnetIds) {
    const subnet = getSubnet(vpcModel, id);
    if (subnet.vpcId !== vpcId)
      throw new AwsError('InvalidParameterValue', `Subnet ${id} does not belong to VPC ${vpcId}`);
    if (zones.has(subnet.availabilityZone))
      throw new AwsError('DuplicateSubnetsInSameZone', 'Duplicate Subnets for same AZ');
    zones.add(subnet.availabilityZone);
  }
}

/** Places the attachment's `transit_gateway` ENI in each of `subnetIds`. */
function placeEnis(
  vpcModel: Ec2Model,
  attachment: TransitGatewayVpcAttachmentState,
  subnetIds: readonly string[],
): void {
  for (const subnetId of subnetIds) {
    const eni = createServiceEni(vpcModel, {
      subnetId,
      type: 'transit_gateway',
      description: `Network Interface for Transit Gateway Attachment ${attachment.id}`,
      requesterId: 'amazon-aws',
      securityGroupIds: [],
    });
    attachment.networkInterfaceIds.push(eni.id);
  }
}

function removeEnis(
  vpcModel: Ec2Model | undefined,
  attachment: TransitGatewayVpcAttachmentState,
  subnetIds?: readonly string[],
): void {
  for (const eniId of [...attachment.networkInterfaceIds]) {
    const eni = vpcModel?.networkInterfaces.get(eniId);
    if (subnetIds && eni && !subnetIds.includes(eni.subnetId)) continue;
    if (vpcModel) removeNetworkInterface(vpcModel, eniId);
    attachment.networkInterfaceIds = attachment.networkInterfaceIds.filter((id) => id !== eniId);
  }
}

/** An attachment becomes available: its ENIs appear and the TGW's default association and propagation apply. */
function makeAvailable(
  owner: Ec2Model,
  vpcModel: Ec2Model,
  attachment: TransitGatewayVpcAttachmentState,
): void {
  attachment.state = 'available';
  placeEnis(vpcModel, attachment, attachment.subnetIds);
  const options = owner.transitGateways.get(attachment.transitGatewayId)?.options;
  if (options?.defaultRouteTableAssociation && options.associationDefaultRouteTableId) {
    attachment.associatedRouteTableId = options.associationDefaultRouteTableId;
  }
  const propagation = options?.defaultRouteTablePropagation
    ? options.propagationDefaultRouteTableId
    : undefined;
  const table = propagation ? owner.transitGatewayRouteTables.get(propagation) : undefined;
  if (table && !table.propagatingAttachmentIds.includes(attachment.id))
    table.propagatingAttachmentIds.push(attachment.id);
}

/**
 * CreateTransitGatewayVpcAttachment, called by the VPC's owner. Same-account
 * attachments are available at once; another account's wait in
 * `pendingAcceptance` unless the TGW auto-accepts shared attachments
 * (docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html#tgw-auto-accept-shared-attachments).
 */
export function createVpcAttachment(
  world: World,
  caller: Ec2Model,
  spec: NewVpcAttachment,
  now: number,
): TransitGatewayVpcAttachmentState {
  const found = findTransitGateway(world, caller.region, spec.transitGatewayId);
  if (!found) throw notFoundError('transitGateway', spec.transitGatewayId ?? '');
  const { owner, tgw } = found;
  const vpc = getVpc(caller, spec.vpcId);
  const subnetIds = [...new Set(spec.subnetIds)];
  checkSubnets(caller, vpc.id, subnetIds);
  const duplicate = [...owner.transitGatewayAttachments.values()].some(
    (a) => a.transitGatewayId === tgw.id && a.vpcId === vpc.id && a.state !== 'rejected',
  );
  if (duplicate) {
    throw new AwsError(
      'DuplicateTransitGatewayAttachment',
      `${tgw.id} has non-deleted Transit Gateway Attachments with same VPC ID.`,
    );
  }
  const attachment: TransitGatewayVpcAttachmentState = {
    id: owner.newId('tgw-attach'),
    transitGatewayId: tgw.id,
    transitGatewayOwnerId: tgw.ownerId,
    vpcId: vpc.id,
    vpcOwnerId: caller.accountId,
    subnetIds,
    state: 'pendingAcceptance',
    dnsSupport: enabled(spec.dnsSupport, true),
    applianceModeSupport: enabled(spec.applianceModeSupport, false),
    networkInterfaceIds: [],
    creationTime: now,
    tags: spec.tags,
  };
  owner.transitGatewayAttachments.set(attachment.id, attachment);
  if (owner === caller || tgw.options.autoAcceptSharedAttachments) makeAvailable(owner, caller, attachment);
  return attachment;
}

function ownAttachment(
  model: Ec2Model,
  id: string | undefined,
  wanted: TransitGatewayVpcAttachmentState['state'],
): TransitGatewayVpcAttachmentState {
  const attachment = id ? model.transitGatewayAttachments.get(id) : undefined;
  if (!attachment) throw notFoundError('transitGatewayAttachment', id ?? '');
  if (attachment.state !== wanted)
    throw new AwsError('IncorrectState', `${attachment.id} is in invalid state`);
  return attachment;
}

/** AcceptTransitGatewayVpcAttachment, by the TGW's owner: pendingAcceptance → available. */
export function acceptVpcAttachment(
  world: World,
  model: Ec2Model,
  id: string | undefined,
): TransitGatewayVpcAttachmentState {
  const attachment = ownAttachment(model, id, 'pendingAcceptance');
  const vpcModel = vpcOwnerModel(world, model, attachment);
  if (!vpcModel) throw notFoundError('vpc', attachment.vpcId);
  makeAvailable(model, vpcModel, attachment);
  return attachment;
}

/** RejectTransitGatewayVpcAttachment, by the TGW's owner: pendingAcceptance → rejected. */
export function rejectVpcAttachment(
  model: Ec2Model,
  id: string | undefined,
): TransitGatewayVpcAttachmentState {
  const attachment = ownAttachment(model, id, 'pendingAcceptance');
  attachment.state = 'rejected';
  return attachment;
}

/** Removes an attachment: its ENIs, association and propagations. Static routes to it turn blackhole. */
function deleteAttachmentRecord(
  world: World,
  owner: Ec2Model,
  attachment: TransitGatewayVpcAttachmentState,
): void {
  removeEnis(vpcOwnerModel(world, owner, attachment), attachment);
  for (const table of owner.transitGatewayRouteTables.values()) {
    table.propagatingAttachmentIds = table.propagatingAttachmentIds.filter((id) => id !== attachment.id);
  }
  delete attachment.associatedRouteTableId;
  owner.transitGatewayAttachments.delete(attachment.id);
}

/** DeleteTransitGatewayVpcAttachment, by either side. */
export function deleteVpcAttachment(
  world: World,
  caller: Ec2Model,
  id: string | undefined,
): TransitGatewayVpcAttachmentState {
  const { owner, attachment } = findAttachment(world, caller, id);
  deleteAttachmentRecord(world, owner, attachment);
  return attachment;
}

/** ModifyTransitGatewayVpcAttachment: subnets (their ENIs follow) and the DNS / appliance-mode options. */
export function modifyVpcAttachment(
  world: World,
  caller: Ec2Model,
  id: string | undefined,
  p: {
    add?: string[] | undefined;
    remove?: string[] | undefined;
    dnsSupport?: string | undefined;
    applianceModeSupport?: string | undefined;
  },
): TransitGatewayVpcAttachmentState {
  const { owner, attachment } = findAttachment(world, caller, id);
  const vpcModel = vpcOwnerModel(world, owner, attachment);
  if (!vpcModel) throw notFoundError('vpc', attachment.vpcId);
  const remove = p.remove ?? [];
  const add = (p.add ?? []).filter((s) => !attachment.subnetIds.includes(s));
  const next = [...attachment.subnetIds.filter((s) => !remove.includes(s)), ...add];
  checkSubnets(vpcModel, attachment.vpcId, next);
  const live = attachment.state === 'available';
  if (live) removeEnis(vpcModel, attachment, remove);
  attachment.subnetIds = next;
  if (live) placeEnis(vpcModel, attachment, add);
  attachment.dnsSupport = enabled(p.dnsSupport, attachment.dnsSupport);
  attachment.applianceModeSupport = enabled(p.applianceModeSupport, attachment.applianceModeSupport);
  return attachment;
}
