import { describe, expect, test } from 'vitest';
import { probePath } from '../../../../twin/network/reachability.ts';
import { ALICE, BOB, networkTwin, REGION } from './network-fixture.ts';

type T = ReturnType<typeof networkTwin>;
const HOUR = 3_600_000;

/** A 10.20/16 VPC with one subnet and 100.64/16 associated as its secondary block. */
async function withSecondary(secondary = '100.64.0.0/16') {
  const t = networkTwin();
  const { vpc, subnet } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
  const answer = await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: secondary });
  return {
    ...t,
    vpcId: vpc.VpcId!,
    subnet,
    answer,
    associationId: answer.CidrBlockAssociation.AssociationId,
  };
}

async function describeVpc(t: T, vpcId: string) {
  return (await t.call('DescribeVpcs', { VpcIds: [vpcId] })).Vpcs[0];
}

async function localRoutes(t: T, vpcId: string): Promise<string[][]> {
  const { RouteTables } = await t.call('DescribeRouteTables', {
    Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
  });
  return RouteTables.map((table: { Routes: { DestinationCidrBlock: string; GatewayId?: string }[] }) =>
    table.Routes.filter((r) => r.GatewayId === 'local').map((r) => r.DestinationCidrBlock),
  );
}

function rejectsWith(promise: Promise<unknown>, code: string) {
  return expect(promise).rejects.toMatchObject({ code });
}

