import type {
  AssociateTransitGatewayRouteTableRequest,
  AssociateTransitGatewayRouteTableResult,
  CreateTransitGatewayRouteRequest,
  CreateTransitGatewayRouteResult,
  CreateTransitGatewayRouteTableRequest,
  CreateTransitGatewayRouteTableResult,
  DeleteTransitGatewayRouteRequest,
  DeleteTransitGatewayRouteResult,
  DeleteTransitGatewayRouteTableRequest,
  DeleteTransitGatewayRouteTableResult,
  DescribeTransitGatewayRouteTablesRequest,
  DescribeTransitGatewayRouteTablesResult,
  DisableTransitGatewayRouteTablePropagationRequest,
  DisableTransitGatewayRouteTablePropagationResult,
  DisassociateTransitGatewayRouteTableRequest,
  DisassociateTransitGatewayRouteTableResult,
  EnableTransitGatewayRouteTablePropagationRequest,
  EnableTransitGatewayRouteTablePropagationResult,
  GetTransitGatewayRouteTableAssociationsRequest,
  GetTransitGatewayRouteTableAssociationsResult,
  GetTransitGatewayRouteTablePropagationsRequest,
  GetTransitGatewayRouteTablePropagationsResult,
  ReplaceTransitGatewayRouteRequest,
  ReplaceTransitGatewayRouteResult,
  SearchTransitGatewayRoutesRequest,
  SearchTransitGatewayRoutesResult,
  TransitGatewayRouteTableState as TableStateName,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from '../model/index.ts';
import type { TransitGatewayRouteTableState, TransitGatewayVpcAttachmentState } from '../model/state.ts';
import { searchTgwRoutes } from '../model/transit-gateway-route-search.ts';
import {
  associateTgwRouteTable,
  createTgwRoute,
  deleteTgwRoute,
  deleteTgwRouteTable,
  disableTgwPropagation,
  disassociateTgwRouteTable,
  type EffectiveTgwRoute,
  effectiveTgwRoutes,
  enableTgwPropagation,
  getTgwRouteTable,
  newTransitGatewayRouteTable,
  replaceTgwRoute,
} from '../model/transit-gateway-routes.ts';
import { getTransitGateway } from '../model/transit-gateways.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

export function renderRouteTable(
  t: TransitGatewayRouteTableState,
  state: TableStateName = t.state,
): TransitGatewayRouteTable {
  return {
    TransitGatewayRouteTableId: t.id,
    TransitGatewayId: t.transitGatewayId,
    State: state,
    DefaultAssociationRouteTable: t.defaultAssociationRouteTable,
    DefaultPropagationRouteTable: t.defaultPropagationRouteTable,
    CreationTime: new Date(t.creationTime),
    Tags: renderTags(t.tags) ?? [],
  };
}

export function renderTgwRoute(
  r: EffectiveTgwRoute,
  state: TransitGatewayRoute['State'] = r.state,
): TransitGatewayRoute {
  return {
    DestinationCidrBlock: r.cidr,
    ...(r.attachmentId && {
      TransitGatewayAttachments: [
        {
          TransitGatewayAttachmentId: r.attachmentId,
          ResourceType: 'vpc',
          ...(r.resourceId && { ResourceId: r.resourceId }),
        },
      ],
    }),
    Type: r.type,
    State: state,
  };
}

/** The static route for `cidr` as the table now renders it (blackhole when its attachment is unusable). */
function staticRoute(ctx: RequestContext, tableId: string, cidr: string): TransitGatewayRoute {
  const route = effectiveTgwRoutes(worldOf(ctx), tableId).find((r) => r.cidr === cidr && r.type === 'static');
  return route ? renderTgwRoute(route) : { DestinationCidrBlock: cidr, Type: 'static', State: 'active' };
}

const link = (a: TransitGatewayVpcAttachmentState) => ({
  TransitGatewayAttachmentId: a.id,
  ResourceId: a.vpcId,
  ResourceType: 'vpc' as const,
});

const linkFilters = {
  'resource-id': (a: TransitGatewayVpcAttachmentState) => a.vpcId,
  'resource-type': () => 'vpc',
  'transit-gateway-attachment-id': (a: TransitGatewayVpcAttachmentState) => a.id,
};

function attachmentsOf(
  model: Ec2Model,
  test: (a: TransitGatewayVpcAttachmentState) => boolean,
): TransitGatewayVpcAttachmentState[] {
  return [...model.transitGatewayAttachments.values()].filter(test);
}

export const transitGatewayRouteHandlers = withDryRun({
  CreateTransitGatewayRouteTable(
    model: Ec2Model,
    input: CreateTransitGatewayRouteTableRequest,
    ctx: RequestContext,
  ): CreateTransitGatewayRouteTableResult {
    const tgw = getTransitGateway(model, input.TransitGatewayId);
    const table = newTransitGatewayRouteTable(
      model,
      tgw.id,
      specTags(input, 'transit-gateway-route-table'),
      ctx.time,
    );
    return { TransitGatewayRouteTable: renderRouteTable(table, 'pending') };
  },

  DeleteTransitGatewayRouteTable(
    model: Ec2Model,
    input: DeleteTransitGatewayRouteTableRequest,
  ): DeleteTransitGatewayRouteTableResult {
    return {
      TransitGatewayRouteTable: renderRouteTable(
        deleteTgwRouteTable(model, input.TransitGatewayRouteTableId),
        'deleting',
      ),
    };
  },

  DescribeTransitGatewayRouteTables(
    model: Ec2Model,
    input: DescribeTransitGatewayRouteTablesRequest,
  ): DescribeTransitGatewayRouteTablesResult {
    const { page, nextToken } = describe([...model.transitGatewayRouteTables.values()], input, {
      ids: input.TransitGatewayRouteTableIds,
      idOf: (t) => t.id,
      missing: (id) => notFoundError('transitGatewayRouteTable', id),
      accessors: {
        'default-association-route-table': (t) => String(t.defaultAssociationRouteTable),
        'default-propagation-route-table': (t) => String(t.defaultPropagationRouteTable),
        state: (t) => t.state,
        'transit-gateway-id': (t) => t.transitGatewayId,
        'transit-gateway-route-table-id': (t) => t.id,
      },
    });
    return {
      TransitGatewayRouteTables: page.map((t) => renderRouteTable(t)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  AssociateTransitGatewayRouteTable(
    model: Ec2Model,
    input: AssociateTransitGatewayRouteTableRequest,
  ): AssociateTransitGatewayRouteTableResult {
    const a = associateTgwRouteTable(
      model,
      input.TransitGatewayRouteTableId,
      input.TransitGatewayAttachmentId,
    );
    return {
      Association: { TransitGatewayRouteTableId: a.associatedRouteTableId, ...link(a), State: 'associating' },
    };
  },

  DisassociateTransitGatewayRouteTable(
    model: Ec2Model,
    input: DisassociateTransitGatewayRouteTableRequest,
  ): DisassociateTransitGatewayRouteTableResult {
    const a = disassociateTgwRouteTable(
      model,
      input.TransitGatewayRouteTableId,
      input.TransitGatewayAttachmentId,
    );
    return {
      Association: {
        TransitGatewayRouteTableId: input.TransitGatewayRouteTableId,
        ...link(a),
        State: 'disassociating',
      },
    };
  },

  GetTransitGatewayRouteTableAssociations(
    model: Ec2Model,
    input: GetTransitGatewayRouteTableAssociationsRequest,
  ): GetTransitGatewayRouteTableAssociationsResult {
    const table = getTgwRouteTable(model, input.TransitGatewayRouteTableId);
    const { page, nextToken } = describe(
      attachmentsOf(model, (a) => a.associatedRouteTableId === table.id),
      input,
      {
        idOf: (a) => a.id,
        missing: (id) => notFoundError('transitGatewayAttachment', id),
        accessors: linkFilters,
      },
    );
    return {
      Associations: page.map((a) => ({ ...link(a), State: 'associated' })),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  EnableTransitGatewayRouteTablePropagation(
    model: Ec2Model,
    input: EnableTransitGatewayRouteTablePropagationRequest,
  ): EnableTransitGatewayRouteTablePropagationResult {
    const a = enableTgwPropagation(model, input.TransitGatewayRouteTableId, input.TransitGatewayAttachmentId);
    return {
      Propagation: {
        ...link(a),
        TransitGatewayRouteTableId: input.TransitGatewayRouteTableId,
        State: 'enabling',
      },
    };
  },

  DisableTransitGatewayRouteTablePropagation(
    model: Ec2Model,
    input: DisableTransitGatewayRouteTablePropagationRequest,
  ): DisableTransitGatewayRouteTablePropagationResult {
    const a = disableTgwPropagation(
      model,
      input.TransitGatewayRouteTableId,
      input.TransitGatewayAttachmentId,
    );
    return {
      Propagation: {
        ...link(a),
        TransitGatewayRouteTableId: input.TransitGatewayRouteTableId,
        State: 'disabling',
      },
    };
  },

  GetTransitGatewayRouteTablePropagations(
    model: Ec2Model,
    input: GetTransitGatewayRouteTablePropagationsRequest,
  ): GetTransitGatewayRouteTablePropagationsResult {
    const table = getTgwRouteTable(model, input.TransitGatewayRouteTableId);
    const { page, nextToken } = describe(
      attachmentsOf(model, (a) => table.propagatingAttachmentIds.includes(a.id)),
      input,
      {
        idOf: (a) => a.id,
        missing: (id) => notFoundError('transitGatewayAttachment', id),
        accessors: linkFilters,
      },
    );
    return {
      TransitGatewayRouteTablePropagations: page.map((a) => ({ ...link(a), State: 'enabled' })),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  CreateTransitGatewayRoute(
    model: Ec2Model,
    input: CreateTransitGatewayRouteRequest,
    ctx: RequestContext,
  ): CreateTransitGatewayRouteResult {
    const cidr = createTgwRoute(model, {
      tableId: input.TransitGatewayRouteTableId,
      cidr: input.DestinationCidrBlock,
      attachmentId: input.TransitGatewayAttachmentId,
      blackhole: input.Blackhole,
    });
    return { Route: staticRoute(ctx, input.TransitGatewayRouteTableId!, cidr) };
  },

  ReplaceTransitGatewayRoute(
    model: Ec2Model,
    input: ReplaceTransitGatewayRouteRequest,
    ctx: RequestContext,
  ): ReplaceTransitGatewayRouteResult {
    const cidr = replaceTgwRoute(model, {
      tableId: input.TransitGatewayRouteTableId,
      cidr: input.DestinationCidrBlock,
      attachmentId: input.TransitGatewayAttachmentId,
      blackhole: input.Blackhole,
    });
    return { Route: staticRoute(ctx, input.TransitGatewayRouteTableId!, cidr) };
  },

  DeleteTransitGatewayRoute(
    model: Ec2Model,
    input: DeleteTransitGatewayRouteRequest,
  ): DeleteTransitGatewayRouteResult {
    const removed = deleteTgwRoute(model, input.TransitGatewayRouteTableId, input.DestinationCidrBlock);
    const attachment = removed.attachmentId
      ? model.transitGatewayAttachments.get(removed.attachmentId)
      : undefined;
    const route: EffectiveTgwRoute = {
      cidr: removed.cidr,
      type: 'static',
      state: 'active',
      ...(removed.attachmentId && { attachmentId: removed.attachmentId }),
    };
    if (attachment) route.resourceId = attachment.vpcId;
    return { Route: renderTgwRoute(route, 'deleted') };
  },

  /** Filters are required (API_SearchTransitGatewayRoutes.html); at most MaxResults routes, flagging the rest. */
  SearchTransitGatewayRoutes(
    model: Ec2Model,
    input: SearchTransitGatewayRoutesRequest,
    ctx: RequestContext,
  ): SearchTransitGatewayRoutesResult {
    const table = getTgwRouteTable(model, input.TransitGatewayRouteTableId);
    const max = input.MaxResults ?? 1000;
    if (max < 5 || max > 1000) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value ( ${max} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.`,
      );
    }
    const routes = searchTgwRoutes(effectiveTgwRoutes(worldOf(ctx), table.id), input.Filters);
    return {
      Routes: routes.slice(0, max).map((r) => renderTgwRoute(r)),
      AdditionalRoutesAvailable: routes.length > max,
    };
  },
});
