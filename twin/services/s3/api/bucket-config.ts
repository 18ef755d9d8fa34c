import type {
  DeleteBucketEncryptionRequest,
  DeleteBucketPolicyRequest,
  DeleteBucketTaggingRequest,
  DeletePublicAccessBlockRequest,
  GetBucketEncryptionOutput,
  GetBucketEncryptionRequest,
  GetBucketPolicyOutput,
  GetBucketPolicyRequest,
  GetBucketTaggingOutput,
  GetBucketTaggingRequest,
  GetBucketVersioningOutput,
  GetBucketVersioningRequest,
  GetPublicAccessBlockOutput,
  GetPublicAccessBlockRequest,
  PutBucketEncryptionRequest,
  PutBucketPolicyRequest,
  PutBucketTaggingRequest,
  PutBucketVersioningRequest,
  PutPublicAccessBlockRequest,
} from '@aws-sdk/client-s3';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import {
  accessDenied,
  invalidArgument,
  invalidTag,
  malformedXml,
  methodNotAllowed,
  noSuchBucketPolicy,
  noSuchPublicAccessBlock,
  noSuchTagSet,
} from '../errors.ts';
import type { S3Model } from '../model/index.ts';
import { isPublicPolicy, validateBucketPolicy } from '../model/policy.ts';
import type { BucketState, EncryptionRule, SseAlgorithm, Tag } from '../model/state.ts';
import { bucketOf, noContent } from './shared.ts';

/**
 * "If you have the correct permissions, but you're not using an identity
 * that belongs to the bucket owner's account, Amazon S3 returns a 405
 * Method Not Allowed error" (API_PutBucketPolicy, API_GetBucketPolicy,
 * API_DeleteBucketPolicy).
 */
function ownersOnly(ctx: RequestContext, bucket: BucketState, method: string): void {
  if (ctx.accountId !== bucket.accountId) throw methodNotAllowed(method, 'BUCKETPOLICY');
}

/**
 * "BlockPublicPolicy … causes Amazon S3 to reject calls to PUT Bucket
 * policy if the specified bucket policy allows public access"
 * (PublicAccessBlockConfiguration); the caller sees a 403 AccessDenied.
 */
function blockPublicPolicy(ctx: RequestContext, bucket: BucketState, publicPolicy: boolean): void {
  if (!publicPolicy || !bucket.publicAccessBlock?.BlockPublicPolicy) return;
  throw accessDenied(
    `User: ${ctx.principal.arn} is not authorized to perform: s3:PutBucketPolicy on resource: ${bucket.arn} because public policies are blocked by the BlockPublicPolicy block public access setting.`,
  );
}

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/** One default-encryption rule, checked as PutBucketEncryption checks it (ServerSideEncryptionByDefault). */
function ruleFrom(input: PutBucketEncryptionRequest): EncryptionRule {
  const rules = input.ServerSideEncryptionConfiguration?.Rules ?? [];
  const byDefault = rules[0]?.ApplyServerSideEncryptionByDefault;
  if (rules.length !== 1 || !byDefault?.SSEAlgorithm) throw malformedXml();
  const algorithm = byDefault.SSEAlgorithm as string;
  if (!ALGORITHMS.has(algorithm))
    throw invalidArgument('The encryption method specified is not supported', 'SSEAlgorithm', algorithm);
  if (byDefault.KMSMasterKeyID && algorithm === 'AES256')
    throw invalidArgument(
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      'ApplyServerSideEncryptionByDefault',
    );
  return {
    algorithm: algorithm as SseAlgorithm,
    ...(byDefault.KMSMasterKeyID && { kmsMasterKeyId: byDefault.KMSMasterKeyID }),
    bucketKeyEnabled: Boolean(rules[0]?.BucketKeyEnabled),
  };
}

