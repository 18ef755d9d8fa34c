import {
  anyCidrsOverlap,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  parseCidr,
} from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Ec2Model } from './index.ts';
import { allPeerings, peeringStatus, type World } from './peering.ts';
import type { VpcCidrAssociationState, VpcState } from './state.ts';
import { getVpc, sideCidrs, vpcCidrs } from './vpc-lookups.ts';
import { vpcBlock } from './vpcs.ts';

/**
 * Secondary IPv4 CIDR blocks (AssociateVpcCidrBlock / DisassociateVpcCidrBlock),
 * after docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html ("Manage
 * IPv4 CIDR blocks for a VPC" and "IPv4 CIDR block association restrictions")
 * and modify-vpcs.html ("Add / Remove an IPv4 CIDR block").
 */

/** "Your VPC can have up to five IPv4 CIDR blocks by default" (modify-vpcs.html#add-ipv4-cidr), the primary included. */
export const MAX_IPV4_CIDRS = 5;

/** A disassociated block stays in CidrBlockAssociationSet for about an hour before it drops out. */
export const DISASSOCIATED_VISIBLE_MS = 60 * 60_000;

/** The primary block's association id, stable for the VPC (it is never re-made). */
export function primaryAssociationId(vpc: VpcState): string {
  return `vpc-cidr-assoc-${vpc.id.slice(4)}`;
}

/** The association set DescribeVpcs shows at `now`: the primary, then secondaries not yet aged out. */
export function visibleCidrAssociations(vpc: VpcState, now: number): VpcCidrAssociationState[] {
  const primary: VpcCidrAssociationState = {
    id: primaryAssociationId(vpc),
    cidr: vpc.cidr,
    state: 'associated',
  };
  const shown = (vpc.secondaryCidrs ?? []).filter(
    (a) => a.state === 'associated' || now < (a.disassociatedAt ?? 0) + DISASSOCIATED_VISIBLE_MS,
  );
  return [primary, ...shown];
}

const range = (text: string): Cidr => parseCidr(text)!;
const TEN = range('10.0.0.0/8');
const ONE72 = range('172.16.0.0/12');
const RFC1918 = [TEN, ONE72, range('192.168.0.0/16')];
const BENCHMARK = range('198.19.0.0/16');

/**
 * The "IPv4 CIDR block association restrictions" table, by the range the
 * primary block lies in: each RFC 1918 range refuses the other two (and
 * 198.19.0.0/16; 172.16.0.0/12 also refuses 172.31.0.0/16); 198.19.0.0/16
 * refuses RFC 1918; a public or 100.64.0.0/10 primary refuses RFC 1918 and
 * 198.19.0.0/16. Link-local 169.254.0.0/16 is never assignable.
 */
function refusedRanges(primary: Cidr): Cidr[] {
  const home = RFC1918.find((r) => cidrContains(r, primary));
  const others = RFC1918.filter((r) => r !== home);
  if (home) return [...others, BENCHMARK, ...(home === ONE72 ? [range('172.31.0.0/16')] : [])];
  if (cidrContains(BENCHMARK, primary)) return RFC1918;
  return [...RFC1918, BENCHMARK];
}

function restricted(vpc: VpcState, cidr: Cidr): boolean {
  if (cidrsOverlap(cidr, range('169.254.0.0/16'))) return true;
  if (refusedRanges(range(vpc.cidr)).some((r) => cidrsOverlap(r, cidr))) return true;
  // "If any of the CIDR blocks associated with the VPC are from the 10.0.0.0/15
  // range …, you cannot add a CIDR block from the 10.0.0.0/16 range."
  const inTen15 = vpcCidrs(vpc).some((c) => cidrContains(range('10.0.0.0/15'), range(c)));
  return inTen15 && cidrsOverlap(cidr, range('10.0.0.0/16'));
}

function rangeError(message: string): AwsError {
  return new AwsError('InvalidVpc.Range', message);
}

/** A route of the VPC's tables the new block would swallow: it must not be "the same or larger" than one. */
function swallowedRoute(model: Ec2Model, vpc: VpcState, cidr: Cidr) {
  for (const table of model.routeTables.values()) {
    if (table.vpcId !== vpc.id) continue;
    const route = table.routes.find(
      (r) => r.target.kind !== 'local' && r.destinationCidr && cidrContains(cidr, range(r.destinationCidr)),
    );
    if (route) return { table, route };
  }
  return undefined;
}

/**
 * A VPC in a peering connection: while a request it made is pending, it takes
 * no new block at all; while a connection is active, no block that overlaps
 * the peer's (vpc-cidr-blocks.html#vpc-resize).
 */
