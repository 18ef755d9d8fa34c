/**
 * What other services need of KMS when they use a key on a caller's behalf
 * (S3 SSE-KMS, SNS and SQS encryption): AWS checks the key policy for the
 * caller with `kms:ViaService` (or, for a service principal, with
 * aws:SourceArn / aws:SourceAccount), and records the KMS call in
 * CloudTrail with `invokedBy` and the service as sourceIPAddress and
 * userAgent ("AWS KMS condition keys: kms:ViaService"; e.g. the Decrypt
 * event of aws-samples/baseline-environment-on-aws#51:
 * `"sourceIPAddress": "config.amazonaws.com", "invokedBy": "config.amazonaws.com"`).
 */
import type { ApiCall } from '../../core/audit.ts';
import type { AwsError } from '../../core/errors.ts';
import type { Principal } from '../../core/principal.ts';
import { decide } from '../../iam/authorize.ts';
import type { Twin } from '../../twin.ts';
import { cryptoParameters } from './api/audit.ts';
import { kms } from './api.ts';
import { accessDenied, incorrectKey } from './errors.ts';
import { denialMessage, keyRequest } from './model/access.ts';
import { open, seal } from './model/ciphertext.ts';
import { blobKey, freshDataKey } from './model/crypto.ts';
import { requireUsable } from './model/keys.ts';
import { type ModelOf, type ResolvedKey, resolveKey } from './model/resolve.ts';

export interface KeyUse {
  twin: Twin;
  region: string;
  /** Who the key is used for (the S3 caller, the SNS publisher, or a service principal). */
  principal: Principal;
  /** Key id, key ARN, alias name (`alias/x`, including `alias/aws/s3`) or alias ARN. */
  keyId: string;
  operation: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
  encryptionContext?: Record<string, string>;
  /** `s3.us-east-1.amazonaws.com`: the service calling on the principal's behalf. */
  viaService?: string;
  sourceIp?: string;
  /** aws:SourceArn / aws:SourceAccount when a service principal acts for a resource. */
  sourceArn?: string;
  sourceAccount?: string;
  /** The caller's access key, for CloudTrail's userIdentity. */
  accessKeyId?: string;
  /** Account whose aliases an alias name is looked up in; the principal's by default (the bucket owner's for S3). */
  keyAccountId?: string;
  /** Decrypt: the stored blob; the key is then found from the blob, and `keyId` must name the same key. */
  ciphertextBlob?: Uint8Array;
  /** Encrypt: what to encrypt (4 KB at most, as Encrypt). */
  plaintext?: Uint8Array;
  /** GenerateDataKey: the data key size (32 by default, AES_256). */
  numberOfBytes?: number;
}

export interface KeyUseResult {
  keyArn: string;
  keyId: string;
  /** GenerateDataKey: the data key; Decrypt with a blob: its plaintext. */
  plaintext?: Uint8Array;
  /** GenerateDataKey: the data key encrypted under the key; Encrypt: the ciphertext. */
  ciphertextBlob?: Uint8Array;
}

/** `s3.us-east-1.amazonaws.com` → `s3.amazonaws.com`, as CloudTrail names the calling service. */
function serviceHost(use: KeyUse): string | undefined {
  if (use.principal.kind === 'service') return use.principal.service;
  const service = use.viaService?.split('.')[0];
  return service ? `${service}.amazonaws.com` : undefined;
}

function findKey(use: KeyUse, modelOf: ModelOf): ResolvedKey & { blob?: ReturnType<typeof blobKey>['blob'] } {
  const caller = { accountId: use.keyAccountId ?? use.principal.accountId, region: use.region };
  const named = resolveKey(modelOf, use.keyId, caller);
  if (use.operation !== 'Decrypt' || !use.ciphertextBlob) return named;
  const found = blobKey(modelOf, use.ciphertextBlob, caller);
  if (found.key.arn !== named.key.arn) throw incorrectKey();
  return found;
}

