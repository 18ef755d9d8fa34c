import type {
  GetKeyPolicyRequest,
  GetKeyPolicyResponse,
  ListKeyPoliciesRequest,
  ListKeyPoliciesResponse,
  PutKeyPolicyRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { malformedPolicy, notFound } from '../errors.ts';
import type { KmsModel } from '../model/index.ts';
import { requireNotPendingDeletion } from '../model/keys.ts';
import { validateKeyPolicy } from '../model/policies.ts';
import type { KeyRecord } from '../model/state.ts';
import { authorizeKey, useKey } from './shared.ts';

/**
 * The key policy lockout safety check: the new policy must let the caller
 * make a later PutKeyPolicy call on the key, judged with the caller's IAM
 * policies too (a policy that delegates to the account still fails for a
 * caller whose IAM policies do not allow kms:PutKeyPolicy). Refused with
 * "MalformedPolicyDocumentException: The new key policy will not allow you
 * to update the key policy in the future." (API_PutKeyPolicy; e.g.
 * terraform-aws-modules/terraform-aws-kms#14).
 */
export function lockoutCheck(
  ctx: RequestContext,
  key: Pick<KeyRecord, 'arn' | 'accountId' | 'tags'>,
  policy: string,
): void {
  try {
    authorizeKey(ctx, { action: 'kms:PutKeyPolicy', key: { ...key, policy } });
  } catch (error) {
    if (error instanceof AwsError && error.code === 'AccessDeniedException') {
      throw malformedPolicy('The new key policy will not allow you to update the key policy in the future.');
    }
    throw error;
  }
}

/** KMS keys have one policy, named `default` ("The only valid name is default", API_GetKeyPolicy). */
function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw notFound('No such policy exists');
}

export const policyHandlers: Record<string, Handler<KmsModel>> = {
  GetKeyPolicy(_model, input: GetKeyPolicyRequest, ctx): GetKeyPolicyResponse {
    const { key } = useKey(ctx, input.KeyId);
    checkPolicyName(input.PolicyName);
    return { Policy: key.policy, PolicyName: 'default' };
  },

  PutKeyPolicy(_model, input: PutKeyPolicyRequest, ctx): object {
    const { key } = useKey(ctx, input.KeyId);
    checkPolicyName(input.PolicyName);
    requireNotPendingDeletion(key);
    validateKeyPolicy(ctx.twin, input.Policy ?? '');
    if (!input.BypassPolicyLockoutSafetyCheck) lockoutCheck(ctx, key, input.Policy!);
    key.policy = input.Policy!;
    return {};
  },

  ListKeyPolicies(_model, input: ListKeyPoliciesRequest, ctx): ListKeyPoliciesResponse {
    useKey(ctx, input.KeyId);
    return { PolicyNames: ['default'], Truncated: false };
  },
};
