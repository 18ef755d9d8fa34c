import type {
  AttachRolePolicyRequest,
  CreateRoleRequest,
  CreateRoleResponse,
  DeleteRolePolicyRequest,
  DeleteRoleRequest,
  DetachRolePolicyRequest,
  GetRolePolicyRequest,
  GetRolePolicyResponse,
  GetRoleRequest,
  GetRoleResponse,
  ListAttachedRolePoliciesRequest,
  ListAttachedRolePoliciesResponse,
  ListRolePoliciesRequest,
  ListRolePoliciesResponse,
  ListRolesRequest,
  ListRolesResponse,
  ListRoleTagsRequest,
  ListRoleTagsResponse,
  PutRolePolicyRequest,
  TagRoleRequest,
  UntagRoleRequest,
  UpdateAssumeRolePolicyRequest,
  UpdateRoleRequest,
} from '@aws-sdk/client-iam';
import type { Handler } from '../../../core/service.ts';
import { type IamModel, page } from '../model/index.ts';
import { getPolicy } from '../model/policies.ts';
import {
  attachRolePolicy,
  checkTags,
  createRole,
  deleteRole,
  deleteRolePolicy,
  detachRolePolicy,
  getRole,
  getRolePolicy,
  putRolePolicy,
  updateRole,
  updateTrustPolicy,
} from '../model/roles.ts';
import type { Tag } from '../model/state.ts';
import { encodeDocument, renderRole } from './render.ts';

/** Role operations: CreateRole … ListAttachedRolePolicies. */
export const roleHandlers: Record<string, Handler<IamModel>> = {
  CreateRole(model, input: CreateRoleRequest): CreateRoleResponse {
    const role = createRole(model, {
      name: input.RoleName,
      path: input.Path,
      trustPolicy: input.AssumeRolePolicyDocument,
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration,
      tags: input.Tags as Tag[] | undefined,
    });
    return { Role: renderRole(role, 'created') };
  },

  GetRole(model, input: GetRoleRequest): GetRoleResponse {
    return { Role: renderRole(getRole(model, input.RoleName), 'full') };
  },

  DeleteRole(model, input: DeleteRoleRequest): object {
    deleteRole(model, input.RoleName);
    return {};
  },

  ListRoles(model, input: ListRolesRequest): ListRolesResponse {
    const roles = [...model.roles.values()]
      .filter((r) => r.path.startsWith(input.PathPrefix ?? '/'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, ...more } = page(roles, input.Marker, input.MaxItems);
    return { Roles: items.map((r) => renderRole(r)), ...more };
  },

  UpdateRole(model, input: UpdateRoleRequest): object {
    updateRole(model, input.RoleName, {
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration,
    });
    return {};
  },

  UpdateAssumeRolePolicy(model, input: UpdateAssumeRolePolicyRequest): object {
    updateTrustPolicy(model, input.RoleName, input.PolicyDocument);
    return {};
  },

  TagRole(model, input: TagRoleRequest): object {
    const role = getRole(model, input.RoleName);
    role.tags = checkTags(role.tags, (input.Tags ?? []) as Tag[]);
    return {};
  },

  UntagRole(model, input: UntagRoleRequest): object {
    const role = getRole(model, input.RoleName);
    role.tags = role.tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key));
    return {};
  },

  ListRoleTags(model, input: ListRoleTagsRequest): ListRoleTagsResponse {
    const { items, ...more } = page(getRole(model, input.RoleName).tags, input.Marker, input.MaxItems);
    return { Tags: items, ...more };
  },

  PutRolePolicy(model, input: PutRolePolicyRequest): object {
    putRolePolicy(model, input.RoleName, input.PolicyName, input.PolicyDocument);
    return {};
  },

  GetRolePolicy(model, input: GetRolePolicyRequest): GetRolePolicyResponse {
    const document = getRolePolicy(model, input.RoleName, input.PolicyName);
    return {
      RoleName: getRole(model, input.RoleName).name,
      PolicyName: input.PolicyName,
      PolicyDocument: encodeDocument(document),
    };
  },

  DeleteRolePolicy(model, input: DeleteRolePolicyRequest): object {
    deleteRolePolicy(model, input.RoleName, input.PolicyName);
    return {};
  },

  ListRolePolicies(model, input: ListRolePoliciesRequest): ListRolePoliciesResponse {
    const names = [...getRole(model, input.RoleName).inline.keys()].sort();
    const { items, ...more } = page(names, input.Marker, input.MaxItems);
    return { PolicyNames: items, ...more };
  },

  AttachRolePolicy(model, input: AttachRolePolicyRequest): object {
    attachRolePolicy(model, input.RoleName, input.PolicyArn);
    return {};
  },

  DetachRolePolicy(model, input: DetachRolePolicyRequest): object {
    detachRolePolicy(model, input.RoleName, input.PolicyArn);
    return {};
  },

  ListAttachedRolePolicies(model, input: ListAttachedRolePoliciesRequest): ListAttachedRolePoliciesResponse {
    const attached = getRole(model, input.RoleName)
      .attached.map((arn) => getPolicy(model, arn))
      .filter((p) => p.path.startsWith(input.PathPrefix ?? '/'))
      .map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
    const { items, ...more } = page(attached, input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...more };
  },
};
