import {
  AcceptVpcEndpointConnectionsCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
} from '@aws-sdk/client-route-53';
import type { AwsClients } from '../../helpers/clients.ts';
import { poll } from '../builder.ts';
import { type BuiltSpoke, tagged } from './network.ts';

/**
 * The second lab's PrivateLink variant: the ledger API, served by core-svc
 * in Core on 8443, published on 443 through `ledger-api-nlb` as the endpoint
 * service `ledger-api` (acceptance required, the account its one allowed
 * principal); Payments consumes it through an interface endpoint in its own
 * endpoint group (`payments-vpce`, HTTPS from Payments only); the private
 * zone `payments.internal` is associated with Payments and Analytics, and
 * its `ledger-api` record is an alias A record (not a CNAME) to the
 * endpoint's regional name. Unlike the reference lab: a listener port that
 * differs from the target's, an instance target (not an address), the
 * endpoint in the VPC's shared endpoint group, an alias record, and a zone
 * associated with two VPCs.
 */
export const LEDGER_API = {
  nlb: 'ledger-api-nlb',
  service: 'ledger-api',
  listenerPort: 443,
  targetPort: 8443,
  zone: 'payments.internal',
  record: 'ledger-api.payments.internal',
} as const;

export interface LedgerApiParts {
  core: BuiltSpoke;
  payments: BuiltSpoke;
  analytics: BuiltSpoke;
  region: string;
}

export async function buildLedgerApi(clients: AwsClients, parts: LedgerApiParts): Promise<void> {
  const loadBalancerArn = await buildLoadBalancer(clients, parts.core);
  const { ServiceConfiguration: service } = await clients.ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [loadBalancerArn],
      AcceptanceRequired: true,
      TagSpecifications: tagged('vpc-endpoint-service', LEDGER_API.service),
    }),
  );
  const accountId = loadBalancerArn.split(':')[4]!;
  await clients.ec2.send(
    new ModifyVpcEndpointServicePermissionsCommand({
      ServiceId: service!.ServiceId!,
      AddAllowedPrincipals: [`arn:aws:iam::${accountId}:root`],
    }),
  );
  const { VpcEndpoint: created } = await clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: parts.payments.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: service!.ServiceName!,
      SubnetIds: parts.payments.subnetIds,
      SecurityGroupIds: [parts.payments.endpointGroupId],
      PrivateDnsEnabled: false,
      TagSpecifications: tagged('vpc-endpoint', 'payments-ledger-api'),
    }),
  );
  await clients.ec2.send(
    new AcceptVpcEndpointConnectionsCommand({
      ServiceId: service!.ServiceId!,
      VpcEndpointIds: [created!.VpcEndpointId!],
    }),
  );
  const endpoint = await waitForAvailable(clients, created!.VpcEndpointId!);
  await buildZone(clients, parts, endpoint);
}

/**
 * ledger-api-nlb in both Core subnets, TCP 443 → an `instance` target group
 * on 8443 holding core-svc. core-svc's group admits 8443 from the Core
 * subnets the NLB's nodes sit in: health checks come from the nodes, and so
 * does PrivateLink traffic ("client IP preservation has no effect on traffic
 * coming through AWS PrivateLink", ELB User Guide, "Client IP
 * preservation"). Cross-zone load balancing is on: core-svc is in one AZ,
 * and a PrivateLink connection enters the node of the endpoint ENI's AZ.
 */
async function buildLoadBalancer(clients: AwsClients, core: BuiltSpoke): Promise<string> {
  const { elbv2 } = clients;
  const { LoadBalancers } = await elbv2.send(
    new CreateLoadBalancerCommand({
      Name: LEDGER_API.nlb,
      Type: 'network',
      Scheme: 'internal',
      Subnets: core.subnetIds,
    }),
  );
  const arn = LoadBalancers![0]!.LoadBalancerArn!;
  await elbv2.send(
    new ModifyLoadBalancerAttributesCommand({
      LoadBalancerArn: arn,
      Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
    }),
  );
  const { TargetGroups } = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: 'ledger-api-targets',
      Protocol: 'TCP',
      Port: LEDGER_API.targetPort,
      TargetType: 'instance',
      VpcId: core.vpcId,
    }),
  );
  const targetGroupArn = TargetGroups![0]!.TargetGroupArn!;
  const { SecurityGroups } = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [core.vpcId] },
        { Name: 'group-name', Values: [`${core.spec.host.name}-sg`] },
      ],
    }),
  );
  await clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: SecurityGroups![0]!.GroupId!,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: LEDGER_API.targetPort,
          ToPort: LEDGER_API.targetPort,
          IpRanges: core.spec.subnets.map((s) => ({ CidrIp: s.cidr })),
        },
      ],
    }),
  );
  await elbv2.send(
    new RegisterTargetsCommand({
      TargetGroupArn: targetGroupArn,
      Targets: [{ Id: await instanceOf(clients, core), Port: LEDGER_API.targetPort }],
    }),
  );
  await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: arn,
      Protocol: 'TCP',
      Port: LEDGER_API.listenerPort,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  await poll(`${LEDGER_API.nlb} to be active`, async () => {
    const { LoadBalancers: seen } = await elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }),
    );
    return seen?.[0]?.State?.Code === 'active' ? true : seen?.[0]?.State?.Code;
  });
  return arn;
}

/** payments.internal for Payments and Analytics; ledger-api an alias A record to the endpoint's regional name. */
async function buildZone(
  { route53 }: AwsClients,
  parts: LedgerApiParts,
  endpoint: VpcEndpoint,
): Promise<void> {
  const { HostedZone } = await route53.send(
    new CreateHostedZoneCommand({
      Name: LEDGER_API.zone,
      CallerReference: `second-lab-${LEDGER_API.zone}`,
      VPC: { VPCRegion: parts.region as 'eu-west-1', VPCId: parts.payments.vpcId },
      HostedZoneConfig: { PrivateZone: true },
    }),
  );
  await route53.send(
    new AssociateVPCWithHostedZoneCommand({
      HostedZoneId: HostedZone!.Id!,
      VPC: { VPCRegion: parts.region as 'eu-west-1', VPCId: parts.analytics.vpcId },
    }),
  );
  const regional = endpoint.DnsEntries![0]!;
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: HostedZone!.Id!,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: LEDGER_API.record,
              Type: 'A',
              AliasTarget: {
                HostedZoneId: regional.HostedZoneId!,
                DNSName: regional.DnsName!,
                EvaluateTargetHealth: false,
              },
            },
          },
        ],
      },
    }),
  );
}

async function instanceOf({ ec2 }: AwsClients, spoke: BuiltSpoke): Promise<string> {
  const { Reservations } = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [spoke.vpcId] },
        { Name: 'tag:Name', Values: [spoke.spec.host.name] },
      ],
    }),
  );
  return Reservations![0]!.Instances![0]!.InstanceId!;
}

async function waitForAvailable({ ec2 }: AwsClients, id: string): Promise<VpcEndpoint> {
  let endpoint: VpcEndpoint | undefined;
  await poll(`endpoint ${id} to be available`, async () => {
    const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
    endpoint = VpcEndpoints?.[0];
    // The wire says `available` (the SDK's enum spells it Available): compare without case.
    return endpoint?.State?.toLowerCase() === 'available' ? true : endpoint?.State;
  });
  return endpoint!;
}
