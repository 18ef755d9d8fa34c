import type { GetObjectOutput, GetObjectRequest } from '@aws-sdk/client-s3';
import type { RequestContext } from '../../../core/context.ts';
import { invalidRange, methodNotAllowed, noSuchKey, notModified, preconditionFailed } from '../errors.ts';
import { encryptionHeaders } from '../model/encryption.ts';
import { findVersion, latest } from '../model/objects.ts';
import type { BucketState, ObjectVersion } from '../model/state.ts';
import { onBucket } from './authorization.ts';

/**
 * The version a GET or HEAD reads. A key that does not exist is 404
 * NoSuchKey only for callers allowed s3:ListBucket on the bucket, else 403
 * AccessDenied: "If the object you request doesn't exist, the error that
 * Amazon S3 returns depends on whether you also have the s3:ListBucket
 * permission" (API_GetObject, API_HeadObject, Permissions). A current
 * delete marker is a 404 with `x-amz-delete-marker: true`; naming a
 * delete marker's version id is 405 MethodNotAllowed.
 */
export function readableVersion(
  ctx: RequestContext,
  bucket: BucketState,
  input: { Key?: string | undefined; VersionId?: string | undefined },
): ObjectVersion {
  const key = input.Key ?? '';
  if (input.VersionId !== undefined) {
    const v = findVersion(bucket, key, input.VersionId);
    if (v.deleteMarker) {
      const error = methodNotAllowed(ctx.operation === 'HeadObject' ? 'HEAD' : 'GET', 'DeleteMarker');
      Object.assign(error.headers, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId });
      throw error;
    }
    return v;
  }
  const v = latest(bucket, key);
  if (v && !v.deleteMarker) return v;
  if (!v) ctx.authorize(onBucket(ctx, bucket, 's3:ListBucket'));
  throw noSuchKey(key, v ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId } : {});
}

const unquote = (etag: string) => etag.replaceAll('"', '').trim();

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((e) => e.trim() === '*' || unquote(e) === unquote(etag));
}

/**
 * Conditional requests in S3's order (API_GetObject, "If-Match" …): a
 * failed If-Match (or If-Unmodified-Since without If-Match) is 412; a
 * matching If-None-Match (or If-Modified-Since without If-None-Match) is
 * 304 Not Modified.
 */
export function checkPreconditions(
  v: ObjectVersion,
  input: Pick<GetObjectRequest, 'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince'>,
): void {
  const modified = Math.floor(v.lastModified / 1000) * 1000;
  if (input.IfMatch !== undefined) {
    if (!etagMatches(input.IfMatch, v.etag)) throw preconditionFailed('If-Match');
  } else if (input.IfUnmodifiedSince && modified > new Date(input.IfUnmodifiedSince).getTime()) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (input.IfNoneMatch !== undefined) {
    if (etagMatches(input.IfNoneMatch, v.etag)) throw notModified();
  } else if (input.IfModifiedSince && modified <= new Date(input.IfModifiedSince).getTime()) {
    throw notModified();
  }
}

/**
 * A single `bytes=` range (RFC 9110; "Amazon S3 doesn't support retrieving
 * multiple ranges of data per GET request"): `a-b`, `a-` or `-n`. A start
 * past the end is 416 InvalidRange; a header S3 cannot read is ignored.
 */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw invalidRange(header!, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange(header!, size);
  return { start, end };
}

/** What GET and HEAD say about an object (headers; GET adds the body). */
export function describe(bucket: BucketState, v: ObjectVersion): GetObjectOutput {
  return {
    AcceptRanges: 'bytes',
    LastModified: new Date(v.lastModified),
    ContentLength: v.body.length,
    ETag: v.etag,
    ContentType: v.contentType,
    ...(v.headers.cacheControl && { CacheControl: v.headers.cacheControl }),
    ...(v.headers.contentDisposition && { ContentDisposition: v.headers.contentDisposition }),
    ...(v.headers.contentEncoding && { ContentEncoding: v.headers.contentEncoding }),
    ...(v.headers.contentLanguage && { ContentLanguage: v.headers.contentLanguage }),
    ...(v.headers.expires && { Expires: v.headers.expires }),
    ...(Object.keys(v.metadata).length > 0 && { Metadata: { ...v.metadata } }),
    ...(bucket.versioning !== undefined && { VersionId: v.versionId }),
    ...encryptionHeaders(v.encryption),
    ...(v.tags.length > 0 && { TagCount: v.tags.length }),
  };
}

/**
 * The stored CRC32 when the client asked for checksums (x-amz-checksum-mode)
 * and reads the whole object: a wrong one fails the SDK's validation, so
 * objects without a stored CRC32 (multipart, CLI uploads) send none.
 */
export function checksumOf(v: ObjectVersion, mode: string | undefined, ranged: boolean): GetObjectOutput {
  if (mode !== 'ENABLED' || ranged || !v.checksumCrc32) return {};
  return { ChecksumCRC32: v.checksumCrc32, ChecksumType: 'FULL_OBJECT' };
}
