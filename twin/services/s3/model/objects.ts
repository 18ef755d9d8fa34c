import type { IdGenerator } from '../../../state/ids.ts';
import { invalidArgument, invalidTag, noSuchVersion } from '../errors.ts';
import type { BucketState, ObjectVersion, Tag } from './state.ts';

/**
 * Objects and their versions ("How S3 Versioning works", S3 User Guide):
 * - versioning Enabled: each write adds a version with a new id; a DELETE
 *   without a version id adds a delete marker and removes nothing;
 * - never enabled or Suspended: writes replace the version whose id is
 *   `null`; a DELETE removes it (never enabled) or replaces it with a
 *   `null` delete marker (Suspended);
 * - a DELETE naming a version id removes that version for good.
 */

/** The current version of a key (which may be a delete marker). */
export function latest(bucket: BucketState, key: string): ObjectVersion | undefined {
  return bucket.objects.get(key)?.[0];
}

/** The current version when it is an object, undefined when absent or deleted. */
export function currentObject(bucket: BucketState, key: string): ObjectVersion | undefined {
  const v = latest(bucket, key);
  return v && !v.deleteMarker ? v : undefined;
}

export function findVersion(bucket: BucketState, key: string, versionId: string): ObjectVersion {
  const v = bucket.objects.get(key)?.find((x) => x.versionId === versionId);
  if (!v) {
    // "Invalid version id specified" for ids S3 could never have minted.
    if (versionId !== 'null' && !/^[\w.+/=-]{1,1024}$/.test(versionId))
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    throw noSuchVersion(key, versionId);
  }
  return v;
}

function newVersionId(bucket: BucketState, ids: IdGenerator): string {
  return bucket.versioning === 'Enabled' ? ids.hex(32) : 'null';
}

/** Adds `version` as the key's current version, with an id as the bucket's versioning state gives. */
export function putVersion(
  bucket: BucketState,
  version: Omit<ObjectVersion, 'versionId'>,
  ids: IdGenerator,
): ObjectVersion {
  // S3 keeps Last-Modified to the second: listings show `…T10:00:00.000Z`, HEAD the same instant.
  const lastModified = Math.floor(version.lastModified / 1000) * 1000;
  const stored: ObjectVersion = { ...version, lastModified, versionId: newVersionId(bucket, ids) };
  const versions = (bucket.objects.get(version.key) ?? []).filter((v) => v.versionId !== stored.versionId);
  bucket.objects.set(version.key, [stored, ...versions]);
  return stored;
}

export interface DeleteResult {
  deleteMarker: boolean;
  versionId: string | undefined;
}

function removeVersion(bucket: BucketState, key: string, versionId: string): DeleteResult {
  const versions = bucket.objects.get(key) ?? [];
  const gone = versions.find((v) => v.versionId === versionId);
  const rest = versions.filter((v) => v !== gone);
  if (rest.length) bucket.objects.set(key, rest);
  else bucket.objects.delete(key);
  return { deleteMarker: gone?.deleteMarker ?? false, versionId };
}

/** DeleteObject: deleting a key that does not exist succeeds (204), as S3 answers. */
export function deleteKey(
  bucket: BucketState,
  key: string,
  versionId: string | undefined,
  ids: IdGenerator,
  now: number,
): DeleteResult {
  if (versionId !== undefined) return removeVersion(bucket, key, versionId);
  if (bucket.versioning === undefined) {
    bucket.objects.delete(key);
    return { deleteMarker: false, versionId: undefined };
  }
  const marker = putVersion(
    bucket,
    {
      key,
      deleteMarker: true,
      body: Buffer.alloc(0),
      etag: '',
      lastModified: now,
      contentType: '',
      metadata: {},
      headers: {},
      tags: [],
      encryption: undefined,
    },
    ids,
  );
  return { deleteMarker: true, versionId: marker.versionId };
}

/**
 * Object tag rules ("Categorizing your storage using tags", S3 User Guide):
 * up to 10 tags, keys up to 128 and values up to 256 characters, unique
 * keys, and no `aws:` prefix.
 */
export function validateObjectTags(tags: Tag[]): Tag[] {
  if (tags.length > 10) throw invalidTag('Object tags cannot be greater than 10');
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (t.Key.length === 0 || t.Key.length > 128) throw invalidTag('The TagKey you have provided is invalid');
    if (t.Value.length > 256) throw invalidTag('The TagValue you have provided is invalid');
  }
  return tags;
}

/** The `x-amz-tagging` header: URL query parameters (`k1=v1&k2=v2`). */
export function parseTaggingHeader(header: string | undefined): Tag[] {
  if (!header) return [];
  const tags = [...new URLSearchParams(header)].map(([Key, Value]) => ({ Key, Value }));
  return validateObjectTags(tags);
}
