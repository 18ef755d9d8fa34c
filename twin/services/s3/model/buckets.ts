import {
  bucketAlreadyExists,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  illegalLocationConstraint,
  invalidBucketName,
  invalidLocationConstraint,
} from '../errors.ts';
import { bucketIndex, type S3Model } from './index.ts';
import type { BucketState } from './state.ts';

/**
 * "General purpose bucket naming rules" (S3 User Guide): 3–63 characters of
 * lower-case letters, digits, dots and hyphens, beginning and ending with a
 * letter or digit, no two adjacent dots, not shaped like an IP address, and
 * none of the reserved prefixes and suffixes.
 */
export function validBucketName(name: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  return !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
}

/**
 * Where CreateBucket puts a bucket. "If you send your create bucket request
 * to the s3.amazonaws.com endpoint, the request goes to the us-east-1
 * Region" and the LocationConstraint names the bucket's Region; a regional
 * endpoint needs the constraint to name its own Region ("The unspecified
 * location constraint is incompatible for the region specific endpoint this
 * request was sent to."), and `us-east-1` itself is not a valid constraint
 * ("The specified location-constraint is not valid") — API_CreateBucket,
 * CreateBucketConfiguration.
 */
export function bucketRegion(requestRegion: string, constraint: string | undefined): string {
  if (constraint === 'us-east-1') throw invalidLocationConstraint();
  if (requestRegion === 'us-east-1') return constraint || 'us-east-1';
  if (constraint !== requestRegion) throw illegalLocationConstraint(constraint);
  return constraint;
}

export interface NewBucket {
  name: string;
  ownership?: BucketState['ownership'];
}

/**
 * Creates a bucket in `model` (its owner's account and Region). A name
 * taken by another account is BucketAlreadyExists; one the caller owns is
 * BucketAlreadyOwnedByYou, "except in the North Virginia Region. For
 * legacy compatibility, if you re-create an existing bucket that you
 * already own in the North Virginia Region, Amazon S3 returns 200 OK"
 * (API_CreateBucket, Errors). New buckets get what S3 gives them since
 * 2023: SSE-S3 default encryption, all four Block Public Access settings
 * on and ACLs disabled (BucketOwnerEnforced) — "Default encryption FAQ"
 * and "Heads-up: Amazon S3 security changes are coming in April of 2023".
 * Returns undefined when an existing bucket was acknowledged.
 */
export function createBucket(model: S3Model, spec: NewBucket, now: number): BucketState | undefined {
  if (!validBucketName(spec.name)) throw invalidBucketName(spec.name);
  const names = bucketIndex(model.twin);
  const existing = names.get(spec.name);
  if (existing) {
    if (existing.accountId !== model.accountId) throw bucketAlreadyExists(spec.name);
    if (existing.region === 'us-east-1' && model.region === 'us-east-1') return undefined;
    throw bucketAlreadyOwnedByYou(spec.name);
  }
  const bucket: BucketState = {
    name: spec.name,
    arn: `arn:aws:s3:::${spec.name}`,
    accountId: model.accountId,
    region: model.region,
    created: now,
    objects: new Map(),
    uploads: new Map(),
    versioning: undefined,
    policy: undefined,
    encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
    ownership: spec.ownership ?? 'BucketOwnerEnforced',
    tags: undefined,
    logging: undefined,
  };
  model.buckets.set(spec.name, bucket);
  names.set(spec.name, bucket);
  return bucket;
}

/** "All objects (including all object versions and delete markers) in the bucket must be deleted before the bucket itself can be deleted" (API_DeleteBucket). */
export function deleteBucket(model: S3Model, bucket: BucketState): void {
  if (bucket.objects.size > 0) throw bucketNotEmpty(bucket.name);
  model.buckets.delete(bucket.name);
  bucketIndex(model.twin).delete(bucket.name);
}

/** The buckets an account owns, in every Region, by name (ListBuckets). */
export function bucketsOf(model: S3Model, accountId: string): BucketState[] {
  return [...bucketIndex(model.twin).values()]
    .filter((b) => b.accountId === accountId)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
