import type {
  CreatePolicyRequest,
  CreatePolicyResponse,
  CreatePolicyVersionRequest,
  CreatePolicyVersionResponse,
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  GetPolicyRequest,
  GetPolicyResponse,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  ListEntitiesForPolicyRequest,
  ListEntitiesForPolicyResponse,
  ListPoliciesRequest,
  ListPoliciesResponse,
  ListPolicyVersionsRequest,
  ListPolicyVersionsResponse,
  SetDefaultPolicyVersionRequest,
} from '@aws-sdk/client-iam';
import type { Handler } from '../../../core/service.ts';
import { type IamModel, page } from '../model/index.ts';
import {
  attachmentsOf,
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  getPolicy,
  getPolicyVersion,
  listPolicies,
  setDefaultPolicyVersion,
} from '../model/policies.ts';
import type { Tag } from '../model/state.ts';
import { renderPolicy, renderVersion } from './render.ts';

/** Managed policy operations: CreatePolicy … ListEntitiesForPolicy. */
export const policyHandlers: Record<string, Handler<IamModel>> = {
  CreatePolicy(model, input: CreatePolicyRequest): CreatePolicyResponse {
    const policy = createPolicy(model, {
      name: input.PolicyName,
      path: input.Path,
      document: input.PolicyDocument,
      description: input.Description,
      tags: input.Tags as Tag[] | undefined,
    });
    return { Policy: renderPolicy(model, policy) };
  },

  GetPolicy(model, input: GetPolicyRequest): GetPolicyResponse {
    return { Policy: renderPolicy(model, getPolicy(model, input.PolicyArn ?? ''), true) };
  },

  DeletePolicy(model, input: DeletePolicyRequest): object {
    deletePolicy(model, input.PolicyArn ?? '');
    return {};
  },

  ListPolicies(model, input: ListPoliciesRequest): ListPoliciesResponse {
    const policies = listPolicies(model, {
      scope: input.Scope,
      onlyAttached: input.OnlyAttached,
      pathPrefix: input.PathPrefix,
    });
    const { items, ...more } = page(policies, input.Marker, input.MaxItems);
    return { Policies: items.map((p) => renderPolicy(model, p)), ...more };
  },

  CreatePolicyVersion(model, input: CreatePolicyVersionRequest): CreatePolicyVersionResponse {
    const arn = input.PolicyArn ?? '';
    const version = createPolicyVersion(model, arn, input.PolicyDocument, Boolean(input.SetAsDefault));
    return { PolicyVersion: renderVersion(getPolicy(model, arn), version, false) };
  },

  GetPolicyVersion(model, input: GetPolicyVersionRequest): GetPolicyVersionResponse {
    const arn = input.PolicyArn ?? '';
    return {
      PolicyVersion: renderVersion(
        getPolicy(model, arn),
        getPolicyVersion(model, arn, input.VersionId),
        true,
      ),
    };
  },

  DeletePolicyVersion(model, input: DeletePolicyVersionRequest): object {
    deletePolicyVersion(model, input.PolicyArn ?? '', input.VersionId);
    return {};
  },

  SetDefaultPolicyVersion(model, input: SetDefaultPolicyVersionRequest): object {
    setDefaultPolicyVersion(model, input.PolicyArn ?? '', input.VersionId);
    return {};
  },

  ListPolicyVersions(model, input: ListPolicyVersionsRequest): ListPolicyVersionsResponse {
    const policy = getPolicy(model, input.PolicyArn ?? '');
    const versions = [...policy.versions].reverse().map((v) => renderVersion(policy, v, false));
    const { items, ...more } = page(versions, input.Marker, input.MaxItems);
    return { Versions: items, ...more };
  },

  ListEntitiesForPolicy(model, input: ListEntitiesForPolicyRequest): ListEntitiesForPolicyResponse {
    const arn = input.PolicyArn ?? '';
    getPolicy(model, arn);
    const { roles, users } = attachmentsOf(model, arn);
    const filter = input.EntityFilter;
    return {
      PolicyGroups: [],
      PolicyUsers:
        filter && filter !== 'User' ? [] : users.map((u) => ({ UserName: u.name, UserId: u.userId })),
      PolicyRoles:
        filter && filter !== 'Role' ? [] : roles.map((r) => ({ RoleName: r.name, RoleId: r.roleId })),
      IsTruncated: false,
    };
  },
};
