import type { SourcePolicy } from '../../../policy/evaluate.ts';
import { GLOBAL_REGION, type Twin } from '../../twin.ts';
import { iam } from './api.ts';
import { identityPolicies } from './model/identity-policies.ts';
import type { IamModel } from './model/index.ts';
import type { RoleState, Tag, UserState } from './model/state.ts';

/**
 * What other services (and the evaluator) need to know of IAM without
 * reaching into its model: roles by ARN, the policies of a role or user,
 * the role behind an instance profile. Policies are read at call time, so a
 * change through the IAM API takes effect on the next request, as in AWS.
 */

/** `arn:aws:iam::ACCOUNT:role/PATH/NAME` → account and last path segment. */
function parseIamArn(
  arn: string,
  kind: 'role' | 'user' | 'instance-profile',
): { accountId: string; name: string } | undefined {
  const m = new RegExp(`^arn:aws[\\w-]*:iam::(\\d{12}):${kind}/(?:.*/)?([^/]+)$`).exec(arn);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
}

function iamOf(twin: Twin, accountId: string): IamModel | undefined {
  return twin.hasAccount(accountId) ? twin.model(iam, accountId, GLOBAL_REGION) : undefined;
}

/** A read-only view of a role, as other services need it. */
export interface RoleInfo {
  roleArn: string;
  roleId: string;
  roleName: string;
  accountId: string;
  trustPolicy: string;
  maxSessionDuration: number;
  tags: readonly Tag[];
}

function info(role: RoleState, accountId: string): RoleInfo {
  return {
    roleArn: role.arn,
    roleId: role.roleId,
    roleName: role.name,
    accountId,
    trustPolicy: role.assumeRolePolicy,
    maxSessionDuration: role.maxSessionDuration,
    tags: role.tags,
  };
}

function roleState(twin: Twin, roleArn: string): { role: RoleState; model: IamModel } | undefined {
  const parsed = parseIamArn(roleArn, 'role');
  const model = parsed && iamOf(twin, parsed.accountId);
  const role = parsed && model?.roles.get(parsed.name.toLowerCase());
  return role && model && role.arn === roleArn ? { role, model } : undefined;
}

/** The role an ARN names (path included), or `undefined`. */
export function findRole(twin: Twin, roleArn: string): RoleInfo | undefined {
  const found = roleState(twin, roleArn);
  return found && info(found.role, found.model.accountId);
}

/** The role's identity-based policies (inline, then attached managed), for the evaluator. */
export function rolePolicies(twin: Twin, roleArn: string): SourcePolicy[] {
  const found = roleState(twin, roleArn);
  return found ? identityPolicies(found.model, found.role, 'role') : [];
}

function userState(twin: Twin, userArn: string): { user: UserState; model: IamModel } | undefined {
  const parsed = parseIamArn(userArn, 'user');
  const model = parsed && iamOf(twin, parsed.accountId);
  const user = parsed && model?.users.get(parsed.name.toLowerCase());
  return user && model && user.arn === userArn ? { user, model } : undefined;
}

/** The user's identity-based policies, for the evaluator. */
export function userPolicies(twin: Twin, userArn: string): SourcePolicy[] {
  const found = userState(twin, userArn);
  return found ? identityPolicies(found.model, found.user, 'user') : [];
}

/** Tags of a role or user, for `aws:PrincipalTag/…`. */
export function principalTags(twin: Twin, arn: string): readonly Tag[] {
  return roleState(twin, arn)?.role.tags ?? userState(twin, arn)?.user.tags ?? [];
}

/** Records a role's use (GetRole's RoleLastUsed). */
export function markRoleUsed(twin: Twin, roleArn: string, region: string): void {
  const found = roleState(twin, roleArn);
  if (found) found.role.lastUsed = { date: twin.clock.now(), region };
}

/**
 * The role behind an instance profile (the SSM agent and instance
 * credentials run as it), or `undefined` when the profile or its role is gone.
 */
export function findInstanceProfileRole(
  twin: Twin,
  instanceProfileArn: string,
): { roleArn: string; roleId: string; roleName: string } | undefined {
  const parsed = parseIamArn(instanceProfileArn, 'instance-profile');
  const model = parsed && iamOf(twin, parsed.accountId);
  const profile = parsed && model?.instanceProfiles.get(parsed.name.toLowerCase());
  // Matched by name: callers that know only the name (RunInstances' IamInstanceProfile.Name) build the ARN without the path.
  if (!model || !profile) return undefined;
  const role = profile.roleNames[0] && model.roles.get(profile.roleNames[0].toLowerCase());
  return role ? { roleArn: role.arn, roleId: role.roleId, roleName: role.name } : undefined;
}
