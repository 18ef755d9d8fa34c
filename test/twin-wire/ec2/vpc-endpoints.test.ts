import {
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let sdk: EC2Client;
beforeAll(async () => {
  twin = await startTestTwin();
  sdk = new EC2Client(twin.clientConfig());
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

async function cli(args: string[]): Promise<Json> {
  const result = await aws(twin, ['ec2', ...args]);
  if (result.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} → ${result.code}: ${result.stderr}`);
  return result.json;
}

async function vpc(second: number) {
  const { Vpc } = await sdk.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }));
  const vpcId = Vpc!.VpcId!;
  await sdk.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const a = await sdk.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: `10.${second}.1.0/24`,
      AvailabilityZone: 'us-east-1a',
    }),
  );
  const b = await sdk.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: `10.${second}.2.0/24`,
      AvailabilityZone: 'us-east-1b',
    }),
  );
  const { RouteTable } = await sdk.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  return {
    vpcId,
    subnetIds: [a.Subnet!.SubnetId!, b.Subnet!.SubnetId!],
    routeTableId: RouteTable!.RouteTableId!,
  };
}

describe('VPC endpoints through the SDK', () => {
  test('a gateway endpoint puts its prefix-list route in the route table, and takes it away on delete', async () => {
    const v = await vpc(60);
    const { VpcEndpoint } = await sdk.send(
      new CreateVpcEndpointCommand({
        VpcId: v.vpcId,
        ServiceName: 'com.amazonaws.us-east-1.s3',
        RouteTableIds: [v.routeTableId],
      }),
    );
    const routes = async () =>
      (await sdk.send(new DescribeRouteTablesCommand({ RouteTableIds: [v.routeTableId] }))).RouteTables![0]!
        .Routes!;
    expect(await routes()).toContainEqual(
      expect.objectContaining({
        DestinationPrefixListId: 'pl-63a5400a',
        GatewayId: VpcEndpoint!.VpcEndpointId,
      }),
    );
    const { Unsuccessful } = await sdk.send(
      new DeleteVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!] }),
    );
    expect(Unsuccessful).toEqual([]);
    expect((await routes()).some((r) => r.DestinationPrefixListId)).toBe(false);
  });

  test('an interface endpoint: ENIs, DNS entries and private DNS, described with filters', async () => {
    const v = await vpc(61);
    const { VpcEndpoint } = await sdk.send(
      new CreateVpcEndpointCommand({
        VpcId: v.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.ssm',
        SubnetIds: v.subnetIds,
      }),
    );
    expect(VpcEndpoint).toMatchObject({ State: 'pending', PrivateDnsEnabled: true, SubnetIds: v.subnetIds });
    expect(VpcEndpoint!.NetworkInterfaceIds).toHaveLength(2);
    expect(VpcEndpoint!.DnsEntries!.map((d) => d.DnsName)).toContain('ssm.us-east-1.amazonaws.com');
    const { VpcEndpoints } = await sdk.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [v.vpcId] },
          { Name: 'vpc-endpoint-type', Values: ['Interface'] },
        ],
      }),
    );
    expect(VpcEndpoints!.map((e) => [e.VpcEndpointId, e.State])).toEqual([
      [VpcEndpoint!.VpcEndpointId, 'available'],
    ]);
    expect(VpcEndpoints![0]!.CreationTimestamp).toBeInstanceOf(Date);
  });

  test('DescribeVpcEndpointServices names the interface and gateway services', async () => {
    const { ServiceNames, ServiceDetails } = await sdk.send(
      new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }),
    );
    expect(ServiceNames).toEqual(['com.amazonaws.us-east-1.s3', 'com.amazonaws.us-east-1.dynamodb']);
    expect(ServiceDetails!.every((d) => d.ServiceType?.[0]?.ServiceType === 'Gateway')).toBe(true);
  });

  test('an unknown endpoint id is InvalidVpcEndpointId.NotFound', async () => {
    await expect(
      sdk.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcEndpointId.NotFound',
    });
  });
});

describe.runIf(hasAwsCli)('VPC endpoints through the AWS CLI', () => {
  test('create-vpc-endpoint, modify-vpc-endpoint --policy-document and --no-private-dns-enabled', async () => {
    const v = await vpc(62);
    const made = await cli([
      'create-vpc-endpoint',
      '--vpc-id',
      v.vpcId,
      '--vpc-endpoint-type',
      'Interface',
      '--service-name',
      'com.amazonaws.us-east-1.kms',
      '--subnet-ids',
      ...v.subnetIds,
      '--private-dns-enabled',
    ]);
    const id = made.VpcEndpoint.VpcEndpointId;
    expect(made.VpcEndpoint).toMatchObject({ PrivateDnsEnabled: true, VpcEndpointType: 'Interface' });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }],
    });
    expect(await cli(['modify-vpc-endpoint', '--vpc-endpoint-id', id, '--policy-document', policy])).toEqual({
      Return: true,
    });
    await cli(['modify-vpc-endpoint', '--vpc-endpoint-id', id, '--no-private-dns-enabled']);
    const { VpcEndpoints } = await cli(['describe-vpc-endpoints', '--vpc-endpoint-ids', id]);
    expect(VpcEndpoints[0]).toMatchObject({ PolicyDocument: policy, PrivateDnsEnabled: false });
    expect(VpcEndpoints[0].DnsEntries.map((d: Json) => d.DnsName)).not.toContain(
      'kms.us-east-1.amazonaws.com',
    );
  });

  test('a gateway endpoint from the CLI, then its route in describe-route-tables', async () => {
    const v = await vpc(63);
    const made = await cli([
      'create-vpc-endpoint',
      '--vpc-id',
      v.vpcId,
      '--service-name',
      'com.amazonaws.us-east-1.dynamodb',
      '--route-table-ids',
      v.routeTableId,
    ]);
    expect(made.VpcEndpoint).toMatchObject({ VpcEndpointType: 'Gateway', State: 'available' });
    const { RouteTables } = await cli(['describe-route-tables', '--route-table-ids', v.routeTableId]);
    expect(RouteTables[0].Routes).toContainEqual(
      expect.objectContaining({
        DestinationPrefixListId: 'pl-02cd2c6b',
        GatewayId: made.VpcEndpoint.VpcEndpointId,
      }),
    );
  });

  test('private DNS without DNS hostnames prints AWS’s InvalidParameter', async () => {
    const { Vpc } = await sdk.send(new CreateVpcCommand({ CidrBlock: '10.64.0.0/16' }));
    const { Subnet } = await sdk.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.64.1.0/24' }),
    );
    const out = await aws(twin, [
      'ec2',
      'create-vpc-endpoint',
      '--vpc-id',
      Vpc!.VpcId!,
      '--vpc-endpoint-type',
      'Interface',
      '--service-name',
      'com.amazonaws.us-east-1.ssm',
      '--subnet-ids',
      Subnet!.SubnetId!,
    ]);
    expect(out.code).toBe(254);
    expect(out.stderr).toContain(
      '(InvalidParameter) when calling the CreateVpcEndpoint operation: Enabling private DNS requires both enableDnsSupport and enableDnsHostnames',
    );
  });
});
