import type { CreateSecurityGroupResult, ServiceConfiguration, VpcEndpoint } from '@aws-sdk/client-ec2';
import type {
  CreateListenerOutput,
  CreateLoadBalancerOutput,
  CreateTargetGroupOutput,
  DescribeLoadBalancersOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CreateHostedZoneResponse } from '@aws-sdk/client-route-53';
import { type LabBuilder, named, poll } from '../builder.ts';
import type { BuiltVpc } from './network.ts';

/**
 * The zero-trust service path of seed 002 (lab.md, "PrivateLink"): an
 * internal Network Load Balancer in Shared-Services-VPC in front of
 * shared-app, published as an endpoint service that requires acceptance
 * and allows the lab account only; an interface endpoint to it in Prod,
 * accepted by the provider; and the private hosted zone
 * zero-trust-service.internal, associated with Prod only, whose `api`
 * record is a CNAME to the endpoint's regional DNS name.
 */
export const SERVICE_PORT = 443;
export const NLB_NAME = 'zero-trust-nlb';
export const SERVICE_NAME_TAG = 'ZeroTrustEndpointService';
export const ENDPOINT_GROUP = 'zero-trust-endpoint';
export const PRIVATE_ZONE = 'zero-trust-service.internal';

export interface PrivateLinkParts {
  shared: BuiltVpc;
  prod: BuiltVpc;
  /** The group the Prod probe placement runs in: it gains HTTPS to the endpoint. */
  probeGroupId: string;
}

export async function buildPrivateLink(lab: LabBuilder, parts: PrivateLinkParts): Promise<void> {
  const loadBalancerArn = await buildServiceLoadBalancer(lab, parts.shared);
  const service = await publishService(lab, loadBalancerArn);
  const endpoint = await buildConsumerEndpoint(lab, parts.prod, service, parts.probeGroupId);
  await buildPrivateZone(lab, parts.prod, endpoint.DnsEntries![0]!.DnsName!);
}

/**
 * zero-trust-nlb: internal, network, one node per Shared private subnet,
 * TCP 443 to an `ip` target group holding shared-app. Cross-zone load
 * balancing is on, because shared-app lives in one AZ and a PrivateLink
 * connection enters the NLB node of the endpoint ENI's own AZ ("With
 * cross-zone load balancing turned off, each load balancer node distributes
 * traffic across the registered targets in its Availability Zone only",
 * ELB User Guide, "Cross-zone load balancing for target groups").
 */
async function buildServiceLoadBalancer(lab: LabBuilder, shared: BuiltVpc): Promise<string> {
  const { LoadBalancers } = await lab.call<CreateLoadBalancerOutput>(
    'elasticloadbalancing',
    'CreateLoadBalancer',
    {
      Name: NLB_NAME,
      Type: 'network',
      Scheme: 'internal',
      Subnets: shared.subnetIds,
      Tags: [{ Key: 'Name', Value: NLB_NAME }],
    },
  );
  const loadBalancerArn = LoadBalancers![0]!.LoadBalancerArn!;
  await lab.call('elasticloadbalancing', 'ModifyLoadBalancerAttributes', {
    LoadBalancerArn: loadBalancerArn,
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
  });
  const { TargetGroups } = await lab.call<CreateTargetGroupOutput>(
    'elasticloadbalancing',
    'CreateTargetGroup',
    {
      Name: 'zero-trust-targets',
      Protocol: 'TCP',
      Port: SERVICE_PORT,
      TargetType: 'ip',
      VpcId: shared.vpcId,
    },
  );
  const targetGroupArn = TargetGroups![0]!.TargetGroupArn!;
  await admitLoadBalancerNodes(lab, shared);
  await lab.call('elasticloadbalancing', 'RegisterTargets', {
    TargetGroupArn: targetGroupArn,
    Targets: [{ Id: shared.spec.host.ip, Port: SERVICE_PORT }],
  });
  await lab.call<CreateListenerOutput>('elasticloadbalancing', 'CreateListener', {
    LoadBalancerArn: loadBalancerArn,
    Protocol: 'TCP',
    Port: SERVICE_PORT,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
  });
  await waitForActiveLoadBalancer(lab, loadBalancerArn);
  return loadBalancerArn;
}

/**
 * An NLB without security groups hands an `ip` target its health checks and
 * (client IP preservation being off for ip targets, and always through
 * PrivateLink) its connections from the nodes' private addresses, so the
 * target's group admits 443 from the subnets the nodes live in ("If you
 * register targets by IP address … the source IP addresses are the private
 * IP addresses of the load balancer nodes", ELB User Guide, "Target security
 * groups").
 */
async function admitLoadBalancerNodes(lab: LabBuilder, shared: BuiltVpc): Promise<void> {
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: shared.hostSgId,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: SERVICE_PORT,
        ToPort: SERVICE_PORT,
        IpRanges: shared.spec.subnets.map((s) => ({ CidrIp: s.cidr, Description: `${NLB_NAME} nodes` })),
      },
    ],
  });
}

