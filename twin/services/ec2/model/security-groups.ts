import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation, invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { World } from './peering.ts';
import { describeRule, type PermissionInput, type RuleDraft, ruleFrom, sameRule } from './sg-rules.ts';
import type { SecurityGroupRuleState, SecurityGroupState, Tags, VpcState } from './state.ts';
import { getVpc } from './vpc-lookups.ts';

/** The security group, or `InvalidGroup.NotFound`. */
export function getSecurityGroup(model: Ec2Model, id: string | undefined): SecurityGroupState {
  const group = id ? model.securityGroups.get(id) : undefined;
  if (!group) throw notFoundError('securityGroup', id ?? '');
  return group;
}

/**
 * A group named rather than identified. Names only resolve in a default VPC
 * (API_DeleteSecurityGroup: "[Default VPC] … you can specify either the
 * security group name or the security group ID"); the twin has none.
 */
export function groupByIdOrName(
  model: Ec2Model,
  id: string | undefined,
  name: string | undefined,
): SecurityGroupState {
  if (id) return getSecurityGroup(model, id);
  throw new AwsError(
    'InvalidGroup.NotFound',
    `The security group '${name ?? ''}' does not exist in default VPC 'none'`,
  );
}

function addDefaultEgress(model: Ec2Model, group: SecurityGroupState): void {
  // A new group allows all outbound IPv4 traffic (security-group-rules.html, "default rules").
  group.rules.push({
    id: model.newId('sgr'),
    groupId: group.id,
    egress: true,
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    cidrIpv4: '0.0.0.0/0',
  });
}

/**
 * The `default` group CreateVpc makes: inbound from itself, all outbound
 * (docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
 */
export function newDefaultSecurityGroup(model: Ec2Model, vpc: VpcState): SecurityGroupState {
  const group: SecurityGroupState = {
    id: model.newId('sg'),
    vpcId: vpc.id,
    ownerId: model.accountId,
    name: 'default',
    description: 'default VPC security group',
    rules: [],
    tags: {},
  };
  group.rules.push({
    id: model.newId('sgr'),
    groupId: group.id,
    egress: false,
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    referencedGroupId: group.id,
  });
  addDefaultEgress(model, group);
  model.securityGroups.set(group.id, group);
  return group;
}

export interface CreateGroupParams {
  vpcId: string | undefined;
  name: string | undefined;
  description: string | undefined;
  tags: Tags;
}

