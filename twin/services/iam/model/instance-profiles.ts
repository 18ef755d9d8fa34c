/**
 * Instance profiles: the container that passes one role to an EC2
 * instance. Rules from the IAM API Reference: AddRoleToInstanceProfile
 * ("an instance profile can contain only one role, and this quota cannot
 * be increased": LimitExceeded), DeleteInstanceProfile (roles must be
 * removed first: DeleteConflict).
 */
import {
  alreadyExists,
  deleteConflict,
  instanceProfileNotFound,
  limitExceeded,
  noSuchEntity,
} from '../errors.ts';
import { checkName, checkPath, type IamModel } from './index.ts';
import { checkTags, getRole } from './roles.ts';
import type { InstanceProfileState, Tag } from './state.ts';

export function getInstanceProfile(model: IamModel, name: string | undefined): InstanceProfileState {
  const profile = name ? model.instanceProfiles.get(name.toLowerCase()) : undefined;
  if (!profile) throw instanceProfileNotFound(name ?? '');
  return profile;
}

export function createInstanceProfile(
  model: IamModel,
  p: { name: string | undefined; path?: string | undefined; tags?: Tag[] | undefined },
): InstanceProfileState {
  const name = checkName(p.name, 'instanceProfileName', 128);
  const path = checkPath(p.path);
  if (model.instanceProfiles.has(name.toLowerCase()))
    throw alreadyExists(`Instance Profile ${name} already exists.`);
  const profile: InstanceProfileState = {
    name,
    path,
    arn: model.arn('instance-profile', path, name),
    id: model.twin.ids.upper('AIPA', 21),
    createDate: model.now(),
    roleNames: [],
    tags: checkTags([], p.tags ?? []),
  };
  model.instanceProfiles.set(name.toLowerCase(), profile);
  return profile;
}

export function addRoleToInstanceProfile(
  model: IamModel,
  profileName: string | undefined,
  roleName: string | undefined,
): void {
  const profile = getInstanceProfile(model, profileName);
  const role = getRole(model, roleName);
  if (profile.roleNames.length >= 1)
    throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  profile.roleNames.push(role.name);
}

export function removeRoleFromInstanceProfile(
  model: IamModel,
  profileName: string | undefined,
  roleName: string | undefined,
): void {
  const profile = getInstanceProfile(model, profileName);
  const role = getRole(model, roleName);
  if (!profile.roleNames.includes(role.name)) {
    throw noSuchEntity(
      `The role with name ${role.name} cannot be found in instance profile ${profile.name}.`,
    );
  }
  profile.roleNames = profile.roleNames.filter((n) => n !== role.name);
}

export function deleteInstanceProfile(model: IamModel, name: string | undefined): void {
  const profile = getInstanceProfile(model, name);
  if (profile.roleNames.length > 0)
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  model.instanceProfiles.delete(profile.name.toLowerCase());
}

export function instanceProfilesForRole(
  model: IamModel,
  roleName: string | undefined,
): InstanceProfileState[] {
  const role = getRole(model, roleName);
  return [...model.instanceProfiles.values()].filter((p) => p.roleNames.includes(role.name));
}
