import { describe, expect, test } from 'vitest';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import { effectiveTgwRoutes } from '../../../../twin/services/ec2/model/transit-gateway-routes.ts';
import { ALICE, BOB, networkTwin } from './network-fixture.ts';

type T = ReturnType<typeof networkTwin>;
const OFF = {
  DefaultRouteTableAssociation: 'disable',
  DefaultRouteTablePropagation: 'disable',
};

/** A VPC with subnets in two AZs, attached to `tgwId` by `account`. */
async function attachedVpc(t: T, tgwId: string, cidr: string, account: string = ALICE) {
  const { Vpc } = await t.call('CreateVpc', { CidrBlock: cidr }, account);
  const base = cidr.split('.').slice(0, 2).join('.');
  const a = await t.call(
    'CreateSubnet',
    { VpcId: Vpc.VpcId, CidrBlock: `${base}.1.0/24`, AvailabilityZone: 'us-east-1a' },
    account,
  );
  const b = await t.call(
    'CreateSubnet',
    { VpcId: Vpc.VpcId, CidrBlock: `${base}.2.0/24`, AvailabilityZone: 'us-east-1b' },
    account,
  );
  const subnetIds = [a.Subnet.SubnetId, b.Subnet.SubnetId];
  const { TransitGatewayVpcAttachment } = await t.call(
    'CreateTransitGatewayVpcAttachment',
    { TransitGatewayId: tgwId, VpcId: Vpc.VpcId, SubnetIds: subnetIds },
    account,
  );
  return {
    vpcId: Vpc.VpcId as string,
    subnetIds,
    attachmentId: TransitGatewayVpcAttachment.TransitGatewayAttachmentId as string,
  };
}

async function tgw(t: T, options: object = OFF) {
  const { TransitGateway } = await t.call('CreateTransitGateway', { Description: 'hub', Options: options });
  return TransitGateway.TransitGatewayId as string;
}

async function table(t: T, tgwId: string) {
  const { TransitGatewayRouteTable } = await t.call('CreateTransitGatewayRouteTable', {
    TransitGatewayId: tgwId,
  });
  return TransitGatewayRouteTable.TransitGatewayRouteTableId as string;
}

const routesOf = async (t: T, tableId: string) =>
  (
    await t.call('SearchTransitGatewayRoutes', {
      TransitGatewayRouteTableId: tableId,
      Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }],
    })
  ).Routes;

describe('CreateTransitGateway', () => {
  test("AWS's defaults: a default route table for association and propagation, which new attachments use", async () => {
    const t = networkTwin();
    const { TransitGateway } = await t.call('CreateTransitGateway', {});
    expect(TransitGateway.State).toBe('pending');
    const { TransitGateways } = await t.call('DescribeTransitGateways', {
      TransitGatewayIds: [TransitGateway.TransitGatewayId],
    });
    const options = TransitGateways[0].Options;
    expect(options).toMatchObject({
      AmazonSideAsn: 64512,
      AutoAcceptSharedAttachments: 'disable',
      DefaultRouteTableAssociation: 'enable',
      DefaultRouteTablePropagation: 'enable',
      DnsSupport: 'enable',
      VpnEcmpSupport: 'enable',
      MulticastSupport: 'disable',
    });
    expect(options.AssociationDefaultRouteTableId).toMatch(/^tgw-rtb-/);
    expect(options.PropagationDefaultRouteTableId).toBe(options.AssociationDefaultRouteTableId);
    const vpc = await attachedVpc(t, TransitGateway.TransitGatewayId, '10.5.0.0/16');
    const { TransitGatewayAttachments } = await t.call('DescribeTransitGatewayAttachments', {
      TransitGatewayAttachmentIds: [vpc.attachmentId],
    });
    expect(TransitGatewayAttachments[0].Association).toEqual({
      TransitGatewayRouteTableId: options.AssociationDefaultRouteTableId,
      State: 'associated',
    });
    expect(await routesOf(t, options.AssociationDefaultRouteTableId)).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.5.0.0/16', Type: 'propagated', State: 'active' }),
    ]);
  });

  test('with defaults off there is no default table and attachments stay unassociated', async () => {
    const t = networkTwin();
    const id = await tgw(t);
    expect((await t.call('DescribeTransitGatewayRouteTables', {})).TransitGatewayRouteTables).toEqual([]);
    const vpc = await attachedVpc(t, id, '10.5.0.0/16');
    const { TransitGatewayAttachments } = await t.call('DescribeTransitGatewayAttachments', {});
    expect(TransitGatewayAttachments[0]).toMatchObject({
      TransitGatewayAttachmentId: vpc.attachmentId,
      State: 'available',
      ResourceType: 'vpc',
    });
    expect(TransitGatewayAttachments[0].Association).toBeUndefined();
  });

  test('ModifyTransitGateway turns options on and off; enabling association with no default table is refused', async () => {
    const t = networkTwin();
    const id = await tgw(t);
    await t.call('ModifyTransitGateway', {
      TransitGatewayId: id,
      Options: { AutoAcceptSharedAttachments: 'enable', DnsSupport: 'disable' },
    });
    const { TransitGateways } = await t.call('DescribeTransitGateways', {});
    expect(TransitGateways[0].Options).toMatchObject({
      AutoAcceptSharedAttachments: 'enable',
      DnsSupport: 'disable',
    });
    await expect(
      t.call('ModifyTransitGateway', {
        TransitGatewayId: id,
        Options: { DefaultRouteTableAssociation: 'enable' },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterCombination',
    });
    const rt = await table(t, id);
    await t.call('ModifyTransitGateway', {
      TransitGatewayId: id,
      Options: { DefaultRouteTableAssociation: 'enable', AssociationDefaultRouteTableId: rt },
    });
    const { TransitGatewayRouteTables } = await t.call('DescribeTransitGatewayRouteTables', {
      TransitGatewayRouteTableIds: [rt],
    });
    expect(TransitGatewayRouteTables[0].DefaultAssociationRouteTable).toBe(true);
  });
});

