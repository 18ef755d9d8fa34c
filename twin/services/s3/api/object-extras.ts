import type {
  _Error,
  CopyObjectOutput,
  CopyObjectRequest,
  DeletedObject,
  DeleteObjectsOutput,
  DeleteObjectsRequest,
  DeleteObjectTaggingOutput,
  DeleteObjectTaggingRequest,
  GetObjectTaggingOutput,
  GetObjectTaggingRequest,
  PutObjectTaggingOutput,
  PutObjectTaggingRequest,
} from '@aws-sdk/client-s3';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidArgument, invalidRequest, malformedXml } from '../errors.ts';
import { etagOf } from '../model/checksums.ts';
import { decryptFor, encryptFor, encryptionHeaders } from '../model/encryption.ts';
import type { S3Model } from '../model/index.ts';
import {
  deleteKey,
  findVersion,
  parseTaggingHeader,
  putVersion,
  validateObjectTags,
} from '../model/objects.ts';
import type { BucketState, ObjectVersion, Tag } from '../model/state.ts';
import { onBucket } from './authorization.ts';
import { headersOf, metadataOf } from './objects.ts';
import { readableVersion } from './reads.ts';
import { bucketOf, keyCaller } from './shared.ts';

/** "You can delete up to 1,000 objects" per DeleteObjects request (API_DeleteObjects). */
const MAX_DELETE = 1000;

/**
 * One key of a DeleteObjects request: "you must have the s3:DeleteObject
 * permission" for each (s3:DeleteObjectVersion with a version id); a
 * refused key is reported in Errors with AccessDenied, the others proceed.
 */
function deleteOne(
  ctx: RequestContext,
  bucket: BucketState,
  key: string,
  versionId: string | undefined,
): DeletedObject {
  const action = versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion';
  ctx.authorize(onBucket(ctx, bucket, action, key, versionId ? { 's3:versionid': versionId } : {}));
  const result = deleteKey(bucket, key, versionId, ctx.twin.ids, ctx.time);
  return {
    Key: key,
    ...(versionId !== undefined && { VersionId: versionId }),
    ...(result.deleteMarker && { DeleteMarker: true }),
    ...(result.deleteMarker && versionId === undefined && { DeleteMarkerVersionId: result.versionId }),
  };
}

/** `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, with an optional `?versionId=`. */
function parseCopySource(source: string | undefined): { bucket: string; key: string; versionId?: string } {
  const [path = '', query = ''] = (source ?? '').split('?');
  const m = /^\/?([^/]+)\/(.+)$/.exec(path);
  if (!m) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', source ?? '');
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return {
    bucket: decodeURIComponent(m[1]!),
    key: decodeURIComponent(m[2]!),
    ...(versionId && { versionId }),
  };
}

/** The source of a copy, read as a GET would read it (s3:GetObject on the source, its KMS key). */
function copySource(
  ctx: RequestContext,
  source: string | undefined,
): { bucket: BucketState; version: ObjectVersion } {
  const ref = parseCopySource(source);
  const bucket = bucketOf(ctx, { Bucket: ref.bucket });
  const action = ref.versionId ? 's3:GetObjectVersion' : 's3:GetObject';
  const existing = bucket.objects.get(ref.key)?.[0];
  const tags: Record<string, string> = {};
  for (const t of existing?.tags ?? []) tags[`s3:ExistingObjectTag/${t.Key}`] = t.Value;
  ctx.authorize(onBucket(ctx, bucket, action, ref.key, tags));
  const version = readableVersion(ctx, bucket, { Key: ref.key, VersionId: ref.versionId });
  decryptFor(keyCaller(ctx), bucket, version.key, version.encryption);
  return { bucket, version };
}

/**
 * "This copy request is illegal because it is trying to copy an object to
 * itself without changing the object's metadata, storage class, website
 * redirect location or encryption attributes." (API_CopyObject)
 */
