import {
  cidrContains,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  lastAddress,
  parseCidr,
  parseIpv4,
} from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation, invalidParameter } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { attachToDefaultNetworkAcl, forgetSubnetNetworkAcl } from './network-acls.ts';
import { forgetSubnetAssociations } from './route-tables.ts';
import type { SubnetState, Tags } from './state.ts';
import { getSubnet, getVpc, vpcCidrs } from './vpc-lookups.ts';

export interface Zone {
  name: string;
  id: string;
}

/** AZ counts where they differ from the usual three. */
const ZONE_COUNTS: Record<string, number> = { 'us-east-1': 6, 'us-west-2': 4, 'ap-northeast-1': 3 };
const COMPASS: Record<string, string> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/**
 * The region's Availability Zones: names `us-east-1a…` and zone ids
 * `use1-az1…` (docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html).
 * AWS maps names to ids per account; the twin maps them alike for all.
 */
export function zonesOf(region: string): Zone[] {
  const [geo = '', direction = '', number = ''] = region.split('-');
  const code = `${geo}${COMPASS[direction] ?? direction.slice(0, 1)}${number}`;
  const count = ZONE_COUNTS[region] ?? 3;
  return Array.from({ length: count }, (_, i) => ({
    name: `${region}${String.fromCharCode(97 + i)}`,
    id: `${code}-az${i + 1}`,
  }));
}

function pickZone(model: Ec2Model, name: string | undefined, id: string | undefined): Zone {
  const zones = zonesOf(model.region);
  if (!name && !id) return zones[model.subnets.size % zones.length]!;
  const zone = zones.find((z) => (!name || z.name === name) && (!id || z.id === id));
  if (zone) return zone;
  const [value, parameter] = name ? [name, 'availabilityZone'] : [id, 'availabilityZoneId'];
  throw invalidParameter(
    `Value (${value}) for parameter ${parameter} is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(', ')}.`,
  );
}

export interface CreateSubnetParams {
  vpcId: string | undefined;
  cidr: string | undefined;
  availabilityZone?: string | undefined;
  availabilityZoneId?: string | undefined;
  tags: Tags;
}

/**
 * CreateSubnet: the block must be /16–/28, inside one of the VPC's associated
 * CIDR blocks (primary or secondary, vpc-cidr-blocks.html#vpc-resize) and clear
 * of its other subnets (docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 * The subnet starts on the VPC's default network ACL and the main route table.
 */
