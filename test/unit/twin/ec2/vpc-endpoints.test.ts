import { describe, expect, test } from 'vitest';
import { DEFAULT_GATEWAY_POLICY } from '../../../../twin/services/ec2/model/vpc-endpoints.ts';
import { networkTwin, REGION } from './network-fixture.ts';

type T = ReturnType<typeof networkTwin>;
const S3 = `com.amazonaws.${REGION}.s3`;
const SSM = `com.amazonaws.${REGION}.ssm`;

/** A VPC with DNS hostnames on, two subnets in two AZs and two route tables. */
async function lab(t: T, hostnames = true) {
  const { Vpc } = await t.call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
  if (hostnames)
    await t.call('ModifyVpcAttribute', { VpcId: Vpc.VpcId, EnableDnsHostnames: { Value: true } });
  const a = await t.call('CreateSubnet', {
    VpcId: Vpc.VpcId,
    CidrBlock: '10.20.1.0/24',
    AvailabilityZone: 'us-east-1a',
  });
  const b = await t.call('CreateSubnet', {
    VpcId: Vpc.VpcId,
    CidrBlock: '10.20.2.0/24',
    AvailabilityZone: 'us-east-1b',
  });
  const rt1 = await t.call('CreateRouteTable', { VpcId: Vpc.VpcId });
  const rt2 = await t.call('CreateRouteTable', { VpcId: Vpc.VpcId });
  return {
    vpcId: Vpc.VpcId as string,
    subnetIds: [a.Subnet.SubnetId, b.Subnet.SubnetId] as string[],
    tables: [rt1.RouteTable.RouteTableId, rt2.RouteTable.RouteTableId] as string[],
  };
}

async function endpointRoutes(t: T, tableId: string) {
  const { RouteTables } = await t.call('DescribeRouteTables', { RouteTableIds: [tableId] });
  return RouteTables[0].Routes.filter((r: { DestinationPrefixListId?: string }) => r.DestinationPrefixListId);
}

describe('gateway endpoints', () => {
  test("add the service's prefix-list route to each route table, with AWS's default policy", async () => {
    const t = networkTwin();
    const { vpcId, tables } = await lab(t);
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      ServiceName: S3,
      RouteTableIds: tables,
    });
    expect(VpcEndpoint).toMatchObject({
      VpcEndpointType: 'Gateway',
      State: 'available',
      RouteTableIds: tables,
      PolicyDocument: DEFAULT_GATEWAY_POLICY,
    });
    for (const id of tables) {
      expect(await endpointRoutes(t, id)).toEqual([
        expect.objectContaining({
          DestinationPrefixListId: 'pl-63a5400a',
          GatewayId: VpcEndpoint.VpcEndpointId,
          State: 'active',
        }),
      ]);
    }
  });

  test('ModifyVpcEndpoint moves the route between tables; DeleteVpcEndpoints removes it', async () => {
    const t = networkTwin();
    const { vpcId, tables } = await lab(t);
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      ServiceName: S3,
      RouteTableIds: [tables[0]],
    });
    const id = VpcEndpoint.VpcEndpointId;
    await t.call('ModifyVpcEndpoint', {
      VpcEndpointId: id,
      AddRouteTableIds: [tables[1]],
      RemoveRouteTableIds: [tables[0]],
    });
    expect(await endpointRoutes(t, tables[0]!)).toEqual([]);
    expect(await endpointRoutes(t, tables[1]!)).toHaveLength(1);
    const { Unsuccessful } = await t.call('DeleteVpcEndpoints', {
      VpcEndpointIds: [id, 'vpce-0000000000000000f'],
    });
    expect(Unsuccessful).toEqual([
      {
        ResourceId: 'vpce-0000000000000000f',
        Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: expect.any(String) },
      },
    ]);
    expect(await endpointRoutes(t, tables[1]!)).toEqual([]);
  });

  test('a table already routing the prefix list is refused; only S3 and DynamoDB are gateway services', async () => {
    const t = networkTwin();
    const { vpcId, tables } = await lab(t);
    await t.call('CreateVpcEndpoint', { VpcId: vpcId, ServiceName: S3, RouteTableIds: [tables[0]] });
    await expect(
      t.call('CreateVpcEndpoint', { VpcId: vpcId, ServiceName: S3, RouteTableIds: [tables[0]] }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: `route table ${tables[0]} already has a route with destination-prefix-list-id pl-63a5400a`,
    });
    await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      ServiceName: `com.amazonaws.${REGION}.dynamodb`,
      RouteTableIds: [tables[0]],
    });
    await expect(
      t.call('CreateVpcEndpoint', { VpcId: vpcId, ServiceName: SSM, VpcEndpointType: 'Gateway' }),
    ).rejects.toMatchObject({
      code: 'InvalidServiceName',
    });
  });

  test('policy: set, replaced and reset to the default', async () => {
    const t = networkTwin();
    const { vpcId, tables } = await lab(t);
    const only = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      ServiceName: S3,
      RouteTableIds: tables,
      PolicyDocument: only,
    });
    const id = VpcEndpoint.VpcEndpointId;
    const policy = async () =>
      (await t.call('DescribeVpcEndpoints', { VpcEndpointIds: [id] })).VpcEndpoints[0].PolicyDocument;
    expect(await policy()).toBe(only);
    await t.call('ModifyVpcEndpoint', { VpcEndpointId: id, ResetPolicy: true });
    expect(await policy()).toBe(DEFAULT_GATEWAY_POLICY);
    await expect(
      t.call('ModifyVpcEndpoint', { VpcEndpointId: id, PolicyDocument: '{not json' }),
    ).rejects.toMatchObject({ code: 'InvalidPolicyDocument' });
  });
});