describe('AssociateVpcCidrBlock', () => {
  test('answers associating; DescribeVpcs then lists both blocks associated, the primary first', async () => {
    const { call, vpcId, answer, associationId } = await withSecondary();
    expect(answer).toEqual({
      VpcId: vpcId,
      CidrBlockAssociation: {
        AssociationId: expect.stringMatching(/^vpc-cidr-assoc-0[0-9a-f]{16}$/),
        CidrBlock: '100.64.0.0/16',
        CidrBlockState: { State: 'associating' },
      },
    });
    const vpc = await describeVpc({ call } as T, vpcId);
    expect(vpc.CidrBlock).toBe('10.20.0.0/16');
    expect(vpc.CidrBlockAssociationSet).toEqual([
      expect.objectContaining({ CidrBlock: '10.20.0.0/16', CidrBlockState: { State: 'associated' } }),
      { AssociationId: associationId, CidrBlock: '100.64.0.0/16', CidrBlockState: { State: 'associated' } },
    ]);
  });

  test('the cidr-block-association filters see secondary blocks; the cidr filter only the primary', async () => {
    const { call, vpcId, associationId } = await withSecondary();
    const ids = async (Name: string, value: string) =>
      (await call('DescribeVpcs', { Filters: [{ Name, Values: [value] }] })).Vpcs.map(
        (v: { VpcId: string }) => v.VpcId,
      );
    expect(await ids('cidr-block-association.cidr-block', '100.64.0.0/16')).toEqual([vpcId]);
    expect(await ids('cidr-block-association.association-id', associationId)).toEqual([vpcId]);
    expect(await ids('cidr', '100.64.0.0/16')).toEqual([]);
  });

  test('adds a local route for the block to every route table, and new tables get it too', async () => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    await t.call('CreateRouteTable', { VpcId: vpc.VpcId });
    await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.21.0.0/16' });
    await t.call('CreateRouteTable', { VpcId: vpc.VpcId });
    expect(await localRoutes(t, vpc.VpcId!)).toEqual([
      ['10.20.0.0/16', '10.21.0.0/16'],
      ['10.20.0.0/16', '10.21.0.0/16'],
      ['10.20.0.0/16', '10.21.0.0/16'],
    ]);
  });

  test('a subnet may lie in the secondary block, but not outside every block', async () => {
    const { call, vpcId } = await withSecondary();
    const { Subnet } = await call('CreateSubnet', { VpcId: vpcId, CidrBlock: '100.64.1.0/24' });
    expect(Subnet.CidrBlock).toBe('100.64.1.0/24');
    await rejectsWith(
      call('CreateSubnet', { VpcId: vpcId, CidrBlock: '100.65.1.0/24' }),
      'InvalidSubnet.Range',
    );
  });

  test('an instance in the secondary block is reached from the primary block as local traffic', async () => {
    const { twin, call, vpcId, subnet } = await withSecondary();
    const { Subnet } = await call('CreateSubnet', { VpcId: vpcId, CidrBlock: '100.64.1.0/24' });
    const launch = async (SubnetId: string, PrivateIpAddress: string) =>
      (
        await call('RunInstances', {
          ImageId: 'ami-0c02fb55956c7d316',
          MinCount: 1,
          MaxCount: 1,
          SubnetId,
          PrivateIpAddress,
        })
      ).Instances[0];
    const src = await launch(subnet.SubnetId!, '10.20.1.10');
    await launch(Subnet.SubnetId, '100.64.1.10');
    const from = {
      accountId: ALICE,
      region: REGION,
      networkInterfaceId: src.NetworkInterfaces[0].NetworkInterfaceId,
    };
    expect(probePath(twin, { from, to: '100.64.1.10', protocol: 'icmp' }).answered).toBe(true);
  });

  test.for([
    ['10.20.128.0/17', 'InvalidVpc.Range', 'overlaps the primary block'],
    ['100.64.0.0/15', 'InvalidVpc.Range', 'is larger than /16'],
    ['100.64.0.0/29', 'InvalidVpc.Range', 'is smaller than /28'],
    ['100.64.0.1/16', 'InvalidVpc.Range', 'has host bits set'],
    ['172.16.0.0/16', 'InvalidVpc.Range', 'is another RFC 1918 range than the primary'],
    ['192.168.0.0/16', 'InvalidVpc.Range', 'is another RFC 1918 range than the primary'],
    ['198.19.0.0/16', 'InvalidVpc.Range', 'is in 198.19.0.0/16'],
    ['169.254.0.0/16', 'InvalidVpc.Range', 'is link-local'],
    ['not-a-cidr', 'InvalidParameterValue', 'does not parse'],
  ])('refuses %s with %s: it %s', async ([cidr, code]) => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    await rejectsWith(t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: cidr }), code!);
  });

  test('a VPC with a block in 10.0.0.0/15 takes nothing from 10.0.0.0/16; a public range is fine', async () => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.1.0.0/16', '10.1.1.0/24');
    await rejectsWith(
      t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.0.0.0/16' }),
      'InvalidVpc.Range',
    );
    await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.2.0.0/16' });
    await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '203.0.113.0/24' });
  });

  test('five blocks per VPC by default: the fifth secondary is CidrLimitExceeded', async () => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    for (const n of [21, 22, 23, 24])
      await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: `10.${n}.0.0/16` });
    await rejectsWith(
      t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.25.0.0/16' }),
      'CidrLimitExceeded',
    );
  });

  test('refuses a block the same as or larger than a route of the VPC; a smaller one is fine', async () => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    const { InternetGateway } = await t.call('CreateInternetGateway', {});
    await t.call('AttachInternetGateway', {
      InternetGatewayId: InternetGateway.InternetGatewayId,
      VpcId: vpc.VpcId,
    });
    const { RouteTable } = await t.call('CreateRouteTable', { VpcId: vpc.VpcId });
    await t.call('CreateRoute', {
      RouteTableId: RouteTable.RouteTableId,
      DestinationCidrBlock: '10.30.0.0/24',
      GatewayId: InternetGateway.InternetGatewayId,
    });
    await rejectsWith(
      t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.30.0.0/16' }),
      'InvalidVpc.Range',
    );
    await t.call('AssociateVpcCidrBlock', { VpcId: vpc.VpcId, CidrBlock: '10.30.0.0/25' });
  });

  test("refuses a block overlapping an active peer's; the requester of a pending request takes none", async () => {
    const t = networkTwin();
    const alice = await t.vpcWithSubnet('10.1.0.0/16', '10.1.1.0/24', ALICE);
    const bob = await t.vpcWithSubnet('10.2.0.0/16', '10.2.1.0/24', BOB);
    const { VpcPeeringConnection } = await t.call('CreateVpcPeeringConnection', {
      VpcId: alice.vpc.VpcId,
      PeerVpcId: bob.vpc.VpcId,
      PeerOwnerId: BOB,
    });
    const associate = (CidrBlock: string, account: string, VpcId: string) =>
      t.call('AssociateVpcCidrBlock', { VpcId, CidrBlock }, account);
    await rejectsWith(associate('10.3.0.0/16', ALICE, alice.vpc.VpcId!), 'OperationNotPermitted');
    await associate('10.4.0.0/16', BOB, bob.vpc.VpcId!);
    const id = VpcPeeringConnection.VpcPeeringConnectionId;
    await t.call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    await rejectsWith(associate('10.4.0.0/24', ALICE, alice.vpc.VpcId!), 'InvalidVpc.Range');
    await associate('10.3.0.0/16', ALICE, alice.vpc.VpcId!);
  });

  test('a peering request fails when a secondary block of one VPC overlaps the other', async () => {
    const t = networkTwin();
    const a = await t.vpcWithSubnet('10.1.0.0/16', '10.1.1.0/24');
    const b = await t.vpcWithSubnet('10.2.0.0/16', '10.2.1.0/24');
    await t.call('AssociateVpcCidrBlock', { VpcId: a.vpc.VpcId, CidrBlock: '10.2.0.0/24' });
    const { VpcPeeringConnection } = await t.call('CreateVpcPeeringConnection', {
      VpcId: a.vpc.VpcId,
      PeerVpcId: b.vpc.VpcId,
    });
    expect(VpcPeeringConnection.Status.Code).toBe('failed');
  });

  test('a propagating TGW attachment carries every block of its VPC', async () => {
    const { call, vpcId, subnet } = await withSecondary();
    const { TransitGateway } = await call('CreateTransitGateway', {
      Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
    });
    const tgwId = TransitGateway.TransitGatewayId;
    const { TransitGatewayVpcAttachment } = await call('CreateTransitGatewayVpcAttachment', {
      TransitGatewayId: tgwId,
      VpcId: vpcId,
      SubnetIds: [subnet.SubnetId],
    });
    const { TransitGatewayRouteTable } = await call('CreateTransitGatewayRouteTable', {
      TransitGatewayId: tgwId,
    });
    const TransitGatewayRouteTableId = TransitGatewayRouteTable.TransitGatewayRouteTableId;
    await call('EnableTransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId,
      TransitGatewayAttachmentId: TransitGatewayVpcAttachment.TransitGatewayAttachmentId,
    });
    const { Routes } = await call('SearchTransitGatewayRoutes', {
      TransitGatewayRouteTableId,
      Filters: [{ Name: 'type', Values: ['propagated'] }],
    });
    expect(Routes.map((r: { DestinationCidrBlock: string }) => r.DestinationCidrBlock)).toEqual([
      '10.20.0.0/16',
      '100.64.0.0/16',
    ]);
  });
});