/** CreateSecurityGroup (API_CreateSecurityGroup): a unique name per VPC, not `default`, not `sg-*`. */
export function createSecurityGroup(model: Ec2Model, p: CreateGroupParams): SecurityGroupState {
  if (!p.name) throw new AwsError('MissingParameter', 'The request must contain the parameter groupName');
  if (!p.description)
    throw new AwsError('MissingParameter', 'The request must contain the parameter groupDescription');
  if (!p.vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  const vpc = getVpc(model, p.vpcId);
  if (p.name === 'default')
    throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved");
  if (p.name.startsWith('sg-')) throw invalidParameter('Group names may not be in the format sg-*.');
  if ([...model.securityGroups.values()].some((g) => g.vpcId === vpc.id && g.name === p.name)) {
    throw new AwsError(
      'InvalidGroup.Duplicate',
      `The security group '${p.name}' already exists for VPC '${vpc.id}'`,
    );
  }
  const group: SecurityGroupState = {
    id: model.newId('sg'),
    vpcId: vpc.id,
    ownerId: model.accountId,
    name: p.name,
    description: p.description,
    rules: [],
    tags: p.tags,
  };
  addDefaultEgress(model, group);
  model.securityGroups.set(group.id, group);
  return group;
}

/** Another group's rule, an interface or an endpoint still uses the group. */
function groupInUse(model: Ec2Model, world: World, groupId: string): boolean {
  const referenced = world.some((m) =>
    [...m.securityGroups.values()].some(
      (g) => g.id !== groupId && g.rules.some((r) => r.referencedGroupId === groupId),
    ),
  );
  return (
    referenced ||
    [...model.networkInterfaces.values()].some((e) => e.securityGroupIds.includes(groupId)) ||
    [...model.vpcEndpoints.values()].some(
      (e) => e.state !== 'deleted' && e.securityGroupIds.includes(groupId),
    )
  );
}

/**
 * DeleteSecurityGroup: the `default` group is `CannotDelete`; a group another
 * group references, or an interface uses, is `DependencyViolation`.
 */
export function deleteSecurityGroup(
  model: Ec2Model,
  world: World,
  id: string | undefined,
  name: string | undefined,
): void {
  const group = groupByIdOrName(model, id, name);
  if (group.name === 'default') {
    throw new AwsError(
      'CannotDelete',
      `the specified group: "${group.id}" name: "default" cannot be deleted by a user`,
    );
  }
  if (groupInUse(model, world, group.id))
    throw dependencyViolation(`resource ${group.id} has a dependent object`);
  model.securityGroups.delete(group.id);
}

/** Drafts for every source of every permission, checked against the world. */
function draftsFor(
  model: Ec2Model,
  world: World,
  group: SecurityGroupState,
  egress: boolean,
  perms: PermissionInput[],
): RuleDraft[] {
  const drafts = perms.flatMap((p) => ruleFrom(model, world, group, egress, p));
  if (!drafts.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter ipPermissions');
  return drafts;
}

/**
 * AuthorizeSecurityGroupIngress / Egress: all or nothing; a rule the group
 * already has (or a request repeating one) is `InvalidPermission.Duplicate`.
 */
export function authorizeRules(
  model: Ec2Model,
  world: World,
  groupId: string | undefined,
  egress: boolean,
  perms: PermissionInput[],
): SecurityGroupRuleState[] {
  const group = getSecurityGroup(model, groupId);
  const drafts = draftsFor(model, world, group, egress, perms);
  drafts.forEach((draft, i) => {
    if (group.rules.some((r) => sameRule(r, draft)) || drafts.slice(0, i).some((d) => sameRule(d, draft))) {
      throw new AwsError(
        'InvalidPermission.Duplicate',
        `the specified rule "${describeRule(draft)}" already exists`,
      );
    }
  });
  const added = drafts.map((d) => ({ ...d, id: model.newId('sgr') }));
  group.rules.push(...added);
  return added;
}

/**
 * RevokeSecurityGroupIngress / Egress by properties or by rule ids. In a
 * non-default VPC a rule that does not match exactly is
 * `InvalidPermission.NotFound` and nothing is revoked (API_RevokeSecurityGroupIngress).
 */
export function revokeRules(
  model: Ec2Model,
  world: World,
  groupId: string | undefined,
  egress: boolean,
  perms: PermissionInput[],
  ruleIds: string[],
): SecurityGroupRuleState[] {
  const group = getSecurityGroup(model, groupId);
  const byId = ruleIds.map((id) => {
    const rule = group.rules.find((r) => r.id === id && r.egress === egress);
    if (!rule)
      throw new AwsError(
        'InvalidSecurityGroupRuleId.NotFound',
        `The security group rule ID '${id}' does not exist`,
      );
    return rule;
  });
  const byProps = perms.length
    ? draftsFor(model, world, group, egress, perms).map((draft) => {
        const rule = group.rules.find((r) => sameRule(r, draft));
        if (!rule)
          throw new AwsError(
            'InvalidPermission.NotFound',
            'The specified rule does not exist in this security group.',
          );
        return rule;
      })
    : [];
  const revoked = [...new Set([...byId, ...byProps])];
  if (!revoked.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter ipPermissions');
  group.rules = group.rules.filter((r) => !revoked.includes(r));
  return revoked;
}

/** Every rule of every group of the account. */
export function allRules(model: Ec2Model): SecurityGroupRuleState[] {
  return [...model.securityGroups.values()].flatMap((g) => g.rules);
}
