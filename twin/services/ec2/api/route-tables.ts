import type {
  AssociateRouteTableRequest,
  AssociateRouteTableResult,
  CreateRouteRequest,
  CreateRouteResult,
  CreateRouteTableRequest,
  CreateRouteTableResult,
  DeleteRouteRequest,
  DeleteRouteTableRequest,
  DescribeRouteTablesRequest,
  DescribeRouteTablesResult,
  DisassociateRouteTableRequest,
  ReplaceRouteRequest,
  ReplaceRouteTableAssociationRequest,
  ReplaceRouteTableAssociationResult,
  Route,
  RouteTable,
  RouteTableAssociation,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import type { World } from '../model/peering.ts';
import {
  associateRouteTable,
  createRouteTable,
  deleteRouteTable,
  disassociateRouteTable,
  replaceRouteTableAssociation,
} from '../model/route-tables.ts';
import { createRoute, deleteRoute, replaceRoute, routeState } from '../model/routes.ts';
import type { RouteState, RouteTableAssociationState, RouteTableState } from '../model/state.ts';
import { describe, flag, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

/** The target member a route renders under (a gateway endpoint's `vpce-…` shows as GatewayId). */
function renderTarget(model: Ec2Model, route: RouteState): Partial<Route> {
  const t = route.target;
  switch (t.kind) {
    case 'local':
      return { GatewayId: 'local' };
    case 'internet-gateway':
    case 'gateway-endpoint':
      return { GatewayId: t.id };
    case 'nat-gateway':
      return { NatGatewayId: t.id };
    case 'transit-gateway':
      return { TransitGatewayId: t.id };
    case 'peering':
      return { VpcPeeringConnectionId: t.id };
    case 'network-interface': {
      const instanceId = model.networkInterfaces.get(t.id)?.attachment?.instanceId;
      return {
        NetworkInterfaceId: t.id,
        ...(instanceId && { InstanceId: instanceId, InstanceOwnerId: model.accountId }),
      };
    }
    case 'instance': {
      const eni = model.instances.get(t.id)?.primaryNetworkInterfaceId;
      return { InstanceId: t.id, InstanceOwnerId: model.accountId, ...(eni && { NetworkInterfaceId: eni }) };
    }
    default:
      return {};
  }
}

function renderRoute(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  route: RouteState,
  now: number,
): Route {
  return {
    ...(route.destinationCidr !== undefined && { DestinationCidrBlock: route.destinationCidr }),
    ...(route.destinationPrefixListId !== undefined && {
      DestinationPrefixListId: route.destinationPrefixListId,
    }),
    ...renderTarget(model, route),
    Origin: route.origin,
    State: routeState(model, world, table, route, now),
  };
}

function renderAssociation(table: RouteTableState, a: RouteTableAssociationState): RouteTableAssociation {
  return {
    Main: a.main,
    RouteTableAssociationId: a.id,
    RouteTableId: table.id,
    ...(a.subnetId && { SubnetId: a.subnetId }),
    ...(a.gatewayId && { GatewayId: a.gatewayId }),
    AssociationState: { State: 'associated' },
  };
}

export function renderRouteTable(
  model: Ec2Model,
  world: World,
  table: RouteTableState,
  now: number,
): RouteTable {
  return {
    RouteTableId: table.id,
    VpcId: table.vpcId,
    OwnerId: table.ownerId,
    Routes: table.routes.map((r) => renderRoute(model, world, table, r, now)),
    Associations: table.associations.map((a) => renderAssociation(table, a)),
    PropagatingVgws: [],
    Tags: renderTags(table.tags),
  };
}

/** DescribeRouteTables filters (API_DescribeRouteTables). */
function routeTableFilters(model: Ec2Model, world: World, now: number): Accessors<RouteTableState> {
  const routes = (t: RouteTableState) => t.routes.map((r) => renderRoute(model, world, t, r, now));
  return {
    'association.gateway-id': (t) => t.associations.map((a) => a.gatewayId),
    'association.route-table-association-id': (t) => t.associations.map((a) => a.id),
    'association.route-table-id': (t) => (t.associations.length ? t.id : undefined),
    'association.subnet-id': (t) => t.associations.map((a) => a.subnetId),
    'association.main': (t) => t.associations.map((a) => flag(a.main)),
    'owner-id': (t) => t.ownerId,
    'route-table-id': (t) => t.id,
    'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidr),
    'route.destination-prefix-list-id': (t) => t.routes.map((r) => r.destinationPrefixListId),
    'route.gateway-id': (t) => routes(t).map((r) => r.GatewayId),
    'route.instance-id': (t) => routes(t).map((r) => r.InstanceId),
    'route.nat-gateway-id': (t) => routes(t).map((r) => r.NatGatewayId),
    'route.transit-gateway-id': (t) => routes(t).map((r) => r.TransitGatewayId),
    'route.vpc-peering-connection-id': (t) => routes(t).map((r) => r.VpcPeeringConnectionId),
    'route.origin': (t) => t.routes.map((r) => r.origin),
    'route.state': (t) => routes(t).map((r) => r.State),
    'vpc-id': (t) => t.vpcId,
  };
}

export const routeTableHandlers = withDryRun({
  CreateRouteTable(
    model: Ec2Model,
    input: CreateRouteTableRequest,
    ctx: RequestContext,
  ): CreateRouteTableResult {
    const table = createRouteTable(model, input.VpcId, specTags(input, 'route-table'));
    return { RouteTable: renderRouteTable(model, worldOf(ctx), table, ctx.time) };
  },

  DeleteRouteTable(model: Ec2Model, input: DeleteRouteTableRequest): object {
    deleteRouteTable(model, input.RouteTableId);
    return {};
  },

  DescribeRouteTables(
    model: Ec2Model,
    input: DescribeRouteTablesRequest,
    ctx: RequestContext,
  ): DescribeRouteTablesResult {
    const world = worldOf(ctx);
    const { page, nextToken } = describe([...model.routeTables.values()], input, {
      ids: input.RouteTableIds,
      idOf: (t) => t.id,
      missing: (id) => notFoundError('routeTable', id),
      accessors: routeTableFilters(model, world, ctx.time),
      maxLimit: 100,
    });
    return {
      RouteTables: page.map((t) => renderRouteTable(model, world, t, ctx.time)),
      NextToken: nextToken,
    };
  },

  AssociateRouteTable(model: Ec2Model, input: AssociateRouteTableRequest): AssociateRouteTableResult {
    const association = associateRouteTable(model, {
      routeTableId: input.RouteTableId,
      subnetId: input.SubnetId,
      gatewayId: input.GatewayId,
    });
    return { AssociationId: association.id, AssociationState: { State: 'associated' } };
  },

  DisassociateRouteTable(model: Ec2Model, input: DisassociateRouteTableRequest): object {
    disassociateRouteTable(model, input.AssociationId);
    return {};
  },

  ReplaceRouteTableAssociation(
    model: Ec2Model,
    input: ReplaceRouteTableAssociationRequest,
  ): ReplaceRouteTableAssociationResult {
    const association = replaceRouteTableAssociation(model, input.AssociationId, input.RouteTableId);
    return { NewAssociationId: association.id, AssociationState: { State: 'associated' } };
  },

  CreateRoute(model: Ec2Model, input: CreateRouteRequest, ctx: RequestContext): CreateRouteResult {
    createRoute(model, worldOf(ctx), input.RouteTableId, input, ctx.time);
    return { Return: true };
  },

  ReplaceRoute(model: Ec2Model, input: ReplaceRouteRequest, ctx: RequestContext): object {
    replaceRoute(model, worldOf(ctx), input.RouteTableId, input, ctx.time);
    return {};
  },

  DeleteRoute(model: Ec2Model, input: DeleteRouteRequest): object {
    deleteRoute(model, input.RouteTableId, input);
    return {};
  },
});
