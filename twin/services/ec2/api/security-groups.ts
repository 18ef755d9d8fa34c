import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressResult,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  RevokedSecurityGroupRule,
  RevokeSecurityGroupEgressRequest,
  RevokeSecurityGroupEgressResult,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from '../model/index.ts';
import type { World } from '../model/peering.ts';
import {
  allRules,
  authorizeRules,
  createSecurityGroup,
  deleteSecurityGroup,
  groupByIdOrName,
  revokeRules,
} from '../model/security-groups.ts';
import type { PermissionInput } from '../model/sg-rules.ts';
import type { SecurityGroupRuleState } from '../model/state.ts';
import { groupArn, groupFilters, renderSecurityGroup, ruleArn } from './sg-render.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

/** A rule as DescribeSecurityGroupRules shows it; a referenced group names its own owner. */
export function renderRule(model: Ec2Model, world: World, rule: SecurityGroupRuleState): SecurityGroupRule {
  const referenced = rule.referencedGroupId
    ? world.map((m) => m.securityGroups.get(rule.referencedGroupId!)).find(Boolean)
    : undefined;
  return {
    SecurityGroupRuleId: rule.id,
    SecurityGroupRuleArn: ruleArn(model, rule.id),
    GroupId: rule.groupId,
    GroupOwnerId: model.accountId,
    IsEgress: rule.egress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...(rule.cidrIpv4 && { CidrIpv4: rule.cidrIpv4 }),
    ...(rule.cidrIpv6 && { CidrIpv6: rule.cidrIpv6 }),
    ...(rule.prefixListId && { PrefixListId: rule.prefixListId }),
    ...(rule.referencedGroupId && {
      ReferencedGroupInfo: {
        GroupId: rule.referencedGroupId,
        UserId: referenced?.ownerId ?? model.accountId,
        ...(referenced && referenced.vpcId !== groupVpc(model, rule) && { VpcId: referenced.vpcId }),
      },
    }),
    ...(rule.description && { Description: rule.description }),
    Tags: [],
  };
}

function groupVpc(model: Ec2Model, rule: SecurityGroupRuleState): string | undefined {
  return model.securityGroups.get(rule.groupId)?.vpcId;
}

function renderRevoked(rule: SecurityGroupRuleState): RevokedSecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.id,
    GroupId: rule.groupId,
    IsEgress: rule.egress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...(rule.cidrIpv4 && { CidrIpv4: rule.cidrIpv4 }),
    ...(rule.cidrIpv6 && { CidrIpv6: rule.cidrIpv6 }),
    ...(rule.prefixListId && { PrefixListId: rule.prefixListId }),
    ...(rule.referencedGroupId && { ReferencedGroupId: rule.referencedGroupId }),
    ...(rule.description && { Description: rule.description }),
  };
}

type RuleRequest = AuthorizeSecurityGroupIngressRequest & { SecurityGroupRuleIds?: string[] | undefined };

/**
 * The request's permissions, including the older top-level form
 * (`IpProtocol`, `FromPort`, `ToPort`, `CidrIp`, `SourceSecurityGroupName`)
 * that AWS still accepts beside `IpPermissions`.
 */
function permissionsOf(input: RuleRequest): PermissionInput[] {
  const perms: PermissionInput[] = [...(input.IpPermissions ?? [])];
  const legacy = input.IpProtocol ?? input.CidrIp ?? input.SourceSecurityGroupName;
  if (legacy !== undefined || input.FromPort !== undefined) {
    perms.push({
      // A source group alone means all protocols (API_AuthorizeSecurityGroupIngress, SourceSecurityGroupName).
      IpProtocol: input.IpProtocol ?? (input.SourceSecurityGroupName ? '-1' : undefined),
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      ...(input.CidrIp && { IpRanges: [{ CidrIp: input.CidrIp }] }),
      ...(input.SourceSecurityGroupName && {
        UserIdGroupPairs: [
          { GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId },
        ],
      }),
    });
  }
  return perms;
}

function authorize(
  model: Ec2Model,
  input: RuleRequest,
  ctx: RequestContext,
  egress: boolean,
): AuthorizeSecurityGroupIngressResult {
  const group = groupByIdOrName(model, input.GroupId, input.GroupName);
  const world = worldOf(ctx);
  const added = authorizeRules(model, world, group.id, egress, permissionsOf(input));
  return { Return: true, SecurityGroupRules: added.map((r) => renderRule(model, world, r)) };
}

