import { createHash } from 'node:crypto';
import type { RequestContext } from '../../../core/context.ts';
import type { ServiceDefinition } from '../../../core/service.ts';
import { noSuchBucket, plainAccessDenied } from '../errors.ts';
import type { KeyCaller } from '../model/encryption.ts';
import { bucketIndex, type S3Model } from '../model/index.ts';
import type { BucketState } from '../model/state.ts';

/**
 * How a request finds its bucket: by name in the twin-wide index, in
 * whichever account and Region owns it — cross-account access is ordinary
 * S3 (the caller's own model is not where the bucket is).
 */
export function bucketOf(
  ctx: RequestContext,
  input: { Bucket?: string; ExpectedBucketOwner?: string },
): BucketState {
  const bucket = bucketIndex(ctx.twin).get(input.Bucket ?? '');
  if (!bucket) throw noSuchBucket(input.Bucket ?? '');
  // "If the bucket is owned by a different account, the request fails with the HTTP status code 403 Forbidden (access denied)."
  if (input.ExpectedBucketOwner && input.ExpectedBucketOwner !== bucket.accountId) throw plainAccessDenied();
  return bucket;
}

/** The owner's model (account and Region) of a bucket. */
export function ownerModel(ctx: RequestContext, bucket: BucketState): S3Model {
  return ctx.twin.model(ctx.service as ServiceDefinition<S3Model>, bucket.accountId, bucket.region);
}

/** The caller as KMS sees it when S3 uses a key on its behalf. */
export function keyCaller(ctx: RequestContext): KeyCaller {
  return { twin: ctx.twin, principal: ctx.principal, sourceIp: ctx.sourceIp, accessKeyId: ctx.accessKeyId };
}

/**
 * The canonical user id S3 shows as an account's Owner.ID: 64 hex
 * characters; derived from the account id so it is stable.
 */
export function canonicalId(accountId: string): string {
  return createHash('sha256').update(`s3-canonical:${accountId}`).digest('hex');
}

export function ownerOf(accountId: string): { ID: string } {
  return { ID: canonicalId(accountId) };
}

/**
 * The answer of an operation whose output shape is empty (PutBucketPolicy,
 * DeleteBucket…): S3 sends 204 for deletes and 200 for puts, which the
 * protocol writes from the operation's `@http` code.
 */
export const noContent = () => ({});

/** `Bucket=…&Key=…` keys CloudTrail shows as requestParameters. */
export function auditName(name: string): string {
  if (name === 'Bucket') return 'bucketName';
  return name[0]!.toLowerCase() + name.slice(1);
}
