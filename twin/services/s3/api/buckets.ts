import type {
  CreateBucketOutput,
  CreateBucketRequest,
  DeleteBucketRequest,
  GetBucketAclOutput,
  GetBucketAclRequest,
  GetBucketLocationOutput,
  GetBucketLocationRequest,
  GetBucketLoggingOutput,
  GetBucketLoggingRequest,
  GetBucketOwnershipControlsOutput,
  GetBucketOwnershipControlsRequest,
  HeadBucketOutput,
  HeadBucketRequest,
  ListBucketsOutput,
  ListBucketsRequest,
  PutBucketLoggingRequest,
  PutBucketOwnershipControlsRequest,
} from '@aws-sdk/client-s3';
import type { Handler } from '../../../core/service.ts';
import { invalidArgument, malformedXml, ownershipControlsNotFound } from '../errors.ts';
import { bucketRegion, bucketsOf, createBucket, deleteBucket } from '../model/buckets.ts';
import type { S3Model } from '../model/index.ts';
import type { BucketState } from '../model/state.ts';
import { bucketOf, noContent, ownerModel, ownerOf } from './shared.ts';

const OWNERSHIP = new Set(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);

/**
 * CreateBucket's Location header: `/name` for us-east-1 and the bucket's
 * virtual-host URL elsewhere, as the service answers (e.g.
 * `"Location": "http://test-bucket.s3.amazonaws.com/"` for ap-northeast-1).
 */
function locationOf(bucket: BucketState): string {
  return bucket.region === 'us-east-1' ? `/${bucket.name}` : `http://${bucket.name}.s3.amazonaws.com/`;
}

/** ListBuckets pages by bucket name; the token is the last name returned. */
function listPage(buckets: BucketState[], input: ListBucketsRequest): { page: BucketState[]; next?: string } {
  const after = input.ContinuationToken
    ? Buffer.from(input.ContinuationToken, 'base64').toString('utf8')
    : '';
  const rest = buckets.filter(
    (b) =>
      b.name > after &&
      (!input.Prefix || b.name.startsWith(input.Prefix)) &&
      (!input.BucketRegion || b.region === input.BucketRegion),
  );
  const max = input.MaxBuckets ?? 10000;
  if (rest.length <= max) return { page: rest };
  const page = rest.slice(0, max);
  return { page, next: Buffer.from(page.at(-1)!.name).toString('base64') };
}

export const bucketHandlers: Record<string, Handler<S3Model>> = {
  CreateBucket(_model, input: CreateBucketRequest, ctx): CreateBucketOutput {
    const region = bucketRegion(ctx.region, input.CreateBucketConfiguration?.LocationConstraint);
    if (input.ObjectOwnership && !OWNERSHIP.has(input.ObjectOwnership))
      throw invalidArgument(
        'Invalid x-amz-object-ownership header',
        'x-amz-object-ownership',
        input.ObjectOwnership,
      );
    const model = ctx.twin.model(ctx.service, ctx.accountId, region) as S3Model;
    const created = createBucket(
      model,
      { name: input.Bucket ?? '', ...(input.ObjectOwnership && { ownership: input.ObjectOwnership }) },
      ctx.time,
    );
    const bucket = created ?? bucketOf(ctx, input);
    return { Location: locationOf(bucket), BucketArn: bucket.arn };
  },

  DeleteBucket(_model, input: DeleteBucketRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    deleteBucket(ownerModel(ctx, bucket), bucket);
    return noContent();
  },

  /** "HeadBucket … returns the bucket's Region in x-amz-bucket-region" (API_HeadBucket). */
  HeadBucket(_model, input: HeadBucketRequest, ctx): HeadBucketOutput {
    const bucket = bucketOf(ctx, input);
    return { BucketRegion: bucket.region, BucketArn: bucket.arn, AccessPointAlias: false };
  },

  /** "Returns a list of all buckets owned by the authenticated sender of the request" (API_ListBuckets). */
  ListBuckets(model, input: ListBucketsRequest, ctx): ListBucketsOutput {
    const { page, next } = listPage(bucketsOf(model, ctx.accountId), input);
    return {
      Buckets: page.map((b) => ({
        Name: b.name,
        CreationDate: new Date(b.created),
        BucketRegion: b.region,
        BucketArn: b.arn,
      })),
      Owner: ownerOf(ctx.accountId),
      ...(next && { ContinuationToken: next }),
      ...(input.Prefix && { Prefix: input.Prefix }),
    };
  },

  /** "Buckets in Region us-east-1 have a LocationConstraint of null" (API_GetBucketLocation). */
  GetBucketLocation(_model, input: GetBucketLocationRequest, ctx): GetBucketLocationOutput {
    const bucket = bucketOf(ctx, input);
    return bucket.region === 'us-east-1' ? {} : { LocationConstraint: bucket.region as never };
  },

  /** With ACLs disabled the owner alone has FULL_CONTROL ("Controlling ownership of objects and disabling ACLs"). */
  GetBucketAcl(_model, input: GetBucketAclRequest, ctx): GetBucketAclOutput {
    const bucket = bucketOf(ctx, input);
    const owner = ownerOf(bucket.accountId);
    return {
      Owner: owner,
      Grants: [{ Grantee: { Type: 'CanonicalUser', ...owner }, Permission: 'FULL_CONTROL' }],
    };
  },

  GetBucketOwnershipControls(
    _model,
    input: GetBucketOwnershipControlsRequest,
    ctx,
  ): GetBucketOwnershipControlsOutput {
    const bucket = bucketOf(ctx, input);
    if (!bucket.ownership) throw ownershipControlsNotFound(bucket.name);
    return { OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] } };
  },

  PutBucketOwnershipControls(_model, input: PutBucketOwnershipControlsRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    const rules = input.OwnershipControls?.Rules ?? [];
    const value = rules[0]?.ObjectOwnership;
    if (rules.length !== 1 || !value || !OWNERSHIP.has(value)) throw malformedXml();
    bucket.ownership = value;
    return noContent();
  },

  DeleteBucketOwnershipControls(_model, input: GetBucketOwnershipControlsRequest, ctx) {
    bucketOf(ctx, input).ownership = undefined;
    return noContent();
  },

  GetBucketLogging(_model, input: GetBucketLoggingRequest, ctx): GetBucketLoggingOutput {
    const bucket = bucketOf(ctx, input);
    return bucket.logging ? { LoggingEnabled: bucket.logging } : {};
  },

  /** Stored only: the twin delivers no server access logs (LIMITATIONS). */
  PutBucketLogging(_model, input: PutBucketLoggingRequest, ctx) {
    const bucket = bucketOf(ctx, input);
    const enabled = input.BucketLoggingStatus?.LoggingEnabled;
    bucket.logging = enabled?.TargetBucket
      ? { TargetBucket: enabled.TargetBucket, TargetPrefix: enabled.TargetPrefix ?? '' }
      : undefined;
    return noContent();
  },
};
