import {
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type State,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { recordFullName, resolvePrivateLink } from '../../../../helpers/targets/privatelink.ts';
import type { ResolvedTargets } from '../../../../helpers/targets/resolve.ts';
import { type Targets, targetsSchema } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * The privateLink names of targets: the service by Name tag, its NLB by
 * name, the consumer endpoint by VPC and service name, its groups and the
 * zone. What AWS refuses to delete while in use must be there (exit 2,
 * naming the field); a consumer endpoint may be gone, for P4/P6/P8 to say.
 */

const ec2 = mockClient(EC2Client);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const route53 = mockClient(Route53Client);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const SVC = `com.amazonaws.vpce.${REGION}.vpce-svc-0a1`;
const LB = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/svc-nlb/1`;

/** EC2 answers states in lower case on the wire, whatever the SDK's enum spells. */
const wire = (state: string) => state as State;

type Filters = { Filters?: { Name?: string; Values?: string[] }[] };
const filter = (input: Filters, name: string) => input.Filters?.find((f) => f.Name === name)?.Values?.[0];

beforeEach(() => {
  ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).callsFake(async (input: Filters) =>
    filter(input, 'tag:Name') === 'orders-service'
      ? {
          ServiceConfigurations: [
            // A deleted namesake stays listed a while; the live one is the service.
            {
              ServiceId: 'vpce-svc-0old',
              ServiceState: 'Deleted',
              Tags: [{ Key: 'Name', Value: 'orders-service' }],
            },
            {
              ServiceId: 'vpce-svc-0a1',
              ServiceName: SVC,
              ServiceState: 'Available',
              Tags: [{ Key: 'Name', Value: 'orders-service' }],
            },
          ],
        }
      : {},
  );
  elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: LB }] });
  ec2
    .on(DescribeSecurityGroupsCommand)
    .callsFake(async (input: Filters) =>
      filter(input, 'tag:Name') === 'client-sg'
        ? { SecurityGroups: [{ GroupId: 'sg-9', Tags: [{ Key: 'Name', Value: 'client-sg' }] }] }
        : {},
    );
  ec2.on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: [
      {
        VpcEndpointId: 'vpce-new',
        VpcId: 'vpc-c',
        ServiceName: SVC,
        State: wire('available'),
        CreationTimestamp: new Date(2),
      },
      {
        VpcEndpointId: 'vpce-gone',
        VpcId: 'vpc-c',
        ServiceName: SVC,
        State: wire('deleted'),
        CreationTimestamp: new Date(0),
      },
      {
        VpcEndpointId: 'vpce-old',
        VpcId: 'vpc-c',
        ServiceName: SVC,
        State: wire('available'),
        CreationTimestamp: new Date(1),
      },
    ],
  });
  route53.on(ListHostedZonesByNameCommand).resolves({
    HostedZones: [
      {
        Id: '/hostedzone/ZPUB',
        Name: 'orders.internal.',
        CallerReference: 'a',
        Config: { PrivateZone: false },
      },
      {
        Id: '/hostedzone/ZPRIV',
        Name: 'orders.internal.',
        CallerReference: 'b',
        Config: { PrivateZone: true },
      },
      {
        Id: '/hostedzone/ZNEXT',
        Name: 'other.internal.',
        CallerReference: 'c',
        Config: { PrivateZone: true },
      },
    ],
    IsTruncated: true,
    NextDNSName: 'zzz.',
  });
});
afterEach(() => {
  for (const m of [ec2, elbv2, route53]) m.reset();
});

// biome-ignore lint/suspicious/noExplicitAny: fixtures reach into targets as plain data
function targets(over: any = {}): Targets {
  return targetsSchema.parse({
    region: REGION,
    accounts: { lab: { id: ACCOUNT } },
    network: {
      vpcs: [
        { name: 'svc-vpc', cidr: '10.8.0.0/16', subnets: [{ name: 'svc-a', cidr: '10.8.1.0/24' }] },
        { name: 'client-vpc', cidr: '10.9.0.0/16', subnets: [{ name: 'client-a', cidr: '10.9.1.0/24' }] },
      ],
    },
    privateLink: {
      services: [
        {
          name: 'orders-service',
          loadBalancer: { name: 'svc-nlb', vpc: 'svc-vpc', subnets: ['svc-a'], port: 8443, targetPort: 8080 },
          allowedPrincipals: ['lab', 'arn:aws:iam::222222222222:role/Client'],
          endpoints: [{ vpc: 'client-vpc', subnets: ['client-a'], securityGroups: ['client-sg'] }],
          dns: { zone: 'orders.internal', vpcs: ['client-vpc'], record: { name: 'api' } },
          ...over,
        },
      ],
    },
  });
}

async function resolve(t: Targets) {
  const problems: string[] = [];
  const ids = {
    vpc: { 'svc-vpc': 'vpc-s', 'client-vpc': 'vpc-c' },
    subnet: { 'svc-a': 'subnet-s', 'client-a': 'subnet-c' },
  } as unknown as ResolvedTargets['ids'];
  await resolvePrivateLink(t, () => mockedClients(), ids, { lab: ACCOUNT }, problems);
  return { ids, problems };
}

describe('resolvePrivateLink', () => {
  test('service, load balancer, endpoints (oldest live first), groups and the private zone resolve', async () => {
    const { ids, problems } = await resolve(targets());
    expect(problems).toEqual([]);
    expect(ids.privateLink?.['orders-service']).toEqual({
      name: 'orders-service',
      account: 'lab',
      serviceId: 'vpce-svc-0a1',
      serviceName: SVC,
      loadBalancerArn: LB,
      vpcId: 'vpc-s',
      subnetIds: ['subnet-s'],
      port: 8443,
      targetPort: 8080,
      allowedPrincipals: [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::222222222222:role/Client'],
      endpoints: [
        {
          vpc: 'client-vpc',
          account: 'lab',
          vpcId: 'vpc-c',
          subnetIds: ['subnet-c'],
          securityGroupIds: { 'client-sg': 'sg-9' },
          port: 8443,
          endpointId: 'vpce-old',
          otherEndpointIds: ['vpce-new'],
        },
      ],
      zone: {
        id: 'ZPRIV',
        name: 'orders.internal',
        account: 'lab',
        private: true,
        recordName: 'api.orders.internal',
        recordType: 'CNAME',
        vpcIds: { 'client-vpc': 'vpc-c' },
        endpointVpc: 'client-vpc',
      },
    });
    const asked = ec2.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input as Filters;
    expect([filter(asked, 'vpc-id'), filter(asked, 'service-name')]).toEqual(['vpc-c', SVC]);
  });

  test('a consumer endpoint that is gone resolves to absent, not to a stopped run', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    const { ids, problems } = await resolve(targets());
    expect(problems).toEqual([]);
    const endpoint = ids.privateLink?.['orders-service']?.endpoints[0];
    expect(endpoint?.endpointId).toBeUndefined();
    expect(endpoint?.otherEndpointIds).toEqual([]);
  });

  test('a service, load balancer, group or zone AWS does not have stops the run, naming the field', async () => {
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({});
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException', 400));
    ec2.on(DescribeSecurityGroupsCommand).resolves({});
    route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [] });
    const { ids, problems } = await resolve(targets());
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'privateLink.services[0].name',
      'privateLink.services[0].loadBalancer.name',
      'privateLink.services[0].endpoints[0].securityGroups[0]',
      'privateLink.services[0].dns.zone',
    ]);
    expect(ids.privateLink).toEqual({});
  });

  test('two live services of one name are not a match; a public zone alone is kept for P7 to judge', async () => {
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: ['vpce-svc-1', 'vpce-svc-2'].map((ServiceId) => ({
        ServiceId,
        ServiceState: 'Available',
        Tags: [{ Key: 'Name', Value: 'orders-service' }],
      })),
    });
    route53.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [{ Id: '/hostedzone/ZPUB', Name: 'orders.internal.', CallerReference: 'a' }],
    });
    const { problems } = await resolve(targets());
    expect(problems).toEqual([
      `privateLink.services[0].name: no VPC endpoint service named "orders-service" in account ${ACCOUNT} (${REGION})`,
    ]);
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ServiceId: 'vpce-svc-1',
          ServiceName: SVC,
          ServiceState: 'Available',
          Tags: [{ Key: 'Name', Value: 'orders-service' }],
        },
      ],
    });
    const again = await resolve(targets());
    expect(again.problems).toEqual([]);
    expect(again.ids.privateLink?.['orders-service']?.zone).toMatchObject({ id: 'ZPUB', private: false });
  });

  test('a service named by id is looked up by id', async () => {
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [{ ServiceId: 'vpce-svc-0a1', ServiceName: SVC, ServiceState: 'Available' }],
    });
    const { problems } = await resolve(targets({ name: 'vpce-svc-0a1' }));
    expect(problems).toEqual([]);
    const asked = ec2.commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)[0]!.args[0]
      .input as Filters;
    expect(filter(asked, 'service-id')).toBe('vpce-svc-0a1');
  });

  test('a look-up the runner may not make is cannot-tell, never absent', async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(resolve(targets())).rejects.toBeInstanceOf(CannotTellError);
  });

  test('a record is a label under its zone or already a full name in it', () => {
    expect(recordFullName('orders.internal', 'api')).toBe('api.orders.internal');
    expect(recordFullName('Orders.Internal.', 'API.orders.internal.')).toBe('api.orders.internal');
    expect(recordFullName('orders.internal', 'orders.internal')).toBe('orders.internal');
  });
});
