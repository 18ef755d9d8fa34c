import type {
  AcceptVpcPeeringConnectionRequest,
  AcceptVpcPeeringConnectionResult,
  CreateVpcPeeringConnectionRequest,
  CreateVpcPeeringConnectionResult,
  DeleteVpcPeeringConnectionRequest,
  DeleteVpcPeeringConnectionResult,
  DescribeVpcPeeringConnectionsRequest,
  DescribeVpcPeeringConnectionsResult,
  RejectVpcPeeringConnectionRequest,
  RejectVpcPeeringConnectionResult,
  VpcPeeringConnection,
  VpcPeeringConnectionVpcInfo,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import {
  acceptPeering,
  createPeering,
  deletePeering,
  PENDING_EXPIRES_MS,
  peeringMessage,
  peeringStatus,
  peeringsVisibleTo,
  peeringTagsFor,
  rejectPeering,
  type Viewer,
} from '../model/peering.ts';
import type { PeeringSide, VpcPeeringConnectionState } from '../model/state.ts';
import { describe, renderTags, specTags, viewerOf, withDryRun, worldOf } from './shared.ts';

const NO_OPTIONS = {
  AllowDnsResolutionFromRemoteVpc: false,
  AllowEgressFromLocalClassicLinkToRemoteVpc: false,
  AllowEgressFromLocalVpcToRemoteClassicLink: false,
};

/** A side's VPC info; the accepter's CIDR and both sides' options show once the connection is active. */
function renderSide(side: PeeringSide, active: boolean, showCidr: boolean): VpcPeeringConnectionVpcInfo {
  return {
    OwnerId: side.ownerId,
    VpcId: side.vpcId,
    Region: side.region,
    ...(showCidr && side.cidr && { CidrBlock: side.cidr, CidrBlockSet: [{ CidrBlock: side.cidr }] }),
    ...(active && { PeeringOptions: NO_OPTIONS }),
  };
}

type ShownStatus = VpcPeeringConnectionState['status'] | 'provisioning';

export function renderPeering(
  conn: VpcPeeringConnectionState,
  viewer: Viewer,
  now: number,
  shown?: ShownStatus,
): VpcPeeringConnection {
  const status = peeringStatus(conn, now);
  const active = status === 'active';
  const message =
    shown === 'provisioning'
      ? 'Provisioning'
      : shown === 'initiating-request'
        ? `Initiating Request to ${conn.accepter.ownerId}`
        : peeringMessage(conn, now);
  return {
    VpcPeeringConnectionId: conn.id,
    RequesterVpcInfo: renderSide(conn.requester, active, true),
    AccepterVpcInfo: renderSide(conn.accepter, active, active),
    Status: { Code: shown ?? status, Message: message },
    ...(status === 'pending-acceptance' && {
      ExpirationTime: new Date(conn.statusChangedAt + PENDING_EXPIRES_MS),
    }),
    Tags: renderTags(peeringTagsFor(conn, viewer)) ?? [],
  };
}

/** DescribeVpcPeeringConnections filters (API_DescribeVpcPeeringConnections). */
function peeringFilters(now: number): Accessors<VpcPeeringConnectionState> {
  return {
    'accepter-vpc-info.cidr-block': (c) => (peeringStatus(c, now) === 'active' ? c.accepter.cidr : undefined),
    'accepter-vpc-info.owner-id': (c) => c.accepter.ownerId,
    'accepter-vpc-info.vpc-id': (c) => c.accepter.vpcId,
    'expiration-time': (c) => new Date(c.statusChangedAt + PENDING_EXPIRES_MS).toISOString(),
    'requester-vpc-info.cidr-block': (c) => c.requester.cidr,
    'requester-vpc-info.owner-id': (c) => c.requester.ownerId,
    'requester-vpc-info.vpc-id': (c) => c.requester.vpcId,
    'status-code': (c) => peeringStatus(c, now),
    'status-message': (c) => peeringMessage(c, now),
    'vpc-peering-connection-id': (c) => c.id,
  };
}

export const peeringHandlers = withDryRun({
  CreateVpcPeeringConnection(
    model: Ec2Model,
    input: CreateVpcPeeringConnectionRequest,
    ctx: RequestContext,
  ): CreateVpcPeeringConnectionResult {
    const peerOwnerId = input.PeerOwnerId ?? model.accountId;
    const peerRegion = input.PeerRegion ?? model.region;
    // The peer's model exists only for accounts the twin knows; any other request fails as AWS's would.
    const peerModel = ctx.twin.hasAccount(peerOwnerId)
      ? ctx.twin.model(ctx.service, peerOwnerId, peerRegion)
      : undefined;
    const conn = createPeering(model, peerModel as Ec2Model | undefined, worldOf(ctx), {
      vpcId: input.VpcId,
      peerVpcId: input.PeerVpcId,
      peerOwnerId,
      peerRegion,
      tags: specTags(input, 'vpc-peering-connection'),
      now: ctx.time,
    });
    // The request answers `initiating-request`; describes then read pending-acceptance (or failed).
    const shown = conn.status === 'failed' ? undefined : 'initiating-request';
    return { VpcPeeringConnection: renderPeering(conn, viewerOf(model), ctx.time, shown) };
  },

  AcceptVpcPeeringConnection(
    model: Ec2Model,
    input: AcceptVpcPeeringConnectionRequest,
    ctx: RequestContext,
  ): AcceptVpcPeeringConnectionResult {
    const conn = acceptPeering(worldOf(ctx), viewerOf(model), input.VpcPeeringConnectionId, ctx.time);
    // Accepting answers `provisioning`; the connection is `active` at once after (see LIMITATIONS).
    return { VpcPeeringConnection: renderPeering(conn, viewerOf(model), ctx.time, 'provisioning') };
  },

  RejectVpcPeeringConnection(
    model: Ec2Model,
    input: RejectVpcPeeringConnectionRequest,
    ctx: RequestContext,
  ): RejectVpcPeeringConnectionResult {
    rejectPeering(worldOf(ctx), viewerOf(model), input.VpcPeeringConnectionId, ctx.time);
    return { Return: true };
  },

  DeleteVpcPeeringConnection(
    model: Ec2Model,
    input: DeleteVpcPeeringConnectionRequest,
    ctx: RequestContext,
  ): DeleteVpcPeeringConnectionResult {
    deletePeering(worldOf(ctx), viewerOf(model), input.VpcPeeringConnectionId, ctx.time);
    return { Return: true };
  },

  DescribeVpcPeeringConnections(
    model: Ec2Model,
    input: DescribeVpcPeeringConnectionsRequest,
    ctx: RequestContext,
  ): DescribeVpcPeeringConnectionsResult {
    const viewer = viewerOf(model);
    const visible = peeringsVisibleTo(worldOf(ctx), viewer, ctx.time).map((c) => ({
      conn: c,
      tags: peeringTagsFor(c, viewer),
    }));
    const { page, nextToken } = describe(visible, input, {
      ids: input.VpcPeeringConnectionIds,
      idOf: (v) => v.conn.id,
      missing: (id) => notFoundError('peering', id),
      accessors: Object.fromEntries(
        Object.entries(peeringFilters(ctx.time)).map(([name, get]) => [
          name,
          (v: { conn: VpcPeeringConnectionState }) => get(v.conn),
        ]),
      ),
    });
    return {
      VpcPeeringConnections: page.map((v) => renderPeering(v.conn, viewer, ctx.time)),
      NextToken: nextToken,
    };
  },
});
