import type {
  AcceptTransitGatewayVpcAttachmentRequest,
  AcceptTransitGatewayVpcAttachmentResult,
  CreateTransitGatewayRequest,
  CreateTransitGatewayResult,
  CreateTransitGatewayVpcAttachmentRequest,
  CreateTransitGatewayVpcAttachmentResult,
  DeleteTransitGatewayRequest,
  DeleteTransitGatewayResult,
  DeleteTransitGatewayVpcAttachmentRequest,
  DeleteTransitGatewayVpcAttachmentResult,
  DescribeTransitGatewayAttachmentsRequest,
  DescribeTransitGatewayAttachmentsResult,
  DescribeTransitGatewaysRequest,
  DescribeTransitGatewaysResult,
  DescribeTransitGatewayVpcAttachmentsRequest,
  DescribeTransitGatewayVpcAttachmentsResult,
  ModifyTransitGatewayRequest,
  ModifyTransitGatewayResult,
  ModifyTransitGatewayVpcAttachmentRequest,
  ModifyTransitGatewayVpcAttachmentResult,
  RejectTransitGatewayVpcAttachmentRequest,
  RejectTransitGatewayVpcAttachmentResult,
  TransitGatewayState as TgwStateName,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayAttachmentState,
  TransitGatewayVpcAttachment,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from '../model/index.ts';
import type { TransitGatewayState, TransitGatewayVpcAttachmentState } from '../model/state.ts';
import {
  acceptVpcAttachment,
  attachmentsVisibleTo,
  createVpcAttachment,
  deleteVpcAttachment,
  modifyVpcAttachment,
  rejectVpcAttachment,
} from '../model/transit-gateway-attachments.ts';
import {
  createTransitGateway,
  deleteTransitGateway,
  modifyTransitGateway,
} from '../model/transit-gateways.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

const onOff = (value: boolean) => (value ? 'enable' : 'disable');

export function renderTransitGateway(
  model: Ec2Model,
  tgw: TransitGatewayState,
  state: TgwStateName = tgw.state,
): TransitGateway {
  const o = tgw.options;
  return {
    TransitGatewayId: tgw.id,
    TransitGatewayArn: `arn:aws:ec2:${model.region}:${tgw.ownerId}:transit-gateway/${tgw.id}`,
    State: state,
    OwnerId: tgw.ownerId,
    Description: tgw.description,
    CreationTime: new Date(tgw.creationTime),
    Options: {
      AmazonSideAsn: o.amazonSideAsn,
      AutoAcceptSharedAttachments: onOff(o.autoAcceptSharedAttachments),
      DefaultRouteTableAssociation: onOff(o.defaultRouteTableAssociation),
      ...(o.defaultRouteTableAssociation &&
        o.associationDefaultRouteTableId && {
          AssociationDefaultRouteTableId: o.associationDefaultRouteTableId,
        }),
      DefaultRouteTablePropagation: onOff(o.defaultRouteTablePropagation),
      ...(o.defaultRouteTablePropagation &&
        o.propagationDefaultRouteTableId && {
          PropagationDefaultRouteTableId: o.propagationDefaultRouteTableId,
        }),
      VpnEcmpSupport: onOff(o.vpnEcmpSupport),
      DnsSupport: onOff(o.dnsSupport),
      SecurityGroupReferencingSupport: onOff(o.securityGroupReferencingSupport),
      MulticastSupport: onOff(o.multicastSupport),
    },
    Tags: renderTags(tgw.tags) ?? [],
  };
}

export function renderVpcAttachment(
  a: TransitGatewayVpcAttachmentState,
  state: TransitGatewayAttachmentState = a.state,
): TransitGatewayVpcAttachment {
  return {
    TransitGatewayAttachmentId: a.id,
    TransitGatewayId: a.transitGatewayId,
    VpcId: a.vpcId,
    VpcOwnerId: a.vpcOwnerId,
    State: state,
    SubnetIds: [...a.subnetIds],
    CreationTime: new Date(a.creationTime),
    Options: {
      DnsSupport: onOff(a.dnsSupport),
      SecurityGroupReferencingSupport: 'disable',
      Ipv6Support: 'disable',
      ApplianceModeSupport: onOff(a.applianceModeSupport),
    },
    Tags: renderTags(a.tags) ?? [],
  };
}

export function renderAttachment(a: TransitGatewayVpcAttachmentState): TransitGatewayAttachment {
  return {
    TransitGatewayAttachmentId: a.id,
    TransitGatewayId: a.transitGatewayId,
    TransitGatewayOwnerId: a.transitGatewayOwnerId,
    ResourceOwnerId: a.vpcOwnerId,
    ResourceType: 'vpc',
    ResourceId: a.vpcId,
    State: a.state,
    ...(a.associatedRouteTableId && {
      Association: { TransitGatewayRouteTableId: a.associatedRouteTableId, State: 'associated' },
    }),
    CreationTime: new Date(a.creationTime),
    Tags: renderTags(a.tags) ?? [],
  };
}

const missingAttachment = (id: string) => notFoundError('transitGatewayAttachment', id);

export const transitGatewayHandlers = withDryRun({
  /** Created `pending`, described `available` (the twin has no provisioning delay; see LIMITATIONS). */
  CreateTransitGateway(
    model: Ec2Model,
    input: CreateTransitGatewayRequest,
    ctx: RequestContext,
  ): CreateTransitGatewayResult {
    const tgw = createTransitGateway(
      model,
      { description: input.Description, options: input.Options, tags: specTags(input, 'transit-gateway') },
      ctx.time,
    );
    return { TransitGateway: renderTransitGateway(model, tgw, 'pending') };
  },

  ModifyTransitGateway(model: Ec2Model, input: ModifyTransitGatewayRequest): ModifyTransitGatewayResult {
    const tgw = modifyTransitGateway(model, input.TransitGatewayId, {
      description: input.Description,
      options: input.Options,
    });
    return { TransitGateway: renderTransitGateway(model, tgw, 'modifying') };
  },

  DeleteTransitGateway(model: Ec2Model, input: DeleteTransitGatewayRequest): DeleteTransitGatewayResult {
    const tgw = deleteTransitGateway(model, input.TransitGatewayId);
    return { TransitGateway: renderTransitGateway(model, tgw, 'deleting') };
  },

  DescribeTransitGateways(
    model: Ec2Model,
    input: DescribeTransitGatewaysRequest,
  ): DescribeTransitGatewaysResult {
    const { page, nextToken } = describe([...model.transitGateways.values()], input, {
      ids: input.TransitGatewayIds,
      idOf: (t) => t.id,
      missing: (id) => notFoundError('transitGateway', id),
      accessors: {
        'options.amazon-side-asn': (t) => t.options.amazonSideAsn,
        'options.association-default-route-table-id': (t) => t.options.associationDefaultRouteTableId,
        'options.auto-accept-shared-attachments': (t) => onOff(t.options.autoAcceptSharedAttachments),
        'options.default-route-table-association': (t) => onOff(t.options.defaultRouteTableAssociation),
        'options.default-route-table-propagation': (t) => onOff(t.options.defaultRouteTablePropagation),
        'options.dns-support': (t) => onOff(t.options.dnsSupport),
        'options.propagation-default-route-table-id': (t) => t.options.propagationDefaultRouteTableId,
        'options.vpn-ecmp-support': (t) => onOff(t.options.vpnEcmpSupport),
        'owner-id': (t) => t.ownerId,
        state: (t) => t.state,
        'transit-gateway-id': (t) => t.id,
      },
    });
    return {
      TransitGateways: page.map((t) => renderTransitGateway(model, t)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  CreateTransitGatewayVpcAttachment(
    model: Ec2Model,
    input: CreateTransitGatewayVpcAttachmentRequest,
    ctx: RequestContext,
  ): CreateTransitGatewayVpcAttachmentResult {
    const attachment = createVpcAttachment(
      worldOf(ctx),
      model,
      {
        transitGatewayId: input.TransitGatewayId,
        vpcId: input.VpcId,
        subnetIds: input.SubnetIds ?? [],
        dnsSupport: input.Options?.DnsSupport,
        applianceModeSupport: input.Options?.ApplianceModeSupport,
        tags: specTags(input, 'transit-gateway-attachment'),
      },
      ctx.time,
    );
    return {
      TransitGatewayVpcAttachment: renderVpcAttachment(
        attachment,
        attachment.state === 'available' ? 'pending' : attachment.state,
      ),
    };
  },

  AcceptTransitGatewayVpcAttachment(
    model: Ec2Model,
    input: AcceptTransitGatewayVpcAttachmentRequest,
    ctx: RequestContext,
  ): AcceptTransitGatewayVpcAttachmentResult {
    return {
      TransitGatewayVpcAttachment: renderVpcAttachment(
        acceptVpcAttachment(worldOf(ctx), model, input.TransitGatewayAttachmentId),
        'pending',
      ),
    };
  },

  RejectTransitGatewayVpcAttachment(
    model: Ec2Model,
    input: RejectTransitGatewayVpcAttachmentRequest,
  ): RejectTransitGatewayVpcAttachmentResult {
    return {
      TransitGatewayVpcAttachment: renderVpcAttachment(
        rejectVpcAttachment(model, input.TransitGatewayAttachmentId),
        'rejecting',
      ),
    };
  },

  DeleteTransitGatewayVpcAttachment(
    model: Ec2Model,
    input: DeleteTransitGatewayVpcAttachmentRequest,
    ctx: RequestContext,
  ): DeleteTransitGatewayVpcAttachmentResult {
    return {
      TransitGatewayVpcAttachment: renderVpcAttachment(
        deleteVpcAttachment(worldOf(ctx), model, input.TransitGatewayAttachmentId),
        'deleting',
      ),
    };
  },

  ModifyTransitGatewayVpcAttachment(
    model: Ec2Model,
    input: ModifyTransitGatewayVpcAttachmentRequest,
    ctx: RequestContext,
  ): ModifyTransitGatewayVpcAttachmentResult {
    const attachment = modifyVpcAttachment(worldOf(ctx), model, input.TransitGatewayAttachmentId, {
      add: input.AddSubnetIds,
      remove: input.RemoveSubnetIds,
      dnsSupport: input.Options?.DnsSupport,
      applianceModeSupport: input.Options?.ApplianceModeSupport,
    });
    return { TransitGatewayVpcAttachment: renderVpcAttachment(attachment, 'modifying') };
  },

  /** The caller's TGWs' attachments and its VPCs' attachments to others' TGWs. */
  DescribeTransitGatewayVpcAttachments(
    model: Ec2Model,
    input: DescribeTransitGatewayVpcAttachmentsRequest,
    ctx: RequestContext,
  ): DescribeTransitGatewayVpcAttachmentsResult {
    const { page, nextToken } = describe(attachmentsVisibleTo(worldOf(ctx), model), input, {
      ids: input.TransitGatewayAttachmentIds,
      idOf: (a) => a.id,
      missing: missingAttachment,
      accessors: {
        state: (a) => a.state,
        'transit-gateway-attachment-id': (a) => a.id,
        'transit-gateway-id': (a) => a.transitGatewayId,
        'vpc-id': (a) => a.vpcId,
      },
    });
    return {
      TransitGatewayVpcAttachments: page.map((a) => renderVpcAttachment(a)),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  DescribeTransitGatewayAttachments(
    model: Ec2Model,
    input: DescribeTransitGatewayAttachmentsRequest,
    ctx: RequestContext,
  ): DescribeTransitGatewayAttachmentsResult {
    const { page, nextToken } = describe(attachmentsVisibleTo(worldOf(ctx), model), input, {
      ids: input.TransitGatewayAttachmentIds,
      idOf: (a) => a.id,
      missing: missingAttachment,
      accessors: {
        'association.state': (a) => (a.associatedRouteTableId ? 'associated' : undefined),
        'association.transit-gateway-route-table-id': (a) => a.associatedRouteTableId,
        'resource-id': (a) => a.vpcId,
        'resource-owner-id': (a) => a.vpcOwnerId,
        'resource-type': () => 'vpc',
        state: (a) => a.state,
        'transit-gateway-attachment-id': (a) => a.id,
        'transit-gateway-id': (a) => a.transitGatewayId,
        'transit-gateway-owner-id': (a) => a.transitGatewayOwnerId,
      },
    });
    return {
      TransitGatewayAttachments: page.map(renderAttachment),
      ...(nextToken && { NextToken: nextToken }),
    };
  },
});
