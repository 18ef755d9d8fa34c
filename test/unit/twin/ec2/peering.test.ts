import { describe, expect, test } from 'vitest';
import { ALICE, BOB, networkTwin } from './network-fixture.ts';

const HOUR = 3_600_000;

/** Alice's VPC 10.1/16 asks Bob's VPC (10.2/16 unless told) to peer. */
async function request(bobCidr = '10.2.0.0/16') {
  const t = networkTwin();
  const alice = await t.vpcWithSubnet('10.1.0.0/16', '10.1.1.0/24', ALICE);
  const bob = await t.vpcWithSubnet(bobCidr, bobCidr.replace('.0.0/16', '.1.0/24'), BOB);
  const { VpcPeeringConnection } = await t.call('CreateVpcPeeringConnection', {
    VpcId: alice.vpc.VpcId,
    PeerVpcId: bob.vpc.VpcId,
    PeerOwnerId: BOB,
    TagSpecifications: [
      { ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'Name', Value: 'alice-to-bob' }] },
    ],
  });
  const id = VpcPeeringConnection.VpcPeeringConnectionId as string;
  const seenBy = async (account: string) => {
    const { VpcPeeringConnections } = await t.call('DescribeVpcPeeringConnections', {}, account);
    return VpcPeeringConnections.find(
      (c: { VpcPeeringConnectionId: string }) => c.VpcPeeringConnectionId === id,
    );
  };
  return { ...t, alice, bob, id, created: VpcPeeringConnection, seenBy };
}

describe('CreateVpcPeeringConnection across accounts', () => {
  test('answers initiating-request, then both accounts see pending-acceptance with a 7-day expiry', async () => {
    const { created, seenBy, clock } = await request();
    expect(created.Status).toEqual({ Code: 'initiating-request', Message: `Initiating Request to ${BOB}` });
    const bobView = await seenBy(BOB);
    expect(bobView.Status).toEqual({ Code: 'pending-acceptance', Message: `Pending Acceptance by ${BOB}` });
    expect(bobView.ExpirationTime).toEqual(new Date(clock.now() + 7 * 24 * HOUR));
    expect(bobView.AccepterVpcInfo.CidrBlock).toBeUndefined();
    expect((await seenBy(ALICE)).Status.Code).toBe('pending-acceptance');
  });

  test('only the accepter accepts; then both see it active with the accepter CIDR', async () => {
    const { call, id, seenBy, bob } = await request();
    await expect(
      call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, ALICE),
    ).rejects.toMatchObject({ code: 'OperationNotPermitted' });
    const { VpcPeeringConnection } = await call(
      'AcceptVpcPeeringConnection',
      { VpcPeeringConnectionId: id },
      BOB,
    );
    expect(VpcPeeringConnection.Status.Code).toBe('provisioning');
    for (const account of [ALICE, BOB]) {
      const view = await seenBy(account);
      expect(view.Status).toEqual({ Code: 'active', Message: 'Active' });
      expect(view.AccepterVpcInfo).toMatchObject({
        OwnerId: BOB,
        VpcId: bob.vpc.VpcId,
        CidrBlock: '10.2.0.0/16',
      });
    }
    await expect(
      call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB),
    ).rejects.toMatchObject({ code: 'InvalidStateTransition' });
  });

  test('overlapping CIDRs make a failed connection that only the requester sees, and that cannot be accepted', async () => {
    const { id, seenBy, call } = await request('10.1.0.0/16');
    expect((await seenBy(ALICE)).Status.Code).toBe('failed');
    expect(await seenBy(BOB)).toBeUndefined();
    await expect(
      call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB),
    ).rejects.toMatchObject({
      code: 'InvalidVpcPeeringConnectionID.NotFound',
    });
  });

  test('a request to a VPC that does not exist fails', async () => {
    const t = networkTwin();
    const { vpc } = await t.vpcWithSubnet('10.1.0.0/16', '10.1.1.0/24');
    const { VpcPeeringConnection } = await t.call('CreateVpcPeeringConnection', {
      VpcId: vpc.VpcId,
      PeerVpcId: 'vpc-0nothere',
      PeerOwnerId: BOB,
    });
    const { VpcPeeringConnections } = await t.call('DescribeVpcPeeringConnections', {
      VpcPeeringConnectionIds: [VpcPeeringConnection.VpcPeeringConnectionId],
    });
    expect(VpcPeeringConnections[0].Status.Code).toBe('failed');
  });

  test('a second live connection between the same VPCs is refused', async () => {
    const { call, alice, bob } = await request();
    await expect(
      call('CreateVpcPeeringConnection', {
        VpcId: alice.vpc.VpcId,
        PeerVpcId: bob.vpc.VpcId,
        PeerOwnerId: BOB,
      }),
    ).rejects.toMatchObject({
      code: 'VpcPeeringConnectionAlreadyExists',
    });
  });

  test('an unanswered request expires after 7 days and stays visible 2 more days', async () => {
    const { clock, seenBy, call, id } = await request();
    clock.advance(7 * 24 * HOUR);
    expect((await seenBy(BOB)).Status.Code).toBe('expired');
    await expect(
      call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB),
    ).rejects.toMatchObject({ code: 'InvalidStateTransition' });
    clock.advance(2 * 24 * HOUR);
    expect(await seenBy(ALICE)).toBeUndefined();
  });
});

