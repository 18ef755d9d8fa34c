/**
 * IAM — roles and their trust policies, users and access keys, inline and
 * managed policies, instance profiles, and the policy simulator.
 *
 * LIMITATIONS
 * - No groups, permissions boundaries, service-linked roles, OIDC/SAML
 *   providers, login profiles, MFA, server certificates or account settings.
 *   PermissionsBoundary parameters are ignored (a boundary never limits).
 * - AWS managed policies are a small catalogue (AdministratorAccess,
 *   ReadOnlyAccess — a subset of AWS's list, for the services the twin
 *   serves — and the Lambda / SSM execution policies); their ids are not
 *   AWS's. They cannot be changed (InvalidInput, where AWS answers AccessDenied).
 * - Documents without `"Version": "2012-10-17"` are accepted (policy
 *   variables are then literal text, as AWS documents); IAM's size quotas
 *   (2,048 / 6,144 / 10,240 characters) and the 10 managed policies per role
 *   are not enforced.
 * - A trust policy naming a role or user that does not exist is refused,
 *   as in AWS; deleting a principal named in a trust policy leaves the ARN
 *   (AWS replaces it with the principal's unique id).
 * - Simulate*: ResourceHandlingOption and PermissionsBoundaryPolicyInputList
 *   are ignored; EvalDecisionDetails is always empty; without a
 *   ResourcePolicy only the identity side is simulated, whoever owns the
 *   resource; with one, KMS key and role ARNs get key-policy semantics.
 * - CreateAccessKey / ListAccessKeys need UserName unless the caller is a
 *   user (no root access keys); UpdateAccessKey is not served.
 */
import * as sdk from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.ts';
import {
  type AuthorizationRequest,
  defineService,
  type Handler,
  type ServiceDefinition,
} from '../../core/service.ts';
import { GLOBAL_REGION } from '../../twin.ts';
import { instanceProfileHandlers } from './api/instance-profiles.ts';
import { policyHandlers } from './api/policies.ts';
import { roleHandlers } from './api/roles.ts';
import { simulateHandlers } from './api/simulate.ts';
import { userHandlers, userNameOrCaller } from './api/users.ts';
import { accessDenied } from './errors.ts';
import { IamModel } from './model/index.ts';

const handlers: Record<string, Handler<IamModel>> = {
  ...roleHandlers,
  ...policyHandlers,
  ...userHandlers,
  ...instanceProfileHandlers,
  ...simulateHandlers,
};

type Kind = 'role' | 'user' | 'instance-profile';
const NAME_PARAM: Record<Kind, string> = {
  role: 'RoleName',
  user: 'UserName',
  'instance-profile': 'InstanceProfileName',
};

/** The kind of entity an operation acts on, from the name parameter it takes. */
function entityKind(
  operation: string,
  input: Record<string, unknown>,
): Kind | 'policy' | 'source' | undefined {
  if (operation.startsWith('Simulate')) return operation === 'SimulatePrincipalPolicy' ? 'source' : undefined;
  if (input.InstanceProfileName !== undefined) return 'instance-profile';
  if (input.RoleName !== undefined) return 'role';
  if (input.UserName !== undefined || /AccessKey|^GetUser$/.test(operation)) return 'user';
  if (input.PolicyArn !== undefined || operation === 'CreatePolicy') return 'policy';
  return undefined;
}

/** The ARN of the entity acted on, with its path when the entity exists already. */
function entityArn(
  model: IamModel,
  kind: Kind | 'policy',
  input: Record<string, unknown>,
  ctx: RequestContext,
): string {
  if (kind === 'policy') {
    return (
      (input.PolicyArn as string | undefined) ??
      model.arn('policy', (input.Path as string) ?? '/', String(input.PolicyName))
    );
  }
  const name =
    kind === 'user'
      ? userNameOrCaller(input.UserName as string | undefined, ctx)
      : String(input[NAME_PARAM[kind]]);
  const maps = { role: model.roles, user: model.users, 'instance-profile': model.instanceProfiles } as const;
  const existing = maps[kind].get(name.toLowerCase());
  return existing?.arn ?? model.arn(kind, (input.Path as string) ?? '/', name);
}

/**
 * IAM actions are `iam:<Operation>` on the ARN of the role, user, policy or
 * instance profile acted on ("Actions, resources, and condition keys for
 * IAM"); lists and SimulateCustomPolicy act on `*`.
 */
function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest {
  const action = `iam:${operation}`;
  const kind = entityKind(operation, input);
  if (!kind) return { action, resource: '*' };
  if (kind === 'source')
    return { action, resource: String(input.PolicySourceArn ?? '*'), resourceAccount: ctx.accountId };
  if (kind === 'user' && ctx.principal.kind === 'root' && !input.UserName)
    return { action, resource: ctx.principal.arn };
  const model = ctx.twin.model(iam, ctx.accountId, GLOBAL_REGION);
  const resource = entityArn(model, kind, input, ctx);
  const context =
    input.PolicyArn !== undefined && /Attach|Detach/.test(operation)
      ? { 'iam:PolicyARN': String(input.PolicyArn) }
      : undefined;
  return { action, resource, resourceAccount: ctx.accountId, ...(context && { context }) };
}

export const iam: ServiceDefinition<IamModel> = defineService<IamModel>({
  signingName: 'iam',
  iamPrefix: 'iam',
  protocol: 'awsQuery',
  sdk,
  namespace: 'com.amazonaws.iam',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  version: '2010-05-08',
  global: true,
  createModel: (twin, accountId): IamModel =>
    new IamModel(twin, accountId, (peer): IamModel => twin.model(iam, peer, GLOBAL_REGION)),
  accessDenied,
  authorization,
  handlers,
});
