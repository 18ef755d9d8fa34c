import type {
  DeleteObjectOutput,
  DeleteObjectRequest,
  GetObjectOutput,
  GetObjectRequest,
  HeadObjectOutput,
  HeadObjectRequest,
  PutObjectOutput,
  PutObjectRequest,
} from '@aws-sdk/client-s3';
import type { Handler } from '../../../core/service.ts';
import { aclNotSupported, preconditionFailed } from '../errors.ts';
import { crc32Base64, etagOf, verifyDigests } from '../model/checksums.ts';
import { decryptFor, encryptFor, encryptionHeaders } from '../model/encryption.ts';
import type { S3Model } from '../model/index.ts';
import { currentObject, deleteKey, parseTaggingHeader, putVersion } from '../model/objects.ts';
import type { BucketState, ObjectHeaders } from '../model/state.ts';
import { byteRange, checkPreconditions, checksumOf, describe, readableVersion } from './reads.ts';
import { bucketOf, keyCaller } from './shared.ts';

/** A request body as handlers receive it: a Buffer from the wire, or what an in-process caller passed. */
export function bodyOf(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(String(body), 'utf8');
}

/** Representation headers S3 stores with an object. */
export function headersOf(input: {
  CacheControl?: string | undefined;
  ContentDisposition?: string | undefined;
  ContentEncoding?: string | undefined;
  ContentLanguage?: string | undefined;
  Expires?: Date | undefined;
}): ObjectHeaders {
  return {
    ...(input.CacheControl && { cacheControl: input.CacheControl }),
    ...(input.ContentDisposition && { contentDisposition: input.ContentDisposition }),
    ...(input.ContentEncoding && { contentEncoding: input.ContentEncoding }),
    ...(input.ContentLanguage && { contentLanguage: input.ContentLanguage }),
    ...(input.Expires && { expires: new Date(input.Expires) }),
  };
}

/** User metadata keys are case-insensitive and S3 returns them in lower case. */
export function metadataOf(metadata: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * "All S3 PUT requests must either specify the bucket-owner-full-control
 * canned ACL or not specify an ACL" once ACLs are disabled (BucketOwnerEnforced,
 * the default); others fail with AccessControlListNotSupported (S3 User
 * Guide, object-ownership-error-responses.html).
 */
export function refuseAcl(bucket: BucketState, acl: string | undefined): void {
  if (acl && acl !== 'bucket-owner-full-control' && bucket.ownership === 'BucketOwnerEnforced')
    throw aclNotSupported();
}

/** "If you don't specify a content type, Amazon S3 uses binary/octet-stream" (Working with object metadata). */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export const objectHandlers: Record<string, Handler<S3Model>> = {
  PutObject(_model, input: PutObjectRequest, ctx): PutObjectOutput {
    const bucket = bucketOf(ctx, input);
    const key = input.Key ?? '';
    refuseAcl(bucket, input.ACL);
    const body = bodyOf(input.Body);
    verifyDigests(body, input);
    // Conditional writes (API_PutObject, If-None-Match: "*" / If-Match).
    const existing = currentObject(bucket, key);
    if (input.IfNoneMatch === '*' && existing) throw preconditionFailed('If-None-Match');
    if (
      input.IfMatch !== undefined &&
      (!existing || existing.etag.replaceAll('"', '') !== input.IfMatch.replaceAll('"', ''))
    )
      throw preconditionFailed('If-Match');
    const tags = parseTaggingHeader(input.Tagging);
    const encryption = encryptFor(keyCaller(ctx), bucket, key, input);
    const stored = putVersion(
      bucket,
      {
        key,
        deleteMarker: false,
        body,
        etag: etagOf(body),
        lastModified: ctx.time,
        contentType: input.ContentType || DEFAULT_CONTENT_TYPE,
        metadata: metadataOf(input.Metadata),
        headers: headersOf(input),
        tags,
        encryption,
        ...(input.ChecksumCRC32 && { checksumCrc32: crc32Base64(body) }),
      },
      ctx.twin.ids,
    );
    return {
      ETag: stored.etag,
      ...(bucket.versioning !== undefined && { VersionId: stored.versionId }),
      ...encryptionHeaders(encryption),
      ...(stored.checksumCrc32 && { ChecksumCRC32: stored.checksumCrc32, ChecksumType: 'FULL_OBJECT' }),
    };
  },

  /** GetObject of an SSE-KMS object needs kms:Decrypt for the caller; without it S3 answers 403 and sends no bytes. */
  GetObject(_model, input: GetObjectRequest, ctx): GetObjectOutput {
    const bucket = bucketOf(ctx, input);
    const v = readableVersion(ctx, bucket, input);
    checkPreconditions(v, input);
    const range = byteRange(input.Range, v.body.length);
    decryptFor(keyCaller(ctx), bucket, v.key, v.encryption);
    const body = range ? v.body.subarray(range.start, range.end + 1) : v.body;
    return {
      ...describe(bucket, v),
      ContentLength: body.length,
      ...(range && { ContentRange: `bytes ${range.start}-${range.end}/${v.body.length}` }),
      ...checksumOf(v, input.ChecksumMode, Boolean(range)),
      ...(input.ResponseContentType && { ContentType: input.ResponseContentType }),
      ...(input.ResponseContentDisposition && { ContentDisposition: input.ResponseContentDisposition }),
      ...(input.ResponseCacheControl && { CacheControl: input.ResponseCacheControl }),
      Body: body as never,
    };
  },

  /** HeadObject reads metadata only: no kms:Decrypt, and the SSE headers name the key ARN (aws-fidelity.md). */
  HeadObject(_model, input: HeadObjectRequest, ctx): HeadObjectOutput {
    const bucket = bucketOf(ctx, input);
    const v = readableVersion(ctx, bucket, input);
    checkPreconditions(v, input);
    const out = describe(bucket, v) as HeadObjectOutput;
    return { ...out, ...checksumOf(v, input.ChecksumMode, false) } as HeadObjectOutput;
  },

  DeleteObject(_model, input: DeleteObjectRequest, ctx): DeleteObjectOutput {
    const bucket = bucketOf(ctx, input);
    const result = deleteKey(bucket, input.Key ?? '', input.VersionId, ctx.twin.ids, ctx.time);
    return {
      ...(result.deleteMarker && { DeleteMarker: true }),
      ...(result.versionId !== undefined && { VersionId: result.versionId }),
    };
  },
};
