import { createHash } from 'node:crypto';
import type {
  AcceptVpcEndpointConnectionsRequest,
  AcceptVpcEndpointConnectionsResult,
  AllowedPrincipal,
  CreateVpcEndpointServiceConfigurationRequest,
  CreateVpcEndpointServiceConfigurationResult,
  DeleteVpcEndpointServiceConfigurationsRequest,
  DeleteVpcEndpointServiceConfigurationsResult,
  DescribeVpcEndpointConnectionsRequest,
  DescribeVpcEndpointConnectionsResult,
  DescribeVpcEndpointServiceConfigurationsRequest,
  DescribeVpcEndpointServiceConfigurationsResult,
  DescribeVpcEndpointServicePermissionsRequest,
  DescribeVpcEndpointServicePermissionsResult,
  ModifyVpcEndpointServiceConfigurationRequest,
  ModifyVpcEndpointServiceConfigurationResult,
  ModifyVpcEndpointServicePermissionsRequest,
  ModifyVpcEndpointServicePermissionsResult,
  RejectVpcEndpointConnectionsRequest,
  RejectVpcEndpointConnectionsResult,
  ServiceConfiguration,
  ServiceDetail,
  State,
  UnsuccessfulItem,
  VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import {
  acceptEndpointConnections,
  connectionsOf,
  rejectEndpointConnections,
  type Unsuccessful,
} from '../model/endpoint-connections.ts';
import {
  createEndpointServiceConfiguration,
  deleteEndpointServiceConfigurations,
  type EndpointServiceConfigurationState,
  type EndpointServicePermission,
  getEndpointServiceConfiguration,
  modifyEndpointServiceConfiguration,
  modifyEndpointServicePermissions,
  serviceNotFound,
  serviceZones,
} from '../model/endpoint-service-configurations.ts';
import type { Ec2Model } from '../model/index.ts';
import type { VpcEndpointState } from '../model/state.ts';
import { endpointDnsEntries } from '../model/vpc-endpoint-dns.ts';
import { describe, renderTags, specTags, withDryRun } from './shared.ts';

/**
 * Endpoint services of your own, the provider's side of AWS PrivateLink
 * (docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html):
 * the service configuration, who may connect, and the connections
 * consumers' endpoints make. The consumer's side is CreateVpcEndpoint and
 * DescribeVpcEndpointServices (vpc-endpoints.ts).
 */

/** `vpce-svc-….us-east-1.vpce.amazonaws.com`, the base of its endpoints' names. */
function baseDnsName(s: EndpointServiceConfigurationState): string {
  return `${s.id}.${s.region}.vpce.amazonaws.com`;
}

/** The TXT record a provider would publish to verify its private DNS name (never seen: see LIMITATIONS). */
function verificationRecord(s: EndpointServiceConfigurationState) {
  const token = createHash('sha256').update(`${s.id}/${s.privateDnsName}`).digest('hex').slice(0, 20);
  return {
    State: 'pendingVerification' as const,
    Type: 'TXT',
    Name: `_${token.slice(0, 10)}`,
    Value: `vpce:${token}`,
  };
}

export function renderServiceConfiguration(
  model: Ec2Model,
  s: EndpointServiceConfigurationState,
  state: string = s.state,
): ServiceConfiguration {
  return {
    ServiceType: [{ ServiceType: 'Interface' }],
    ServiceId: s.id,
    ServiceName: s.name,
    ServiceState: state as ServiceConfiguration['ServiceState'],
    AvailabilityZones: serviceZones(model, s),
    AcceptanceRequired: s.acceptanceRequired,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: [...s.networkLoadBalancerArns],
    GatewayLoadBalancerArns: [],
    SupportedIpAddressTypes: ['ipv4'],
    BaseEndpointDnsNames: [baseDnsName(s)],
    ...(s.privateDnsName && {
      PrivateDnsName: s.privateDnsName,
      PrivateDnsNameConfiguration: verificationRecord(s),
    }),
    PayerResponsibility: 'ServiceOwner',
    Tags: renderTags(s.tags) ?? [],
  };
}

/** A service of your own as DescribeVpcEndpointServices shows it to a consumer it allows. */
export function renderCustomServiceDetail(
  model: Ec2Model,
  s: EndpointServiceConfigurationState,
): ServiceDetail {
  return {
    ServiceName: s.name,
    ServiceId: s.id,
    ServiceType: [{ ServiceType: 'Interface' }],
    ServiceRegion: s.region,
    AvailabilityZones: serviceZones(model, s),
    Owner: s.ownerId,
    BaseEndpointDnsNames: [baseDnsName(s)],
    ...(s.privateDnsName && {
      PrivateDnsName: s.privateDnsName,
      PrivateDnsNames: [{ PrivateDnsName: s.privateDnsName }],
      PrivateDnsNameVerificationState: 'pendingVerification' as const,
    }),
    // Endpoint policies apply to AWS services; a service of your own does not evaluate them.
    VpcEndpointPolicySupported: false,
    AcceptanceRequired: s.acceptanceRequired,
    ManagesVpcEndpoints: false,
    PayerResponsibility: 'ServiceOwner',
    SupportedIpAddressTypes: ['ipv4'],
    // Tags are the provider's: a consumer sees none.
    Tags: model.accountId === s.ownerId ? (renderTags(s.tags) ?? []) : [],
  };
}

function renderPermission(serviceId: string, p: EndpointServicePermission): AllowedPrincipal {
  return {
    PrincipalType: p.type,
    Principal: p.principal,
    ServicePermissionId: p.id,
    ServiceId: serviceId,
    Tags: [],
  };
}

function renderConnection(
  model: Ec2Model,
  endpoint: VpcEndpointState,
  service: EndpointServiceConfigurationState,
): VpcEndpointConnection {
  const owner = model.twin
    .modelsSigning<Ec2Model>('ec2')
    .find(([, m]) => m.vpcEndpoints.get(endpoint.id) === endpoint);
  return {
    ServiceId: service.id,
    VpcEndpointId: endpoint.id,
    VpcEndpointOwner: endpoint.ownerId,
    VpcEndpointState: endpoint.state as State,
    CreationTimestamp: new Date(endpoint.creationTimestamp),
    DnsEntries: owner ? endpointDnsEntries(owner[1], endpoint) : [],
    NetworkLoadBalancerArns: [...service.networkLoadBalancerArns],
    GatewayLoadBalancerArns: [],
    IpAddressType: 'ipv4',
    VpcEndpointConnectionId: `vpce-con-${createHash('sha256').update(endpoint.id).digest('hex').slice(0, 17)}`,
    VpcEndpointRegion: service.region,
    Tags: [],
  };
}

function unsuccessfulItems(items: Unsuccessful[]): UnsuccessfulItem[] {
  return items.map((f) => ({ ResourceId: f.id, Error: { Code: f.code, Message: f.message } }));
}

export const endpointServiceHandlers = withDryRun({
  CreateVpcEndpointServiceConfiguration(
    model: Ec2Model,
    input: CreateVpcEndpointServiceConfigurationRequest,
    ctx: RequestContext,
  ): CreateVpcEndpointServiceConfigurationResult {
    const service = createEndpointServiceConfiguration(
      model,
      {
        networkLoadBalancerArns: input.NetworkLoadBalancerArns,
        gatewayLoadBalancerArns: input.GatewayLoadBalancerArns,
        acceptanceRequired: input.AcceptanceRequired,
        privateDnsName: input.PrivateDnsName,
        tags: specTags(input, 'vpc-endpoint-service'),
      },
      ctx.time,
    );
    // The answer shows the service Pending; it is Available by the next describe (LIMITATIONS).
    return {
      ServiceConfiguration: renderServiceConfiguration(model, service, 'Pending'),
      ...(input.ClientToken && { ClientToken: input.ClientToken }),
    };
  },

  DescribeVpcEndpointServiceConfigurations(
    model: Ec2Model,
    input: DescribeVpcEndpointServiceConfigurationsRequest,
  ): DescribeVpcEndpointServiceConfigurationsResult {
    const { page, nextToken } = describe([...model.endpointServiceConfigurations.values()], input, {
      ids: input.ServiceIds,
      idOf: (s) => s.id,
      missing: serviceNotFound,
      accessors: {
        'service-name': (s) => s.name,
        'service-id': (s) => s.id,
        'service-state': (s) => s.state,
        'supported-ip-address-types': () => 'ipv4',
      },
    });
    return {
      ServiceConfigurations: page.map((s) => renderServiceConfiguration(model, s)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  ModifyVpcEndpointServiceConfiguration(
    model: Ec2Model,
    input: ModifyVpcEndpointServiceConfigurationRequest,
  ): ModifyVpcEndpointServiceConfigurationResult {
    modifyEndpointServiceConfiguration(model, input.ServiceId, {
      acceptanceRequired: input.AcceptanceRequired,
      addNetworkLoadBalancerArns: input.AddNetworkLoadBalancerArns,
      removeNetworkLoadBalancerArns: input.RemoveNetworkLoadBalancerArns,
      privateDnsName: input.PrivateDnsName,
      removePrivateDnsName: input.RemovePrivateDnsName,
    });
    return { Return: true };
  },

  DeleteVpcEndpointServiceConfigurations(
    model: Ec2Model,
    input: DeleteVpcEndpointServiceConfigurationsRequest,
  ): DeleteVpcEndpointServiceConfigurationsResult {
    return {
      Unsuccessful: unsuccessfulItems(deleteEndpointServiceConfigurations(model, input.ServiceIds ?? [])),
    };
  },

  DescribeVpcEndpointServicePermissions(
    model: Ec2Model,
    input: DescribeVpcEndpointServicePermissionsRequest,
  ): DescribeVpcEndpointServicePermissionsResult {
    const service = getEndpointServiceConfiguration(model, input.ServiceId);
    const { page, nextToken } = describe(
      service.allowedPrincipals.map((p) => ({ ...p, tags: {} })),
      input,
      {
        idOf: (p) => p.id,
        missing: serviceNotFound,
        accessors: { principal: (p) => p.principal, 'principal-type': (p) => p.type },
      },
    );
    return {
      AllowedPrincipals: page.map((p) => renderPermission(service.id, p)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  ModifyVpcEndpointServicePermissions(
    model: Ec2Model,
    input: ModifyVpcEndpointServicePermissionsRequest,
  ): ModifyVpcEndpointServicePermissionsResult {
    const added = modifyEndpointServicePermissions(
      model,
      input.ServiceId,
      input.AddAllowedPrincipals ?? [],
      input.RemoveAllowedPrincipals ?? [],
    );
    const serviceId = input.ServiceId ?? '';
    return {
      ...(added.length && {
        AddedPrincipals: added.map((p) => ({
          PrincipalType: p.type,
          Principal: p.principal,
          ServicePermissionId: p.id,
          ServiceId: serviceId,
        })),
      }),
      ReturnValue: true,
    };
  },

  /** The connections to the caller's services, from every consumer account. */
  DescribeVpcEndpointConnections(
    model: Ec2Model,
    input: DescribeVpcEndpointConnectionsRequest,
  ): DescribeVpcEndpointConnectionsResult {
    const items = connectionsOf(model).map((c) => ({ ...c, id: c.endpoint.id, tags: {} }));
    const { page, nextToken } = describe(items, input, {
      idOf: (c) => c.id,
      missing: serviceNotFound,
      accessors: {
        'ip-address-type': () => 'ipv4',
        'service-id': (c) => c.service.id,
        'vpc-endpoint-owner': (c) => c.endpoint.ownerId,
        'vpc-endpoint-region': (c) => c.service.region,
        'vpc-endpoint-state': (c) => c.endpoint.state,
        'vpc-endpoint-id': (c) => c.endpoint.id,
      },
    });
    return {
      VpcEndpointConnections: page.map((c) => renderConnection(model, c.endpoint, c.service)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  AcceptVpcEndpointConnections(
    model: Ec2Model,
    input: AcceptVpcEndpointConnectionsRequest,
  ): AcceptVpcEndpointConnectionsResult {
    const failed = acceptEndpointConnections(model, input.ServiceId, input.VpcEndpointIds ?? []);
    return { Unsuccessful: unsuccessfulItems(failed) };
  },

  RejectVpcEndpointConnections(
    model: Ec2Model,
    input: RejectVpcEndpointConnectionsRequest,
  ): RejectVpcEndpointConnectionsResult {
    const failed = rejectEndpointConnections(model, input.ServiceId, input.VpcEndpointIds ?? []);
    return { Unsuccessful: unsuccessfulItems(failed) };
  },
});