/** The endpoint service: acceptance required, the lab account its one allowed principal. */
async function publishService(lab: LabBuilder, loadBalancerArn: string): Promise<PublishedService> {
  const { ServiceConfiguration } = await lab.ec2<{ ServiceConfiguration?: ServiceConfiguration }>(
    'CreateVpcEndpointServiceConfiguration',
    {
      NetworkLoadBalancerArns: [loadBalancerArn],
      AcceptanceRequired: true,
      ...named('vpc-endpoint-service', SERVICE_NAME_TAG),
    },
  );
  const service = { id: ServiceConfiguration!.ServiceId!, name: ServiceConfiguration!.ServiceName! };
  await lab.ec2('ModifyVpcEndpointServicePermissions', {
    ServiceId: service.id,
    AddAllowedPrincipals: [`arn:aws:iam::${lab.accountId}:root`],
  });
  return service;
}

export interface PublishedService {
  id: string;
  name: string;
}

/**
 * zero-trust-endpoint admits HTTPS from Prod's CIDR only and sends nothing
 * (its default allow-all egress revoked: an endpoint's group needs no
 * egress, answers being return traffic); the interface endpoint in both Prod
 * subnets, private DNS off ("you can't enable private DNS" for a service
 * without a verified private DNS name, PrivateLink Guide, "Manage DNS names
 * for VPC endpoint services"); its connection accepted by the provider.
 */
async function buildConsumerEndpoint(
  lab: LabBuilder,
  prod: BuiltVpc,
  service: PublishedService,
  probeGroupId: string,
): Promise<VpcEndpoint> {
  const { GroupId } = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: ENDPOINT_GROUP,
    Description: 'The zero-trust service endpoint: HTTPS from Prod only',
    VpcId: prod.vpcId,
    ...named('security-group', ENDPOINT_GROUP),
  });
  await lab.ec2('RevokeSecurityGroupEgress', {
    GroupId,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: SERVICE_PORT,
        ToPort: SERVICE_PORT,
        IpRanges: [{ CidrIp: prod.spec.cidr }],
      },
    ],
  });
  // The probe in Prod tries the service (P9, P10): its HTTPS-only group gains the endpoint's group.
  await lab.ec2('AuthorizeSecurityGroupEgress', {
    GroupId: probeGroupId,
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: SERVICE_PORT, ToPort: SERVICE_PORT, UserIdGroupPairs: [{ GroupId }] },
    ],
  });
  const { VpcEndpoint } = await lab.ec2<{ VpcEndpoint?: VpcEndpoint }>('CreateVpcEndpoint', {
    VpcId: prod.vpcId,
    VpcEndpointType: 'Interface',
    ServiceName: service.name,
    SubnetIds: prod.subnetIds,
    SecurityGroupIds: [GroupId],
    PrivateDnsEnabled: false,
    ...named('vpc-endpoint', 'prod-zero-trust-service'),
  });
  const endpointId = VpcEndpoint!.VpcEndpointId!;
  await lab.ec2('AcceptVpcEndpointConnections', { ServiceId: service.id, VpcEndpointIds: [endpointId] });
  return waitForAvailableEndpoint(lab, endpointId);
}

/** zero-trust-service.internal, private to Prod, with `api` a CNAME to the endpoint's regional name. */
async function buildPrivateZone(lab: LabBuilder, prod: BuiltVpc, endpointDnsName: string): Promise<void> {
  const { HostedZone } = await lab.call<CreateHostedZoneResponse>('route53', 'CreateHostedZone', {
    Name: PRIVATE_ZONE,
    CallerReference: `reference-lab-${PRIVATE_ZONE}`,
    VPC: { VPCRegion: lab.region, VPCId: prod.vpcId },
    HostedZoneConfig: { PrivateZone: true, Comment: 'The zero-trust service, by name, inside Prod' },
  });
  await lab.call('route53', 'ChangeResourceRecordSets', {
    HostedZoneId: HostedZone!.Id!,
    ChangeBatch: {
      Changes: [
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: `api.${PRIVATE_ZONE}`,
            Type: 'CNAME',
            TTL: 300,
            ResourceRecords: [{ Value: endpointDnsName }],
          },
        },
      ],
    },
  });
}

/** Polls DescribeLoadBalancers until the NLB is active, as `aws elbv2 wait load-balancer-available` does. */
async function waitForActiveLoadBalancer(lab: LabBuilder, arn: string): Promise<void> {
  await poll(`load balancer ${NLB_NAME} to be active`, async () => {
    const { LoadBalancers } = await lab.call<DescribeLoadBalancersOutput>(
      'elasticloadbalancing',
      'DescribeLoadBalancers',
      { LoadBalancerArns: [arn] },
    );
    const state = LoadBalancers?.[0]?.State?.Code;
    return state === 'active' ? true : state;
  });
}

/** Polls DescribeVpcEndpoints until the accepted endpoint is available (pendingAcceptance → pending → available). */
async function waitForAvailableEndpoint(lab: LabBuilder, id: string): Promise<VpcEndpoint> {
  let endpoint: VpcEndpoint | undefined;
  await poll(`endpoint ${id} to be available`, async () => {
    const { VpcEndpoints } = await lab.ec2<{ VpcEndpoints?: VpcEndpoint[] }>('DescribeVpcEndpoints', {
      VpcEndpointIds: [id],
    });
    endpoint = VpcEndpoints?.[0];
    // The wire says `available` (the SDK's enum spells it Available): compare without case.
    return endpoint?.State?.toLowerCase() === 'available' ? true : endpoint?.State;
  });
  return endpoint!;
}