describe('VPC attachments', () => {
  test('one transit_gateway ENI per subnet, inside it; at most one subnet per AZ', async () => {
    const t = networkTwin();
    const id = await tgw(t);
    const vpc = await attachedVpc(t, id, '10.5.0.0/16');
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'interface-type', Values: ['transit_gateway'] }],
    });
    expect(NetworkInterfaces).toHaveLength(2);
    for (const eni of NetworkInterfaces) {
      expect(eni.Description).toBe(`Network Interface for Transit Gateway Attachment ${vpc.attachmentId}`);
      const subnet = vpc.subnetIds.indexOf(eni.SubnetId) + 1;
      expect(eni.PrivateIpAddress).toMatch(new RegExp(`^10\\.5\\.${subnet}\\.\\d+$`));
    }
    const { Vpc } = await t.call('CreateVpc', { CidrBlock: '10.6.0.0/16' });
    const a = await t.call('CreateSubnet', {
      VpcId: Vpc.VpcId,
      CidrBlock: '10.6.1.0/24',
      AvailabilityZone: 'us-east-1a',
    });
    const b = await t.call('CreateSubnet', {
      VpcId: Vpc.VpcId,
      CidrBlock: '10.6.2.0/24',
      AvailabilityZone: 'us-east-1a',
    });
    await expect(
      t.call('CreateTransitGatewayVpcAttachment', {
        TransitGatewayId: id,
        VpcId: Vpc.VpcId,
        SubnetIds: [a.Subnet.SubnetId, b.Subnet.SubnetId],
      }),
    ).rejects.toMatchObject({ code: 'DuplicateSubnetsInSameZone' });
  });

  test("another account's attachment waits in pendingAcceptance until the TGW owner accepts it", async () => {
    const t = networkTwin();
    const id = await tgw(t, { ...OFF });
    const theirs = await attachedVpc(t, id, '10.9.0.0/16', BOB);
    const seenByBob = await t.call('DescribeTransitGatewayVpcAttachments', {}, BOB);
    expect(seenByBob.TransitGatewayVpcAttachments).toEqual([
      expect.objectContaining({
        TransitGatewayAttachmentId: theirs.attachmentId,
        State: 'pendingAcceptance',
        VpcOwnerId: BOB,
      }),
    ]);
    expect((await t.call('DescribeNetworkInterfaces', {}, BOB)).NetworkInterfaces).toEqual([]);
    const rt = await table(t, id);
    await expect(
      t.call('AssociateTransitGatewayRouteTable', {
        TransitGatewayRouteTableId: rt,
        TransitGatewayAttachmentId: theirs.attachmentId,
      }),
    ).rejects.toMatchObject({
      code: 'IncorrectState',
    });
    const accepted = await t.call('AcceptTransitGatewayVpcAttachment', {
      TransitGatewayAttachmentId: theirs.attachmentId,
    });
    expect(accepted.TransitGatewayVpcAttachment.State).toBe('pending');
    const { TransitGatewayAttachments } = await t.call('DescribeTransitGatewayAttachments', {}, BOB);
    expect(TransitGatewayAttachments[0]).toMatchObject({
      State: 'available',
      ResourceOwnerId: BOB,
      TransitGatewayOwnerId: ALICE,
    });
    expect((await t.call('DescribeNetworkInterfaces', {}, BOB)).NetworkInterfaces).toHaveLength(2);
  });

  test('auto-accept lets shared attachments in at once; a rejected one stays rejected', async () => {
    const t = networkTwin();
    const auto = await tgw(t, { ...OFF, AutoAcceptSharedAttachments: 'enable' });
    const a = await attachedVpc(t, auto, '10.9.0.0/16', BOB);
    const manual = await tgw(t);
    const b = await attachedVpc(t, manual, '10.8.0.0/16', BOB);
    await t.call('RejectTransitGatewayVpcAttachment', { TransitGatewayAttachmentId: b.attachmentId });
    const { TransitGatewayVpcAttachments } = await t.call('DescribeTransitGatewayVpcAttachments', {}, BOB);
    const states = Object.fromEntries(
      TransitGatewayVpcAttachments.map((x: { TransitGatewayAttachmentId: string; State: string }) => [
        x.TransitGatewayAttachmentId,
        x.State,
      ]),
    );
    expect(states).toEqual({ [a.attachmentId]: 'available', [b.attachmentId]: 'rejected' });
  });

  test('ModifyTransitGatewayVpcAttachment moves the ENIs with the subnets and sets its options', async () => {
    const t = networkTwin();
    const id = await tgw(t);
    const vpc = await attachedVpc(t, id, '10.5.0.0/16');
    const c = await t.call('CreateSubnet', {
      VpcId: vpc.vpcId,
      CidrBlock: '10.5.3.0/24',
      AvailabilityZone: 'us-east-1c',
    });
    const out = await t.call('ModifyTransitGatewayVpcAttachment', {
      TransitGatewayAttachmentId: vpc.attachmentId,
      AddSubnetIds: [c.Subnet.SubnetId],
      RemoveSubnetIds: [vpc.subnetIds[0]],
      Options: { ApplianceModeSupport: 'enable' },
    });
    expect(out.TransitGatewayVpcAttachment).toMatchObject({
      State: 'modifying',
      Options: { ApplianceModeSupport: 'enable', DnsSupport: 'enable' },
    });
    expect(out.TransitGatewayVpcAttachment.SubnetIds).toEqual([vpc.subnetIds[1], c.Subnet.SubnetId]);
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'interface-type', Values: ['transit_gateway'] }],
    });
    expect(NetworkInterfaces.map((e: { SubnetId: string }) => e.SubnetId).sort()).toEqual(
      [vpc.subnetIds[1], c.Subnet.SubnetId].sort(),
    );
  });

  test('deleting an attachment removes its ENIs; a TGW with attachments cannot be deleted', async () => {
    const t = networkTwin();
    const id = await tgw(t);
    const vpc = await attachedVpc(t, id, '10.5.0.0/16');
    await expect(t.call('DeleteTransitGateway', { TransitGatewayId: id })).rejects.toMatchObject({
      code: 'IncorrectState',
    });
    await t.call('DeleteTransitGatewayVpcAttachment', { TransitGatewayAttachmentId: vpc.attachmentId });
    expect((await t.call('DescribeNetworkInterfaces', {})).NetworkInterfaces).toEqual([]);
    await t.call('DeleteTransitGateway', { TransitGatewayId: id });
    expect((await t.call('DescribeTransitGateways', {})).TransitGateways).toEqual([]);
  });
});

