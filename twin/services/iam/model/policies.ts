/**
 * Managed policies: customer managed ones in the account, AWS managed ones
 * from the shared catalogue. Rules from the IAM API Reference (CreatePolicy,
 * CreatePolicyVersion: "A managed policy can have up to five versions",
 * DeletePolicyVersion: the default version cannot be deleted, DeletePolicy:
 * "you must first detach the policy from all users, groups, and roles that
 * it is attached to" and delete its other versions).
 */
import { PolicyError } from '../../../../policy/policy.ts';
import { validatePolicy } from '../../../../policy/validate.ts';
import {
  alreadyExists,
  deleteConflict,
  invalidInput,
  limitExceeded,
  malformedPolicy,
  noSuchEntity,
  policyNotFound,
} from '../errors.ts';
import { AWS_MANAGED } from './aws-managed.ts';
import { checkName, checkPath, type IamModel } from './index.ts';
import type { ManagedPolicyState, PolicyVersionState, Tag } from './state.ts';

/** Validates an identity-based policy document, answering MalformedPolicyDocument as IAM does. */
export function checkIdentityPolicy(document: string | undefined): string {
  try {
    validatePolicy(document ?? '', 'identity');
    return document!;
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
}

/** A customer managed policy of this account or an AWS managed one; NoSuchEntity otherwise. */
export function getPolicy(model: IamModel, arn: string): ManagedPolicyState {
  const policy = model.policies.get(arn) ?? AWS_MANAGED.get(arn);
  if (!policy) throw policyNotFound(arn);
  return policy;
}

export function defaultVersion(policy: ManagedPolicyState): PolicyVersionState {
  return policy.versions.find((v) => v.versionId === policy.defaultVersionId)!;
}

export interface CreatePolicyParams {
  name: string | undefined;
  path?: string | undefined;
  document: string | undefined;
  description?: string | undefined;
  tags?: Tag[] | undefined;
}

export function createPolicy(model: IamModel, p: CreatePolicyParams): ManagedPolicyState {
  const name = checkName(p.name, 'policyName', 128);
  const path = checkPath(p.path);
  const document = checkIdentityPolicy(p.document);
  if ([...model.policies.values()].some((x) => x.name.toLowerCase() === name.toLowerCase())) {
    throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const now = model.now();
  const policy: ManagedPolicyState = {
    name,
    path,
    arn: model.arn('policy', path, name),
    policyId: model.twin.ids.upper('ANPA', 21),
    createDate: now,
    updateDate: now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document, createDate: now }],
    nextVersion: 2,
    tags: p.tags ?? [],
    awsManaged: false,
    ...(p.description !== undefined && { description: p.description }),
  };
  model.policies.set(policy.arn, policy);
  return policy;
}

/** A customer managed policy that may be changed; AWS managed policies may not. */
function ownPolicy(model: IamModel, arn: string): ManagedPolicyState {
  const policy = getPolicy(model, arn);
  if (policy.awsManaged) throw invalidInput(`Policy ${arn} is an AWS managed policy and cannot be modified.`);
  return policy;
}

export function createPolicyVersion(
  model: IamModel,
  arn: string,
  document: string | undefined,
  setAsDefault: boolean,
) {
  const policy = ownPolicy(model, arn);
  const text = checkIdentityPolicy(document);
  if (policy.versions.length >= 5) {
    throw limitExceeded(
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
  }
  const version: PolicyVersionState = {
    versionId: `v${policy.nextVersion++}`,
    document: text,
    createDate: model.now(),
  };
  policy.versions.push(version);
  if (setAsDefault) policy.defaultVersionId = version.versionId;
  policy.updateDate = version.createDate;
  return version;
}

export function getPolicyVersion(
  model: IamModel,
  arn: string,
  versionId: string | undefined,
): PolicyVersionState {
  const version = getPolicy(model, arn).versions.find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

export function deletePolicyVersion(model: IamModel, arn: string, versionId: string | undefined): void {
  const policy = ownPolicy(model, arn);
  getPolicyVersion(model, arn, versionId);
  if (versionId === policy.defaultVersionId)
    throw deleteConflict('Cannot delete the default version of a policy.');
  policy.versions = policy.versions.filter((v) => v.versionId !== versionId);
}

export function setDefaultPolicyVersion(model: IamModel, arn: string, versionId: string | undefined): void {
  const policy = ownPolicy(model, arn);
  getPolicyVersion(model, arn, versionId);
  policy.defaultVersionId = versionId!;
}

/** Roles and users of this account that have the policy attached. */
export function attachmentsOf(model: IamModel, arn: string) {
  return {
    roles: [...model.roles.values()].filter((r) => r.attached.includes(arn)),
    users: [...model.users.values()].filter((u) => u.attached.includes(arn)),
  };
}

export function attachmentCount(model: IamModel, arn: string): number {
  const { roles, users } = attachmentsOf(model, arn);
  return roles.length + users.length;
}

export function deletePolicy(model: IamModel, arn: string): void {
  const policy = ownPolicy(model, arn);
  if (attachmentCount(model, arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (policy.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  model.policies.delete(arn);
}

/** ListPolicies: Scope `All` (default), `AWS` or `Local`; OnlyAttached; PathPrefix. */
export function listPolicies(
  model: IamModel,
  options: {
    scope?: string | undefined;
    onlyAttached?: boolean | undefined;
    pathPrefix?: string | undefined;
  },
): ManagedPolicyState[] {
  const scope = options.scope ?? 'All';
  const all = [
    ...(scope === 'Local' ? [] : AWS_MANAGED.values()),
    ...(scope === 'AWS' ? [] : model.policies.values()),
  ];
  return all.filter(
    (p) =>
      p.path.startsWith(options.pathPrefix ?? '/') &&
      (!options.onlyAttached || attachmentCount(model, p.arn) > 0),
  );
}

/** Attaching: the policy must exist and be attachable (IAM: "Policy … does not exist or is not attachable."). */
export function attachablePolicy(model: IamModel, arn: string | undefined): ManagedPolicyState {
  const policy = arn ? (model.policies.get(arn) ?? AWS_MANAGED.get(arn)) : undefined;
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}