/** Bucket tags ("Using cost allocation S3 bucket tags"): up to 50, unique keys, no `aws:` prefix. */
function bucketTags(tags: Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  if (list.length > 50) throw invalidTag('Bucket tag count cannot be greater than 50');
  const keys = new Set<string>();
  for (const t of list) {
    if (keys.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw invalidTag('System tags cannot be added/updated by requester');
    keys.add(t.Key);
  }
  return list.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

export const bucketConfigHandlers: Record<string, Handler<S3Model>> = {
  GetBucketPolicy(_model, input: GetBucketPolicyRequest, ctx): GetBucketPolicyOutput {
    const bucket = bucketOf(ctx, input);
    ownersOnly(ctx, bucket, 'GET');
    if (!bucket.policy) throw noSuchBucketPolicy(bucket.name);
    return { Policy: bucket.policy };
  },

  PutBucketPolicy(_model, input: PutBucketPolicyRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    ownersOnly(ctx, bucket, 'PUT');
    const text = input.Policy ?? '';
    const doc = validateBucketPolicy(ctx.twin, bucket.name, text);
    blockPublicPolicy(ctx, bucket, isPublicPolicy(doc));
    bucket.policy = text;
    return noContent();
  },

  DeleteBucketPolicy(_model, input: DeleteBucketPolicyRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    ownersOnly(ctx, bucket, 'DELETE');
    bucket.policy = undefined;
    return noContent();
  },

  /** "By default, all buckets have a default encryption configuration that uses … SSE-S3" (API_GetBucketEncryption). */
  GetBucketEncryption(_model, input: GetBucketEncryptionRequest, ctx): GetBucketEncryptionOutput {
    const { encryption: rule } = bucketOf(ctx, input);
    return {
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: rule.algorithm,
              ...(rule.kmsMasterKeyId && { KMSMasterKeyID: rule.kmsMasterKeyId }),
            },
            BucketKeyEnabled: rule.bucketKeyEnabled,
          },
        ],
      },
    };
  },

  PutBucketEncryption(_model, input: PutBucketEncryptionRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    bucket.encryption = ruleFrom(input);
    return noContent();
  },

  /** "resets the default encryption for the bucket as server-side encryption with Amazon S3 managed keys (SSE-S3)" (API_DeleteBucketEncryption). */
  DeleteBucketEncryption(_model, input: DeleteBucketEncryptionRequest, ctx) {
    bucketOf(ctx, input).encryption = { algorithm: 'AES256', bucketKeyEnabled: false };
    return noContent();
  },

  /** A bucket never versioned answers with no Status (API_GetBucketVersioning). */
  GetBucketVersioning(_model, input: GetBucketVersioningRequest, ctx): GetBucketVersioningOutput {
    const bucket = bucketOf(ctx, input);
    return bucket.versioning ? { Status: bucket.versioning, MFADelete: 'Disabled' } : {};
  },

  PutBucketVersioning(_model, input: PutBucketVersioningRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    const status = input.VersioningConfiguration?.Status;
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    bucket.versioning = status;
    return noContent();
  },

  GetPublicAccessBlock(_model, input: GetPublicAccessBlockRequest, ctx): GetPublicAccessBlockOutput {
    const bucket = bucketOf(ctx, input);
    if (!bucket.publicAccessBlock) throw noSuchPublicAccessBlock(bucket.name);
    return { PublicAccessBlockConfiguration: { ...bucket.publicAccessBlock } };
  },

  PutPublicAccessBlock(_model, input: PutPublicAccessBlockRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    const c = input.PublicAccessBlockConfiguration ?? {};
    bucket.publicAccessBlock = {
      BlockPublicAcls: Boolean(c.BlockPublicAcls),
      IgnorePublicAcls: Boolean(c.IgnorePublicAcls),
      BlockPublicPolicy: Boolean(c.BlockPublicPolicy),
      RestrictPublicBuckets: Boolean(c.RestrictPublicBuckets),
    };
    return noContent();
  },

  DeletePublicAccessBlock(_model, input: DeletePublicAccessBlockRequest, ctx) {
    bucketOf(ctx, input).publicAccessBlock = undefined;
    return noContent();
  },

  GetBucketTagging(_model, input: GetBucketTaggingRequest, ctx): GetBucketTaggingOutput {
    const bucket = bucketOf(ctx, input);
    if (!bucket.tags?.length) throw noSuchTagSet(bucket.name);
    return { TagSet: bucket.tags.map((t) => ({ ...t })) };
  },

  PutBucketTagging(_model, input: PutBucketTaggingRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    bucket.tags = bucketTags(input.Tagging?.TagSet as Tag[] | undefined);
    return noContent();
  },

  DeleteBucketTagging(_model, input: DeleteBucketTaggingRequest, ctx) {
    bucketOf(ctx, input).tags = undefined;
    return noContent();
  },
};