describe('route tables, associations and routes', () => {
  async function hub() {
    const t = networkTwin();
    const id = await tgw(t);
    const prod = await attachedVpc(t, id, '10.0.0.0/16');
    const shared = await attachedVpc(t, id, '10.2.0.0/16');
    return { t, id, prod, shared, rt: await table(t, id), other: await table(t, id) };
  }

  test('an attachment has one association: a second is Resource.AlreadyAssociated until disassociated', async () => {
    const { t, prod, rt, other } = await hub();
    const ok = await t.call('AssociateTransitGatewayRouteTable', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: prod.attachmentId,
    });
    expect(ok.Association).toMatchObject({
      State: 'associating',
      ResourceId: prod.vpcId,
      ResourceType: 'vpc',
    });
    await expect(
      t.call('AssociateTransitGatewayRouteTable', {
        TransitGatewayRouteTableId: other,
        TransitGatewayAttachmentId: prod.attachmentId,
      }),
    ).rejects.toMatchObject({
      code: 'Resource.AlreadyAssociated',
      message: `Transit Gateway Attachment ${prod.attachmentId} is already associated to a route table.`,
    });
    await t.call('DisassociateTransitGatewayRouteTable', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: prod.attachmentId,
    });
    await t.call('AssociateTransitGatewayRouteTable', {
      TransitGatewayRouteTableId: other,
      TransitGatewayAttachmentId: prod.attachmentId,
    });
    const { Associations } = await t.call('GetTransitGatewayRouteTableAssociations', {
      TransitGatewayRouteTableId: other,
    });
    expect(Associations).toEqual([
      {
        TransitGatewayAttachmentId: prod.attachmentId,
        ResourceId: prod.vpcId,
        ResourceType: 'vpc',
        State: 'associated',
      },
    ]);
  });

  test("propagation adds the VPC's CIDR; a duplicate is refused; a static route wins on the same prefix", async () => {
    const { t, prod, shared, rt } = await hub();
    await t.call('EnableTransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: shared.attachmentId,
    });
    await expect(
      t.call('EnableTransitGatewayRouteTablePropagation', {
        TransitGatewayRouteTableId: rt,
        TransitGatewayAttachmentId: shared.attachmentId,
      }),
    ).rejects.toMatchObject({ code: 'TransitGatewayRouteTablePropagation.Duplicate' });
    expect(await routesOf(t, rt)).toEqual([
      {
        DestinationCidrBlock: '10.2.0.0/16',
        Type: 'propagated',
        State: 'active',
        TransitGatewayAttachments: [
          { TransitGatewayAttachmentId: shared.attachmentId, ResourceId: shared.vpcId, ResourceType: 'vpc' },
        ],
      },
    ]);
    await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.2.0.0/16',
      TransitGatewayAttachmentId: prod.attachmentId,
    });
    expect(await routesOf(t, rt)).toEqual([
      expect.objectContaining({
        DestinationCidrBlock: '10.2.0.0/16',
        Type: 'static',
        TransitGatewayAttachments: [
          expect.objectContaining({ TransitGatewayAttachmentId: prod.attachmentId }),
        ],
      }),
    ]);
    await t.call('DeleteTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.2.0.0/16',
    });
    expect((await routesOf(t, rt))[0]).toMatchObject({ Type: 'propagated' });
    const { TransitGatewayRouteTablePropagations } = await t.call('GetTransitGatewayRouteTablePropagations', {
      TransitGatewayRouteTableId: rt,
    });
    expect(TransitGatewayRouteTablePropagations).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: shared.attachmentId, State: 'enabled' }),
    ]);
    await t.call('DisableTransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: shared.attachmentId,
    });
    expect(await routesOf(t, rt)).toEqual([]);
  });

  test('static routes: duplicates refused, blackhole on request, and blackhole once their attachment is gone', async () => {
    const { t, shared, rt } = await hub();
    const made = await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.2.0.0/16',
      TransitGatewayAttachmentId: shared.attachmentId,
    });
    expect(made.Route).toMatchObject({ State: 'active', Type: 'static' });
    await expect(
      t.call('CreateTransitGatewayRoute', {
        TransitGatewayRouteTableId: rt,
        DestinationCidrBlock: '10.2.0.0/16',
        Blackhole: true,
      }),
    ).rejects.toMatchObject({
      code: 'RouteAlreadyExists',
      message: `Route 10.2.0.0/16 already exists in Transit Gateway Route Table ${rt}.`,
    });
    await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.1.0.0/16',
      Blackhole: true,
    });
    await t.call('DeleteTransitGatewayVpcAttachment', { TransitGatewayAttachmentId: shared.attachmentId });
    const routes = await routesOf(t, rt);
    expect(
      routes.map((r: { DestinationCidrBlock: string; State: string }) => [r.DestinationCidrBlock, r.State]),
    ).toEqual([
      ['10.1.0.0/16', 'blackhole'],
      ['10.2.0.0/16', 'blackhole'],
    ]);
    await expect(
      t.call('CreateTransitGatewayRoute', {
        TransitGatewayRouteTableId: rt,
        DestinationCidrBlock: '10.3.0.1/16',
        Blackhole: true,
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });

  test('ReplaceTransitGatewayRoute repoints a static route; a missing one is InvalidRoute.NotFound', async () => {
    const { t, prod, shared, rt } = await hub();
    await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.2.0.0/16',
      Blackhole: true,
    });
    const replaced = await t.call('ReplaceTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '10.2.0.0/16',
      TransitGatewayAttachmentId: shared.attachmentId,
    });
    expect(replaced.Route).toMatchObject({
      State: 'active',
      TransitGatewayAttachments: [
        expect.objectContaining({ TransitGatewayAttachmentId: shared.attachmentId }),
      ],
    });
    await expect(
      t.call('ReplaceTransitGatewayRoute', {
        TransitGatewayRouteTableId: rt,
        DestinationCidrBlock: '10.9.0.0/16',
        TransitGatewayAttachmentId: prod.attachmentId,
      }),
    ).rejects.toMatchObject({ code: 'InvalidRoute.NotFound' });
  });
});

