import type { Principal } from '../../../core/principal.ts';
import type { Twin } from '../../../twin.ts';
import { useKeyOnBehalf } from '../../kms/lookups.ts';
import { fromKmsError, invalidArgument } from '../errors.ts';
import type { BucketState, EncryptionRule, ObjectEncryption, SseAlgorithm } from './state.ts';

/**
 * Server-side encryption of a write ("Specifying server-side encryption
 * with AWS KMS (SSE-KMS)", S3 User Guide; API_PutObject request headers):
 * - the request's x-amz-server-side-encryption wins, else the bucket's
 *   default encryption applies (SSE-S3 unless configured otherwise);
 * - "If you specify x-amz-server-side-encryption:aws:kms, but don't provide
 *   x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the AWS
 *   managed key (aws/s3)"; a bucket default of aws:kms uses its
 *   KMSMasterKeyID, else aws/s3;
 * - a key id without aws:kms is refused (InvalidArgument).
 * S3 asks KMS for a data key on the caller's behalf (kms:ViaService
 * s3.<region>.amazonaws.com) with the object ARN as encryption context, or
 * the bucket ARN when an S3 Bucket Key is used ("Using Amazon S3 Bucket
 * Keys": "the encryption context is the bucket ARN").
 */
export interface SseRequest {
  ServerSideEncryption?: string | undefined;
  SSEKMSKeyId?: string | undefined;
  BucketKeyEnabled?: boolean | undefined;
}

const ALGORITHMS = new Set<SseAlgorithm>(['AES256', 'aws:kms', 'aws:kms:dsse']);
const AWS_MANAGED_KEY = 'alias/aws/s3';

export const isKms = (a: string | undefined) => a === 'aws:kms' || a === 'aws:kms:dsse';

interface Resolved {
  algorithm: SseAlgorithm;
  keyId?: string;
  bucketKeyEnabled?: boolean;
}

/** Which encryption a write gets, before KMS is asked. */
export function resolveEncryption(rule: EncryptionRule, req: SseRequest): Resolved {
  const asked = req.ServerSideEncryption;
  if (asked !== undefined && !ALGORITHMS.has(asked as SseAlgorithm))
    throw invalidArgument(
      'The encryption method specified is not supported',
      'x-amz-server-side-encryption',
      asked,
    );
  if (req.SSEKMSKeyId && !isKms(asked))
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption',
      asked ?? 'null',
    );
  const algorithm = (asked as SseAlgorithm | undefined) ?? rule.algorithm;
  if (!isKms(algorithm)) return { algorithm };
  const keyId = req.SSEKMSKeyId ?? (asked ? undefined : rule.kmsMasterKeyId) ?? AWS_MANAGED_KEY;
  return { algorithm, keyId, bucketKeyEnabled: req.BucketKeyEnabled ?? rule.bucketKeyEnabled };
}

export interface KeyCaller {
  twin: Twin;
  principal: Principal;
  sourceIp?: string | undefined;
  /** For CloudTrail's record of the KMS call. */
  accessKeyId?: string | undefined;
  /** For AWS services writing on a resource's behalf (log delivery). */
  sourceArn?: string;
  sourceAccount?: string;
}

function contextFor(
  bucket: BucketState,
  key: string,
  bucketKey: boolean | undefined,
): Record<string, string> {
  return { 'aws:s3:arn': bucketKey ? bucket.arn : `${bucket.arn}/${key}` };
}

interface KeyUseOf {
  keyId: string;
  operation: 'GenerateDataKey' | 'Decrypt';
  context: Record<string, string>;
  blob?: Uint8Array | undefined;
}

/**
 * One KMS call for the caller. An alias names a key "within the
 * requester's account" (ServerSideEncryptionRule, note on aliases), so
 * aliases resolve in the caller's account — except for AWS services
 * writing for a bucket (log delivery), whose aliases are the owner's.
 */
function useKey(caller: KeyCaller, bucket: BucketState, use: KeyUseOf) {
  const service = caller.principal.kind === 'service';
  try {
    return useKeyOnBehalf({
      twin: caller.twin,
      region: bucket.region,
      principal: caller.principal,
      keyId: use.keyId,
      operation: use.operation,
      encryptionContext: use.context,
      ...(use.blob && { ciphertextBlob: use.blob }),
      ...(service ? { keyAccountId: bucket.accountId } : { viaService: `s3.${bucket.region}.amazonaws.com` }),
      ...(caller.accessKeyId && { accessKeyId: caller.accessKeyId }),
      ...(caller.sourceIp && { sourceIp: caller.sourceIp }),
      ...(caller.sourceArn && { sourceArn: caller.sourceArn }),
      ...(caller.sourceAccount && { sourceAccount: caller.sourceAccount }),
    });
  } catch (error) {
    throw fromKmsError(error);
  }
}

/** Encrypts a write: for SSE-KMS, a data key from KMS for the caller; returns what the object records. */
export function encryptFor(
  caller: KeyCaller,
  bucket: BucketState,
  key: string,
  req: SseRequest,
): ObjectEncryption {
  const resolved = resolveEncryption(bucket.encryption, req);
  if (!resolved.keyId) return { algorithm: resolved.algorithm };
  const context = contextFor(bucket, key, resolved.bucketKeyEnabled);
  const { keyArn, ciphertextBlob } = useKey(caller, bucket, {
    keyId: resolved.keyId,
    operation: 'GenerateDataKey',
    context,
  });
  return {
    algorithm: resolved.algorithm,
    kmsKeyArn: keyArn,
    bucketKeyEnabled: Boolean(resolved.bucketKeyEnabled),
    ...(ciphertextBlob && { dataKey: { blob: ciphertextBlob, context } }),
  };
}

/** Reading an SSE-KMS object needs kms:Decrypt on its key for the caller; SSE-S3 needs nothing. */
export function decryptFor(
  caller: KeyCaller,
  bucket: BucketState,
  key: string,
  enc: ObjectEncryption | undefined,
): void {
  if (!enc?.kmsKeyArn) return;
  // The object's encrypted data key goes back to KMS with the context it was made with.
  const context = enc.dataKey?.context ?? contextFor(bucket, key, enc.bucketKeyEnabled);
  useKey(caller, bucket, { keyId: enc.kmsKeyArn, operation: 'Decrypt', context, blob: enc.dataKey?.blob });
}

/** Response headers describing an object's encryption (PutObject, GetObject, HeadObject…). */
export function encryptionHeaders(enc: ObjectEncryption | undefined): {
  ServerSideEncryption?: SseAlgorithm;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
} {
  if (!enc) return {};
  return {
    ServerSideEncryption: enc.algorithm,
    ...(enc.kmsKeyArn && { SSEKMSKeyId: enc.kmsKeyArn }),
    ...(enc.bucketKeyEnabled && { BucketKeyEnabled: true }),
  };
}
