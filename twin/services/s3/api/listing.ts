import type {
  _Object,
  ListObjectsOutput,
  ListObjectsRequest,
  ListObjectsV2Output,
  ListObjectsV2Request,
  ListObjectVersionsOutput,
  ListObjectVersionsRequest,
} from '@aws-sdk/client-s3';
import type { Handler } from '../../../core/service.ts';
import { invalidArgument } from '../errors.ts';
import type { S3Model } from '../model/index.ts';
import { type Entry, listObjects, listVersions, MAX_KEYS } from '../model/listing.ts';
import type { BucketState, ObjectVersion } from '../model/state.ts';
import { bucketOf, ownerOf } from './shared.ts';

/**
 * With `encoding-type=url` S3 URL-encodes the keys, prefixes, delimiter and
 * markers it returns (API_ListObjectsV2, EncodingType); the AWS CLI always
 * asks for it and decodes them.
 */
function encoder(type: string | undefined): (s: string | undefined) => string | undefined {
  return type === 'url' ? (s) => (s === undefined ? undefined : encodeURIComponent(s)) : (s) => s;
}

function maxKeysOf(max: number | undefined): number {
  if (max !== undefined && (!Number.isInteger(max) || max < 0))
    throw invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      String(max),
    );
  return Math.min(max ?? MAX_KEYS, MAX_KEYS);
}

function content(
  bucket: BucketState,
  v: ObjectVersion,
  enc: (s: string) => string | undefined,
  owner: boolean,
): _Object {
  return {
    Key: enc(v.key),
    LastModified: new Date(v.lastModified),
    ETag: v.etag,
    Size: v.body.length,
    StorageClass: 'STANDARD',
    ...(v.checksumCrc32 && { ChecksumAlgorithm: ['CRC32'], ChecksumType: 'FULL_OBJECT' }),
    ...(owner && { Owner: ownerOf(bucket.accountId) }),
  };
}

function split(entries: Entry<ObjectVersion>[]) {
  return {
    items: entries.flatMap((e) => (e.kind === 'item' ? [e.item] : [])),
    prefixes: entries.flatMap((e) => (e.kind === 'prefix' ? [e.prefix] : [])),
  };
}

const token = (key: string) => Buffer.from(key, 'utf8').toString('base64');

function fromToken(t: string): string {
  const key = Buffer.from(t, 'base64').toString('utf8');
  if (token(key) !== t)
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', t);
  return key;
}

export const listingHandlers: Record<string, Handler<S3Model>> = {
  ListObjectsV2(_model, input: ListObjectsV2Request, ctx): ListObjectsV2Output {
    const bucket = bucketOf(ctx, input);
    const max = maxKeysOf(input.MaxKeys);
    const after = input.ContinuationToken ? fromToken(input.ContinuationToken) : input.StartAfter;
    const page = listObjects(
      bucket,
      { prefix: input.Prefix, delimiter: input.Delimiter, maxKeys: max },
      after,
    );
    const enc = encoder(input.EncodingType);
    const { items, prefixes } = split(page.entries);
    return {
      Name: bucket.name,
      Prefix: enc(input.Prefix ?? ''),
      ...(input.Delimiter && { Delimiter: enc(input.Delimiter) }),
      MaxKeys: max,
      KeyCount: page.entries.length,
      IsTruncated: page.truncated,
      ...(input.EncodingType && { EncodingType: input.EncodingType }),
      ...(input.ContinuationToken && { ContinuationToken: input.ContinuationToken }),
      ...(input.StartAfter && { StartAfter: enc(input.StartAfter) }),
      ...(page.truncated && page.last !== undefined && { NextContinuationToken: token(page.last) }),
      ...(items.length > 0 && {
        Contents: items.map((v) => content(bucket, v, enc, Boolean(input.FetchOwner))),
      }),
      ...(prefixes.length > 0 && { CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })) }),
    };
  },

  /** V1: Marker; "NextMarker … is returned only if you have the delimiter request parameter specified" (API_ListObjects). */
  ListObjects(_model, input: ListObjectsRequest, ctx): ListObjectsOutput {
    const bucket = bucketOf(ctx, input);
    const max = maxKeysOf(input.MaxKeys);
    const page = listObjects(
      bucket,
      { prefix: input.Prefix, delimiter: input.Delimiter, maxKeys: max },
      input.Marker,
    );
    const enc = encoder(input.EncodingType);
    const { items, prefixes } = split(page.entries);
    return {
      Name: bucket.name,
      Prefix: enc(input.Prefix ?? ''),
      Marker: enc(input.Marker ?? ''),
      ...(input.Delimiter && { Delimiter: enc(input.Delimiter) }),
      MaxKeys: max,
      IsTruncated: page.truncated,
      ...(input.EncodingType && { EncodingType: input.EncodingType }),
      ...(page.truncated && input.Delimiter && page.last !== undefined && { NextMarker: enc(page.last) }),
      ...(items.length > 0 && { Contents: items.map((v) => content(bucket, v, enc, true)) }),
      ...(prefixes.length > 0 && { CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })) }),
    };
  },

  ListObjectVersions(_model, input: ListObjectVersionsRequest, ctx): ListObjectVersionsOutput {
    const bucket = bucketOf(ctx, input);
    const max = maxKeysOf(input.MaxKeys);
    const query = { prefix: input.Prefix, delimiter: input.Delimiter, maxKeys: max };
    const page = listVersions(bucket, query, input.KeyMarker, input.VersionIdMarker);
    const enc = encoder(input.EncodingType);
    const { items, prefixes } = split(page.entries);
    const isLatest = (v: ObjectVersion) => bucket.objects.get(v.key)?.[0] === v;
    const owner = ownerOf(bucket.accountId);
    const versions = items.filter((v) => !v.deleteMarker);
    const markers = items.filter((v) => v.deleteMarker);
    return {
      Name: bucket.name,
      Prefix: enc(input.Prefix ?? ''),
      KeyMarker: enc(input.KeyMarker ?? ''),
      VersionIdMarker: input.VersionIdMarker ?? '',
      ...(input.Delimiter && { Delimiter: enc(input.Delimiter) }),
      MaxKeys: max,
      IsTruncated: page.truncated,
      ...(input.EncodingType && { EncodingType: input.EncodingType }),
      ...(page.truncated && { NextKeyMarker: enc(page.last) }),
      ...(page.truncated && page.lastItem && { NextVersionIdMarker: page.lastItem.versionId }),
      ...(versions.length > 0 && {
        Versions: versions.map((v) => ({
          ...content(bucket, v, (s) => enc(s), true),
          StorageClass: 'STANDARD' as const,
          VersionId: v.versionId,
          IsLatest: isLatest(v),
        })),
      }),
      ...(markers.length > 0 && {
        DeleteMarkers: markers.map((v) => ({
          Key: enc(v.key),
          VersionId: v.versionId,
          IsLatest: isLatest(v),
          LastModified: new Date(v.lastModified),
          Owner: owner,
        })),
      }),
      ...(prefixes.length > 0 && { CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })) }),
    };
  },
};
