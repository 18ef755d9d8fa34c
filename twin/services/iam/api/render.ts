import type {
  AccessKeyMetadata,
  InstanceProfile,
  Policy,
  PolicyVersion,
  Role,
  User,
} from '@aws-sdk/client-iam';
import type { IamModel } from '../model/index.ts';
import { attachmentCount } from '../model/policies.ts';
import type {
  InstanceProfileState,
  ManagedPolicyState,
  PolicyVersionState,
  RoleState,
  UserState,
} from '../model/state.ts';

/**
 * IAM returns policy documents "URL-encoded compliant with RFC 3986"
 * (docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html, and
 * likewise GetPolicyVersion and Role.AssumeRolePolicyDocument); the AWS CLI
 * decodes them, SDK callers call `decodeURIComponent`.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A role as GetRole shows it (`full`), or as lists and CreateRole show it (no tags, no last use). */
export function renderRole(role: RoleState, view: 'full' | 'list' | 'created' = 'list'): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicy),
    MaxSessionDuration: role.maxSessionDuration,
    ...(role.description !== undefined && { Description: role.description }),
    ...(view !== 'list' && role.tags.length > 0 && { Tags: role.tags }),
    ...(view === 'full' && {
      RoleLastUsed: role.lastUsed
        ? { LastUsedDate: new Date(role.lastUsed.date), Region: role.lastUsed.region }
        : {},
    }),
  };
}

export function renderUser(user: UserState, withTags = false): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: new Date(user.createDate),
    ...(withTags && user.tags.length > 0 && { Tags: user.tags }),
  };
}

export function renderPolicy(model: IamModel, p: ManagedPolicyState, withTags = false): Policy {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount(model, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: new Date(p.createDate),
    UpdateDate: new Date(p.updateDate),
    ...(p.description !== undefined && withTags && { Description: p.description }),
    ...(withTags && p.tags.length > 0 && { Tags: p.tags }),
  };
}

export function renderVersion(
  p: ManagedPolicyState,
  v: PolicyVersionState,
  withDocument: boolean,
): PolicyVersion {
  return {
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === p.defaultVersionId,
    CreateDate: new Date(v.createDate),
    ...(withDocument && { Document: encodeDocument(v.document) }),
  };
}

export function renderInstanceProfile(model: IamModel, ip: InstanceProfileState): InstanceProfile {
  return {
    Path: ip.path,
    InstanceProfileName: ip.name,
    InstanceProfileId: ip.id,
    Arn: ip.arn,
    CreateDate: new Date(ip.createDate),
    Roles: ip.roleNames.flatMap((n) => {
      const role = model.roles.get(n.toLowerCase());
      return role ? [renderRole(role)] : [];
    }),
    ...(ip.tags.length > 0 && { Tags: ip.tags }),
  };
}

export function renderAccessKey(user: UserState, k: UserState['accessKeys'][number]): AccessKeyMetadata {
  return {
    UserName: user.name,
    AccessKeyId: k.accessKeyId,
    Status: k.status,
    CreateDate: new Date(k.createDate),
  };
}
