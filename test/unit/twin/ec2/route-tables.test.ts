import { describe, expect, test } from 'vitest';
import type { Ec2Model } from '../../../../twin/services/ec2/model/index.ts';
import { effectiveRouteTable } from '../../../../twin/services/ec2/model/route-tables.ts';
import type {
  TransitGatewayState,
  TransitGatewayVpcAttachmentState,
} from '../../../../twin/services/ec2/model/state.ts';
import { networkTwin } from './network-fixture.ts';

/** A VPC with a subnet and its main table id, plus a custom table. */
async function lab() {
  const t = networkTwin();
  const { vpc, subnet } = await t.vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
  const { RouteTable } = await t.call('CreateRouteTable', { VpcId: vpc.VpcId });
  const routeOf = async (destination: string) => {
    const { RouteTables } = await t.call('DescribeRouteTables', { RouteTableIds: [RouteTable.RouteTableId] });
    return RouteTables[0].Routes.find(
      (r: { DestinationCidrBlock?: string; DestinationPrefixListId?: string }) =>
        [r.DestinationCidrBlock, r.DestinationPrefixListId].includes(destination),
    );
  };
  return { ...t, vpc, subnet, table: RouteTable.RouteTableId as string, routeOf };
}

function transitGateway(model: Ec2Model, id: string): TransitGatewayState {
  const tgw = {
    id,
    ownerId: model.accountId,
    description: '',
    state: 'available',
    creationTime: 0,
    tags: {},
  } as TransitGatewayState;
  model.transitGateways.set(id, tgw);
  return tgw;
}

function attachment(
  model: Ec2Model,
  tgwId: string,
  vpcId: string,
  state: TransitGatewayVpcAttachmentState['state'],
) {
  model.transitGatewayAttachments.set('tgw-attach-1', {
    id: 'tgw-attach-1',
    transitGatewayId: tgwId,
    transitGatewayOwnerId: model.accountId,
    vpcId,
    vpcOwnerId: model.accountId,
    subnetIds: [],
    state,
    dnsSupport: true,
    applianceModeSupport: false,
    networkInterfaceIds: [],
    creationTime: 0,
    tags: {},
  });
}

