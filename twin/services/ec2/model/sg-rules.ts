import { isIPv6 } from 'node:net';
import { formatCidr, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { invalidParameter } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { peeringActiveBetween, type World } from './peering.ts';
import type { SecurityGroupRuleState, SecurityGroupState } from './state.ts';

/** An IpPermission as the SDK sends it (ingress and egress alike). */
export interface PermissionInput {
  IpProtocol?: string | undefined;
  FromPort?: number | undefined;
  ToPort?: number | undefined;
  IpRanges?: { CidrIp?: string | undefined; Description?: string | undefined }[] | undefined;
  Ipv6Ranges?: { CidrIpv6?: string | undefined; Description?: string | undefined }[] | undefined;
  PrefixListIds?: { PrefixListId?: string | undefined; Description?: string | undefined }[] | undefined;
  UserIdGroupPairs?:
    | {
        GroupId?: string | undefined;
        GroupName?: string | undefined;
        UserId?: string | undefined;
        Description?: string | undefined;
      }[]
    | undefined;
}

export type RuleDraft = Omit<SecurityGroupRuleState, 'id'>;

const PROTOCOL_NAMES: Record<string, string> = {
  '-1': '-1',
  all: '-1',
  '6': 'tcp',
  tcp: 'tcp',
  '17': 'udp',
  udp: 'udp',
  '1': 'icmp',
  icmp: 'icmp',
  '58': 'icmpv6',
  icmpv6: 'icmpv6',
};

/**
 * AWS stores tcp, udp, icmp and icmpv6 by name whether given by name or
 * number, and `-1` for all protocols (API_IpPermission: "Use -1 to specify
 * all protocols … [you can] specify a protocol number").
 */
export function sgProtocol(value: string | undefined): string {
  if (value === undefined)
    throw new AwsError('MissingParameter', 'The request must contain the parameter ipProtocol');
  const text = (value ?? '').toLowerCase();
  const known = PROTOCOL_NAMES[text];
  if (known) return known;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return String(Number(text));
  throw invalidParameter(`Invalid value '${value ?? ''}' for IP protocol. Unknown protocol.`);
}

/**
 * Port bounds as AWS keeps them: all protocols and protocols other than
 * tcp/udp/icmp carry -1/-1 ("traffic on all ports is allowed, regardless of
 * any ports you specify"); tcp/udp without ports, or with -1, mean 0–65535;
 * ICMP keeps type/code with -1 meaning all.
 */
function portsOf(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (protocol === 'tcp' || protocol === 'udp') {
    if ((from === undefined || from === -1) && (to === undefined || to === -1)) return [0, 65535];
    const [f, t] = [from ?? to!, to ?? from!];
    if (f < 0 || t > 65535 || f > t)
      throw invalidParameter(`Invalid value for portRange. Must specify a valid port range ${f}-${t}.`);
    return [f, t];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const [f, t] = [from ?? -1, to ?? -1];
    if (f < -1 || f > 255 || t < -1 || t > 255)
      throw invalidParameter(`Invalid ICMP type or code ${f}/${t}.`);
    return [f, t];
  }
  return [-1, -1];
}

function findGroup(
  world: World,
  model: Ec2Model,
  groupId: string,
  userId: string | undefined,
): SecurityGroupState | undefined {
  if (!userId || userId === model.accountId) return model.securityGroups.get(groupId);
  return world.find((m) => m.accountId === userId && m.region === model.region)?.securityGroups.get(groupId);
}

/**
 * The group a rule refers to must exist and sit in the same VPC or in a VPC
 * peered with it ("You have specified two resources that belong to different
 * networks." otherwise).
 */
function referencedGroup(
  model: Ec2Model,
  world: World,
  group: SecurityGroupState,
  pair: NonNullable<PermissionInput['UserIdGroupPairs']>[number],
): string {
  if (!pair.GroupId) {
    throw new AwsError(
      'InvalidGroup.NotFound',
      `The security group '${pair.GroupName ?? ''}' does not exist in default VPC 'none'`,
    );
  }
  const other = findGroup(world, model, pair.GroupId, pair.UserId);
  if (!other)
    throw new AwsError('InvalidGroup.NotFound', `The security group '${pair.GroupId}' does not exist`);
  if (other.vpcId !== group.vpcId && !peeringActiveBetween(world, other.vpcId, group.vpcId)) {
    throw new AwsError(
      'InvalidGroup.NotFound',
      'You have specified two resources that belong to different networks.',
    );
  }
  return other.id;
}

/** One draft rule per source (CIDR, group or prefix list) of a permission. */
export function ruleFrom(
  model: Ec2Model,
  world: World,
  group: SecurityGroupState,
  egress: boolean,
  p: PermissionInput,
): RuleDraft[] {
  const protocol = sgProtocol(p.IpProtocol);
  const [fromPort, toPort] = portsOf(protocol, p.FromPort, p.ToPort);
  const base = { groupId: group.id, egress, protocol, fromPort, toPort };
  const withDescription = (d: string | undefined) => (d ? { description: d } : {});
  const cidrs = (p.IpRanges ?? []).map((r) => {
    const cidr = parseCidr(r.CidrIp);
    if (!cidr) throw invalidParameter(`CIDR block ${r.CidrIp ?? ''} is malformed`);
    return { ...base, cidrIpv4: formatCidr(cidr), ...withDescription(r.Description) };
  });
  const cidrs6 = (p.Ipv6Ranges ?? []).map((r) => {
    const cidr = parseCidrIpv6(r.CidrIpv6);
    if (!cidr) throw invalidParameter(`CIDR block ${r.CidrIpv6 ?? ''} is malformed`);
    return { ...base, cidrIpv6: cidr, ...withDescription(r.Description) };
  });
  const groups = (p.UserIdGroupPairs ?? []).map((pair) => ({
    ...base,
    referencedGroupId: referencedGroup(model, world, group, pair),
    ...withDescription(pair.Description),
  }));
  const lists = (p.PrefixListIds ?? []).map((l) => {
    if (!l.PrefixListId)
      throw new AwsError('MissingParameter', 'The request must contain the parameter prefixListId');
    return { ...base, prefixListId: l.PrefixListId, ...withDescription(l.Description) };
  });
  return [...cidrs, ...cidrs6, ...groups, ...lists];
}

/**
 * An IPv6 CIDR as EC2 keeps it (lower case). EC2 accepts IPv6 rules in any
 * VPC, with or without an IPv6 block (security-group-rules.html: a source
 * may be "a single IPv6 address or range"); the twin's networks carry no
 * IPv6, so such a rule admits nothing it models.
 */
function parseCidrIpv6(text: string | undefined): string | undefined {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(text ?? '');
  if (!m || !isIPv6(m[1]!) || Number(m[2]) > 128) return undefined;
  return `${m[1]!.toLowerCase()}/${Number(m[2])}`;
}

/** Same protocol, ports and source; descriptions do not count (API_RevokeSecurityGroupIngress). */
export function sameRule(a: RuleDraft, b: RuleDraft): boolean {
  return (
    a.egress === b.egress &&
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.cidrIpv4 === b.cidrIpv4 &&
    a.cidrIpv6 === b.cidrIpv6 &&
    a.referencedGroupId === b.referencedGroupId &&
    a.prefixListId === b.prefixListId
  );
}

/** The rule as EC2 words it in `InvalidPermission.Duplicate`. */
export function describeRule(r: RuleDraft): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.referencedGroupId ?? r.prefixListId ?? '';
  if (r.protocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  if (r.protocol === 'icmp' || r.protocol === 'icmpv6') {
    const all = (n: number) => (n === -1 ? 'ALL' : String(n));
    return `peer: ${peer}, ${r.protocol.toUpperCase()}, type: ${all(r.fromPort)}, code: ${all(r.toPort)}, ALLOW`;
  }
  if (r.protocol === 'tcp' || r.protocol === 'udp') {
    return `peer: ${peer}, ${r.protocol.toUpperCase()}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
  }
  return `peer: ${peer}, ${r.protocol}, ALLOW`;
}
