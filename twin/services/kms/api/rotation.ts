import type {
  DisableKeyRotationRequest,
  EnableKeyRotationRequest,
  GetKeyRotationStatusRequest,
  GetKeyRotationStatusResponse,
} from '@aws-sdk/client-kms';
import type { Handler } from '../../../core/service.ts';
import { accessDenied, notFound } from '../errors.ts';
import type { KmsModel } from '../model/index.ts';
import { checkPeriod, disableRotation, enableRotation, rotationStatus } from '../model/rotation.ts';
import { type KmsContext, useKey } from './shared.ts';

/**
 * Enable and DisableKeyRotation take "the key ID or key ARN of the KMS key"
 * and are not cross-account ("Cross-account use: No. You cannot perform this
 * operation on a KMS key in a different AWS account", API_EnableKeyRotation),
 * so an alias or another account's key is refused before the key policy is
 * read. The key policy then decides (kms:EnableKeyRotation,
 * kms:DisableKeyRotation), as for every operation on a key.
 */
function ownKey(ctx: KmsContext, ref: string | undefined) {
  const resolved = useKey(ctx, keyIdOrArn(ref));
  if (resolved.key.accountId !== ctx.accountId)
    throw accessDenied(
      `User: ${ctx.principal.arn} is not authorized to perform: kms:${ctx.operation} on resource: ${resolved.key.arn} because the operation is not allowed across accounts`,
    );
  return resolved;
}

/** The rotation operations name a key by "key ID or key ARN", never by alias. */
function keyIdOrArn(ref: string | undefined): string | undefined {
  if (ref?.startsWith('alias/') || /^arn:aws[\w-]*:kms:[^:]*:\d{12}:alias\//.test(ref ?? ''))
    throw notFound(`Invalid keyId ${ref}`);
  return ref;
}

export const rotationHandlers: Record<string, Handler<KmsModel>> = {
  EnableKeyRotation(model, input: EnableKeyRotationRequest, ctx): object {
    if (input.RotationPeriodInDays !== undefined) checkPeriod(input.RotationPeriodInDays);
    enableRotation(ownKey(ctx, input.KeyId).key, model.now, input.RotationPeriodInDays);
    return {};
  },

  DisableKeyRotation(_model, input: DisableKeyRotationRequest, ctx): object {
    disableRotation(ownKey(ctx, input.KeyId).key);
    return {};
  },

  /** Cross-account use: yes, by key ARN (API_GetKeyRotationStatus); authorized by kms:GetKeyRotationStatus. */
  GetKeyRotationStatus(model, input: GetKeyRotationStatusRequest, ctx): GetKeyRotationStatusResponse {
    const { key } = useKey(ctx, keyIdOrArn(input.KeyId));
    const status = rotationStatus(key, model.now);
    return {
      KeyId: key.arn,
      KeyRotationEnabled: status.enabled,
      ...(status.periodDays !== undefined && { RotationPeriodInDays: status.periodDays }),
      ...(status.nextRotation !== undefined && { NextRotationDate: new Date(status.nextRotation) }),
    };
  },
};