describe('RejectVpcPeeringConnection and DeleteVpcPeeringConnection', () => {
  test('a rejected request stays 2 hours for the accepter and 2 days for the requester', async () => {
    const { call, id, seenBy, clock } = await request();
    await call('RejectVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    expect((await seenBy(ALICE)).Status.Code).toBe('rejected');
    clock.advance(2 * HOUR);
    expect(await seenBy(BOB)).toBeUndefined();
    expect((await seenBy(ALICE)).Status.Code).toBe('rejected');
    clock.advance(2 * 24 * HOUR);
    expect(await seenBy(ALICE)).toBeUndefined();
  });

  test('a deleted connection stays 2 hours for the deleter and 2 days for the other party', async () => {
    const { call, id, seenBy, clock } = await request();
    await call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    await call('DeleteVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    expect((await seenBy(ALICE)).Status).toEqual({ Code: 'deleted', Message: `Deleted by ${BOB}` });
    clock.advance(2 * HOUR);
    expect(await seenBy(BOB)).toBeUndefined();
    expect((await seenBy(ALICE)).Status.Code).toBe('deleted');
    await expect(
      call('DeleteVpcPeeringConnection', { VpcPeeringConnectionId: id }, ALICE),
    ).rejects.toMatchObject({ code: 'InvalidStateTransition' });
  });

  test('the accepter cannot delete a pending request; the requester can', async () => {
    const { call, id, seenBy } = await request();
    await expect(
      call('DeleteVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB),
    ).rejects.toMatchObject({ code: 'InvalidStateTransition' });
    await call('DeleteVpcPeeringConnection', { VpcPeeringConnectionId: id }, ALICE);
    expect((await seenBy(BOB)).Status.Code).toBe('deleted');
  });

  test("a pending request from another account blocks deleting the accepter's VPC", async () => {
    const { call, bob, id } = await request();
    await call('DeleteSubnet', { SubnetId: bob.subnet.SubnetId }, BOB);
    await expect(call('DeleteVpc', { VpcId: bob.vpc.VpcId }, BOB)).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
    await call('RejectVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    await call('DeleteVpc', { VpcId: bob.vpc.VpcId }, BOB);
  });
});

describe('routes and security groups across a peering connection', () => {
  test('a route to the connection is blackhole while pending and active once accepted', async () => {
    const { call, id, alice, model } = await request();
    const table = model(ALICE).vpcs.get(alice.vpc.VpcId!)!.mainRouteTableId;
    await call('CreateRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '10.2.0.0/16',
      VpcPeeringConnectionId: id,
    });
    const state = async () =>
      (await call('DescribeRouteTables', { RouteTableIds: [table] })).RouteTables[0].Routes[1].State;
    expect(await state()).toBe('blackhole');
    await call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    expect(await state()).toBe('active');
    await call('DeleteVpcPeeringConnection', { VpcPeeringConnectionId: id }, ALICE);
    expect(await state()).toBe('blackhole');
  });

  test("a rule may reference the peer's group only once the connection is active", async () => {
    const { call, id, alice, bob } = await request();
    const { GroupId } = await call('CreateSecurityGroup', {
      VpcId: alice.vpc.VpcId,
      GroupName: 'app',
      Description: 'app',
    });
    const { SecurityGroups } = await call(
      'DescribeSecurityGroups',
      { Filters: [{ Name: 'vpc-id', Values: [bob.vpc.VpcId] }] },
      BOB,
    );
    const peerGroup = SecurityGroups[0].GroupId;
    const rule = {
      GroupId,
      IpPermissions: [
        {
          IpProtocol: 'icmp',
          FromPort: -1,
          ToPort: -1,
          UserIdGroupPairs: [{ GroupId: peerGroup, UserId: BOB }],
        },
      ],
    };
    await expect(call('AuthorizeSecurityGroupIngress', rule)).rejects.toMatchObject({
      code: 'InvalidGroup.NotFound',
    });
    await call('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id }, BOB);
    await call('AuthorizeSecurityGroupIngress', rule);
    const group = (await call('DescribeSecurityGroups', { GroupIds: [GroupId] })).SecurityGroups[0];
    expect(group.IpPermissions[0].UserIdGroupPairs).toEqual([
      {
        GroupId: peerGroup,
        UserId: BOB,
        VpcId: bob.vpc.VpcId,
        VpcPeeringConnectionId: id,
        PeeringStatus: 'active',
      },
    ]);
    const { SecurityGroupRules } = await call('DescribeSecurityGroupRules', {
      Filters: [{ Name: 'group-id', Values: [GroupId] }],
    });
    expect(SecurityGroupRules.find((r: { IsEgress: boolean }) => !r.IsEgress).ReferencedGroupInfo).toEqual({
      GroupId: peerGroup,
      UserId: BOB,
      VpcId: bob.vpc.VpcId,
    });
  });
});

describe('DescribeVpcPeeringConnections', () => {
  test('filters by status-code, requester and accepter VPC, and each side keeps its own tags', async () => {
    const { call, id, alice, bob } = await request();
    const ids = async (account: string, Filters: object[]) =>
      (await call('DescribeVpcPeeringConnections', { Filters }, account)).VpcPeeringConnections.map(
        (c: { VpcPeeringConnectionId: string }) => c.VpcPeeringConnectionId,
      );
    expect(await ids(BOB, [{ Name: 'status-code', Values: ['pending-acceptance'] }])).toEqual([id]);
    expect(await ids(BOB, [{ Name: 'status-code', Values: ['active'] }])).toEqual([]);
    expect(await ids(ALICE, [{ Name: 'requester-vpc-info.vpc-id', Values: [alice.vpc.VpcId] }])).toEqual([
      id,
    ]);
    expect(await ids(BOB, [{ Name: 'accepter-vpc-info.vpc-id', Values: [bob.vpc.VpcId] }])).toEqual([id]);
    expect(await ids(ALICE, [{ Name: 'tag:Name', Values: ['alice-*'] }])).toEqual([id]);
    expect(await ids(BOB, [{ Name: 'tag:Name', Values: ['alice-*'] }])).toEqual([]);
    await call('CreateTags', { Resources: [id], Tags: [{ Key: 'Name', Value: 'from-alice' }] }, BOB);
    expect(await ids(BOB, [{ Name: 'tag:Name', Values: ['from-alice'] }])).toEqual([id]);
    expect(await ids(ALICE, [{ Name: 'tag:Name', Values: ['alice-to-bob'] }])).toEqual([id]);
  });
});
