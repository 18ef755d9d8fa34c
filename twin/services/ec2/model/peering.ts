import { anyCidrsOverlap } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { PeeringSide, Tags, VpcPeeringConnectionState } from './state.ts';
import { findVpc, sideCidrs, vpcCidrs } from './vpc-lookups.ts';

/**
 * Every EC2 model of the twin (all accounts, all regions). A peering
 * connection lives in its requester's model; the accepter finds it here.
 */
export type World = readonly Ec2Model[];

/** Who is looking: describe, accept and route checks depend on the caller's account and region. */
export interface Viewer {
  accountId: string;
  region: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How long a finished connection stays described, by status and side
 * (docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-lifecycle):
 * pending requests expire after 7 days; failed stays 2 h for the requester;
 * expired 2 days for both; rejected 2 days for the requester, 2 h for the
 * accepter; deleted 2 h for the party that deleted it, 2 days for the other.
 * Within one account, rejected and deleted stay 2 h.
 */
export const PENDING_EXPIRES_MS = 7 * DAY;

/** The status as of `now`: a pending request past its 7 days reads `expired`. */
export function peeringStatus(
  conn: VpcPeeringConnectionState,
  now: number,
): VpcPeeringConnectionState['status'] {
  if (conn.status === 'pending-acceptance' && now >= conn.statusChangedAt + PENDING_EXPIRES_MS)
    return 'expired';
  return conn.status;
}

function isSide(side: PeeringSide, viewer: Viewer): boolean {
  return side.ownerId === viewer.accountId && side.region === viewer.region;
}

function visibleFor(conn: VpcPeeringConnectionState, viewer: Viewer, now: number): number {
  const status = peeringStatus(conn, now);
  const requester = isSide(conn.requester, viewer);
  const sameAccount = conn.requester.ownerId === conn.accepter.ownerId;
  if (status === 'expired') return conn.statusChangedAt + PENDING_EXPIRES_MS + 2 * DAY;
  if (status === 'failed') return requester ? conn.statusChangedAt + 2 * HOUR : -1;
  if (status === 'rejected') return conn.statusChangedAt + (requester && !sameAccount ? 2 * DAY : 2 * HOUR);
  if (status === 'deleted') {
    const deleter = sameAccount || conn.statusChangedBy === viewer.accountId;
    return conn.statusChangedAt + (deleter ? 2 * HOUR : 2 * DAY);
  }
  return Number.POSITIVE_INFINITY;
}

/** True when `viewer` (owner of one side, in that side's region) still sees the connection. */
export function peeringVisibleTo(conn: VpcPeeringConnectionState, viewer: Viewer, now: number): boolean {
  if (!isSide(conn.requester, viewer) && !isSide(conn.accepter, viewer)) return false;
  return now < visibleFor(conn, viewer, now);
}

/** Every connection in the twin, requester's model first. */
export function allPeerings(world: World): VpcPeeringConnectionState[] {
  return world.flatMap((m) => [...m.peeringConnections.values()]);
}

/** The connections `viewer` can describe. */
export function peeringsVisibleTo(world: World, viewer: Viewer, now: number): VpcPeeringConnectionState[] {
  return allPeerings(world).filter((c) => peeringVisibleTo(c, viewer, now));
}

/** A connection `viewer` can see, or `InvalidVpcPeeringConnectionID.NotFound`. */
export function getPeering(
  world: World,
  viewer: Viewer,
  id: string | undefined,
  now: number,
): VpcPeeringConnectionState {
  const conn = allPeerings(world).find((c) => c.id === id);
  if (!conn || !peeringVisibleTo(conn, viewer, now)) throw notFoundError('peering', id ?? '');
  return conn;
}

/** The status message AWS pairs with each code. */
export function peeringMessage(conn: VpcPeeringConnectionState, now: number): string {
  const status = peeringStatus(conn, now);
  switch (status) {
    case 'initiating-request':
      return `Initiating Request to ${conn.accepter.ownerId}`;
    case 'pending-acceptance':
      return `Pending Acceptance by ${conn.accepter.ownerId}`;
    case 'active':
      return 'Active';
    case 'rejected':
      return `Rejected by ${conn.accepter.ownerId}`;
    case 'deleted':
      return `Deleted by ${conn.statusChangedBy ?? conn.requester.ownerId}`;
    case 'failed':
      return 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range';
    case 'expired':
      return 'Expired';
    default:
      return status;
  }
}

function live(conn: VpcPeeringConnectionState, now: number): boolean {
  const status = peeringStatus(conn, now);
  return status === 'active' || status === 'pending-acceptance';
}

export interface CreatePeeringParams {
  vpcId: string | undefined;
  peerVpcId: string | undefined;
  peerOwnerId: string;
  peerRegion: string;
  tags: Tags;
  now: number;
}

/**
 * Requests a connection. As in AWS (API_CreateVpcPeeringConnection), a
 * request to a VPC that does not exist, or whose CIDR overlaps, is created
 * all the same and lands in `failed`; the accepter must accept even within
 * one account.
 */
export function createPeering(
  model: Ec2Model,
  peerModel: Ec2Model | undefined,
  world: World,
  p: CreatePeeringParams,
): VpcPeeringConnectionState {
  if (!p.peerVpcId)
    throw new AwsError('MissingParameter', 'The request must contain the parameter peerVpcId');
  const vpc = model.vpcs.get(p.vpcId ?? '');
  if (!vpc) throw notFoundError('vpc', p.vpcId ?? '');
  const peerVpc = peerModel?.vpcs.get(p.peerVpcId);
  const duplicate = allPeerings(world).find(
    (c) =>
      live(c, p.now) &&
      [c.requester.vpcId, c.accepter.vpcId].sort().join() === [vpc.id, p.peerVpcId].sort().join(),
  );
  if (duplicate) {
    throw new AwsError(
      'VpcPeeringConnectionAlreadyExists',
      `A VPC peering connection ${duplicate.id} between the VPCs already exists.`,
    );
  }
  // Any overlap between the two VPCs' blocks, secondaries included, fails the request.
  const failed = !peerVpc || peerVpc.id === vpc.id || anyCidrsOverlap(vpcCidrs(vpc), vpcCidrs(peerVpc));
  const conn: VpcPeeringConnectionState = {
    id: model.newId('pcx'),
    requester: { ownerId: vpc.ownerId, vpcId: vpc.id, region: vpc.region, cidr: vpc.cidr },
    accepter: { ownerId: p.peerOwnerId, vpcId: p.peerVpcId, region: p.peerRegion, cidr: peerVpc?.cidr ?? '' },
    status: failed ? 'failed' : 'pending-acceptance',
    statusChangedAt: p.now,
    statusChangedBy: model.accountId,
    tags: p.tags,
  };
  model.peeringConnections.set(conn.id, conn);
  return conn;
}

function invalidTransition(conn: VpcPeeringConnectionState, to: string, now: number): AwsError {
  return new AwsError(
    'InvalidStateTransition',
    `Invalid state transition for ${conn.id}, attempted to transition from ${peeringStatus(conn, now)} to ${to}`,
  );
}

/** Accept or reject: only the accepter's account, in the accepter's region, while pending. */
function answerPeering(
  world: World,
  viewer: Viewer,
  id: string | undefined,
  now: number,
  verb: 'accept' | 'reject',
) {
  const conn = getPeering(world, viewer, id, now);
  if (conn.accepter.ownerId !== viewer.accountId) {
    throw new AwsError(
      'OperationNotPermitted',
      `User (${viewer.accountId}) cannot ${verb} peering ${conn.id}`,
    );
  }
  if (conn.accepter.region !== viewer.region) {
    throw new AwsError(
      'OperationNotPermitted',
      `Incorrect region (${viewer.region}) specified for this request. VPC peering connection ${conn.id} must be accepted or rejected in region ${conn.accepter.region}`,
    );
  }
  if (peeringStatus(conn, now) !== 'pending-acceptance') {
    throw invalidTransition(conn, verb === 'accept' ? 'active' : 'rejected', now);
  }
  return conn;
}

/** AcceptVpcPeeringConnection; the accepter VPC's CIDR is recorded as it is now. */
export function acceptPeering(
  world: World,
  viewer: Viewer,
  id: string | undefined,
  now: number,
): VpcPeeringConnectionState {
  const conn = answerPeering(world, viewer, id, now, 'accept');
  const accepterVpc = findVpc(world, conn.accepter);
  // A block either side associated meanwhile that overlaps the other fails the request (vpc-cidr-blocks.html#vpc-resize).
  if (!accepterVpc || anyCidrsOverlap(vpcCidrs(accepterVpc), sideCidrs(world, conn.requester))) {
    Object.assign(conn, { status: 'failed', statusChangedAt: now, statusChangedBy: viewer.accountId });
    throw invalidTransition(conn, 'active', now);
  }
  Object.assign(conn, { status: 'active', statusChangedAt: now, statusChangedBy: viewer.accountId });
  conn.accepter.cidr = accepterVpc.cidr;
  return conn;
}

export function rejectPeering(
  world: World,
  viewer: Viewer,
  id: string | undefined,
  now: number,
): VpcPeeringConnectionState {
  const conn = answerPeering(world, viewer, id, now, 'reject');
  Object.assign(conn, { status: 'rejected', statusChangedAt: now, statusChangedBy: viewer.accountId });
  return conn;
}

/**
 * DeleteVpcPeeringConnection: either owner while active, only the requester
 * while pending; failed, rejected and expired connections cannot be deleted.
 */
export function deletePeering(world: World, viewer: Viewer, id: string | undefined, now: number): void {
  const conn = getPeering(world, viewer, id, now);
  const status = peeringStatus(conn, now);
  const requester = conn.requester.ownerId === viewer.accountId && conn.requester.region === viewer.region;
  if (status === 'pending-acceptance' && !requester) throw invalidTransition(conn, 'deleted', now);
  if (status !== 'active' && status !== 'pending-acceptance') throw invalidTransition(conn, 'deleted', now);
  Object.assign(conn, { status: 'deleted', statusChangedAt: now, statusChangedBy: viewer.accountId });
}

/**
 * A pending request from another account to this VPC: AWS will not delete
 * the VPC until the request is rejected (delete-vpc-peering-connection.html).
 */
export function pendingRequestTo(world: World, vpcId: string, ownerId: string, now: number): boolean {
  return allPeerings(world).some(
    (c) =>
      c.accepter.vpcId === vpcId &&
      c.requester.ownerId !== ownerId &&
      peeringStatus(c, now) === 'pending-acceptance',
  );
}

/** Deleting a VPC deletes its live connections with it. */
export function markVpcPeeringsDeleted(world: World, model: Ec2Model, vpcId: string, now: number): void {
  for (const conn of allPeerings(world)) {
    if ((conn.requester.vpcId === vpcId || conn.accepter.vpcId === vpcId) && live(conn, now)) {
      Object.assign(conn, { status: 'deleted', statusChangedAt: now, statusChangedBy: model.accountId });
    }
  }
}

/** True when the connection joins `vpcId` to something and is active now. */
export function peeringActiveFor(world: World, id: string, vpcId: string, now: number): boolean {
  const conn = allPeerings(world).find((c) => c.id === id);
  if (!conn || peeringStatus(conn, now) !== 'active') return false;
  return conn.requester.vpcId === vpcId || conn.accepter.vpcId === vpcId;
}

/** True when an active connection joins the two VPCs (security group references need one across VPCs). */
export function peeringActiveBetween(world: World, vpcA: string, vpcB: string): boolean {
  return allPeerings(world).some(
    (c) =>
      c.status === 'active' &&
      ((c.requester.vpcId === vpcA && c.accepter.vpcId === vpcB) ||
        (c.requester.vpcId === vpcB && c.accepter.vpcId === vpcA)),
  );
}

/**
 * The tag set `viewer` reads and writes: "tags that you create for your VPC
 * peering connection are only applied in the account or Region in which you
 * create them" (vpc-peering-basics.html#vpc-peering-limitations).
 */
export function peeringTagsFor(conn: VpcPeeringConnectionState, viewer: Viewer): Tags {
  if (isSide(conn.requester, viewer)) return conn.tags;
  conn.accepterTags ??= {};
  return conn.accepterTags;
}
