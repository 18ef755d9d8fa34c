import type {
  CreateSubnetRequest,
  CreateSubnetResult,
  DeleteSubnetRequest,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  ModifySubnetAttributeRequest,
  Subnet,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import type { SubnetState } from '../model/state.ts';
import {
  availableIpAddressCount,
  createSubnet,
  deleteSubnet,
  setMapPublicIpOnLaunch,
} from '../model/subnets.ts';
import { describe, flag, renderTags, specTags, withDryRun } from './shared.ts';

export function renderSubnet(model: Ec2Model, subnet: SubnetState): Subnet {
  return {
    SubnetId: subnet.id,
    SubnetArn: `arn:aws:ec2:${model.region}:${subnet.ownerId}:subnet/${subnet.id}`,
    VpcId: subnet.vpcId,
    OwnerId: subnet.ownerId,
    CidrBlock: subnet.cidr,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: subnet.availabilityZoneId,
    AvailableIpAddressCount: availableIpAddressCount(model, subnet),
    State: subnet.state,
    DefaultForAz: false,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    Tags: renderTags(subnet.tags),
  };
}

/** DescribeSubnets filters with their documented aliases (API_DescribeSubnets). */
function subnetFilters(model: Ec2Model): Accessors<SubnetState> {
  const cidr = (s: SubnetState) => s.cidr;
  const az = (s: SubnetState) => s.availabilityZone;
  const azId = (s: SubnetState) => s.availabilityZoneId;
  const notDefault = () => 'false';
  return {
    'availability-zone': az,
    availabilityZone: az,
    'availability-zone-id': azId,
    availabilityZoneId: azId,
    'available-ip-address-count': (s) => availableIpAddressCount(model, s),
    'cidr-block': cidr,
    cidr,
    cidrBlock: cidr,
    'default-for-az': notDefault,
    defaultForAz: notDefault,
    'map-public-ip-on-launch': (s) => flag(s.mapPublicIpOnLaunch),
    'owner-id': (s) => s.ownerId,
    state: (s) => s.state,
    'subnet-arn': (s) => `arn:aws:ec2:${model.region}:${s.ownerId}:subnet/${s.id}`,
    'subnet-id': (s) => s.id,
    'vpc-id': (s) => s.vpcId,
  };
}

export const subnetHandlers = withDryRun({
  CreateSubnet(model: Ec2Model, input: CreateSubnetRequest): CreateSubnetResult {
    if (input.Ipv6CidrBlock || input.Ipv6Native)
      throw new AwsError('InvalidParameterValue', 'The twin does not emulate IPv6 subnets.');
    const subnet = createSubnet(model, {
      vpcId: input.VpcId,
      cidr: input.CidrBlock,
      availabilityZone: input.AvailabilityZone,
      availabilityZoneId: input.AvailabilityZoneId,
      tags: specTags(input, 'subnet'),
    });
    return { Subnet: renderSubnet(model, subnet) };
  },

  DeleteSubnet(model: Ec2Model, input: DeleteSubnetRequest): object {
    deleteSubnet(model, input.SubnetId);
    return {};
  },

  DescribeSubnets(model: Ec2Model, input: DescribeSubnetsRequest): DescribeSubnetsResult {
    const { page, nextToken } = describe([...model.subnets.values()], input, {
      ids: input.SubnetIds,
      idOf: (s) => s.id,
      missing: (id) => notFoundError('subnet', id),
      accessors: subnetFilters(model),
    });
    return { Subnets: page.map((s) => renderSubnet(model, s)), NextToken: nextToken };
  },

  /** Only MapPublicIpOnLaunch is emulated; one attribute per call, as AWS requires. */
  ModifySubnetAttribute(model: Ec2Model, input: ModifySubnetAttributeRequest): object {
    if (input.MapPublicIpOnLaunch?.Value === undefined) {
      throw new AwsError(
        'InvalidParameterValue',
        'The twin emulates only the MapPublicIpOnLaunch subnet attribute.',
      );
    }
    setMapPublicIpOnLaunch(model, input.SubnetId, input.MapPublicIpOnLaunch.Value);
    return {};
  },
});
