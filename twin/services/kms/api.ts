/**
 * KMS (TrentService, awsJson 1.1) — symmetric encryption keys, their key
 * policies, aliases, tags and the cryptographic operations, with key-policy
 * authorization: IAM policies count only where the key policy delegates to
 * the account ("Key policies in AWS KMS").
 *
 * LIMITATIONS
 * - Symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, origin
 *   AWS_KMS) only: no asymmetric or HMAC keys, imported material, custom key
 *   stores, multi-Region keys, on-demand rotation (RotateKeyOnDemand,
 *   ListKeyRotations), grants (CreateGrant and grant
 *   tokens are not served; a grant never allows), Sign/Verify, GenerateMac,
 *   GenerateRandom, data key pairs or dry runs. Such requests answer
 *   UnsupportedOperationException or NotImplemented.
 * - Automatic rotation (Enable/DisableKeyRotation, GetKeyRotationStatus) is
 *   a schedule only: the key material never changes, so no rotation ever
 *   shows in CloudTrail and old ciphertexts stay valid (as they do on AWS).
 *   An alias as KeyId answers NotFoundException and another account's key
 *   AccessDeniedException; AWS's exact wording for both is not documented.
 * - Ciphertext blobs are the twin's own format (key ARN + context digest +
 *   AES-256-GCM); a blob from real AWS is an InvalidCiphertextException.
 * - The key policy lockout check evaluates the new policy with the caller's
 *   IAM policies as KMS does; principals named in a key policy must have a
 *   valid shape, and roles must exist in accounts the twin knows — users
 *   named by ARN are not checked for existence.
 * - Key policy size is checked (32 KB), statement count and tag count quotas
 *   are not; request quotas (throttling) only through the fault plan.
 * - Access-denied messages follow KMS's current wording (a key-policy
 *   refusal hides whether the key exists); a nonexistent key named by ARN in
 *   another account answers NotFoundException, where AWS may answer
 *   AccessDeniedException.
 * - AWS managed keys exist for aws/s3, aws/sns, aws/sqs and aws/lambda only
 *   (made on first use); their key ids are random, not AWS's.
 * - CloudTrail: responseElements dates are ISO text (AWS prints
 *   "Jul 27, 2020, 10:58:24 PM"); Decrypt, Encrypt and GenerateDataKey are
 *   read-only events, which CloudTrail's renderer applies.
 */

import type { CreateKeyRequest } from '@aws-sdk/client-kms';
import * as sdk from '@aws-sdk/client-kms';
import { type AuthorizationRequest, defineService, type Handler } from '../../core/service.ts';
import { aliasHandlers } from './api/aliases.ts';
import { kmsAudit } from './api/audit.ts';
import { cryptoHandlers } from './api/crypto.ts';
import { keyHandlers } from './api/keys.ts';
import { policyHandlers } from './api/policies.ts';
import { rotationHandlers } from './api/rotation.ts';
import { tagHandlers } from './api/tags.ts';
import { accessDenied } from './errors.ts';
import { KmsModel } from './model/index.ts';

const handlers: Record<string, Handler<KmsModel>> = {
  ...keyHandlers,
  ...aliasHandlers,
  ...policyHandlers,
  ...tagHandlers,
  ...cryptoHandlers,
  ...rotationHandlers,
};

/** Operations on no key: IAM policies alone decide (`kms:CreateKey`, `kms:ListKeys`, `kms:ListAliases` on `*`). */
const ACCOUNT_LEVEL = new Set(['CreateKey', 'ListKeys', 'ListAliases']);

/** CreateKey's condition keys: kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion, the request's tags. */
function createKeyRequest(input: CreateKeyRequest): AuthorizationRequest {
  const tags: NonNullable<AuthorizationRequest['context']> = {};
  for (const t of input.Tags ?? []) tags[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
  return {
    action: 'kms:CreateKey',
    resource: '*',
    context: {
      'kms:KeySpec': input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
      'kms:KeyUsage': input.KeyUsage ?? 'ENCRYPT_DECRYPT',
      'kms:KeyOrigin': input.Origin ?? 'AWS_KMS',
      'kms:MultiRegion': input.MultiRegion ?? false,
      'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck ?? false,
      ...tags,
      ...(input.Tags?.length && { 'aws:TagKeys': input.Tags.map((t) => t.TagKey!) }),
    },
  };
}

export const kms = defineService<KmsModel>({
  signingName: 'kms',
  iamPrefix: 'kms',
  protocol: 'awsJson1_1',
  sdk,
  namespace: 'com.amazonaws.kms',
  targetPrefix: 'TrentService',
  createModel: (twin, accountId, region) => new KmsModel(twin, accountId, region),
  accessDenied,
  // Operations on a key are authorized by its key policy once the handler has found the key
  // (for Decrypt, from the ciphertext blob itself).
  authorization(operation, input) {
    if (operation === 'CreateKey') return createKeyRequest(input as CreateKeyRequest);
    if (ACCOUNT_LEVEL.has(operation)) return undefined;
    return operation in handlers ? 'in-handler' : undefined;
  },
  audit: kmsAudit,
  handlers,
});
