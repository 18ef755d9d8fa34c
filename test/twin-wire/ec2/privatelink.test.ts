import {
  AcceptVpcEndpointConnectionsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeTagsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { CONSUMER, PROVIDER, providerSide, STRANGER } from '../../unit/twin/privatelink/support.ts';

/**
 * PrivateLink through unchanged SDK clients: a provider's endpoint service
 * in front of its NLB, a consumer it allows, and a stranger it does not.
 */
let twin: TestTwin;
// The twin's clock: the test moves it past provisioning and acceptance instead of sleeping.
const clock = new ManualClock(Date.now());
let nlbArn: string;
let provider: EC2Client;
let consumer: EC2Client;
let stranger: EC2Client;
let consumerVpc: { vpcId: string; inZone: string; outOfZone: string; groupId: string };

beforeAll(async () => {
  twin = await startTestTwin({
    clock,
    accounts: [PROVIDER, CONSUMER, STRANGER],
    lab: async (t) => {
      nlbArn = (await providerSide(t, clock)).nlbArn;
    },
  });
  provider = new EC2Client(twin.clientConfig(PROVIDER));
  consumer = new EC2Client(twin.clientConfig(CONSUMER));
  stranger = new EC2Client(twin.clientConfig(STRANGER));
  const { Vpc } = await consumer.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  const subnet = async (cidr: string, zone: string) =>
    (await consumer.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone })))
      .Subnet!.SubnetId!;
  const { GroupId } = await consumer.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'endpoint', Description: 'endpoint' }),
  );
  consumerVpc = {
    vpcId,
    inZone: await subnet('10.0.1.0/24', 'us-east-1a'),
    outOfZone: await subnet('10.0.2.0/24', 'us-east-1b'),
    groupId: GroupId!,
  };
});
afterAll(() => twin.close());

async function newService(acceptanceRequired = true) {
  const { ServiceConfiguration } = await provider.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [nlbArn],
      AcceptanceRequired: acceptanceRequired,
      TagSpecifications: [
        { ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'Name', Value: 'ZeroTrustEndpointService' }] },
      ],
    }),
  );
  return ServiceConfiguration!;
}

