import type { Principal } from '../../core/principal.ts';
import type { AuthorizationRequest } from '../../core/service.ts';
import { decide } from '../../iam/authorize.ts';
import type { Twin } from '../../twin.ts';
import { accessDenied, noSuchBucket } from './errors.ts';
import { etagOf } from './model/checksums.ts';
import { encryptFor } from './model/encryption.ts';
import { bucketIndex } from './model/index.ts';
import { listObjects } from './model/listing.ts';
import { currentObject, putVersion } from './model/objects.ts';
import type { BucketState, ObjectEncryption } from './model/state.ts';

/**
 * What other parts of the twin need of S3: finding a bucket by name
 * wherever it lives (flow-log and CloudTrail delivery, the Lambda runtime),
 * and writing into it as an AWS service does — judged by the bucket policy
 * for the service principal (with aws:SourceArn / aws:SourceAccount) and
 * encrypted with the bucket's default encryption through KMS, as the
 * public API would.
 */
export type { BucketState, ObjectVersion } from './model/state.ts';

/** The bucket of that name, in whichever account and Region owns it. */
export function findBucket(twin: Twin, name: string): BucketState | undefined {
  return bucketIndex(twin).get(name);
}

/** Throws S3's AccessDenied unless `principal` may do `action` on the bucket (or `key` in it). */
export function authorizeOnBucket(
  twin: Twin,
  principal: Principal,
  bucket: BucketState,
  action: string,
  options: { key?: string; context?: AuthorizationRequest['context'] } = {},
): void {
  const resource = options.key === undefined ? bucket.arn : `${bucket.arn}/${options.key}`;
  const decision = decide(
    twin,
    principal,
    {
      action,
      resource,
      resourcePolicy: bucket.policy,
      resourceAccount: bucket.accountId,
      context: { 's3:ResourceAccount': bucket.accountId, ...options.context },
    },
    { region: bucket.region, time: twin.clock.now(), sourceIp: '127.0.0.1', secureTransport: true },
  );
  if (!decision.allowed)
    throw accessDenied(
      `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${decision.because}`,
    );
}

export interface ServiceWrite {
  bucket: string;
  key: string;
  body: Buffer;
  contentType?: string;
  /** `delivery.logs.amazonaws.com`, `cloudtrail.amazonaws.com` … */
  principal: Principal;
  /** The resource the service writes for (the flow log, the trail). */
  sourceArn?: string;
  sourceAccount?: string;
  /** The canned ACL the service sends (`bucket-owner-full-control`), for s3:x-amz-acl conditions. */
  acl?: string;
}

/**
 * An AWS service writes an object (VPC Flow Logs, CloudTrail). Throws S3's
 * NoSuchBucket or AccessDenied, or the KMS error S3 would answer, so the
 * caller can record a failed delivery.
 */
export function putObjectAs(
  twin: Twin,
  write: ServiceWrite,
): { etag: string; versionId: string; encryption: ObjectEncryption } {
  const bucket = findBucket(twin, write.bucket);
  if (!bucket) throw noSuchBucket(write.bucket);
  authorizeOnBucket(twin, write.principal, bucket, 's3:PutObject', {
    key: write.key,
    context: {
      ...(write.sourceArn && { 'aws:SourceArn': write.sourceArn }),
      ...(write.sourceAccount && { 'aws:SourceAccount': write.sourceAccount }),
      ...(write.acl && { 's3:x-amz-acl': write.acl }),
    },
  });
  const encryption = encryptFor(
    {
      twin,
      principal: write.principal,
      ...(write.sourceArn && { sourceArn: write.sourceArn }),
      ...(write.sourceAccount && { sourceAccount: write.sourceAccount }),
    },
    bucket,
    write.key,
    {},
  );
  const stored = putVersion(
    bucket,
    {
      key: write.key,
      deleteMarker: false,
      body: write.body,
      etag: etagOf(write.body),
      lastModified: twin.clock.now(),
      contentType: write.contentType ?? 'binary/octet-stream',
      metadata: {},
      headers: {},
      tags: [],
      encryption,
    },
    twin.ids,
  );
  return { etag: stored.etag, versionId: stored.versionId, encryption };
}

/** Keys of a bucket under a prefix, in listing order (for readers of delivered logs in tests and seeds). */
export function listKeys(twin: Twin, bucketName: string, prefix = ''): string[] {
  const bucket = findBucket(twin, bucketName);
  if (!bucket) return [];
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = listObjects(bucket, { prefix }, after);
    for (const e of page.entries) if (e.kind === 'item') keys.push(e.key);
    if (!page.truncated) return keys;
    after = page.last;
  }
}

/** An object's bytes as stored, without any authorization (twin-internal readers only). */
export function objectBytes(twin: Twin, bucketName: string, key: string): Buffer | undefined {
  const bucket = findBucket(twin, bucketName);
  return bucket ? currentObject(bucket, key)?.body : undefined;
}
