/**
 * IAM users and their access keys. Rules from the IAM API Reference:
 * CreateAccessKey ("you can have a maximum of two access keys … per user"),
 * DeleteUser (access keys, inline and attached policies must go first:
 * DeleteConflict). An access key registers a long-term credential, so the
 * next request signed with it is made by the user.
 */
import type { Credential } from '../../../core/principal.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity, userNotFound } from '../errors.ts';
import { checkName, checkPath, type IamModel } from './index.ts';
import { attachablePolicy, checkIdentityPolicy } from './policies.ts';
import { checkTags } from './roles.ts';
import type { AccessKeyState, Tag, UserState } from './state.ts';

export function getUser(model: IamModel, name: string | undefined): UserState {
  const user = name ? model.users.get(name.toLowerCase()) : undefined;
  if (!user) throw userNotFound(name ?? '');
  return user;
}

export function createUser(
  model: IamModel,
  p: { name: string | undefined; path?: string | undefined; tags?: Tag[] | undefined },
) {
  const name = checkName(p.name, 'userName');
  const path = checkPath(p.path);
  if (model.users.has(name.toLowerCase())) throw alreadyExists(`User with name ${name} already exists.`);
  const user: UserState = {
    name,
    path,
    arn: model.arn('user', path, name),
    userId: model.twin.ids.upper('AIDA', 21),
    createDate: model.now(),
    tags: checkTags([], p.tags ?? []),
    inline: new Map(),
    attached: [],
    accessKeys: [],
  };
  model.users.set(name.toLowerCase(), user);
  return user;
}

export function deleteUser(model: IamModel, name: string | undefined): void {
  const user = getUser(model, name);
  if (user.accessKeys.length > 0)
    throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (user.inline.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (user.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  model.users.delete(user.name.toLowerCase());
}

export function putUserPolicy(
  model: IamModel,
  userName: string | undefined,
  policyName: string | undefined,
  document: string | undefined,
) {
  const user = getUser(model, userName);
  user.inline.set(checkName(policyName, 'policyName', 128), checkIdentityPolicy(document));
}

export function getUserPolicy(
  model: IamModel,
  userName: string | undefined,
  policyName: string | undefined,
): string {
  const doc = getUser(model, userName).inline.get(policyName ?? '');
  if (doc === undefined) throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
  return doc;
}

export function deleteUserPolicy(
  model: IamModel,
  userName: string | undefined,
  policyName: string | undefined,
): void {
  getUserPolicy(model, userName, policyName);
  getUser(model, userName).inline.delete(policyName!);
}

export function attachUserPolicy(
  model: IamModel,
  userName: string | undefined,
  arn: string | undefined,
): void {
  const user = getUser(model, userName);
  const policy = attachablePolicy(model, arn);
  if (!user.attached.includes(policy.arn)) user.attached.push(policy.arn);
}

export function detachUserPolicy(
  model: IamModel,
  userName: string | undefined,
  arn: string | undefined,
): void {
  const user = getUser(model, userName);
  if (!arn || !user.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  user.attached = user.attached.filter((a) => a !== arn);
}

/** Creates an access key and registers it with the twin, returning its one-time secret. */
export function createAccessKey(
  model: IamModel,
  userName: string | undefined,
): { key: AccessKeyState; secret: string } {
  const user = getUser(model, userName);
  if (user.accessKeys.length >= 2) throw limitExceeded('Cannot exceed quota for AccessKeysPerUser: 2');
  const key: AccessKeyState = {
    accessKeyId: model.twin.ids.upper('AKIA', 20),
    status: 'Active',
    createDate: model.now(),
  };
  const secret = model.twin.ids.hex(40);
  const credential: Credential = {
    accessKeyId: key.accessKeyId,
    secretAccessKey: secret,
    principal: {
      kind: 'user',
      accountId: model.accountId,
      arn: user.arn,
      userId: user.userId,
      userName: user.name,
    },
  };
  model.twin.credentials.set(key.accessKeyId, credential);
  user.accessKeys.push(key);
  return { key, secret };
}

export function deleteAccessKey(
  model: IamModel,
  userName: string | undefined,
  accessKeyId: string | undefined,
): void {
  const user = getUser(model, userName);
  if (!user.accessKeys.some((k) => k.accessKeyId === accessKeyId)) {
    throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  user.accessKeys = user.accessKeys.filter((k) => k.accessKeyId !== accessKeyId);
  model.twin.credentials.delete(accessKeyId!);
}