function checkPeerings(world: World, vpc: VpcState, text: string, now: number): void {
  for (const conn of allPeerings(world)) {
    const status = peeringStatus(conn, now);
    if (status === 'pending-acceptance' && conn.requester.vpcId === vpc.id) {
      throw new AwsError(
        'OperationNotPermitted',
        `The vpc ${vpc.id} has a pending VPC peering connection request ${conn.id}; a CIDR block cannot be added until it is accepted or deleted.`,
      );
    }
    const peer =
      conn.requester.vpcId === vpc.id
        ? conn.accepter
        : conn.accepter.vpcId === vpc.id
          ? conn.requester
          : undefined;
    if (status !== 'active' || !peer) continue;
    if (anyCidrsOverlap([text], sideCidrs(world, peer))) {
      throw rangeError(
        `The CIDR '${text}' overlaps with a CIDR block of ${peer.vpcId}, peered through ${conn.id}.`,
      );
    }
  }
}

/**
 * AssociateVpcCidrBlock (IPv4): checks the rules of vpc-cidr-blocks.html#vpc-resize
 * in turn, then associates the block and adds its `local` route to every route
 * table of the VPC ("a route is automatically added to your VPC route tables").
 */
export function associateVpcCidrBlock(
  model: Ec2Model,
  world: World,
  p: { vpcId: string | undefined; cidr: string | undefined; now: number },
): VpcCidrAssociationState {
  const vpc = getVpc(model, p.vpcId);
  const cidr = vpcBlock(
    p.cidr,
    'Either cidrBlock, ipv4IpamPoolId, amazonProvidedIpv6CidrBlock or ipv6Pool must be specified.',
  );
  const text = formatCidr(cidr);
  const current = vpcCidrs(vpc);
  if (current.length >= MAX_IPV4_CIDRS) {
    throw new AwsError(
      'CidrLimitExceeded',
      `This network '${vpc.id}' has met its maximum number of allowed CIDRs: ${MAX_IPV4_CIDRS}`,
    );
  }
  if (anyCidrsOverlap([text], current))
    throw rangeError(`The CIDR '${text}' conflicts with another CIDR block of the VPC ${vpc.id}.`);
  if (restricted(vpc, cidr)) {
    throw rangeError(
      `The CIDR '${text}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR. For additional restrictions, see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html`,
    );
  }
  const swallowed = swallowedRoute(model, vpc, cidr);
  if (swallowed) {
    throw rangeError(
      `The CIDR '${text}' is the same as or larger than the route ${swallowed.route.destinationCidr} in route table ${swallowed.table.id}.`,
    );
  }
  checkPeerings(world, vpc, text, p.now);
  const association: VpcCidrAssociationState = {
    id: model.newId('vpc-cidr-assoc'),
    cidr: text,
    state: 'associated',
  };
  vpc.secondaryCidrs = [...(vpc.secondaryCidrs ?? []), association];
  for (const table of model.routeTables.values()) {
    if (table.vpcId === vpc.id)
      table.routes.push({ destinationCidr: text, target: { kind: 'local' }, origin: 'CreateRouteTable' });
  }
  return association;
}

/**
 * DisassociateVpcCidrBlock (IPv4): never the primary block, and only once no
 * subnet lies in the block ("You must first delete all subnets in the CIDR
 * block", modify-vpcs.html#remove-ipv4-cidr). Its `local` routes go with it.
 */
export function disassociateVpcCidrBlock(
  model: Ec2Model,
  associationId: string | undefined,
  now: number,
): { vpc: VpcState; association: VpcCidrAssociationState } {
  for (const vpc of model.vpcs.values()) {
    if (primaryAssociationId(vpc) === associationId) {
      throw new AwsError(
        'OperationNotPermitted',
        `The vpc CIDR block with association ID ${associationId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`,
      );
    }
    const association = vpc.secondaryCidrs?.find((a) => a.id === associationId && a.state === 'associated');
    if (!association) continue;
    const block = range(association.cidr);
    if ([...model.subnets.values()].some((s) => s.vpcId === vpc.id && cidrContains(block, range(s.cidr)))) {
      throw new AwsError(
        'InvalidCidrBlock.InUse',
        `The vpc ${vpc.id} currently has a subnet within CIDR block ${association.cidr}`,
      );
    }
    Object.assign(association, { state: 'disassociated', disassociatedAt: now });
    for (const table of model.routeTables.values()) {
      if (table.vpcId !== vpc.id) continue;
      table.routes = table.routes.filter(
        (r) => !(r.target.kind === 'local' && r.destinationCidr === association.cidr),
      );
    }
    return { vpc, association };
  }
  throw new AwsError(
    'InvalidVpcCidrBlockAssociationID.NotFound',
    `The vpc CIDR block association ID '${associationId ?? ''}' does not exist`,
  );
}