describe('interface endpoints', () => {
  test('one requester-managed vpc_endpoint ENI per subnet, addressed inside it, in the VPC default group', async () => {
    const t = networkTwin();
    const { vpcId, subnetIds } = await lab(t);
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: subnetIds,
    });
    expect(VpcEndpoint.State).toBe('pending');
    expect(VpcEndpoint.NetworkInterfaceIds).toHaveLength(2);
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      NetworkInterfaceIds: VpcEndpoint.NetworkInterfaceIds,
    });
    for (const eni of NetworkInterfaces) {
      expect(eni).toMatchObject({
        InterfaceType: 'vpc_endpoint',
        RequesterManaged: true,
        Description: `VPC Endpoint Interface ${VpcEndpoint.VpcEndpointId}`,
      });
      expect(eni.PrivateIpAddress.startsWith(`10.20.${subnetIds.indexOf(eni.SubnetId) + 1}.`)).toBe(true);
      expect(eni.Groups).toEqual(VpcEndpoint.Groups);
    }
    expect(VpcEndpoint.Groups[0].GroupName).toBe('default');
    const [described] = (
      await t.call('DescribeVpcEndpoints', { VpcEndpointIds: [VpcEndpoint.VpcEndpointId] })
    ).VpcEndpoints;
    expect(described.State).toBe('available');
  });

  test('DNS entries: regional, one per zone, and the service name when private DNS is on (the default)', async () => {
    const t = networkTwin();
    const { vpcId, subnetIds } = await lab(t);
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: subnetIds,
    });
    expect(VpcEndpoint.PrivateDnsEnabled).toBe(true);
    const names = VpcEndpoint.DnsEntries.map((d: { DnsName: string }) => d.DnsName);
    const id = VpcEndpoint.VpcEndpointId;
    expect(names).toEqual([
      expect.stringMatching(new RegExp(`^${id}-[0-9a-z]{8}\\.ssm\\.${REGION}\\.vpce\\.amazonaws\\.com$`)),
      expect.stringMatching(
        new RegExp(`^${id}-[0-9a-z]{8}-${REGION}a\\.ssm\\.${REGION}\\.vpce\\.amazonaws\\.com$`),
      ),
      expect.stringMatching(
        new RegExp(`^${id}-[0-9a-z]{8}-${REGION}b\\.ssm\\.${REGION}\\.vpce\\.amazonaws\\.com$`),
      ),
      `ssm.${REGION}.amazonaws.com`,
    ]);
    await t.call('ModifyVpcEndpoint', { VpcEndpointId: id, PrivateDnsEnabled: false });
    const [after] = (await t.call('DescribeVpcEndpoints', { VpcEndpointIds: [id] })).VpcEndpoints;
    expect(after.PrivateDnsEnabled).toBe(false);
    expect(after.DnsEntries.map((d: { DnsName: string }) => d.DnsName)).not.toContain(
      `ssm.${REGION}.amazonaws.com`,
    );
  });

  test('private DNS needs DNS hostnames, and one endpoint per service domain in a VPC', async () => {
    const t = networkTwin();
    const plain = await lab(t, false);
    await expect(
      t.call('CreateVpcEndpoint', {
        VpcId: plain.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: SSM,
        SubnetIds: plain.subnetIds,
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${plain.vpcId}`,
    });
    await t.call('CreateVpcEndpoint', {
      VpcId: plain.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: plain.subnetIds,
      PrivateDnsEnabled: false,
    });
    const t2 = networkTwin();
    const again = await lab(t2);
    await t2.call('CreateVpcEndpoint', {
      VpcId: again.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: [again.subnetIds[0]],
    });
    await expect(
      t2.call('CreateVpcEndpoint', {
        VpcId: again.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: SSM,
        SubnetIds: [again.subnetIds[1]],
      }),
    ).rejects.toMatchObject({
      message: `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ssm.${REGION}.amazonaws.com in the VPC ${again.vpcId}`,
    });
  });

  test('two subnets in one AZ are refused; subnets and groups can be added and removed', async () => {
    const t = networkTwin();
    const { vpcId, subnetIds } = await lab(t);
    const c = await t.call('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: '10.20.3.0/24',
      AvailabilityZone: 'us-east-1a',
    });
    await expect(
      t.call('CreateVpcEndpoint', {
        VpcId: vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: SSM,
        SubnetIds: [subnetIds[0], c.Subnet.SubnetId],
      }),
    ).rejects.toMatchObject({ code: 'DuplicateSubnetsInSameZone' });
    const sg = await t.call('CreateSecurityGroup', {
      GroupName: 'endpoints',
      Description: 'e',
      VpcId: vpcId,
    });
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: [subnetIds[0]],
      SecurityGroupIds: [sg.GroupId],
    });
    const id = VpcEndpoint.VpcEndpointId;
    await t.call('ModifyVpcEndpoint', {
      VpcEndpointId: id,
      AddSubnetIds: [subnetIds[1]],
      RemoveSubnetIds: [subnetIds[0]],
    });
    const [e] = (await t.call('DescribeVpcEndpoints', { VpcEndpointIds: [id] })).VpcEndpoints;
    expect(e.SubnetIds).toEqual([subnetIds[1]]);
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'interface-type', Values: ['vpc_endpoint'] }],
    });
    expect(NetworkInterfaces.map((n: { SubnetId: string }) => n.SubnetId)).toEqual([subnetIds[1]]);
    expect(NetworkInterfaces[0].Groups).toEqual([{ GroupId: sg.GroupId, GroupName: 'endpoints' }]);
    await t.call('DeleteVpcEndpoints', { VpcEndpointIds: [id] });
    expect((await t.call('DescribeNetworkInterfaces', {})).NetworkInterfaces).toEqual([]);
  });

  test('S3 interface private DNS needs an S3 gateway endpoint in the VPC', async () => {
    const t = networkTwin();
    const { vpcId, subnetIds, tables } = await lab(t);
    const input = {
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: S3,
      SubnetIds: subnetIds,
      PrivateDnsEnabled: true,
    };
    await expect(t.call('CreateVpcEndpoint', input)).rejects.toMatchObject({
      message: `To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC ${vpcId} must have a Gateway endpoint for the service.`,
    });
    await t.call('CreateVpcEndpoint', { VpcId: vpcId, ServiceName: S3, RouteTableIds: tables });
    const { VpcEndpoint } = await t.call('CreateVpcEndpoint', input);
    expect(VpcEndpoint.DnsEntries[0].DnsName).toMatch(/^\*\.vpce-/);
  });
});

describe('DescribeVpcEndpoints / DescribeVpcEndpointServices', () => {
  test('filters by service name, type, VPC and tag', async () => {
    const t = networkTwin();
    const { vpcId, subnetIds, tables } = await lab(t);
    await t.call('CreateVpcEndpoint', { VpcId: vpcId, ServiceName: S3, RouteTableIds: tables });
    await t.call('CreateVpcEndpoint', {
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: SSM,
      SubnetIds: subnetIds,
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'Name', Value: 'ssm' }] }],
    });
    const ids = async (Name: string, Values: string[]) =>
      (await t.call('DescribeVpcEndpoints', { Filters: [{ Name, Values }] })).VpcEndpoints.map(
        (e: { ServiceName: string }) => e.ServiceName,
      );
    expect(await ids('service-name', [S3])).toEqual([S3]);
    expect(await ids('vpc-endpoint-type', ['Interface'])).toEqual([SSM]);
    expect(await ids('tag:Name', ['ssm'])).toEqual([SSM]);
    expect(await ids('vpc-id', [vpcId])).toHaveLength(2);
    expect(await ids('vpc-endpoint-state', ['available'])).toHaveLength(2);
  });

  test('lists the AWS services a lab needs, S3 as both gateway and interface', async () => {
    const t = networkTwin();
    const { ServiceNames, ServiceDetails } = await t.call('DescribeVpcEndpointServices', {});
    for (const svc of [
      's3',
      'dynamodb',
      'ssm',
      'ssmmessages',
      'ec2messages',
      'ec2',
      'logs',
      'lambda',
      'cloudtrail',
      'events',
      'kms',
      'sqs',
      'sns',
      'sts',
      'monitoring',
      'secretsmanager',
    ]) {
      expect(ServiceNames).toContain(`com.amazonaws.${REGION}.${svc}`);
    }
    const s3Types = ServiceDetails.filter((d: { ServiceName: string }) => d.ServiceName === S3).map(
      (d: { ServiceType: { ServiceType: string }[] }) => d.ServiceType[0]!.ServiceType,
    );
    expect(s3Types.sort()).toEqual(['Gateway', 'Interface']);
    const ssm = ServiceDetails.find((d: { ServiceName: string }) => d.ServiceName === SSM);
    expect(ssm).toMatchObject({
      Owner: 'amazon',
      PrivateDnsName: `ssm.${REGION}.amazonaws.com`,
      BaseEndpointDnsNames: [`ssm.${REGION}.vpce.amazonaws.com`],
    });
    await expect(
      t.call('DescribeVpcEndpointServices', { ServiceNames: ['com.amazonaws.us-east-1.nope'] }),
    ).rejects.toMatchObject({
      code: 'InvalidServiceName',
    });
  });
});
