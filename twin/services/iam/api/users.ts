import type {
  AttachUserPolicyRequest,
  CreateAccessKeyRequest,
  CreateAccessKeyResponse,
  CreateUserRequest,
  CreateUserResponse,
  DeleteAccessKeyRequest,
  DeleteUserPolicyRequest,
  DeleteUserRequest,
  DetachUserPolicyRequest,
  GetUserPolicyRequest,
  GetUserPolicyResponse,
  GetUserRequest,
  GetUserResponse,
  ListAccessKeysRequest,
  ListAccessKeysResponse,
  ListAttachedUserPoliciesRequest,
  ListAttachedUserPoliciesResponse,
  ListUserPoliciesRequest,
  ListUserPoliciesResponse,
  ListUsersRequest,
  ListUsersResponse,
  PutUserPolicyRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidInput } from '../errors.ts';
import { type IamModel, page } from '../model/index.ts';
import { getPolicy } from '../model/policies.ts';
import type { Tag } from '../model/state.ts';
import {
  attachUserPolicy,
  createAccessKey,
  createUser,
  deleteAccessKey,
  deleteUser,
  deleteUserPolicy,
  detachUserPolicy,
  getUser,
  getUserPolicy,
  putUserPolicy,
} from '../model/users.ts';
import { encodeDocument, renderAccessKey, renderUser } from './render.ts';

/**
 * "If you do not specify a user name, IAM determines the user name
 * implicitly based on the Amazon Web Services access key ID signing the
 * request" (GetUser, CreateAccessKey, ListAccessKeys).
 */
export function userNameOrCaller(name: string | undefined, ctx: RequestContext): string {
  if (name) return name;
  if (ctx.principal.kind === 'user') return ctx.principal.userName;
  throw invalidInput('The twin knows no user for this caller: pass UserName.');
}

/** User operations: CreateUser … ListAccessKeys. */
export const userHandlers: Record<string, Handler<IamModel>> = {
  CreateUser(model, input: CreateUserRequest): CreateUserResponse {
    const user = createUser(model, {
      name: input.UserName,
      path: input.Path,
      tags: input.Tags as Tag[] | undefined,
    });
    return { User: renderUser(user, true) };
  },

  GetUser(model, input: GetUserRequest, ctx): GetUserResponse {
    if (!input.UserName && ctx.principal.kind === 'root') {
      // The root user, as GetUser shows it to root credentials: its id and ARN only.
      return {
        User: {
          UserId: ctx.accountId,
          Arn: ctx.principal.arn,
          CreateDate: new Date(0),
        } as GetUserResponse['User'],
      };
    }
    return { User: renderUser(getUser(model, userNameOrCaller(input.UserName, ctx)), true) };
  },

  DeleteUser(model, input: DeleteUserRequest): object {
    deleteUser(model, input.UserName);
    return {};
  },

  ListUsers(model, input: ListUsersRequest): ListUsersResponse {
    const users = [...model.users.values()]
      .filter((u) => u.path.startsWith(input.PathPrefix ?? '/'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, ...more } = page(users, input.Marker, input.MaxItems);
    return { Users: items.map((u) => renderUser(u)), ...more };
  },

  PutUserPolicy(model, input: PutUserPolicyRequest): object {
    putUserPolicy(model, input.UserName, input.PolicyName, input.PolicyDocument);
    return {};
  },

  GetUserPolicy(model, input: GetUserPolicyRequest): GetUserPolicyResponse {
    const document = getUserPolicy(model, input.UserName, input.PolicyName);
    return {
      UserName: getUser(model, input.UserName).name,
      PolicyName: input.PolicyName,
      PolicyDocument: encodeDocument(document),
    };
  },

  DeleteUserPolicy(model, input: DeleteUserPolicyRequest): object {
    deleteUserPolicy(model, input.UserName, input.PolicyName);
    return {};
  },

  ListUserPolicies(model, input: ListUserPoliciesRequest): ListUserPoliciesResponse {
    const { items, ...more } = page(
      [...getUser(model, input.UserName).inline.keys()].sort(),
      input.Marker,
      input.MaxItems,
    );
    return { PolicyNames: items, ...more };
  },

  AttachUserPolicy(model, input: AttachUserPolicyRequest): object {
    attachUserPolicy(model, input.UserName, input.PolicyArn);
    return {};
  },

  DetachUserPolicy(model, input: DetachUserPolicyRequest): object {
    detachUserPolicy(model, input.UserName, input.PolicyArn);
    return {};
  },

  ListAttachedUserPolicies(model, input: ListAttachedUserPoliciesRequest): ListAttachedUserPoliciesResponse {
    const attached = getUser(model, input.UserName)
      .attached.map((arn) => getPolicy(model, arn))
      .filter((p) => p.path.startsWith(input.PathPrefix ?? '/'))
      .map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
    const { items, ...more } = page(attached, input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...more };
  },

  CreateAccessKey(model, input: CreateAccessKeyRequest, ctx): CreateAccessKeyResponse {
    const user = getUser(model, userNameOrCaller(input.UserName, ctx));
    const { key, secret } = createAccessKey(model, user.name);
    return {
      AccessKey: {
        UserName: user.name,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        SecretAccessKey: secret,
        CreateDate: new Date(key.createDate),
      },
    };
  },

  DeleteAccessKey(model, input: DeleteAccessKeyRequest, ctx): object {
    deleteAccessKey(model, userNameOrCaller(input.UserName, ctx), input.AccessKeyId);
    return {};
  },

  ListAccessKeys(model, input: ListAccessKeysRequest, ctx): ListAccessKeysResponse {
    const user = getUser(model, userNameOrCaller(input.UserName, ctx));
    const { items, ...more } = page(user.accessKeys, input.Marker, input.MaxItems);
    return { AccessKeyMetadata: items.map((k) => renderAccessKey(user, k)), ...more };
  },
};