async function allowConsumer(serviceId: string) {
  return provider.send(
    new ModifyVpcEndpointServicePermissionsCommand({
      ServiceId: serviceId,
      AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`],
    }),
  );
}

function endpointTo(
  client: EC2Client,
  serviceName: string,
  extra: { SubnetIds?: string[]; PrivateDnsEnabled?: boolean } = {},
) {
  return client.send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: consumerVpc.vpcId,
      ServiceName: serviceName,
      SubnetIds: [consumerVpc.inZone],
      SecurityGroupIds: [consumerVpc.groupId],
      ...extra,
    }),
  );
}

describe('the provider’s endpoint service', () => {
  test('is created Pending with AWS’s id and name, then described Available in its NLB’s zones', async () => {
    const created = await newService();
    expect(created.ServiceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(created.ServiceName).toBe(`com.amazonaws.vpce.us-east-1.${created.ServiceId}`);
    expect(created.ServiceState).toBe('Pending');
    const { ServiceConfigurations } = await provider.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({
        Filters: [
          { Name: 'tag:Name', Values: ['ZeroTrustEndpointService'] },
          { Name: 'service-id', Values: [created.ServiceId!] },
        ],
      }),
    );
    expect(ServiceConfigurations).toEqual([
      expect.objectContaining({
        ServiceState: 'Available',
        AcceptanceRequired: true,
        AvailabilityZones: ['us-east-1a'],
        NetworkLoadBalancerArns: [nlbArn],
        BaseEndpointDnsNames: [`${created.ServiceId}.us-east-1.vpce.amazonaws.com`],
      }),
    ]);
  });

  test('needs a load balancer that exists in the account', async () => {
    const missing = nlbArn.replace(/\/[0-9a-f]{16}$/, '/0000000000000000');
    expect(missing).not.toBe(nlbArn);
    await expect(
      provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [missing] })),
    ).rejects.toMatchObject({ name: 'InvalidParameter' });
    await expect(
      consumer.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlbArn] })),
    ).rejects.toMatchObject({ name: 'InvalidParameter' });
  });

  test('lists the principals it allows', async () => {
    const service = await newService();
    const added = await allowConsumer(service.ServiceId!);
    expect(added.ReturnValue).toBe(true);
    const { AllowedPrincipals } = await provider.send(
      new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: service.ServiceId }),
    );
    expect(AllowedPrincipals).toEqual([
      expect.objectContaining({ Principal: `arn:aws:iam::${CONSUMER}:root`, PrincipalType: 'Account' }),
    ]);
  });

  test('takes tags and a change of acceptance like any EC2 resource', async () => {
    const service = await newService(true);
    await provider.send(
      new CreateTagsCommand({ Resources: [service.ServiceId!], Tags: [{ Key: 'team', Value: 'platform' }] }),
    );
    const { Tags } = await provider.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [service.ServiceId!] }] }),
    );
    expect(Tags).toContainEqual(
      expect.objectContaining({ Key: 'team', ResourceType: 'vpc-endpoint-service' }),
    );
    await provider.send(
      new ModifyVpcEndpointServiceConfigurationCommand({
        ServiceId: service.ServiceId,
        AcceptanceRequired: false,
      }),
    );
    const { ServiceConfigurations } = await provider.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId!] }),
    );
    expect(ServiceConfigurations![0]!.AcceptanceRequired).toBe(false);
  });

  test('an unknown service id is InvalidVpcEndpointServiceId.NotFound', async () => {
    await expect(
      provider.send(
        new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: ['vpce-svc-00000000000000000'] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidVpcEndpointServiceId.NotFound' });
  });
});

describe('consumers', () => {
  test('a principal the service does not allow neither sees it nor connects to it', async () => {
    const service = await newService();
    for (const client of [consumer, stranger]) {
      await expect(
        client.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [service.ServiceName!] })),
      ).rejects.toMatchObject({ name: 'InvalidServiceName' });
      const listed = await client.send(new DescribeVpcEndpointServicesCommand({}));
      expect(listed.ServiceNames).not.toContain(service.ServiceName);
    }
    await expect(endpointTo(consumer, service.ServiceName!)).rejects.toMatchObject({
      name: 'InvalidServiceName',
      message: `The Vpc Endpoint Service '${service.ServiceName}' does not exist`,
    });
    await allowConsumer(service.ServiceId!);
    const { ServiceDetails } = await consumer.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [service.ServiceName!] }),
    );
    expect(ServiceDetails).toEqual([
      expect.objectContaining({
        Owner: PROVIDER,
        AcceptanceRequired: true,
        AvailabilityZones: ['us-east-1a'],
      }),
    ]);
    await expect(
      stranger.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [service.ServiceName!] })),
    ).rejects.toMatchObject({ name: 'InvalidServiceName' });
  });

  test('an endpoint must sit in the service’s zones and cannot have private DNS without a verified name', async () => {
    const service = await newService();
    await allowConsumer(service.ServiceId!);
    await expect(
      endpointTo(consumer, service.ServiceName!, { SubnetIds: [consumerVpc.outOfZone] }),
    ).rejects.toMatchObject({
      name: 'InvalidParameter',
    });
    await expect(
      endpointTo(consumer, service.ServiceName!, { PrivateDnsEnabled: true }),
    ).rejects.toMatchObject({
      name: 'InvalidParameter',
      message: `Private DNS can't be enabled because the service ${service.ServiceName} does not provide a private DNS name.`,
    });
  });

  test('an endpoint awaits acceptance, shows its vpce DNS names, and appears among the provider’s connections', async () => {
    const service = await newService();
    await allowConsumer(service.ServiceId!);
    const { VpcEndpoint } = await endpointTo(consumer, service.ServiceName!);
    expect(VpcEndpoint!.State).toBe('pendingAcceptance');
    expect(VpcEndpoint!.PrivateDnsEnabled).toBe(false);
    expect(VpcEndpoint!.NetworkInterfaceIds).toHaveLength(1);
    expect(VpcEndpoint!.DnsEntries).toEqual([
      {
        DnsName: expect.stringMatching(
          new RegExp(
            `^${VpcEndpoint!.VpcEndpointId}-[0-9a-z]{8}\\.${service.ServiceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`,
          ),
        ),
        HostedZoneId: 'Z7HUB22UULQXV',
      },
      { DnsName: expect.stringMatching(/-us-east-1a\.vpce-svc-/), HostedZoneId: 'Z7HUB22UULQXV' },
    ]);
    const { VpcEndpointConnections } = await provider.send(
      new DescribeVpcEndpointConnectionsCommand({
        Filters: [
          { Name: 'service-id', Values: [service.ServiceId!] },
          { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
        ],
      }),
    );
    expect(VpcEndpointConnections).toEqual([
      expect.objectContaining({ VpcEndpointId: VpcEndpoint!.VpcEndpointId, VpcEndpointOwner: CONSUMER }),
    ]);
  });

  test('only the provider accepts; accepted, the endpoint becomes available', async () => {
    const service = await newService();
    await allowConsumer(service.ServiceId!);
    const id = (await endpointTo(consumer, service.ServiceName!)).VpcEndpoint!.VpcEndpointId!;
    await expect(
      consumer.send(
        new AcceptVpcEndpointConnectionsCommand({ ServiceId: service.ServiceId, VpcEndpointIds: [id] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidVpcEndpointServiceId.NotFound' });
    const accepted = await provider.send(
      new AcceptVpcEndpointConnectionsCommand({
        ServiceId: service.ServiceId,
        VpcEndpointIds: [id, 'vpce-00000000000000000'],
      }),
    );
    expect(accepted.Unsuccessful).toEqual([
      expect.objectContaining({
        ResourceId: 'vpce-00000000000000000',
        Error: expect.objectContaining({ Code: 'InvalidVpcEndpoint.NotFound' }),
      }),
    ]);
    const state = async () =>
      (await consumer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!
        .State;
    expect(await state()).toBe('pending');
    clock.advance(delay(twin.server.twin.profile, 'privateLinkAcceptanceMs'));
    await twin.server.twin.scheduler.runDue();
    expect(await state()).toBe('available');
  });

  test('a service with connections cannot be deleted until they are rejected', async () => {
    const service = await newService(false);
    await allowConsumer(service.ServiceId!);
    const { VpcEndpoint } = await endpointTo(consumer, service.ServiceName!);
    expect(VpcEndpoint!.State).toBe('pending');
    await expect(
      provider.send(
        new ModifyVpcEndpointServiceConfigurationCommand({
          ServiceId: service.ServiceId,
          RemoveNetworkLoadBalancerArns: [nlbArn],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExistingVpcEndpointConnections' });
    const refused = await provider.send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId!] }),
    );
    expect(refused.Unsuccessful).toEqual([
      expect.objectContaining({
        ResourceId: service.ServiceId,
        Error: expect.objectContaining({ Code: 'ExistingVpcEndpointConnections' }),
      }),
    ]);
    await provider.send(
      new RejectVpcEndpointConnectionsCommand({
        ServiceId: service.ServiceId,
        VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!],
      }),
    );
    const deleted = await provider.send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId!] }),
    );
    expect(deleted.Unsuccessful).toEqual([]);
  });
});