describe('DisassociateVpcCidrBlock', () => {
  test('the primary block cannot go: OperationNotPermitted', async () => {
    const { call, vpcId } = await withSecondary();
    const primary = (await describeVpc({ call } as T, vpcId)).CidrBlockAssociationSet[0].AssociationId;
    await rejectsWith(call('DisassociateVpcCidrBlock', { AssociationId: primary }), 'OperationNotPermitted');
  });

  test('refuses while a subnet lies in the block (InvalidCidrBlock.InUse), then succeeds', async () => {
    const { call, vpcId, associationId } = await withSecondary();
    const { Subnet } = await call('CreateSubnet', { VpcId: vpcId, CidrBlock: '100.64.1.0/24' });
    await rejectsWith(
      call('DisassociateVpcCidrBlock', { AssociationId: associationId }),
      'InvalidCidrBlock.InUse',
    );
    await call('DeleteSubnet', { SubnetId: Subnet.SubnetId });
    const answer = await call('DisassociateVpcCidrBlock', { AssociationId: associationId });
    expect(answer.CidrBlockAssociation.CidrBlockState).toEqual({ State: 'disassociating' });
  });

  test('removes the local routes; the block reads disassociated for an hour, then drops out', async () => {
    const t = await withSecondary();
    await t.call('DisassociateVpcCidrBlock', { AssociationId: t.associationId });
    expect(await localRoutes(t, t.vpcId)).toEqual([['10.20.0.0/16']]);
    const states = async () =>
      (await describeVpc(t, t.vpcId)).CidrBlockAssociationSet.map(
        (a: { CidrBlock: string; CidrBlockState: { State: string } }) =>
          `${a.CidrBlock} ${a.CidrBlockState.State}`,
      );
    expect(await states()).toEqual(['10.20.0.0/16 associated', '100.64.0.0/16 disassociated']);
    await rejectsWith(
      t.call('CreateSubnet', { VpcId: t.vpcId, CidrBlock: '100.64.1.0/24' }),
      'InvalidSubnet.Range',
    );
    t.clock.advance(HOUR);
    expect(await states()).toEqual(['10.20.0.0/16 associated']);
  });

  test('an unknown association id is InvalidVpcCidrBlockAssociationID.NotFound', async () => {
    const t = networkTwin();
    await rejectsWith(
      t.call('DisassociateVpcCidrBlock', { AssociationId: 'vpc-cidr-assoc-0123456789abcdef0' }),
      'InvalidVpcCidrBlockAssociationID.NotFound',
    );
  });
});
