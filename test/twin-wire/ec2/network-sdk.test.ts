import {
  AcceptVpcPeeringConnectionCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeSubnets,
  paginateDescribeTags,
  waitUntilVpcAvailable,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let alice: EC2Client;
let bob: EC2Client;
let bobAccount: string;

beforeAll(async () => {
  twin = await startTestTwin();
  bobAccount = twin.server.twin.accounts[1]!;
  alice = new EC2Client(twin.clientConfig());
  bob = new EC2Client(twin.clientConfig(bobAccount));
});
afterAll(() => twin.close());

async function newVpc(client: EC2Client, cidr: string, name = 'wire') {
  const { Vpc } = await client.send(
    new CreateVpcCommand({
      CidrBlock: cidr,
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: name }] }],
    }),
  );
  return Vpc!.VpcId!;
}

describe('EC2 network core through the real SDK client', () => {
  test('CreateVpc round-trips with nested sets, and the VPC waiter sees it available', async () => {
    const vpcId = await newVpc(alice, '10.60.0.0/16');
    await waitUntilVpcAvailable({ client: alice, maxWaitTime: 5, minDelay: 1 }, { VpcIds: [vpcId] });
    const { Vpcs } = await alice.send(
      new DescribeVpcsCommand({
        Filters: [
          { Name: 'tag:Name', Values: ['wire'] },
          { Name: 'cidr', Values: ['10.60.0.0/16'] },
        ],
      }),
    );
    expect(Vpcs).toEqual([
      expect.objectContaining({
        VpcId: vpcId,
        State: 'available',
        CidrBlockAssociationSet: [
          expect.objectContaining({ CidrBlock: '10.60.0.0/16', CidrBlockState: { State: 'associated' } }),
        ],
        Tags: [{ Key: 'Name', Value: 'wire' }],
      }),
    ]);
  });

  test('errors keep their EC2 codes and statuses: NotFound 400, DryRunOperation 412', async () => {
    await expect(
      alice.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      alice.send(new CreateVpcCommand({ CidrBlock: '10.61.0.0/16', DryRun: true })),
    ).rejects.toMatchObject({
      name: 'DryRunOperation',
      $metadata: { httpStatusCode: 412 },
    });
  });

  test('paginateDescribeSubnets follows NextToken across pages', async () => {
    const vpcId = await newVpc(alice, '10.62.0.0/16');
    for (let i = 0; i < 7; i++)
      await alice.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.62.${i}.0/24` }));
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateDescribeSubnets(
      { client: alice, pageSize: 5 },
      { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] },
    )) {
      pages.push(page.Subnets!.length);
      ids.push(...page.Subnets!.map((s) => s.SubnetId!));
    }
    expect(pages).toEqual([5, 2]);
    expect(new Set(ids).size).toBe(7);
  });

  test('routes render with Origin and State, associations with AssociationState', async () => {
    const vpcId = await newVpc(alice, '10.63.0.0/16');
    const { InternetGateway } = await alice.send(new CreateInternetGatewayCommand({}));
    const igw = InternetGateway!.InternetGatewayId!;
    await alice.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const { RouteTables } = await alice.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    const tableId = RouteTables![0]!.RouteTableId!;
    await alice.send(
      new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
    );
    const after = await alice.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.gateway-id', Values: [igw] }] }),
    );
    expect(after.RouteTables![0]).toMatchObject({
      RouteTableId: tableId,
      Associations: [expect.objectContaining({ Main: true, AssociationState: { State: 'associated' } })],
      Routes: [
        {
          DestinationCidrBlock: '10.63.0.0/16',
          GatewayId: 'local',
          Origin: 'CreateRouteTable',
          State: 'active',
        },
        { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw, Origin: 'CreateRoute', State: 'active' },
      ],
    });
  });

  test('security group rules with ranges, descriptions and group pairs round-trip', async () => {
    const vpcId = await newVpc(alice, '10.64.0.0/16');
    const { GroupId: web } = await alice.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }),
    );
    const { GroupId: db } = await alice.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'db', Description: 'db' }),
    );
    await alice.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: db,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 5432,
            ToPort: 5432,
            IpRanges: [{ CidrIp: '10.64.1.0/24', Description: 'ops' }],
            UserIdGroupPairs: [{ GroupId: web, Description: 'from web' }],
          },
        ],
      }),
    );
    const { SecurityGroups } = await alice.send(new DescribeSecurityGroupsCommand({ GroupIds: [db!] }));
    expect(SecurityGroups![0]!.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        IpRanges: [{ CidrIp: '10.64.1.0/24', Description: 'ops' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [{ GroupId: web, UserId: twin.server.twin.accounts[0], Description: 'from web' }],
      },
    ]);
  });

  test('network ACL entries round-trip with port ranges', async () => {
    const vpcId = await newVpc(alice, '10.65.0.0/16');
    const { NetworkAcls } = await alice.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    const aclId = NetworkAcls![0]!.NetworkAclId!;
    await alice.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        RuleNumber: 90,
        Protocol: 'tcp',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: '10.9.0.0/16',
        PortRange: { From: 22, To: 22 },
      }),
    );
    const { NetworkAcls: after } = await alice.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'entry.rule-number', Values: ['90'] }] }),
    );
    expect(after![0]!.Entries).toContainEqual({
      RuleNumber: 90,
      Egress: false,
      Protocol: '6',
      RuleAction: 'deny',
      CidrBlock: '10.9.0.0/16',
      PortRange: { From: 22, To: 22 },
    });
  });

  test('a peering request from one account is accepted by the other', async () => {
    const requesterVpc = await newVpc(alice, '10.66.0.0/16');
    const accepterVpc = await newVpc(bob, '10.67.0.0/16');
    const { VpcPeeringConnection } = await alice.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: requesterVpc,
        PeerVpcId: accepterVpc,
        PeerOwnerId: bobAccount,
      }),
    );
    const id = VpcPeeringConnection!.VpcPeeringConnectionId!;
    const pending = await bob.send(
      new DescribeVpcPeeringConnectionsCommand({
        Filters: [{ Name: 'status-code', Values: ['pending-acceptance'] }],
      }),
    );
    expect(pending.VpcPeeringConnections!.map((c) => c.VpcPeeringConnectionId)).toEqual([id]);
    expect(pending.VpcPeeringConnections![0]!.ExpirationTime).toBeInstanceOf(Date);
    await bob.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    const { VpcPeeringConnections } = await alice.send(
      new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }),
    );
    expect(VpcPeeringConnections![0]).toMatchObject({
      Status: { Code: 'active', Message: 'Active' },
      AccepterVpcInfo: { OwnerId: bobAccount, VpcId: accepterVpc, CidrBlock: '10.67.0.0/16' },
      RequesterVpcInfo: { VpcId: requesterVpc, CidrBlock: '10.66.0.0/16' },
    });
  });

  test('paginateDescribeTags walks every tag of the account', async () => {
    const vpcId = await newVpc(bob, '10.68.0.0/16', 'tags');
    await bob.send(
      new CreateTagsCommand({
        Resources: [vpcId],
        Tags: Array.from({ length: 6 }, (_, i) => ({ Key: `k${i}`, Value: String(i) })),
      }),
    );
    const keys: string[] = [];
    for await (const page of paginateDescribeTags(
      { client: bob, pageSize: 5 },
      { Filters: [{ Name: 'resource-id', Values: [vpcId] }] },
    )) {
      keys.push(...page.Tags!.map((t) => t.Key!));
    }
    expect(keys.sort()).toEqual(['Name', 'k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  });
});