describe('CreateRoute, ReplaceRoute, DeleteRoute', () => {
  test('an internet gateway route needs the gateway attached to the VPC', async () => {
    const { call, vpc, table, routeOf } = await lab();
    const { InternetGateway } = await call('CreateInternetGateway');
    const route = {
      RouteTableId: table,
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: InternetGateway.InternetGatewayId,
    };
    await expect(call('CreateRoute', route)).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    await call('AttachInternetGateway', {
      InternetGatewayId: InternetGateway.InternetGatewayId,
      VpcId: vpc.VpcId,
    });
    expect(await call('CreateRoute', route)).toEqual({ Return: true });
    expect(await routeOf('0.0.0.0/0')).toEqual({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: InternetGateway.InternetGatewayId,
      Origin: 'CreateRoute',
      State: 'active',
    });
    await expect(call('CreateRoute', route)).rejects.toMatchObject({
      code: 'RouteAlreadyExists',
      message: 'The route identified by 0.0.0.0/0 already exists.',
    });
  });

  test('the local route cannot be deleted or replaced', async () => {
    const { call, table } = await lab();
    await expect(
      call('DeleteRoute', { RouteTableId: table, DestinationCidrBlock: '10.20.0.0/16' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      message: `cannot remove local route 10.20.0.0/16 in route table ${table}`,
    });
  });

  test('deleting a route that is not there is InvalidRoute.NotFound; replacing one is InvalidParameterValue', async () => {
    const { call, table } = await lab();
    await expect(
      call('DeleteRoute', { RouteTableId: table, DestinationCidrBlock: '192.168.0.0/16' }),
    ).rejects.toMatchObject({
      code: 'InvalidRoute.NotFound',
    });
    await expect(
      call('ReplaceRoute', {
        RouteTableId: table,
        DestinationCidrBlock: '192.168.0.0/16',
        TransitGatewayId: 'tgw-0123',
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });

  test('a route inside the VPC CIDR may only target an interface', async () => {
    const { call, table, natId } = await withNat();
    await expect(
      call('CreateRoute', { RouteTableId: table, DestinationCidrBlock: '10.20.5.0/24', NatGatewayId: natId }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('more specific than one of this VPC'),
    });
  });

  test('a transit gateway route is blackhole until the gateway has an available attachment in the VPC', async () => {
    const { call, model, vpc, table, routeOf } = await lab();
    const tgw = transitGateway(model(), 'tgw-0aaa');
    await call('CreateRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '10.99.0.0/16',
      TransitGatewayId: tgw.id,
    });
    expect((await routeOf('10.99.0.0/16')).State).toBe('blackhole');
    attachment(model(), tgw.id, vpc.VpcId!, 'pending');
    expect((await routeOf('10.99.0.0/16')).State).toBe('blackhole');
    attachment(model(), tgw.id, vpc.VpcId!, 'available');
    expect(await routeOf('10.99.0.0/16')).toMatchObject({ TransitGatewayId: tgw.id, State: 'active' });
    tgw.state = 'deleted';
    expect((await routeOf('10.99.0.0/16')).State).toBe('blackhole');
  });

  test('an unknown transit gateway is InvalidTransitGatewayID.NotFound', async () => {
    const { call, table } = await lab();
    await expect(
      call('CreateRoute', {
        RouteTableId: table,
        DestinationCidrBlock: '10.99.0.0/16',
        TransitGatewayId: 'tgw-0nope',
      }),
    ).rejects.toMatchObject({
      code: 'InvalidTransitGatewayID.NotFound',
    });
  });

  test('ReplaceRoute moves a route to another target', async () => {
    const { call, model, table, routeOf, natId } = await withNat();
    transitGateway(model(), 'tgw-0bbb');
    await call('CreateRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '0.0.0.0/0',
      TransitGatewayId: 'tgw-0bbb',
    });
    await call('ReplaceRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: natId,
    });
    expect(await routeOf('0.0.0.0/0')).toMatchObject({
      NatGatewayId: natId,
      State: 'active',
      Origin: 'CreateRoute',
    });
  });
});

/** The lab plus a public NAT gateway in its subnet. */
async function withNat() {
  const l = await lab();
  const { InternetGateway } = await l.call('CreateInternetGateway');
  await l.call('AttachInternetGateway', {
    InternetGatewayId: InternetGateway.InternetGatewayId,
    VpcId: l.vpc.VpcId,
  });
  const { AllocationId } = await l.call('AllocateAddress');
  const { NatGateway } = await l.call('CreateNatGateway', { SubnetId: l.subnet.SubnetId, AllocationId });
  return {
    ...l,
    natId: NatGateway.NatGatewayId as string,
    igwId: InternetGateway.InternetGatewayId as string,
  };
}

describe('derived route State', () => {
  test('an internet gateway route turns blackhole when the gateway is detached', async () => {
    const { call, vpc, table, routeOf } = await lab();
    const { InternetGateway } = await call('CreateInternetGateway');
    const igw = InternetGateway.InternetGatewayId;
    await call('AttachInternetGateway', { InternetGatewayId: igw, VpcId: vpc.VpcId });
    await call('CreateRoute', { RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw });
    await call('DetachInternetGateway', { InternetGatewayId: igw, VpcId: vpc.VpcId });
    expect((await routeOf('0.0.0.0/0')).State).toBe('blackhole');
    const { RouteTables } = await call('DescribeRouteTables', {
      Filters: [{ Name: 'route.state', Values: ['blackhole'] }],
    });
    expect(RouteTables.map((t: { RouteTableId: string }) => t.RouteTableId)).toEqual([table]);
  });

  test('a NAT gateway route turns blackhole when the NAT gateway is deleted', async () => {
    const { call, table, routeOf, natId } = await withNat();
    await call('CreateRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: natId,
    });
    expect((await routeOf('0.0.0.0/0')).State).toBe('active');
    await call('DeleteNatGateway', { NatGatewayId: natId });
    expect((await routeOf('0.0.0.0/0')).State).toBe('blackhole');
  });

  test("a gateway endpoint's prefix-list route renders as GatewayId vpce-… with Origin CreateRoute", async () => {
    const { model, vpc, table, routeOf } = await lab();
    model().vpcEndpoints.set('vpce-0s3', {
      id: 'vpce-0s3',
      ownerId: model().accountId,
      vpcId: vpc.VpcId!,
      serviceName: 'com.amazonaws.us-east-1.s3',
      type: 'Gateway',
      state: 'available',
      policyDocument: '{}',
      routeTableIds: [table],
      subnetIds: [],
      securityGroupIds: [],
      privateDnsEnabled: false,
      networkInterfaceIds: [],
      creationTimestamp: 0,
      tags: {},
    });
    model()
      .routeTables.get(table)!
      .routes.push({
        destinationPrefixListId: 'pl-63a5400a',
        target: { kind: 'gateway-endpoint', id: 'vpce-0s3' },
        origin: 'CreateRoute',
      });
    expect(await routeOf('pl-63a5400a')).toEqual({
      DestinationPrefixListId: 'pl-63a5400a',
      GatewayId: 'vpce-0s3',
      Origin: 'CreateRoute',
      State: 'active',
    });
  });
});

