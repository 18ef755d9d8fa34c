import type {
  CancelKeyDeletionRequest,
  CancelKeyDeletionResponse,
  CreateKeyRequest,
  CreateKeyResponse,
  DescribeKeyRequest,
  DescribeKeyResponse,
  DisableKeyRequest,
  EnableKeyRequest,
  ListKeysRequest,
  ListKeysResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { unsupported } from '../errors.ts';
import type { KmsModel } from '../model/index.ts';
import { cancelDeletion, createKey, keyState, scheduleDeletion, setEnabled } from '../model/keys.ts';
import { defaultKeyPolicy, validateKeyPolicy } from '../model/policies.ts';
import type { KmsTag } from '../model/state.ts';
import { lockoutCheck } from './policies.ts';
import { keyMetadata } from './render.ts';
import { page, useKey } from './shared.ts';
import { checkTags } from './tags.ts';

/** The twin serves symmetric encryption keys made by KMS only (see LIMITATIONS in api.ts). */
function checkSupported(input: CreateKeyRequest): void {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const problems = [
    (input.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT' && `KeyUsage ${input.KeyUsage}`,
    spec !== 'SYMMETRIC_DEFAULT' && `KeySpec ${spec}`,
    (input.Origin ?? 'AWS_KMS') !== 'AWS_KMS' && `Origin ${input.Origin}`,
    input.MultiRegion && 'multi-Region keys',
    input.CustomKeyStoreId && 'custom key stores',
  ].filter(Boolean);
  if (problems.length) throw unsupported(`The twin does not emulate ${problems.join(', ')}.`);
}

/**
 * CreateKey: with a Policy, "the key policy must allow the calling principal
 * to make a subsequent PutKeyPolicy request on the KMS key" unless
 * BypassPolicyLockoutSafetyCheck (API_CreateKey); without one, the default
 * key policy.
 */
function CreateKey(model: KmsModel, input: CreateKeyRequest, ctx: RequestContext): CreateKeyResponse {
  checkSupported(input);
  const tags = checkTags((input.Tags ?? []) as KmsTag[]);
  const keyId = model.twin.ids.uuid();
  const policy = input.Policy ?? defaultKeyPolicy(model.accountId);
  if (input.Policy !== undefined) {
    validateKeyPolicy(model.twin, input.Policy);
    if (!input.BypassPolicyLockoutSafetyCheck) {
      lockoutCheck(
        ctx,
        {
          arn: `arn:aws:kms:${model.region}:${model.accountId}:key/${keyId}`,
          accountId: model.accountId,
          tags,
        },
        policy,
      );
    }
  }
  const key = createKey(model, {
    keyId,
    policy,
    tags,
    ...(input.Description !== undefined && { description: input.Description }),
  });
  return { KeyMetadata: keyMetadata(key) };
}

export const keyHandlers: Record<string, Handler<KmsModel>> = {
  CreateKey,

  DescribeKey(_model, input: DescribeKeyRequest, ctx): DescribeKeyResponse {
    return { KeyMetadata: keyMetadata(useKey(ctx, input.KeyId).key) };
  },

  ListKeys(model, input: ListKeysRequest): ListKeysResponse {
    const keys = model.keys().map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
    const { items, next } = page(keys, input.Limit, input.Marker, 1000, 100);
    return { Keys: items, Truncated: next !== undefined, ...(next && { NextMarker: next }) };
  },

  EnableKey(_model, input: EnableKeyRequest, ctx): object {
    setEnabled(useKey(ctx, input.KeyId).key, true);
    return {};
  },

  DisableKey(_model, input: DisableKeyRequest, ctx): object {
    setEnabled(useKey(ctx, input.KeyId).key, false);
    return {};
  },

  ScheduleKeyDeletion(_model, input: ScheduleKeyDeletionRequest, ctx): ScheduleKeyDeletionResponse {
    const { key, owner } = useKey(ctx, input.KeyId);
    const at = scheduleDeletion(owner, key, input.PendingWindowInDays);
    return {
      KeyId: key.arn,
      DeletionDate: new Date(at),
      KeyState: keyState(key),
      PendingWindowInDays: key.pendingWindowInDays,
    };
  },

  CancelKeyDeletion(_model, input: CancelKeyDeletionRequest, ctx): CancelKeyDeletionResponse {
    const { key } = useKey(ctx, input.KeyId);
    cancelDeletion(key);
    return { KeyId: key.arn };
  },
};