function revoke(
  model: Ec2Model,
  input: RuleRequest,
  ctx: RequestContext,
  egress: boolean,
): RevokeSecurityGroupIngressResult {
  const group = groupByIdOrName(model, input.GroupId, input.GroupName);
  const revoked = revokeRules(
    model,
    worldOf(ctx),
    group.id,
    egress,
    permissionsOf(input),
    input.SecurityGroupRuleIds ?? [],
  );
  return { Return: true, RevokedSecurityGroupRules: revoked.map(renderRevoked) };
}

export const securityGroupHandlers = withDryRun({
  CreateSecurityGroup(model: Ec2Model, input: CreateSecurityGroupRequest): CreateSecurityGroupResult {
    const group = createSecurityGroup(model, {
      vpcId: input.VpcId,
      name: input.GroupName,
      description: input.Description,
      tags: specTags(input, 'security-group'),
    });
    return {
      GroupId: group.id,
      SecurityGroupArn: groupArn(group, model.region),
      Tags: renderTags(group.tags),
    };
  },

  DeleteSecurityGroup(
    model: Ec2Model,
    input: DeleteSecurityGroupRequest,
    ctx: RequestContext,
  ): DeleteSecurityGroupResult {
    const group = groupByIdOrName(model, input.GroupId, input.GroupName);
    deleteSecurityGroup(model, worldOf(ctx), group.id, undefined);
    return { Return: true, GroupId: group.id };
  },

  DescribeSecurityGroups(
    model: Ec2Model,
    input: DescribeSecurityGroupsRequest,
    ctx: RequestContext,
  ): DescribeSecurityGroupsResult {
    // Group names only resolve in a default VPC; elsewhere AWS points to the group-name filter.
    const name = input.GroupNames?.[0];
    if (name)
      throw new AwsError(
        'InvalidGroup.NotFound',
        `The security group '${name}' does not exist in default VPC 'none'`,
      );
    const world = worldOf(ctx);
    const { page, nextToken } = describe([...model.securityGroups.values()], input, {
      ids: input.GroupIds,
      idOf: (g) => g.id,
      missing: (id) => notFoundError('securityGroup', id),
      accessors: groupFilters(model, world),
    });
    return { SecurityGroups: page.map((g) => renderSecurityGroup(model, world, g)), NextToken: nextToken };
  },

  DescribeSecurityGroupRules(
    model: Ec2Model,
    input: DescribeSecurityGroupRulesRequest,
    ctx: RequestContext,
  ): DescribeSecurityGroupRulesResult {
    const world = worldOf(ctx);
    const rules = allRules(model).map((rule) => ({ rule, tags: {} }));
    const { page, nextToken } = describe(rules, input, {
      ids: input.SecurityGroupRuleIds,
      idOf: (r) => r.rule.id,
      missing: (id) =>
        new AwsError(
          'InvalidSecurityGroupRuleId.NotFound',
          `The security group rule ID '${id}' does not exist`,
        ),
      accessors: { 'group-id': (r) => r.rule.groupId, 'security-group-rule-id': (r) => r.rule.id },
    });
    return { SecurityGroupRules: page.map((r) => renderRule(model, world, r.rule)), NextToken: nextToken };
  },

  AuthorizeSecurityGroupIngress(
    model: Ec2Model,
    input: AuthorizeSecurityGroupIngressRequest,
    ctx: RequestContext,
  ): AuthorizeSecurityGroupIngressResult {
    return authorize(model, input, ctx, false);
  },

  AuthorizeSecurityGroupEgress(
    model: Ec2Model,
    input: AuthorizeSecurityGroupEgressRequest,
    ctx: RequestContext,
  ): AuthorizeSecurityGroupEgressResult {
    return authorize(model, input, ctx, true);
  },

  RevokeSecurityGroupIngress(
    model: Ec2Model,
    input: RevokeSecurityGroupIngressRequest,
    ctx: RequestContext,
  ): RevokeSecurityGroupIngressResult {
    return revoke(model, input, ctx, false);
  },

  RevokeSecurityGroupEgress(
    model: Ec2Model,
    input: RevokeSecurityGroupEgressRequest,
    ctx: RequestContext,
  ): RevokeSecurityGroupEgressResult {
    return revoke(model, input, ctx, true);
  },
});
