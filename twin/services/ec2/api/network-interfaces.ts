import type {
  CreateNetworkInterfaceRequest,
  CreateNetworkInterfaceResult,
  DeleteNetworkInterfaceRequest,
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult,
  GroupIdentifier,
  ModifyNetworkInterfaceAttributeRequest,
  NetworkInterface,
  NetworkInterfaceAssociation,
} from '@aws-sdk/client-ec2';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import {
  AWS_MANAGED_OWNER,
  addNetworkInterface,
  deleteNetworkInterface,
  getNetworkInterface,
  macAddressOf,
  privateDnsNameOf,
  publicDnsNameOf,
  resolveSecurityGroups,
  setNetworkInterfaceGroups,
} from '../model/network-interfaces.ts';
import type { NetworkInterfaceState } from '../model/state.ts';
import { getSubnet } from '../model/vpc-lookups.ts';
import { describe, flag, renderTags, specTags, withDryRun } from './shared.ts';

/** `[{ GroupId, GroupName }]` for security group ids of this account. */
export function renderGroups(model: Ec2Model, ids: readonly string[]): GroupIdentifier[] {
  return ids.map((id) => ({ GroupId: id, GroupName: model.securityGroups.get(id)?.name ?? '' }));
}

/** The public address of an ENI: an Elastic IP's association, or the address AWS gave at launch. */
export function renderEniAssociation(
  model: Ec2Model,
  eni: NetworkInterfaceState,
): NetworkInterfaceAssociation | undefined {
  if (!eni.publicIp) return undefined;
  const eip = [...model.elasticIps.values()].find((e) => e.networkInterfaceId === eni.id);
  return {
    PublicIp: eni.publicIp,
    PublicDnsName: publicDnsNameOf(model.region, eni.publicIp),
    IpOwnerId: eip ? model.accountId : 'amazon',
    ...(eip && { AllocationId: eip.allocationId, AssociationId: eip.associationId }),
  };
}

export function renderNetworkInterface(model: Ec2Model, eni: NetworkInterfaceState): NetworkInterface {
  const association = renderEniAssociation(model, eni);
  const dnsName = privateDnsNameOf(model.region, eni.privateIp);
  const a = eni.attachment;
  return {
    NetworkInterfaceId: eni.id,
    SubnetId: eni.subnetId,
    VpcId: eni.vpcId,
    AvailabilityZone: eni.availabilityZone,
    AvailabilityZoneId: model.subnets.get(eni.subnetId)?.availabilityZoneId,
    Description: eni.description,
    Groups: renderGroups(model, eni.securityGroupIds),
    InterfaceType: eni.interfaceType as NetworkInterface['InterfaceType'],
    MacAddress: macAddressOf(eni.id),
    OwnerId: eni.ownerId,
    PrivateDnsName: dnsName,
    PrivateIpAddress: eni.privateIp,
    PrivateIpAddresses: [
      {
        Primary: true,
        PrivateIpAddress: eni.privateIp,
        PrivateDnsName: dnsName,
        ...(association && { Association: association }),
      },
    ],
    Ipv6Addresses: [],
    RequesterManaged: eni.requesterManaged,
    ...(eni.requesterId && { RequesterId: eni.requesterId }),
    SourceDestCheck: eni.sourceDestCheck,
    Status: eni.status,
    ...(association && { Association: association }),
    ...(a && {
      Attachment: {
        AttachmentId: a.id,
        DeviceIndex: a.deviceIndex,
        NetworkCardIndex: 0,
        Status: a.status,
        DeleteOnTermination: Boolean(a.instanceId),
        InstanceOwnerId: a.instanceId ? eni.ownerId : AWS_MANAGED_OWNER,
        ...(a.instanceId && { InstanceId: a.instanceId }),
      },
    }),
    TagSet: renderTags(eni.tags) ?? [],
  };
}

/**
 * DescribeNetworkInterfaces filters (API_DescribeNetworkInterfaces.html).
 * `interface-type` compares the type AWS reports: an interface endpoint's
 * ENIs are `vpc_endpoint` (requester-managed-eni.html), so a filter on
 * `interface-endpoint` matches nothing, as in AWS.
 */