function authorize(use: KeyUse, found: ResolvedKey): void {
  const service = use.principal.kind === 'service';
  const request = keyRequest({
    action: `kms:${use.operation}`,
    key: found.key,
    callerAccount: service ? undefined : use.principal.accountId,
    viaService: use.viaService,
    encryptionContext: use.encryptionContext,
    encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    requestAlias: found.requestAlias,
    extra: {
      ...(use.sourceArn && { 'aws:SourceArn': use.sourceArn }),
      ...(use.sourceAccount && { 'aws:SourceAccount': use.sourceAccount }),
    },
  });
  const decision = decide(use.twin, use.principal, request, {
    region: use.region,
    time: use.twin.clock.now(),
    sourceIp: use.sourceIp ?? '',
    secureTransport: true,
    ...(use.viaService && { viaService: use.viaService }),
  });
  if (!decision.allowed) {
    throw accessDenied(denialMessage(use.principal.arn, request.action, found.key.arn, decision.because));
  }
}

function material(use: KeyUse, found: ReturnType<typeof findKey>): Omit<KeyUseResult, 'keyArn' | 'keyId'> {
  const { key } = found;
  if (use.operation === 'GenerateDataKey') {
    const plaintext = freshDataKey(use.numberOfBytes ?? 32);
    return { plaintext, ciphertextBlob: seal(key.material, key.arn, plaintext, use.encryptionContext) };
  }
  if (use.operation === 'Encrypt' && use.plaintext) {
    return { ciphertextBlob: seal(key.material, key.arn, use.plaintext, use.encryptionContext) };
  }
  if (use.operation === 'Decrypt' && use.ciphertextBlob) {
    return { plaintext: open(key.material, found.blob!, use.encryptionContext) };
  }
  return {};
}

function record(use: KeyUse, keyArn: string | undefined, owner: string | undefined, error?: AwsError): void {
  const host = serviceHost(use);
  const call: ApiCall = {
    eventId: use.twin.ids.uuid(),
    time: use.twin.clock.now(),
    eventSource: 'kms.amazonaws.com',
    eventName: use.operation,
    region: use.region,
    recipientAccountId: !error && owner ? owner : use.principal.accountId,
    principal: use.principal,
    accessKeyId: use.accessKeyId,
    ...(host && { invokedBy: host }),
    sourceIp: host ?? use.sourceIp ?? '',
    userAgent: host ?? 'AWS Internal',
    requestId: use.twin.ids.uuid(),
    requestParameters:
      cryptoParameters(
        use.operation,
        {
          KeyId: use.keyId,
          EncryptionContext: use.encryptionContext,
          ...(use.operation === 'GenerateDataKey' && { KeySpec: 'AES_256' }),
        },
        keyArn,
      ) ?? null,
    responseElements: null,
    ...(error && { errorCode: error.code, errorMessage: error.message }),
    readOnly: true,
    management: true,
    resources: keyArn ? [{ type: 'AWS::KMS::Key', arn: keyArn }] : [],
  };
  use.twin.recordCall(call);
}

/**
 * Uses a key on a caller's behalf: resolves it (AWS managed `aws/<service>`
 * keys are made on first use), checks the key policy for the principal and
 * the key's state, records the KMS call for CloudTrail, and does the
 * cryptography. Throws KMS's own errors (AccessDeniedException,
 * DisabledException, KMSInvalidStateException, NotFoundException,
 * InvalidCiphertextException); callers map them to theirs.
 *
 * @example
 *   const { keyArn, plaintext, ciphertextBlob } = useKeyOnBehalf({ twin, region, principal,
 *     keyId: 'alias/aws/s3', operation: 'GenerateDataKey', viaService: `s3.${region}.amazonaws.com` });
 */
export function useKeyOnBehalf(use: KeyUse): KeyUseResult {
  const modelOf: ModelOf = (accountId, region) => use.twin.model(kms, accountId, region);
  let found: ReturnType<typeof findKey> | undefined;
  try {
    found = findKey(use, modelOf);
    authorize(use, found);
    requireUsable(found.key);
    const out = material(use, found);
    record(use, found.key.arn, found.key.accountId);
    return { keyArn: found.key.arn, keyId: found.key.keyId, ...out };
  } catch (error) {
    record(use, found?.key.arn, found?.key.accountId, error as AwsError);
    throw error;
  }
}
