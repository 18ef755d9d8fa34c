/**
 * What CloudTrail records of KMS calls (KMS Developer Guide, "Logging AWS
 * KMS API calls with AWS CloudTrail" and its per-operation examples):
 * - resources: the key, `{ type: 'AWS::KMS::Key', ARN }`;
 * - Decrypt "always includes the encryptionAlgorithm in the
 *   requestParameters even if the encryption algorithm wasn't specified",
 *   with keyId (the key's ARN) and encryptionContext; ciphertext and
 *   plaintext are omitted (ct-decrypt);
 * - "Cross-account operations on KMS keys are logged in both the caller
 *   account and the KMS key owner account. However, cross-account AWS KMS
 *   requests that are rejected because access is denied are logged only in
 *   the caller's account": a failed call is recorded for the caller only.
 */
import type { RequestContext } from '../../../core/context.ts';
import { auditParameters } from '../../../gateway/record.ts';
import { blobKeyArn } from '../model/crypto.ts';
import { touchedKey } from './shared.ts';

type Input = Record<string, unknown>;

function withContext(params: Input, context: unknown): Input {
  return context && Object.keys(context as object).length
    ? { ...params, encryptionContext: context }
    : params;
}

/** requestParameters of the cryptographic operations, as KMS's CloudTrail examples show them. */
export function cryptoParameters(
  operation: string,
  input: Input,
  keyArn: string | undefined,
): Input | undefined {
  const algorithm = (input.EncryptionAlgorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
  switch (operation) {
    case 'Decrypt':
      return withContext(
        { encryptionAlgorithm: algorithm, ...(keyArn && { keyId: keyArn }) },
        input.EncryptionContext,
      );
    case 'Encrypt':
      return withContext({ keyId: input.KeyId, encryptionAlgorithm: algorithm }, input.EncryptionContext);
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
      return withContext(
        {
          keyId: input.KeyId,
          ...(input.KeySpec !== undefined && { keySpec: input.KeySpec }),
          ...(input.NumberOfBytes !== undefined && { numberOfBytes: input.NumberOfBytes }),
        },
        input.EncryptionContext,
      );
    default:
      return undefined;
  }
}

/** `KeyMetadata` → `keyMetadata`, recursively, dates as ISO text. */
function lowerCamel(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(lowerCamel);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k === 'AWSAccountId' ? 'aWSAccountId' : k[0]!.toLowerCase() + k.slice(1),
      lowerCamel(v),
    ]),
  );
}

const RESPONSE_RECORDED = new Set(['CreateKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']);

/** The KMS definition's audit hook. */
export function kmsAudit(operation: string, input: Input, output: unknown, ctx: RequestContext) {
  const key = touchedKey(ctx);
  const created =
    operation === 'CreateKey'
      ? (output as { KeyMetadata?: { Arn?: string } } | undefined)?.KeyMetadata?.Arn
      : undefined;
  const keyArn =
    key?.arn ?? created ?? (operation === 'Decrypt' ? blobKeyArn(input.CiphertextBlob) : undefined);
  const failed = output === undefined;
  return {
    requestParameters: cryptoParameters(operation, input, keyArn) ?? auditParameters(input),
    responseElements: !failed && RESPONSE_RECORDED.has(operation) ? (lowerCamel(output) as Input) : null,
    resources: keyArn ? [{ type: 'AWS::KMS::Key', arn: keyArn }] : [],
    recipientAccountId: failed ? ctx.accountId : (key?.accountId ?? ctx.accountId),
  };
}
