import { formatIpv4, parseIpv4 } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation, invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { World } from './peering.ts';
import { forgetGatewayAssociations } from './route-tables.ts';
import type { ElasticIpState, InternetGatewayState, NatGatewayState, SubnetState, Tags } from './state.ts';
import { allocatePrivateIp } from './subnets.ts';
import { getSubnet, getVpc } from './vpc-lookups.ts';

// ── Internet gateways ────────────────────────────────────────────────────

/** The internet gateway, or `InvalidInternetGatewayID.NotFound`. */
export function getInternetGateway(model: Ec2Model, id: string | undefined): InternetGatewayState {
  const igw = id ? model.internetGateways.get(id) : undefined;
  if (!igw) throw notFoundError('internetGateway', id ?? '');
  return igw;
}

export function createInternetGateway(model: Ec2Model, tags: Tags): InternetGatewayState {
  const igw: InternetGatewayState = {
    id: model.newId('igw'),
    ownerId: model.accountId,
    attachments: [],
    tags,
  };
  model.internetGateways.set(igw.id, igw);
  return igw;
}

/** AttachInternetGateway: one gateway per VPC, one VPC per gateway (API_AttachInternetGateway). */
export function attachInternetGateway(
  model: Ec2Model,
  igwId: string | undefined,
  vpcId: string | undefined,
): void {
  const igw = getInternetGateway(model, igwId);
  const vpc = getVpc(model, vpcId);
  const current = igw.attachments[0];
  if (current) {
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `resource ${igw.id} is already attached to network ${current.vpcId}`,
    );
  }
  if ([...model.internetGateways.values()].some((g) => g.attachments.some((a) => a.vpcId === vpc.id))) {
    throw invalidParameter(`Network ${vpc.id} already has an internet gateway attached`);
  }
  igw.attachments.push({ vpcId: vpc.id, state: 'attached' });
}

/** Public addresses mapped in a VPC: AWS keeps the gateway attached while any remain. */
function hasPublicAddresses(model: Ec2Model, vpcId: string): boolean {
  return [...model.networkInterfaces.values()].some((e) => e.vpcId === vpcId && e.publicIp);
}

/**
 * DetachInternetGateway: `Gateway.NotAttached` for another VPC, and
 * `DependencyViolation` while the VPC still has public addresses mapped.
 */
