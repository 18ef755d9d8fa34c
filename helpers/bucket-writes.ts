import {
  DeleteObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import type { AwsClients } from './clients.ts';
import { cannotTell, classify } from './errors.ts';

/** A write to try against a bucket: what to call it and the encryption headers it sends. */
export type WriteAttempt = [label: string, headers: Partial<PutObjectCommandInput>];

/** What happened to one live write, and, when refused, whether KMS could have been the one refusing. */
export interface LiveWrite {
  label: string;
  landed: boolean;
  /** The error's name when refused (S3 answers AccessDenied for its own refusals and for KMS's alike). */
  error?: string;
  /** The KMS key the write would have used: S3 asks KMS for a data key as the caller. */
  key?: string;
}

/** The condition keys S3 sets from a PutObject's encryption headers (absent header, absent key). */
export function sseConditionKeys(headers: Partial<PutObjectCommandInput>): Record<string, string> {
  return {
    ...(headers.ServerSideEncryption && { 's3:x-amz-server-side-encryption': headers.ServerSideEncryption }),
    ...(headers.SSEKMSKeyId && { 's3:x-amz-server-side-encryption-aws-kms-key-id': headers.SSEKMSKeyId }),
  };
}

/**
 * The KMS key a write would be encrypted under, as named (alias, id or ARN):
 * the header's, or, with no encryption header, the bucket's default SSE-KMS
 * key ("Setting default server-side encryption behavior": the default
 * applies to a PUT without encryption headers); `aws/s3` when SSE-KMS names
 * no key; undefined for SSE-S3, which needs no KMS call.
 *
 * @example
 *   keyOfWrite({ ServerSideEncryption: 'AES256' }, rule) // → undefined
 */
export function keyOfWrite(
  headers: Partial<PutObjectCommandInput>,
  defaultRule: ServerSideEncryptionRule | undefined,
): string | undefined {
  const byDefault = defaultRule?.ApplyServerSideEncryptionByDefault;
  const sse = headers.ServerSideEncryption ?? byDefault?.SSEAlgorithm;
  if (!sse?.startsWith('aws:kms')) return undefined;
  // A key id header comes only with an SSE-KMS header (S3 refuses it alone).
  return headers.SSEKMSKeyId ?? byDefault?.KMSMasterKeyID ?? 'alias/aws/s3';
}

/**
 * Each write tried for real with a run-scoped object under `meshcheck/RUN/`;
 * anything that lands is deleted again, version and all. A refusal is an
 * answer; any other error means the suite cannot tell.
 */
export async function tryWrites(
  { s3 }: AwsClients,
  bucket: string,
  runId: string,
  writes: WriteAttempt[],
  defaultRule: ServerSideEncryptionRule | undefined,
): Promise<LiveWrite[]> {
  const results: LiveWrite[] = [];
  for (const [i, [label, headers]] of writes.entries()) {
    const key = `meshcheck/${runId}/unencrypted-${i}.txt`;
    const kmsKey = keyOfWrite(headers, defaultRule);
    try {
      const { VersionId } = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'meshcheck', ...headers }),
      );
      // The version itself goes (the bucket is versioned); should this fail, the run's sweep removes it.
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId })).catch(() => undefined);
      results.push({ label, landed: true, ...(kmsKey && { key: kmsKey }) });
    } catch (error) {
      if (classify(error) !== 'denied') throw cannotTell(`put s3://${bucket}/${key}`, error);
      results.push({ label, landed: false, error: (error as Error).name, ...(kmsKey && { key: kmsKey }) });
    }
  }
  return results;
}

/**
 * Whose refusal a live write's denial was. S3 answers AccessDenied both
 * when the bucket policy refuses and when KMS refuses the data key it asks
 * for as the caller (only the message differs, which the suite never
 * reads: helpers/errors.ts), so the answer comes from the key policy: a
 * refusal counts for the bucket policy only when the writer could otherwise
 * have written — no key was needed, or the key policy lets the writer use it.
 */
export function refusedBy(write: LiveWrite, writerMayUseKey: boolean | undefined): string {
  if (write.landed) return 'landed (deleted again)';
  if (!write.key || writerMayUseKey) return `refused (${write.error}) by the bucket policy`;
  const why =
    writerMayUseKey === false
      ? `the runner may not use ${write.key}`
      : `whether the runner may use ${write.key} is unknown`;
  return `refused (${write.error}), by KMS or the bucket: ${why}, so this is not the bucket policy's answer`;
}