export function createSubnet(model: Ec2Model, p: CreateSubnetParams): SubnetState {
  const vpc = getVpc(model, p.vpcId);
  if (!p.cidr) throw new AwsError('MissingParameter', 'The request must contain the parameter cidrBlock');
  const cidr = parseCidr(p.cidr);
  if (!cidr) {
    throw invalidParameter(
      `Value (${p.cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  }
  const inVpc = vpcCidrs(vpc).some((block) => cidrContains(parseCidr(block)!, cidr));
  if (!cidr.canonical || cidr.prefix < 16 || cidr.prefix > 28 || !inVpc) {
    throw new AwsError('InvalidSubnet.Range', `The CIDR '${p.cidr}' is invalid.`);
  }
  const clash = [...model.subnets.values()].some(
    (s) => s.vpcId === vpc.id && cidrsOverlap(parseCidr(s.cidr)!, cidr),
  );
  if (clash)
    throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${p.cidr}' conflicts with another subnet`);
  const zone = pickZone(model, p.availabilityZone, p.availabilityZoneId);
  const subnet: SubnetState = {
    id: model.newId('subnet'),
    vpcId: vpc.id,
    ownerId: model.accountId,
    cidr: formatCidr(cidr),
    availabilityZone: zone.name,
    availabilityZoneId: zone.id,
    mapPublicIpOnLaunch: false,
    state: 'available',
    tags: p.tags,
  };
  model.subnets.set(subnet.id, subnet);
  attachToDefaultNetworkAcl(model, vpc, subnet.id);
  return subnet;
}

/** What still uses a subnet: interfaces (instances, NAT, endpoints, Lambda, TGW), NAT gateways. */
function subnetInUse(model: Ec2Model, subnetId: string): boolean {
  const has = <T>(m: Map<string, T>, test: (x: T) => boolean) => [...m.values()].some(test);
  return (
    has(model.networkInterfaces, (e) => e.subnetId === subnetId) ||
    has(model.instances, (i) => i.subnetId === subnetId && i.state !== 'terminated') ||
    has(model.natGateways, (n) => n.subnetId === subnetId && n.state !== 'deleted') ||
    has(model.vpcEndpoints, (e) => e.subnetIds.includes(subnetId) && e.state !== 'deleted') ||
    has(model.transitGatewayAttachments, (a) => a.subnetIds.includes(subnetId) && a.state !== 'deleted')
  );
}

/** DeleteSubnet: `DependencyViolation` while anything has an address in it (API_DeleteSubnet). */
export function deleteSubnet(model: Ec2Model, subnetId: string | undefined): void {
  const subnet = getSubnet(model, subnetId);
  if (subnetInUse(model, subnet.id)) {
    throw dependencyViolation(`The subnet '${subnet.id}' has dependencies and cannot be deleted.`);
  }
  forgetSubnetAssociations(model, subnet.id);
  forgetSubnetNetworkAcl(model, subnet.id);
  model.subnets.delete(subnet.id);
}

/** Private addresses taken in a subnet (one per interface). */
function addressesInUse(model: Ec2Model, subnetId: string): Set<string> {
  return new Set(
    [...model.networkInterfaces.values()].filter((e) => e.subnetId === subnetId).map((e) => e.privateIp),
  );
}

/**
 * AvailableIpAddressCount: the block's size less the five addresses AWS
 * reserves (network, router, DNS, future use, broadcast; subnet-sizing.html)
 * less the addresses interfaces hold.
 */
export function availableIpAddressCount(model: Ec2Model, subnet: SubnetState): number {
  return cidrSize(parseCidr(subnet.cidr)!) - 5 - addressesInUse(model, subnet.id).size;
}

/**
 * The next free private address of a subnet (skipping the first four and the
 * last, which AWS reserves), or the `wanted` one once checked: outside the
 * subnet or reserved is `InvalidParameterValue`, taken is `InvalidIPAddress.InUse`.
 *
 * @example allocatePrivateIp(model, subnet.id)            // a free address such as '10.0.1.187'
 * @example allocatePrivateIp(model, subnet.id, '10.0.1.20')
 */
export function allocatePrivateIp(model: Ec2Model, subnetId: string, wanted?: string): string {
  const subnet = getSubnet(model, subnetId);
  const cidr = parseCidr(subnet.cidr)!;
  const first = cidr.base + 4;
  const last = lastAddress(cidr) - 1;
  const used = addressesInUse(model, subnet.id);
  if (wanted !== undefined) {
    const ip = parseIpv4(wanted);
    if (ip === undefined) throw invalidParameter(`Invalid value '${wanted}' for private IP address.`);
    if (ip < cidr.base || ip > lastAddress(cidr)) {
      throw invalidParameter(`Address ${wanted} does not fall within the subnet's address range`);
    }
    if (ip < first || ip > last)
      throw invalidParameter(`Address ${wanted} is in subnet's reserved address range`);
    if (used.has(wanted)) throw new AwsError('InvalidIPAddress.InUse', `Address ${wanted} is in use.`);
    return wanted;
  }
  // AWS hands out an available address from anywhere in the range, not the lowest one; starting the
  // scan at a (deterministic) random point keeps later fixed-address launches (`.10`) free, as in AWS.
  const span = last - first + 1;
  const start = Number.parseInt(model.twin.ids.hex(8), 16) % span;
  for (let i = 0; i < span; i++) {
    const text = formatIpv4(first + ((start + i) % span));
    if (!used.has(text)) return text;
  }
  throw new AwsError(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
  );
}

/** ModifySubnetAttribute MapPublicIpOnLaunch. */
export function setMapPublicIpOnLaunch(model: Ec2Model, subnetId: string | undefined, value: boolean): void {
  getSubnet(model, subnetId).mapPublicIpOnLaunch = value;
}