function eniFilters(model: Ec2Model): Accessors<NetworkInterfaceState> {
  const publicIp = (e: NetworkInterfaceState) => e.publicIp;
  const ipOwner = (e: NetworkInterfaceState) => renderEniAssociation(model, e)?.IpOwnerId;
  const privateIp = (e: NetworkInterfaceState) => e.privateIp;
  const eip = (e: NetworkInterfaceState) =>
    [...model.elasticIps.values()].find((x) => x.networkInterfaceId === e.id);
  return {
    'addresses.private-ip-address': privateIp,
    'addresses.primary': () => 'true',
    'addresses.association.public-ip': publicIp,
    'addresses.association.owner-id': ipOwner,
    'association.public-ip': publicIp,
    'association.ip-owner-id': ipOwner,
    'association.allocation-id': (e) => eip(e)?.allocationId,
    'association.association-id': (e) => eip(e)?.associationId,
    'association.public-dns-name': (e) =>
      e.publicIp ? publicDnsNameOf(model.region, e.publicIp) : undefined,
    'attachment.attach-time': () => undefined,
    'attachment.attachment-id': (e) => e.attachment?.id,
    'attachment.instance-id': (e) => e.attachment?.instanceId,
    'attachment.instance-owner-id': (e) =>
      e.attachment ? (e.attachment.instanceId ? e.ownerId : AWS_MANAGED_OWNER) : undefined,
    'attachment.device-index': (e) => e.attachment?.deviceIndex,
    'attachment.status': (e) => e.attachment?.status,
    'attachment.delete-on-termination': (e) =>
      e.attachment ? flag(Boolean(e.attachment.instanceId)) : undefined,
    'availability-zone': (e) => e.availabilityZone,
    'availability-zone-id': (e) => model.subnets.get(e.subnetId)?.availabilityZoneId,
    description: (e) => e.description,
    'group-id': (e) => e.securityGroupIds,
    'group-name': (e) => e.securityGroupIds.map((id) => model.securityGroups.get(id)?.name),
    'interface-type': (e) => e.interfaceType,
    // IPv4 only (see LIMITATIONS): the documented filter is accepted and matches nothing.
    'ipv6-addresses.ipv6-address': () => undefined,
    'mac-address': (e) => macAddressOf(e.id),
    'network-interface-id': (e) => e.id,
    'owner-id': (e) => e.ownerId,
    'private-dns-name': (e) => privateDnsNameOf(model.region, e.privateIp),
    'private-ip-address': privateIp,
    'requester-id': (e) => e.requesterId,
    'requester-managed': (e) => flag(e.requesterManaged),
    'source-dest-check': (e) => flag(e.sourceDestCheck),
    status: (e) => e.status,
    'subnet-id': (e) => e.subnetId,
    'vpc-id': (e) => e.vpcId,
  };
}

export const networkInterfaceHandlers = withDryRun({
  CreateNetworkInterface(
    model: Ec2Model,
    input: CreateNetworkInterfaceRequest,
  ): CreateNetworkInterfaceResult {
    const subnet = getSubnet(model, input.SubnetId);
    const eni = addNetworkInterface(model, {
      subnetId: subnet.id,
      securityGroupIds: resolveSecurityGroups(model, subnet, input.Groups),
      privateIp: input.PrivateIpAddress ?? input.PrivateIpAddresses?.find((p) => p.Primary)?.PrivateIpAddress,
      description: input.Description,
      interfaceType: 'interface',
      requesterManaged: false,
      tags: specTags(input, 'network-interface'),
    });
    return {
      NetworkInterface: renderNetworkInterface(model, eni),
      ...(input.ClientToken && { ClientToken: input.ClientToken }),
    };
  },

  DeleteNetworkInterface(model: Ec2Model, input: DeleteNetworkInterfaceRequest): Record<string, never> {
    deleteNetworkInterface(model, input.NetworkInterfaceId);
    return {};
  },

  DescribeNetworkInterfaces(
    model: Ec2Model,
    input: DescribeNetworkInterfacesRequest,
  ): DescribeNetworkInterfacesResult {
    const { page, nextToken } = describe([...model.networkInterfaces.values()], input, {
      ids: input.NetworkInterfaceIds,
      idOf: (e) => e.id,
      missing: (id) => notFoundError('networkInterface', id),
      accessors: eniFilters(model),
    });
    return {
      NetworkInterfaces: page.map((e) => renderNetworkInterface(model, e)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  ModifyNetworkInterfaceAttribute(
    model: Ec2Model,
    input: ModifyNetworkInterfaceAttributeRequest,
  ): Record<string, never> {
    const eni = getNetworkInterface(model, input.NetworkInterfaceId);
    if (input.Groups) setNetworkInterfaceGroups(model, eni, input.Groups);
    if (input.SourceDestCheck?.Value !== undefined) eni.sourceDestCheck = input.SourceDestCheck.Value;
    if (input.Description?.Value !== undefined) eni.description = input.Description.Value;
    return {};
  },
});
