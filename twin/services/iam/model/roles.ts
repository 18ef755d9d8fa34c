/**
 * Roles: trust policy, inline and attached policies, tags. Rules from the
 * IAM API Reference: CreateRole (MaxSessionDuration 3600–43200, default
 * 3600; names unique regardless of case), DeleteRole ("you must first
 * remove the role from instance profiles, detach managed policies and
 * delete inline policies" — DeleteConflict otherwise), TagRole (at most 50
 * tags), UpdateAssumeRolePolicy.
 */
import { PolicyError } from '../../../../policy/policy.ts';
import { validatePolicy } from '../../../../policy/validate.ts';
import {
  alreadyExists,
  deleteConflict,
  limitExceeded,
  malformedPolicy,
  noSuchEntity,
  roleNotFound,
  validationError,
} from '../errors.ts';
import { checkName, checkPath, type IamModel } from './index.ts';
import { attachablePolicy, checkIdentityPolicy } from './policies.ts';
import type { RoleState, Tag } from './state.ts';

export function getRole(model: IamModel, name: string | undefined): RoleState {
  const role = name ? model.roles.get(name.toLowerCase()) : undefined;
  if (!role) throw roleNotFound(name ?? '');
  return role;
}

/**
 * Validates a trust policy. IAM refuses principals that name roles or
 * users that do not exist ("Invalid principal in policy"), in accounts it
 * knows; other accounts' root and account ids are accepted.
 */
export function checkTrustPolicy(model: IamModel, document: string | undefined): string {
  const exists = (type: string, value: string) => {
    const m = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(value);
    if (type !== 'AWS' || !m || !model.twin.hasAccount(m[1]!)) return true;
    const owner = model.peer(m[1]!);
    const entity =
      m[2] === 'role' ? owner.roles.get(m[3]!.toLowerCase()) : owner.users.get(m[3]!.toLowerCase());
    return entity?.arn === value;
  };
  try {
    validatePolicy(document ?? '', 'trust', { principalExists: exists });
    return document!;
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
}

function checkMaxSession(value: number | undefined): number {
  const v = value ?? 3600;
  if (Number.isInteger(v) && v >= 3600 && v <= 43200) return v;
  throw validationError(
    `1 validation error detected: Value '${v}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${v < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`,
  );
}

export interface CreateRoleParams {
  name: string | undefined;
  path?: string | undefined;
  trustPolicy: string | undefined;
  description?: string | undefined;
  maxSessionDuration?: number | undefined;
  tags?: Tag[] | undefined;
}

export function createRole(model: IamModel, p: CreateRoleParams): RoleState {
  const name = checkName(p.name, 'roleName');
  const path = checkPath(p.path);
  const maxSessionDuration = checkMaxSession(p.maxSessionDuration);
  if (model.roles.has(name.toLowerCase())) throw alreadyExists(`Role with name ${name} already exists.`);
  const assumeRolePolicy = checkTrustPolicy(model, p.trustPolicy);
  const role: RoleState = {
    name,
    path,
    arn: model.arn('role', path, name),
    roleId: model.twin.ids.upper('AROA', 21),
    createDate: model.now(),
    assumeRolePolicy,
    maxSessionDuration,
    tags: checkTags([], p.tags ?? []),
    inline: new Map(),
    attached: [],
    ...(p.description !== undefined && { description: p.description }),
  };
  model.roles.set(name.toLowerCase(), role);
  return role;
}

export function deleteRole(model: IamModel, name: string | undefined): void {
  const role = getRole(model, name);
  if ([...model.instanceProfiles.values()].some((ip) => ip.roleNames.includes(role.name))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (role.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (role.inline.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  model.roles.delete(role.name.toLowerCase());
}

export function updateRole(
  model: IamModel,
  name: string | undefined,
  p: { description?: string | undefined; maxSessionDuration?: number | undefined },
) {
  const role = getRole(model, name);
  if (p.maxSessionDuration !== undefined) role.maxSessionDuration = checkMaxSession(p.maxSessionDuration);
  if (p.description !== undefined) role.description = p.description;
}

export function updateTrustPolicy(
  model: IamModel,
  name: string | undefined,
  document: string | undefined,
): void {
  const role = getRole(model, name);
  role.assumeRolePolicy = checkTrustPolicy(model, document);
}

/** Merges tags (a key set again takes the new value); IAM allows 50 per entity. */
export function checkTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t]));
  for (const t of added) merged.set(t.Key, { Key: t.Key, Value: t.Value ?? '' });
  if (merged.size > 50) throw limitExceeded('Cannot exceed quota for TagsPerRole: 50');
  return [...merged.values()];
}

export function putRolePolicy(
  model: IamModel,
  roleName: string | undefined,
  policyName: string | undefined,
  document: string | undefined,
) {
  const role = getRole(model, roleName);
  const name = checkName(policyName, 'policyName', 128);
  role.inline.set(name, checkIdentityPolicy(document));
}

export function getRolePolicy(
  model: IamModel,
  roleName: string | undefined,
  policyName: string | undefined,
): string {
  const doc = getRole(model, roleName).inline.get(policyName ?? '');
  if (doc === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  return doc;
}

export function deleteRolePolicy(
  model: IamModel,
  roleName: string | undefined,
  policyName: string | undefined,
): void {
  getRolePolicy(model, roleName, policyName);
  getRole(model, roleName).inline.delete(policyName!);
}

export function attachRolePolicy(
  model: IamModel,
  roleName: string | undefined,
  arn: string | undefined,
): void {
  const role = getRole(model, roleName);
  const policy = attachablePolicy(model, arn);
  if (!role.attached.includes(policy.arn)) role.attached.push(policy.arn);
}

export function detachRolePolicy(
  model: IamModel,
  roleName: string | undefined,
  arn: string | undefined,
): void {
  const role = getRole(model, roleName);
  if (!arn || !role.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attached = role.attached.filter((a) => a !== arn);
}