function refuseSelfCopy(
  target: BucketState,
  input: CopyObjectRequest,
  source: { bucket: BucketState; version: ObjectVersion },
) {
  const same = source.bucket === target && source.version.key === input.Key;
  const changes = input.MetadataDirective === 'REPLACE' || input.ServerSideEncryption || input.StorageClass;
  if (same && !changes)
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
}

function taggedVersion(
  ctx: RequestContext,
  input: { Bucket?: string; Key?: string; VersionId?: string },
): { v: ObjectVersion; versionId: { VersionId?: string } } {
  const bucket = bucketOf(ctx, input);
  const v =
    input.VersionId !== undefined
      ? findVersion(bucket, input.Key ?? '', input.VersionId)
      : readableVersion(ctx, bucket, input);
  return { v, versionId: bucket.versioning !== undefined ? { VersionId: v.versionId } : {} };
}

export const objectExtraHandlers: Record<string, Handler<S3Model>> = {
  DeleteObjects(_model, input: DeleteObjectsRequest, ctx): DeleteObjectsOutput {
    const bucket = bucketOf(ctx, input);
    const objects = input.Delete?.Objects ?? [];
    if (objects.length === 0 || objects.length > MAX_DELETE) throw malformedXml();
    const deleted: DeletedObject[] = [];
    const errors: _Error[] = [];
    for (const o of objects) {
      try {
        deleted.push(deleteOne(ctx, bucket, o.Key ?? '', o.VersionId));
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        errors.push({
          Key: o.Key,
          ...(o.VersionId && { VersionId: o.VersionId }),
          Code: error.code,
          Message: error.message,
        });
      }
    }
    return {
      ...(!input.Delete?.Quiet && deleted.length > 0 && { Deleted: deleted }),
      ...(errors.length > 0 && { Errors: errors }),
    };
  },

  CopyObject(_model, input: CopyObjectRequest, ctx): CopyObjectOutput {
    const target = bucketOf(ctx, input);
    const source = copySource(ctx, input.CopySource);
    refuseSelfCopy(target, input, source);
    const key = input.Key ?? '';
    const replace = input.MetadataDirective === 'REPLACE';
    const from = source.version;
    const tags: Tag[] = input.TaggingDirective === 'REPLACE' ? parseTaggingHeader(input.Tagging) : from.tags;
    const encryption = encryptFor(keyCaller(ctx), target, key, input);
    const stored = putVersion(
      target,
      {
        ...from,
        key,
        // A copy is a new single-part object: its ETag is the MD5 of its bytes.
        etag: etagOf(from.body),
        partsCount: undefined,
        lastModified: ctx.time,
        contentType: replace ? (input.ContentType ?? from.contentType) : from.contentType,
        metadata: replace ? metadataOf(input.Metadata) : from.metadata,
        headers: replace ? headersOf(input) : from.headers,
        tags,
        encryption,
      },
      ctx.twin.ids,
    );
    return {
      CopyObjectResult: { ETag: stored.etag, LastModified: new Date(stored.lastModified) },
      ...(target.versioning !== undefined && { VersionId: stored.versionId }),
      ...(source.bucket.versioning !== undefined && { CopySourceVersionId: from.versionId }),
      ...encryptionHeaders(encryption),
    };
  },

  GetObjectTagging(_model, input: GetObjectTaggingRequest, ctx): GetObjectTaggingOutput {
    const { v, versionId } = taggedVersion(ctx, input);
    return { TagSet: v.tags.map((t) => ({ ...t })), ...versionId };
  },

  PutObjectTagging(_model, input: PutObjectTaggingRequest, ctx): PutObjectTaggingOutput {
    const { v, versionId } = taggedVersion(ctx, input);
    v.tags = validateObjectTags(
      (input.Tagging?.TagSet ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
    );
    return versionId;
  },

  DeleteObjectTagging(_model, input: DeleteObjectTaggingRequest, ctx): DeleteObjectTaggingOutput {
    const { v, versionId } = taggedVersion(ctx, input);
    v.tags = [];
    return versionId;
  },
};