describe('SearchTransitGatewayRoutes', () => {
  async function searchable() {
    const t = networkTwin();
    const id = await tgw(t);
    const a = await attachedVpc(t, id, '10.0.0.0/16');
    const rt = await table(t, id);
    for (const cidr of ['10.0.0.0/8', '10.0.1.0/24', '10.0.1.0/29']) {
      await t.call('CreateTransitGatewayRoute', {
        TransitGatewayRouteTableId: rt,
        DestinationCidrBlock: cidr,
        TransitGatewayAttachmentId: a.attachmentId,
      });
    }
    await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '192.168.0.0/16',
      Blackhole: true,
    });
    await t.call('EnableTransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: a.attachmentId,
    });
    const search = async (Name: string, Values: string[]) =>
      (
        await t.call('SearchTransitGatewayRoutes', {
          TransitGatewayRouteTableId: rt,
          Filters: [{ Name, Values }],
        })
      ).Routes.map((r: { DestinationCidrBlock: string }) => r.DestinationCidrBlock);
    return { t, rt, search };
  }

  test.for([
    ['route-search.exact-match', ['10.0.1.0/24'], ['10.0.1.0/24']],
    ['route-search.longest-prefix-match', ['10.0.1.5'], ['10.0.1.0/29']],
    ['route-search.longest-prefix-match', ['10.0.2.5/32'], ['10.0.0.0/16']],
    ['route-search.subnet-of-match', ['10.0.0.0/16'], ['10.0.0.0/16', '10.0.1.0/24', '10.0.1.0/29']],
    [
      'route-search.supernet-of-match',
      ['10.0.1.0/30'],
      ['10.0.0.0/8', '10.0.0.0/16', '10.0.1.0/24', '10.0.1.0/29'],
    ],
    ['type', ['propagated'], ['10.0.0.0/16']],
    ['state', ['blackhole'], ['192.168.0.0/16']],
  ] as const)('%s %j → %j', async ([name, values, expected], { expect }) => {
    const { search } = await searchable();
    expect(await search(name, [...values])).toEqual(expected);
  });

  test('without filters AWS refuses the search', async () => {
    const { t, rt } = await searchable();
    await expect(
      t.call('SearchTransitGatewayRoutes', { TransitGatewayRouteTableId: rt }),
    ).rejects.toMatchObject({ code: 'MissingParameter' });
  });
});

describe('effectiveTgwRoutes', () => {
  test("resolves a propagated route from another account's VPC and reports static blackholes", async () => {
    const t = networkTwin();
    const id = await tgw(t, { ...OFF, AutoAcceptSharedAttachments: 'enable' });
    const bob = await attachedVpc(t, id, '172.16.0.0/16', BOB);
    const rt = await table(t, id);
    await t.call('EnableTransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: rt,
      TransitGatewayAttachmentId: bob.attachmentId,
    });
    await t.call('CreateTransitGatewayRoute', {
      TransitGatewayRouteTableId: rt,
      DestinationCidrBlock: '0.0.0.0/0',
      Blackhole: true,
    });
    const world = t.twin.modelsOf(ec2).map(([, m]) => m);
    expect(effectiveTgwRoutes(world, rt)).toEqual([
      { cidr: '0.0.0.0/0', type: 'static', state: 'blackhole' },
      {
        cidr: '172.16.0.0/16',
        attachmentId: bob.attachmentId,
        resourceId: bob.vpcId,
        type: 'propagated',
        state: 'active',
      },
    ]);
    expect(effectiveTgwRoutes(world, 'tgw-rtb-0000000000000000f')).toEqual([]);
  });
});
