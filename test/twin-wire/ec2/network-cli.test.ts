import { afterAll, beforeAll, describe, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

/** Runs `aws ec2 …` as an account's root and returns its JSON, failing with the CLI's stderr. */
async function ec2(args: string[], account?: string): Promise<Json> {
  const result = await aws(
    twin,
    ['ec2', ...args],
    account ? twin.clientConfig(account).credentials : undefined,
  );
  if (result.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} → ${result.code}: ${result.stderr}`);
  return result.json;
}

async function vpcAndSubnet(cidr: string, subnetCidr: string, account?: string) {
  const vpc = (await ec2(['create-vpc', '--cidr-block', cidr], account)).Vpc.VpcId as string;
  const subnet = (
    await ec2(
      ['create-subnet', '--vpc-id', vpc, '--cidr-block', subnetCidr, '--availability-zone', 'us-east-1b'],
      account,
    )
  ).Subnet;
  return { vpc, subnet };
}

describe.runIf(hasAwsCli)('EC2 network core through the AWS CLI', () => {
  test('create-vpc and create-subnet, modify-subnet-attribute, describe-subnets with --filters', async ({
    expect,
  }) => {
    const { vpc, subnet } = await vpcAndSubnet('10.70.0.0/16', '10.70.1.0/24');
    expect(subnet).toMatchObject({
      CidrBlock: '10.70.1.0/24',
      AvailabilityZone: 'us-east-1b',
      AvailabilityZoneId: 'use1-az2',
      AvailableIpAddressCount: 251,
    });
    await ec2(['modify-subnet-attribute', '--subnet-id', subnet.SubnetId, '--map-public-ip-on-launch']);
    const { Subnets } = await ec2([
      'describe-subnets',
      '--filters',
      `Name=vpc-id,Values=${vpc}`,
      'Name=map-public-ip-on-launch,Values=true',
    ]);
    expect(Subnets.map((s: Json) => [s.SubnetId, s.MapPublicIpOnLaunch])).toEqual([[subnet.SubnetId, true]]);
  });

  test("the CLI's own pagination follows NextToken (--page-size)", async ({ expect }) => {
    const vpc = (await ec2(['create-vpc', '--cidr-block', '10.71.0.0/16'])).Vpc.VpcId;
    for (let i = 0; i < 7; i++)
      await ec2(['create-subnet', '--vpc-id', vpc, '--cidr-block', `10.71.${i}.0/24`]);
    const describes = () => twin.server.twin.calls.filter((c) => c.eventName === 'DescribeSubnets').length;
    const before = describes();
    const { Subnets } = await ec2([
      'describe-subnets',
      '--filters',
      `Name=vpc-id,Values=${vpc}`,
      '--page-size',
      '5',
    ]);
    expect(Subnets).toHaveLength(7);
    expect(describes() - before).toBe(2);
  });

  test('create-route and delete-route, seen through describe-route-tables --filters', async ({ expect }) => {
    const { vpc } = await vpcAndSubnet('10.72.0.0/16', '10.72.1.0/24');
    const igw = (await ec2(['create-internet-gateway'])).InternetGateway.InternetGatewayId;
    await ec2(['attach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc]);
    const table = (await ec2(['create-route-table', '--vpc-id', vpc])).RouteTable.RouteTableId;
    expect(
      await ec2([
        'create-route',
        '--route-table-id',
        table,
        '--destination-cidr-block',
        '0.0.0.0/0',
        '--gateway-id',
        igw,
      ]),
    ).toEqual({ Return: true });
    const found = await ec2([
      'describe-route-tables',
      '--filters',
      'Name=route.destination-cidr-block,Values=0.0.0.0/0',
      `Name=vpc-id,Values=${vpc}`,
    ]);
    expect(found.RouteTables.map((t: Json) => t.RouteTableId)).toEqual([table]);
    expect(found.RouteTables[0].Routes[1]).toEqual({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: igw,
      Origin: 'CreateRoute',
      State: 'active',
    });
    await ec2(['delete-route', '--route-table-id', table, '--destination-cidr-block', '0.0.0.0/0']);
    const again = await aws(twin, [
      'ec2',
      'delete-route',
      '--route-table-id',
      table,
      '--destination-cidr-block',
      '0.0.0.0/0',
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('InvalidRoute.NotFound');
  });

  test('authorize- and revoke-security-group-ingress with --protocol icmp --port -1 --cidr', async ({
    expect,
  }) => {
    const vpc = (await ec2(['create-vpc', '--cidr-block', '10.73.0.0/16'])).Vpc.VpcId;
    const group = (
      await ec2(['create-security-group', '--group-name', 'ping', '--description', 'ping', '--vpc-id', vpc])
    ).GroupId;
    const icmp = ['--group-id', group, '--protocol', 'icmp', '--port', '-1', '--cidr', '10.74.0.0/16'];
    const { SecurityGroupRules } = await ec2(['authorize-security-group-ingress', ...icmp]);
    expect(SecurityGroupRules[0]).toMatchObject({
      IpProtocol: 'icmp',
      FromPort: -1,
      ToPort: -1,
      CidrIpv4: '10.74.0.0/16',
    });
    const { SecurityGroups } = await ec2([
      'describe-security-groups',
      '--filters',
      'Name=ip-permission.protocol,Values=icmp',
      `Name=vpc-id,Values=${vpc}`,
    ]);
    expect(SecurityGroups[0].IpPermissions[0]).toMatchObject({
      IpProtocol: 'icmp',
      FromPort: -1,
      ToPort: -1,
      IpRanges: [{ CidrIp: '10.74.0.0/16' }],
    });
    const duplicate = await aws(twin, ['ec2', 'authorize-security-group-ingress', ...icmp]);
    expect(duplicate.stderr).toContain('InvalidPermission.Duplicate');
    expect(await ec2(['revoke-security-group-ingress', ...icmp])).toMatchObject({ Return: true });
    const missing = await aws(twin, ['ec2', 'revoke-security-group-ingress', ...icmp]);
    expect(missing.stderr).toContain('InvalidPermission.NotFound');
  });

  test('create-network-acl-entry with --protocol tcp and --port-range', async ({ expect }) => {
    const vpc = (await ec2(['create-vpc', '--cidr-block', '10.75.0.0/16'])).Vpc.VpcId;
    const acl = (await ec2(['create-network-acl', '--vpc-id', vpc])).NetworkAcl.NetworkAclId;
    await ec2([
      'create-network-acl-entry',
      '--network-acl-id',
      acl,
      '--ingress',
      '--rule-number',
      '100',
      '--protocol',
      'tcp',
      '--port-range',
      'From=443,To=443',
      '--cidr-block',
      '10.0.0.0/8',
      '--rule-action',
      'allow',
    ]);
    const { NetworkAcls } = await ec2(['describe-network-acls', '--network-acl-ids', acl]);
    expect(NetworkAcls[0].Entries).toContainEqual({
      RuleNumber: 100,
      Egress: false,
      Protocol: '6',
      RuleAction: 'allow',
      CidrBlock: '10.0.0.0/8',
      PortRange: { From: 443, To: 443 },
    });
  });

  test('create-vpc-peering-connection in one account, accept-vpc-peering-connection in the other', async ({
    expect,
  }) => {
    const bob = twin.server.twin.accounts[1]!;
    const requester = (await ec2(['create-vpc', '--cidr-block', '10.76.0.0/16'])).Vpc.VpcId;
    const accepter = (await ec2(['create-vpc', '--cidr-block', '10.77.0.0/16'], bob)).Vpc.VpcId;
    const created = await ec2([
      'create-vpc-peering-connection',
      '--vpc-id',
      requester,
      '--peer-vpc-id',
      accepter,
      '--peer-owner-id',
      bob,
    ]);
    const id = created.VpcPeeringConnection.VpcPeeringConnectionId;
    expect(created.VpcPeeringConnection.Status.Code).toBe('initiating-request');
    await ec2(['accept-vpc-peering-connection', '--vpc-peering-connection-id', id], bob);
    const { VpcPeeringConnections } = await ec2([
      'describe-vpc-peering-connections',
      '--filters',
      'Name=status-code,Values=active',
      `Name=requester-vpc-info.vpc-id,Values=${requester}`,
    ]);
    expect(
      VpcPeeringConnections.map((c: Json) => [c.VpcPeeringConnectionId, c.AccepterVpcInfo.CidrBlock]),
    ).toEqual([[id, '10.77.0.0/16']]);
  });

  test('errors and --dry-run reach the operator as EC2 words them', async ({ expect }) => {
    const missing = await aws(twin, ['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-0123456789abcdef0']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(
      "InvalidVpcID.NotFound) when calling the DescribeVpcs operation: The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    const dry = await aws(twin, ['ec2', 'create-vpc', '--cidr-block', '10.78.0.0/16', '--dry-run']);
    expect(dry.stderr).toContain('DryRunOperation');
  });
});