export function detachInternetGateway(
  model: Ec2Model,
  igwId: string | undefined,
  vpcId: string | undefined,
): void {
  const igw = getInternetGateway(model, igwId);
  const vpc = getVpc(model, vpcId);
  if (!igw.attachments.some((a) => a.vpcId === vpc.id)) {
    throw new AwsError('Gateway.NotAttached', `resource ${igw.id} is not attached to network ${vpc.id}`);
  }
  if (hasPublicAddresses(model, vpc.id)) {
    throw dependencyViolation(
      `Network ${vpc.id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    );
  }
  igw.attachments = igw.attachments.filter((a) => a.vpcId !== vpc.id);
  forgetGatewayAssociations(model, igw.id);
}

export function deleteInternetGateway(model: Ec2Model, igwId: string | undefined): void {
  const igw = getInternetGateway(model, igwId);
  if (igw.attachments.length) {
    throw dependencyViolation(`The internetGateway '${igw.id}' has dependencies and cannot be deleted.`);
  }
  model.internetGateways.delete(igw.id);
}

// ── Elastic IP addresses ─────────────────────────────────────────────────

/**
 * Public addresses come from the documentation ranges of RFC 5737
 * (203.0.113.0/24, then 198.51.100.0/24): unique across the twin,
 * deterministic, and never anyone's real host.
 */
const PUBLIC_POOLS = ['203.0.113.0', '198.51.100.0'].map((base) => parseIpv4(base)!);

/**
 * The next public address no Elastic IP, interface or NAT gateway of any
 * account holds. Instances given a public address at launch use it too.
 */
export function allocatePublicIp(world: World): string {
  const used = new Set(
    world.flatMap((m) => [
      ...[...m.elasticIps.values()].map((e) => e.publicIp),
      ...[...m.networkInterfaces.values()].map((e) => e.publicIp),
      ...[...m.instances.values()].map((i) => i.publicIp),
    ]),
  );
  for (const base of PUBLIC_POOLS) {
    for (let host = 1; host < 255; host++) {
      const ip = formatIpv4(base + host);
      if (!used.has(ip)) return ip;
    }
  }
  throw new AwsError('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
}

export function allocateAddress(model: Ec2Model, world: World, tags: Tags): ElasticIpState {
  const eip: ElasticIpState = {
    allocationId: model.newId('eipalloc'),
    publicIp: allocatePublicIp(world),
    tags,
  };
  model.elasticIps.set(eip.allocationId, eip);
  return eip;
}

/** The Elastic IP by allocation id or public address. */
export function getAddress(
  model: Ec2Model,
  allocationId: string | undefined,
  publicIp?: string | undefined,
): ElasticIpState {
  if (allocationId) {
    const eip = model.elasticIps.get(allocationId);
    if (!eip) throw notFoundError('allocation', allocationId);
    return eip;
  }
  const eip = [...model.elasticIps.values()].find((e) => e.publicIp === publicIp);
  if (!eip) throw new AwsError('InvalidAddress.NotFound', `Address '${publicIp ?? ''}' not found.`);
  return eip;
}

/** ReleaseAddress: not while it is associated (with an instance, an interface or a NAT gateway). */
export function releaseAddress(
  model: Ec2Model,
  allocationId: string | undefined,
  publicIp: string | undefined,
): void {
  const eip = getAddress(model, allocationId, publicIp);
  if (eip.associationId) throw new AwsError('InvalidIPAddress.InUse', `Address ${eip.publicIp} is in use.`);
  model.elasticIps.delete(eip.allocationId);
}

// ── NAT gateways ─────────────────────────────────────────────────────────

/** A deleted NAT gateway stays described for about an hour (nat-gateway-working-with.html). */
const DELETED_VISIBLE_MS = 3_600_000;

export function natGatewayVisible(nat: NatGatewayState, now: number): boolean {
  return nat.state !== 'deleted' || now < (nat.deleteTime ?? 0) + DELETED_VISIBLE_MS;
}

export function getNatGateway(model: Ec2Model, id: string | undefined, now: number): NatGatewayState {
  const nat = id ? model.natGateways.get(id) : undefined;
  if (!nat || !natGatewayVisible(nat, now)) throw notFoundError('natGateway', id ?? '');
  return nat;
}

export interface CreateNatParams {
  subnetId: string | undefined;
  allocationId: string | undefined;
  connectivityType: string | undefined;
  privateIp: string | undefined;
  tags: Tags;
  now: number;
}

function eipForNat(model: Ec2Model, p: CreateNatParams): ElasticIpState | undefined {
  if (p.connectivityType === 'private') {
    if (p.allocationId) throw invalidParameter('Private NAT gateways do not take an Elastic IP address.');
    return undefined;
  }
  // A public NAT gateway needs an Elastic IP (API_CreateNatGateway, AllocationId).
  if (!p.allocationId)
    throw new AwsError('MissingParameter', 'The request must contain the parameter AllocationId');
  const eip = getAddress(model, p.allocationId);
  if (eip.associationId) {
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `Elastic IP address [${eip.allocationId}] is already associated`,
    );
  }
  return eip;
}

/** The requester-managed interface a NAT gateway places in its subnet. */
function natInterface(
  model: Ec2Model,
  subnet: SubnetState,
  natId: string,
  privateIp: string,
  eip: ElasticIpState | undefined,
): string {
  const eniId = model.newId('eni');
  model.networkInterfaces.set(eniId, {
    id: eniId,
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    ownerId: model.accountId,
    availabilityZone: subnet.availabilityZone,
    privateIp,
    ...(eip && { publicIp: eip.publicIp }),
    securityGroupIds: [],
    interfaceType: 'nat_gateway',
    status: 'in-use',
    description: `Interface for NAT Gateway ${natId}`,
    requesterManaged: true,
    sourceDestCheck: false,
    tags: {},
  });
  if (eip) Object.assign(eip, { associationId: model.newId('eipassoc'), networkInterfaceId: eniId });
  return eniId;
}

/**
 * CreateNatGateway: places a requester-managed `nat_gateway` interface in
 * the subnet and associates the Elastic IP with it.
 */
export function createNatGateway(model: Ec2Model, p: CreateNatParams): NatGatewayState {
  const subnet = getSubnet(model, p.subnetId);
  if (p.connectivityType && p.connectivityType !== 'public' && p.connectivityType !== 'private') {
    throw invalidParameter(`Value (${p.connectivityType}) for parameter connectivityType is invalid.`);
  }
  const eip = eipForNat(model, p);
  const id = model.newId('nat');
  const privateIp = allocatePrivateIp(model, subnet.id, p.privateIp);
  const nat: NatGatewayState = {
    id,
    vpcId: subnet.vpcId,
    subnetId: subnet.id,
    connectivityType: p.connectivityType === 'private' ? 'private' : 'public',
    // Available at once: the twin has no NAT provisioning delay (see LIMITATIONS).
    state: 'available',
    networkInterfaceId: natInterface(model, subnet, id, privateIp, eip),
    privateIp,
    ...(eip && { publicIp: eip.publicIp, allocationId: eip.allocationId }),
    createTime: p.now,
    tags: p.tags,
  };
  model.natGateways.set(id, nat);
  return nat;
}

/** DeleteNatGateway: releases its interface and Elastic IP association; stays `deleted` for an hour. */
export function deleteNatGateway(model: Ec2Model, id: string | undefined, now: number): NatGatewayState {
  const nat = getNatGateway(model, id, now);
  if (nat.state === 'deleted') return nat;
  model.networkInterfaces.delete(nat.networkInterfaceId);
  for (const eip of model.elasticIps.values()) {
    if (eip.networkInterfaceId === nat.networkInterfaceId) {
      delete eip.associationId;
      delete eip.networkInterfaceId;
    }
  }
  nat.state = 'deleted';
  nat.deleteTime = now;
  return nat;
}