describe('associations', () => {
  test('a subnet uses its explicit table, else the main one, and falls back after DisassociateRouteTable', async () => {
    const { call, model, vpc, subnet, table } = await lab();
    const main = model().vpcs.get(vpc.VpcId!)!.mainRouteTableId;
    expect(effectiveRouteTable(model(), subnet.SubnetId!)?.id).toBe(main);
    const { AssociationId, AssociationState } = await call('AssociateRouteTable', {
      RouteTableId: table,
      SubnetId: subnet.SubnetId,
    });
    expect(AssociationState).toEqual({ State: 'associated' });
    expect(effectiveRouteTable(model(), subnet.SubnetId!)?.id).toBe(table);
    await expect(
      call('AssociateRouteTable', { RouteTableId: main, SubnetId: subnet.SubnetId }),
    ).rejects.toMatchObject({
      code: 'Resource.AlreadyAssociated',
    });
    await expect(call('DeleteRouteTable', { RouteTableId: table })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
    await call('DisassociateRouteTable', { AssociationId });
    expect(effectiveRouteTable(model(), subnet.SubnetId!)?.id).toBe(main);
    await call('DeleteRouteTable', { RouteTableId: table });
  });

  test('ReplaceRouteTableAssociation moves the main association and the main table with it', async () => {
    const { call, model, vpc, subnet, table } = await lab();
    const { RouteTables } = await call('DescribeRouteTables', {
      Filters: [{ Name: 'association.main', Values: ['true'] }],
    });
    const mainAssociation = RouteTables[0].Associations[0].RouteTableAssociationId;
    await expect(call('DisassociateRouteTable', { AssociationId: mainAssociation })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    const { NewAssociationId } = await call('ReplaceRouteTableAssociation', {
      AssociationId: mainAssociation,
      RouteTableId: table,
    });
    expect(NewAssociationId).not.toBe(mainAssociation);
    expect(model().vpcs.get(vpc.VpcId!)!.mainRouteTableId).toBe(table);
    expect(effectiveRouteTable(model(), subnet.SubnetId!)?.id).toBe(table);
    await expect(call('DeleteRouteTable', { RouteTableId: table })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
  });

  test('a table of another VPC cannot take the subnet', async () => {
    const { call, subnet } = await lab();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.40.0.0/16' });
    const { RouteTable } = await call('CreateRouteTable', { VpcId: Vpc.VpcId });
    await expect(
      call('AssociateRouteTable', { RouteTableId: RouteTable.RouteTableId, SubnetId: subnet.SubnetId }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});

describe('DescribeRouteTables filters', () => {
  test('route.destination-cidr-block, route.nat-gateway-id, association.subnet-id', async () => {
    const { call, table, natId, subnet } = await withNat();
    await call('CreateRoute', {
      RouteTableId: table,
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: natId,
    });
    await call('AssociateRouteTable', { RouteTableId: table, SubnetId: subnet.SubnetId });
    for (const [Name, value] of [
      ['route.destination-cidr-block', '0.0.0.0/0'],
      ['route.nat-gateway-id', natId],
      ['association.subnet-id', subnet.SubnetId],
    ]) {
      const { RouteTables } = await call('DescribeRouteTables', { Filters: [{ Name, Values: [value] }] });
      expect(
        RouteTables.map((t: { RouteTableId: string }) => t.RouteTableId),
        Name,
      ).toEqual([table]);
    }
  });

  test('MaxResults above 100 is refused for route tables', async () => {
    const { call } = await lab();
    await expect(call('DescribeRouteTables', { MaxResults: 101 })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});
