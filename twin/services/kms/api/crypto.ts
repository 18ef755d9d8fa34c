import type {
  DecryptRequest,
  DecryptResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  ReEncryptRequest,
  ReEncryptResponse,
} from '@aws-sdk/client-kms';
import type { Handler } from '../../../core/service.ts';
import { incorrectKey } from '../errors.ts';
import { open, seal } from '../model/ciphertext.ts';
import { blobKey, checkAlgorithm, checkPlaintext, dataKeyLength, freshDataKey } from '../model/crypto.ts';
import type { KmsModel } from '../model/index.ts';
import { requireUsable } from '../model/keys.ts';
import { resolveKey } from '../model/resolve.ts';
import type { KeyRecord } from '../model/state.ts';
import { authorizeKey, type KmsContext, modelsOf, noteKey, useKey } from './shared.ts';

/** Resolves and authorizes the key a cryptographic operation names, and checks it is Enabled. */
function usableKey(
  ctx: KmsContext,
  ref: string | undefined,
  context: Record<string, string> | undefined,
  action = `kms:${ctx.operation}`,
): KeyRecord {
  const { key } = useKey(ctx, ref, {
    encryptionContext: context,
    encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    action,
  });
  requireUsable(key);
  return key;
}

/**
 * The plaintext of a blob for Decrypt and ReEncrypt: the key comes from the
 * blob, so authorization happens here ("in-handler"); a KeyId that names a
 * different key is an IncorrectKeyException (API_Decrypt).
 */
function openBlob(
  ctx: KmsContext,
  input: { blob?: Uint8Array; keyId?: string; context?: Record<string, string>; algorithm?: string },
  action: string,
): { key: KeyRecord; plaintext: Uint8Array } {
  const found = blobKey(modelsOf(ctx), input.blob, ctx);
  noteKey(ctx, found.key);
  const algorithm = checkAlgorithm(input.algorithm);
  authorizeKey(ctx, {
    action,
    key: found.key,
    encryptionContext: input.context,
    encryptionAlgorithm: algorithm,
  });
  if (input.keyId !== undefined && resolveKey(modelsOf(ctx), input.keyId, ctx).key.arn !== found.key.arn) {
    throw incorrectKey();
  }
  requireUsable(found.key);
  return { key: found.key, plaintext: open(found.key.material, found.blob, input.context) };
}

export const cryptoHandlers: Record<string, Handler<KmsModel>> = {
  Encrypt(_model, input: EncryptRequest, ctx): EncryptResponse {
    const plaintext = checkPlaintext(input.Plaintext);
    checkAlgorithm(input.EncryptionAlgorithm);
    const key = usableKey(ctx, input.KeyId, input.EncryptionContext);
    return {
      CiphertextBlob: seal(key.material, key.arn, plaintext, input.EncryptionContext),
      KeyId: key.arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },

  Decrypt(_model, input: DecryptRequest, ctx): DecryptResponse {
    const { key, plaintext } = openBlob(
      ctx,
      {
        blob: input.CiphertextBlob,
        keyId: input.KeyId,
        context: input.EncryptionContext,
        algorithm: input.EncryptionAlgorithm,
      },
      'kms:Decrypt',
    );
    return { KeyId: key.arn, Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },

  GenerateDataKey(_model, input: GenerateDataKeyRequest, ctx): GenerateDataKeyResponse {
    const length = dataKeyLength(input.KeySpec, input.NumberOfBytes);
    const key = usableKey(ctx, input.KeyId, input.EncryptionContext);
    const plaintext = freshDataKey(length);
    return {
      CiphertextBlob: seal(key.material, key.arn, plaintext, input.EncryptionContext),
      Plaintext: plaintext,
      KeyId: key.arn,
    };
  },

  GenerateDataKeyWithoutPlaintext(
    _model,
    input: GenerateDataKeyWithoutPlaintextRequest,
    ctx,
  ): GenerateDataKeyWithoutPlaintextResponse {
    const length = dataKeyLength(input.KeySpec, input.NumberOfBytes);
    const key = usableKey(ctx, input.KeyId, input.EncryptionContext);
    return {
      CiphertextBlob: seal(key.material, key.arn, freshDataKey(length), input.EncryptionContext),
      KeyId: key.arn,
    };
  },

  /** ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination (API_ReEncrypt). */
  ReEncrypt(_model, input: ReEncryptRequest, ctx): ReEncryptResponse {
    const source = openBlob(
      ctx,
      {
        blob: input.CiphertextBlob,
        keyId: input.SourceKeyId,
        context: input.SourceEncryptionContext,
        algorithm: input.SourceEncryptionAlgorithm,
      },
      'kms:ReEncryptFrom',
    );
    checkAlgorithm(input.DestinationEncryptionAlgorithm);
    const target = usableKey(
      ctx,
      input.DestinationKeyId,
      input.DestinationEncryptionContext,
      'kms:ReEncryptTo',
    );
    return {
      CiphertextBlob: seal(target.material, target.arn, source.plaintext, input.DestinationEncryptionContext),
      SourceKeyId: source.key.arn,
      KeyId: target.arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },
};
