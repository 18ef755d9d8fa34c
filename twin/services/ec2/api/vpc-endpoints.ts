import type {
  CreateVpcEndpointRequest,
  CreateVpcEndpointResult,
  DeleteVpcEndpointsRequest,
  DeleteVpcEndpointsResult,
  DescribeVpcEndpointServicesRequest,
  DescribeVpcEndpointServicesResult,
  DescribeVpcEndpointsRequest,
  DescribeVpcEndpointsResult,
  ModifyVpcEndpointRequest,
  ModifyVpcEndpointResult,
  ServiceDetail,
  State,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import { customServicesVisibleTo } from '../model/endpoint-connections.ts';
import type { Ec2Model } from '../model/index.ts';
import type { VpcEndpointState } from '../model/state.ts';
import { endpointDnsEntries } from '../model/vpc-endpoint-dns.ts';
import { type EndpointService, endpointServices } from '../model/vpc-endpoint-services.ts';
import { createVpcEndpoint, deleteVpcEndpoints, modifyVpcEndpoint } from '../model/vpc-endpoints.ts';
import { renderCustomServiceDetail } from './endpoint-services.ts';
import { renderGroups } from './network-interfaces.ts';
import { describe, renderTags, specTags, withDryRun } from './shared.ts';

/**
 * An endpoint as DescribeVpcEndpoints shows it; `state` overrides the stored
 * one (an interface endpoint is created `pending`). AWS sends the state in
 * lower case (`available`) although the SDK's enum is capitalised.
 */
export function renderVpcEndpoint(
  model: Ec2Model,
  e: VpcEndpointState,
  state: string = e.state,
): VpcEndpoint {
  const common: VpcEndpoint = {
    VpcEndpointId: e.id,
    VpcEndpointType: e.type,
    VpcId: e.vpcId,
    ServiceName: e.serviceName,
    State: state as State,
    PolicyDocument: e.policyDocument,
    RouteTableIds: [...e.routeTableIds],
    SubnetIds: [...e.subnetIds],
    Groups: renderGroups(model, e.securityGroupIds),
    PrivateDnsEnabled: e.privateDnsEnabled,
    RequesterManaged: false,
    NetworkInterfaceIds: [...e.networkInterfaceIds],
    DnsEntries: endpointDnsEntries(model, e),
    CreationTimestamp: new Date(e.creationTimestamp),
    Tags: renderTags(e.tags) ?? [],
    OwnerId: e.ownerId,
  };
  if (e.type === 'Interface')
    Object.assign(common, { IpAddressType: 'ipv4', DnsOptions: { DnsRecordIpType: 'ipv4' } });
  return common;
}

export function renderServiceDetail(region: string, s: EndpointService): ServiceDetail {
  return {
    ServiceName: s.name,
    ServiceId: s.serviceId,
    ServiceType: [{ ServiceType: s.type }],
    ServiceRegion: region,
    AvailabilityZones: s.availabilityZones,
    Owner: 'amazon',
    BaseEndpointDnsNames: [
      s.type === 'Gateway' ? `${s.short}.${region}.amazonaws.com` : `${s.short}.${region}.vpce.amazonaws.com`,
    ],
    ...(s.privateDnsName && {
      PrivateDnsName: s.privateDnsName,
      PrivateDnsNames: [{ PrivateDnsName: s.privateDnsName }],
      PrivateDnsNameVerificationState: 'verified' as const,
    }),
    VpcEndpointPolicySupported: true,
    AcceptanceRequired: false,
    ManagesVpcEndpoints: false,
    SupportedIpAddressTypes: ['ipv4'],
    Tags: [],
  };
}

export const vpcEndpointHandlers = withDryRun({
  /** Default type is Gateway (API_CreateVpcEndpoint.html). */
  CreateVpcEndpoint(
    model: Ec2Model,
    input: CreateVpcEndpointRequest,
    ctx: RequestContext,
  ): CreateVpcEndpointResult {
    const type = input.VpcEndpointType ?? 'Gateway';
    if (type !== 'Gateway' && type !== 'Interface') {
      throw new AwsError('InvalidParameterValue', `The twin does not emulate ${type} endpoints.`);
    }
    const endpoint = createVpcEndpoint(
      model,
      {
        vpcId: input.VpcId,
        type,
        serviceName: input.ServiceName,
        policyDocument: input.PolicyDocument,
        routeTableIds: input.RouteTableIds,
        subnetIds: input.SubnetIds,
        securityGroupIds: input.SecurityGroupIds,
        privateDnsEnabled: input.PrivateDnsEnabled,
        tags: specTags(input, 'vpc-endpoint'),
        caller: ctx.principal,
      },
      ctx.time,
    );
    // An endpoint awaiting the provider's acceptance answers so; others are `pending` at first.
    const shown = endpoint.state === 'pendingAcceptance' ? endpoint.state : 'pending';
    return {
      VpcEndpoint: renderVpcEndpoint(model, endpoint, type === 'Interface' ? shown : 'available'),
      ...(input.ClientToken && { ClientToken: input.ClientToken }),
    };
  },

  ModifyVpcEndpoint(model: Ec2Model, input: ModifyVpcEndpointRequest): ModifyVpcEndpointResult {
    modifyVpcEndpoint(model, input.VpcEndpointId, {
      addRouteTableIds: input.AddRouteTableIds,
      removeRouteTableIds: input.RemoveRouteTableIds,
      addSubnetIds: input.AddSubnetIds,
      removeSubnetIds: input.RemoveSubnetIds,
      addSecurityGroupIds: input.AddSecurityGroupIds,
      removeSecurityGroupIds: input.RemoveSecurityGroupIds,
      policyDocument: input.PolicyDocument,
      resetPolicy: input.ResetPolicy,
      privateDnsEnabled: input.PrivateDnsEnabled,
    });
    return { Return: true };
  },

  DeleteVpcEndpoints(model: Ec2Model, input: DeleteVpcEndpointsRequest): DeleteVpcEndpointsResult {
    const failed = deleteVpcEndpoints(model, input.VpcEndpointIds ?? []);
    return {
      Unsuccessful: failed.map((f) => ({ ResourceId: f.id, Error: { Code: f.code, Message: f.message } })),
    };
  },

  DescribeVpcEndpoints(model: Ec2Model, input: DescribeVpcEndpointsRequest): DescribeVpcEndpointsResult {
    const { page, nextToken } = describe([...model.vpcEndpoints.values()], input, {
      ids: input.VpcEndpointIds,
      idOf: (e) => e.id,
      missing: (id) => notFoundError('vpcEndpoint', id),
      accessors: {
        'ip-address-type': (e) => (e.type === 'Interface' ? 'ipv4' : undefined),
        'service-name': (e) => e.serviceName,
        'service-region': () => model.region,
        'vpc-id': (e) => e.vpcId,
        'vpc-endpoint-id': (e) => e.id,
        'vpc-endpoint-state': (e) => e.state,
        'vpc-endpoint-type': (e) => e.type,
      },
    });
    return {
      VpcEndpoints: page.map((e) => renderVpcEndpoint(model, e)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  /**
   * The region's AWS services and the services of your own the caller may
   * see (endpoint-connections.ts); an unknown or hidden name in ServiceNames
   * is InvalidServiceName.
   */
  DescribeVpcEndpointServices(
    model: Ec2Model,
    input: DescribeVpcEndpointServicesRequest,
    ctx: RequestContext,
  ): DescribeVpcEndpointServicesResult {
    const all = [
      ...endpointServices(model.region).map((s) => ({
        ...s,
        id: s.serviceId,
        owner: 'amazon',
        tags: {},
        render: () => renderServiceDetail(model.region, s),
      })),
      ...customServicesVisibleTo(model, ctx.principal).map((s) => ({
        name: s.name,
        type: 'Interface' as const,
        id: s.id,
        owner: s.ownerId,
        tags: model.accountId === s.ownerId ? s.tags : {},
        render: () => renderCustomServiceDetail(model, s),
      })),
    ];
    for (const name of input.ServiceNames ?? []) {
      if (!all.some((s) => s.name === name))
        throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
    }
    const named = input.ServiceNames?.length ? all.filter((s) => input.ServiceNames!.includes(s.name)) : all;
    const { page, nextToken } = describe(named, input, {
      idOf: (s) => s.id,
      missing: (id) => new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${id}' does not exist`),
      accessors: {
        owner: (s) => s.owner,
        'service-name': (s) => s.name,
        'service-region': () => model.region,
        'service-type': (s) => s.type,
        'supported-ip-address-types': () => 'ipv4',
      },
    });
    return {
      ServiceNames: [...new Set(page.map((s) => s.name))],
      ServiceDetails: page.map((s) => s.render()),
      ...(nextToken && { NextToken: nextToken }),
    };
  },
});
