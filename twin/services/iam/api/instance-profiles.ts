import type {
  AddRoleToInstanceProfileRequest,
  CreateInstanceProfileRequest,
  CreateInstanceProfileResponse,
  DeleteInstanceProfileRequest,
  GetInstanceProfileRequest,
  GetInstanceProfileResponse,
  ListInstanceProfilesForRoleRequest,
  ListInstanceProfilesForRoleResponse,
  ListInstanceProfilesRequest,
  ListInstanceProfilesResponse,
  RemoveRoleFromInstanceProfileRequest,
} from '@aws-sdk/client-iam';
import type { Handler } from '../../../core/service.ts';
import { type IamModel, page } from '../model/index.ts';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  instanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from '../model/instance-profiles.ts';
import { getRole } from '../model/roles.ts';
import type { Tag } from '../model/state.ts';
import { renderInstanceProfile } from './render.ts';

/** Instance profile operations: CreateInstanceProfile … ListInstanceProfilesForRole. */
export const instanceProfileHandlers: Record<string, Handler<IamModel>> = {
  CreateInstanceProfile(model, input: CreateInstanceProfileRequest): CreateInstanceProfileResponse {
    const profile = createInstanceProfile(model, {
      name: input.InstanceProfileName,
      path: input.Path,
      tags: input.Tags as Tag[] | undefined,
    });
    return { InstanceProfile: renderInstanceProfile(model, profile) };
  },

  GetInstanceProfile(model, input: GetInstanceProfileRequest): GetInstanceProfileResponse {
    return {
      InstanceProfile: renderInstanceProfile(model, getInstanceProfile(model, input.InstanceProfileName)),
    };
  },

  DeleteInstanceProfile(model, input: DeleteInstanceProfileRequest): object {
    deleteInstanceProfile(model, input.InstanceProfileName);
    return {};
  },

  /**
   * "To pass a role to an instance profile, you must have permission to
   * pass the role" (AddRoleToInstanceProfile): iam:PassRole on the role.
   */
  AddRoleToInstanceProfile(model, input: AddRoleToInstanceProfileRequest, ctx): object {
    const role = getRole(model, input.RoleName);
    ctx.authorize({ action: 'iam:PassRole', resource: role.arn, resourceAccount: model.accountId });
    addRoleToInstanceProfile(model, input.InstanceProfileName, input.RoleName);
    return {};
  },

  RemoveRoleFromInstanceProfile(model, input: RemoveRoleFromInstanceProfileRequest): object {
    removeRoleFromInstanceProfile(model, input.InstanceProfileName, input.RoleName);
    return {};
  },

  ListInstanceProfiles(model, input: ListInstanceProfilesRequest): ListInstanceProfilesResponse {
    const profiles = [...model.instanceProfiles.values()]
      .filter((p) => p.path.startsWith(input.PathPrefix ?? '/'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, ...more } = page(profiles, input.Marker, input.MaxItems);
    return { InstanceProfiles: items.map((p) => renderInstanceProfile(model, p)), ...more };
  },

  ListInstanceProfilesForRole(
    model,
    input: ListInstanceProfilesForRoleRequest,
  ): ListInstanceProfilesForRoleResponse {
    const { items, ...more } = page(
      instanceProfilesForRole(model, input.RoleName),
      input.Marker,
      input.MaxItems,
    );
    return { InstanceProfiles: items.map((p) => renderInstanceProfile(model, p)), ...more };
  },
};
