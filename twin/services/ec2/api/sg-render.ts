import type { IpPermission, SecurityGroup, UserIdGroupPair } from '@aws-sdk/client-ec2';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import { allPeerings, type World } from '../model/peering.ts';
import type { SecurityGroupRuleState, SecurityGroupState } from '../model/state.ts';
import { renderTags } from './shared.ts';

export function groupArn(group: SecurityGroupState, region: string): string {
  return `arn:aws:ec2:${region}:${group.ownerId}:security-group/${group.id}`;
}

export function ruleArn(model: Ec2Model, ruleId: string): string {
  return `arn:aws:ec2:${model.region}:${model.accountId}:security-group-rule/${ruleId}`;
}

/** Only tcp, udp and ICMP rules carry ports in IpPermissions; `-1` and other protocols omit them. */
function hasPorts(protocol: string): boolean {
  return protocol === 'tcp' || protocol === 'udp' || protocol === 'icmp' || protocol === 'icmpv6';
}

function pairOf(world: World, group: SecurityGroupState, rule: SecurityGroupRuleState): UserIdGroupPair {
  const other = world.map((m) => m.securityGroups.get(rule.referencedGroupId!)).find(Boolean);
  const pair: UserIdGroupPair = { GroupId: rule.referencedGroupId, UserId: other?.ownerId ?? group.ownerId };
  if (other && other.vpcId !== group.vpcId) {
    // A group across a peering connection is shown with its VPC and the connection (API_UserIdGroupPair).
    const conn = allPeerings(world).find(
      (c) =>
        c.status === 'active' &&
        [c.requester.vpcId, c.accepter.vpcId].includes(other.vpcId) &&
        [c.requester.vpcId, c.accepter.vpcId].includes(group.vpcId),
    );
    Object.assign(pair, {
      VpcId: other.vpcId,
      ...(conn && { VpcPeeringConnectionId: conn.id, PeeringStatus: 'active' }),
    });
  }
  if (rule.description) pair.Description = rule.description;
  return pair;
}

/**
 * Rules grouped as EC2 renders them: one IpPermission per protocol and port
 * range, its sources listed under IpRanges, UserIdGroupPairs and PrefixListIds.
 */
export function renderPermissions(world: World, group: SecurityGroupState, egress: boolean): IpPermission[] {
  const byKey = new Map<
    string,
    Required<Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>> &
      IpPermission
  >();
  for (const rule of group.rules.filter((r) => r.egress === egress)) {
    const key = `${rule.protocol}|${rule.fromPort}|${rule.toPort}`;
    let perm = byKey.get(key);
    if (!perm) {
      perm = {
        IpProtocol: rule.protocol,
        ...(hasPorts(rule.protocol) && { FromPort: rule.fromPort, ToPort: rule.toPort }),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byKey.set(key, perm);
    }
    const description = rule.description ? { Description: rule.description } : {};
    if (rule.cidrIpv4) perm.IpRanges.push({ CidrIp: rule.cidrIpv4, ...description });
    if (rule.cidrIpv6) perm.Ipv6Ranges.push({ CidrIpv6: rule.cidrIpv6, ...description });
    if (rule.prefixListId) perm.PrefixListIds.push({ PrefixListId: rule.prefixListId, ...description });
    if (rule.referencedGroupId) perm.UserIdGroupPairs.push(pairOf(world, group, rule));
  }
  return [...byKey.values()];
}

export function renderSecurityGroup(model: Ec2Model, world: World, group: SecurityGroupState): SecurityGroup {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: group.ownerId,
    SecurityGroupArn: groupArn(group, model.region),
    IpPermissions: renderPermissions(world, group, false),
    IpPermissionsEgress: renderPermissions(world, group, true),
    Tags: renderTags(group.tags),
  };
}

/** `ip-permission.*` and `egress.ip-permission.*` over a group's rules. */
function permissionFilters(
  model: Ec2Model,
  world: World,
  prefix: string,
  egress: boolean,
): Accessors<SecurityGroupState> {
  const rules = (g: SecurityGroupState) => g.rules.filter((r) => r.egress === egress);
  const groupOf = (id: string | undefined) =>
    id ? world.map((m) => m.securityGroups.get(id)).find(Boolean) : undefined;
  return {
    [`${prefix}cidr`]: (g) => rules(g).map((r) => r.cidrIpv4),
    [`${prefix}from-port`]: (g) => rules(g).map((r) => r.fromPort),
    [`${prefix}to-port`]: (g) => rules(g).map((r) => r.toPort),
    [`${prefix}protocol`]: (g) => rules(g).map((r) => r.protocol),
    [`${prefix}group-id`]: (g) => rules(g).map((r) => r.referencedGroupId),
    [`${prefix}group-name`]: (g) => rules(g).map((r) => groupOf(r.referencedGroupId)?.name),
    [`${prefix}prefix-list-id`]: (g) => rules(g).map((r) => r.prefixListId),
    [`${prefix}user-id`]: (g) =>
      rules(g).map((r) =>
        r.referencedGroupId ? (groupOf(r.referencedGroupId)?.ownerId ?? model.accountId) : undefined,
      ),
  };
}

/** DescribeSecurityGroups filters (API_DescribeSecurityGroups). */
export function groupFilters(model: Ec2Model, world: World): Accessors<SecurityGroupState> {
  return {
    description: (g) => g.description,
    'group-id': (g) => g.id,
    'group-name': (g) => g.name,
    'owner-id': (g) => g.ownerId,
    'vpc-id': (g) => g.vpcId,
    ...permissionFilters(model, world, 'ip-permission.', false),
    ...permissionFilters(model, world, 'egress.ip-permission.', true),
  };
}
