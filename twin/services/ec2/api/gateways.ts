import type {
  Address,
  AllocateAddressRequest,
  AllocateAddressResult,
  AttachInternetGatewayRequest,
  CreateInternetGatewayRequest,
  CreateInternetGatewayResult,
  CreateNatGatewayRequest,
  CreateNatGatewayResult,
  DeleteInternetGatewayRequest,
  DeleteNatGatewayRequest,
  DeleteNatGatewayResult,
  DescribeAddressesRequest,
  DescribeAddressesResult,
  DescribeInternetGatewaysRequest,
  DescribeInternetGatewaysResult,
  DescribeNatGatewaysRequest,
  DescribeNatGatewaysResult,
  DetachInternetGatewayRequest,
  InternetGateway,
  InternetGatewayAttachment,
  NatGateway,
  ReleaseAddressRequest,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import { type Accessors, applyFilters } from '../filters.ts';
import {
  allocateAddress,
  attachInternetGateway,
  createInternetGateway,
  createNatGateway,
  deleteInternetGateway,
  deleteNatGateway,
  detachInternetGateway,
  natGatewayVisible,
  releaseAddress,
} from '../model/gateways.ts';
import type { Ec2Model } from '../model/index.ts';
import type { ElasticIpState, InternetGatewayState, NatGatewayState } from '../model/state.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

function renderInternetGateway(igw: InternetGatewayState): InternetGateway {
  return {
    InternetGatewayId: igw.id,
    OwnerId: igw.ownerId,
    // "For an internet gateway, the state is available when attached to a VPC" (API_InternetGatewayAttachment);
    // the SDK's enum lacks the value, the wire carries it.
    Attachments: igw.attachments.map((a) => ({
      VpcId: a.vpcId,
      State: (a.state === 'attached' ? 'available' : 'detached') as InternetGatewayAttachment['State'],
    })),
    Tags: renderTags(igw.tags),
  };
}

const igwFilters: Accessors<InternetGatewayState> = {
  'attachment.state': (g) => g.attachments.map((a) => (a.state === 'attached' ? 'available' : a.state)),
  'attachment.vpc-id': (g) => g.attachments.map((a) => a.vpcId),
  'internet-gateway-id': (g) => g.id,
  'owner-id': (g) => g.ownerId,
};

function renderAddress(model: Ec2Model, eip: ElasticIpState): Address {
  const eni = eip.networkInterfaceId ? model.networkInterfaces.get(eip.networkInterfaceId) : undefined;
  return {
    AllocationId: eip.allocationId,
    PublicIp: eip.publicIp,
    Domain: 'vpc',
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: model.region,
    ...(eip.associationId && { AssociationId: eip.associationId }),
    ...(eni && {
      NetworkInterfaceId: eni.id,
      NetworkInterfaceOwnerId: eni.ownerId,
      PrivateIpAddress: eni.privateIp,
      ...(eni.attachment?.instanceId && { InstanceId: eni.attachment.instanceId }),
    }),
    Tags: renderTags(eip.tags),
  };
}

const addressFilters: Accessors<Address> = {
  'allocation-id': (a) => a.AllocationId,
  'association-id': (a) => a.AssociationId,
  domain: (a) => a.Domain,
  'instance-id': (a) => a.InstanceId,
  'network-border-group': (a) => a.NetworkBorderGroup,
  'network-interface-id': (a) => a.NetworkInterfaceId,
  'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
  'private-ip-address': (a) => a.PrivateIpAddress,
  'public-ip': (a) => a.PublicIp,
};

function renderNatGateway(nat: NatGatewayState, state: NatGateway['State'] = nat.state): NatGateway {
  return {
    NatGatewayId: nat.id,
    VpcId: nat.vpcId,
    SubnetId: nat.subnetId,
    ConnectivityType: nat.connectivityType,
    State: state,
    CreateTime: new Date(nat.createTime),
    ...(nat.deleteTime !== undefined && { DeleteTime: new Date(nat.deleteTime) }),
    NatGatewayAddresses: [
      {
        NetworkInterfaceId: nat.networkInterfaceId,
        PrivateIp: nat.privateIp,
        ...(nat.allocationId && { AllocationId: nat.allocationId, PublicIp: nat.publicIp }),
        IsPrimary: true,
        Status: 'succeeded',
      },
    ],
    Tags: renderTags(nat.tags),
  };
}

const natFilters: Accessors<NatGatewayState> = {
  'nat-gateway-id': (n) => n.id,
  state: (n) => n.state,
  'subnet-id': (n) => n.subnetId,
  'vpc-id': (n) => n.vpcId,
};

export const gatewayHandlers = withDryRun({
  CreateInternetGateway(model: Ec2Model, input: CreateInternetGatewayRequest): CreateInternetGatewayResult {
    return {
      InternetGateway: renderInternetGateway(
        createInternetGateway(model, specTags(input, 'internet-gateway')),
      ),
    };
  },

  AttachInternetGateway(model: Ec2Model, input: AttachInternetGatewayRequest): object {
    attachInternetGateway(model, input.InternetGatewayId, input.VpcId);
    return {};
  },

  DetachInternetGateway(model: Ec2Model, input: DetachInternetGatewayRequest): object {
    detachInternetGateway(model, input.InternetGatewayId, input.VpcId);
    return {};
  },

  DeleteInternetGateway(model: Ec2Model, input: DeleteInternetGatewayRequest): object {
    deleteInternetGateway(model, input.InternetGatewayId);
    return {};
  },

  DescribeInternetGateways(
    model: Ec2Model,
    input: DescribeInternetGatewaysRequest,
  ): DescribeInternetGatewaysResult {
    const { page, nextToken } = describe([...model.internetGateways.values()], input, {
      ids: input.InternetGatewayIds,
      idOf: (g) => g.id,
      missing: (id) => notFoundError('internetGateway', id),
      accessors: igwFilters,
    });
    return { InternetGateways: page.map(renderInternetGateway), NextToken: nextToken };
  },

  AllocateAddress(
    model: Ec2Model,
    input: AllocateAddressRequest,
    ctx: RequestContext,
  ): AllocateAddressResult {
    if (input.Domain === 'standard')
      throw new AwsError('InvalidParameterValue', 'EC2-Classic addresses no longer exist.');
    const eip = allocateAddress(model, worldOf(ctx), specTags(input, 'elastic-ip'));
    return {
      AllocationId: eip.allocationId,
      PublicIp: eip.publicIp,
      Domain: 'vpc',
      PublicIpv4Pool: 'amazon',
      NetworkBorderGroup: model.region,
    };
  },

  ReleaseAddress(model: Ec2Model, input: ReleaseAddressRequest): object {
    releaseAddress(model, input.AllocationId, input.PublicIp);
    return {};
  },

  /** DescribeAddresses returns everything at once; it takes no MaxResults (API_DescribeAddresses). */
  DescribeAddresses(model: Ec2Model, input: DescribeAddressesRequest): DescribeAddressesResult {
    const all = [...model.elasticIps.values()];
    for (const id of input.AllocationIds ?? [])
      if (!model.elasticIps.has(id)) throw notFoundError('allocation', id);
    for (const ip of input.PublicIps ?? []) {
      if (!all.some((e) => e.publicIp === ip))
        throw new AwsError('InvalidAddress.NotFound', `Address '${ip}' not found.`);
    }
    const named = all.filter(
      (e) =>
        (!input.AllocationIds?.length || input.AllocationIds.includes(e.allocationId)) &&
        (!input.PublicIps?.length || input.PublicIps.includes(e.publicIp)),
    );
    const rendered = named.map((e) => renderAddress(model, e));
    const tagsOf = (a: Address) => Object.fromEntries((a.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    return { Addresses: applyFilters(rendered, input.Filters, addressFilters, tagsOf) };
  },

  CreateNatGateway(
    model: Ec2Model,
    input: CreateNatGatewayRequest,
    ctx: RequestContext,
  ): CreateNatGatewayResult {
    const nat = createNatGateway(model, {
      subnetId: input.SubnetId,
      allocationId: input.AllocationId,
      connectivityType: input.ConnectivityType,
      privateIp: input.PrivateIpAddress,
      tags: specTags(input, 'natgateway'),
      now: ctx.time,
    });
    // CreateNatGateway answers `pending` (API_CreateNatGateway example); describes then read `available`.
    return { NatGateway: renderNatGateway(nat, 'pending') };
  },

  DeleteNatGateway(
    model: Ec2Model,
    input: DeleteNatGatewayRequest,
    ctx: RequestContext,
  ): DeleteNatGatewayResult {
    return { NatGatewayId: deleteNatGateway(model, input.NatGatewayId, ctx.time).id };
  },

  DescribeNatGateways(
    model: Ec2Model,
    input: DescribeNatGatewaysRequest,
    ctx: RequestContext,
  ): DescribeNatGatewaysResult {
    const visible = [...model.natGateways.values()].filter((n) => natGatewayVisible(n, ctx.time));
    const { page, nextToken } = describe(
      visible,
      { ...input, Filters: input.Filter },
      {
        ids: input.NatGatewayIds,
        idOf: (n) => n.id,
        missing: (id) => notFoundError('natGateway', id),
        accessors: natFilters,
      },
    );
    return { NatGateways: page.map((n) => renderNatGateway(n)), NextToken: nextToken };
  },
});
