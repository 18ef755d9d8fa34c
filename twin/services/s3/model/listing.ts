import type { BucketState, ObjectVersion } from './state.ts';

/**
 * Listing as S3 does it (API_ListObjectsV2, API_ListObjects,
 * API_ListObjectVersions): keys in UTF-8 binary order, "returns some or
 * all (up to 1,000) of the objects"; keys sharing the part between the
 * prefix and the first delimiter roll up into one CommonPrefix, which
 * counts as one entry against MaxKeys; a page resumes after a key (V1
 * Marker, V2 StartAfter / ContinuationToken) or after a key and version.
 */

export const MAX_KEYS = 1000;

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export type Entry<T> = { kind: 'item'; item: T; key: string } | { kind: 'prefix'; prefix: string };

export interface ListPage<T> {
  entries: Entry<T>[];
  truncated: boolean;
  /** The last key or common prefix returned, where the next page starts after. */
  last: string | undefined;
  /** For version listings: the last version returned. */
  lastItem: T | undefined;
}

export interface ListQuery {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  maxKeys?: number | undefined;
}

/** The common prefix a key rolls up into, or undefined when it stands alone. */
function rollup(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * Pages through `items` (already in listing order, each with its key),
 * skipping those `skip` says were already returned.
 */
export function page<T>(
  items: { key: string; item: T }[],
  query: ListQuery,
  skip: (key: string, rolled: string | undefined, item: T) => boolean,
): ListPage<T> {
  const prefix = query.prefix ?? '';
  const max = Math.min(query.maxKeys ?? MAX_KEYS, MAX_KEYS);
  const entries: Entry<T>[] = [];
  let last: string | undefined;
  let lastItem: T | undefined;
  for (const { key, item } of items) {
    if (!key.startsWith(prefix)) continue;
    const rolled = rollup(key, prefix, query.delimiter);
    if (skip(key, rolled, item)) continue;
    if (rolled !== undefined && rolled === last) continue;
    if (entries.length >= max) return { entries, truncated: true, last, lastItem };
    if (rolled !== undefined) entries.push({ kind: 'prefix', prefix: rolled });
    else entries.push({ kind: 'item', item, key });
    last = rolled ?? key;
    lastItem = rolled === undefined ? item : undefined;
  }
  return { entries, truncated: false, last, lastItem };
}

/** Current objects (not delete markers) in key order. */
export function currentObjects(bucket: BucketState): { key: string; item: ObjectVersion }[] {
  const out: { key: string; item: ObjectVersion }[] = [];
  for (const [key, versions] of bucket.objects) {
    if (versions[0] && !versions[0].deleteMarker) out.push({ key, item: versions[0] });
  }
  return out.sort((a, b) => compareKeys(a.key, b.key));
}

/** Lists current objects after `after` (V1 Marker, V2 StartAfter or the continuation key). */
export function listObjects(
  bucket: BucketState,
  query: ListQuery,
  after: string | undefined,
): ListPage<ObjectVersion> {
  return page(currentObjects(bucket), query, (key, rolled) => {
    if (after === undefined) return false;
    return compareKeys(rolled ?? key, after) <= 0;
  });
}

/** Every version and delete marker, by key, newest first within a key. */
export function allVersions(bucket: BucketState): { key: string; item: ObjectVersion }[] {
  const keys = [...bucket.objects.keys()].sort(compareKeys);
  return keys.flatMap((key) => bucket.objects.get(key)!.map((item) => ({ key, item })));
}

/** Lists versions after KeyMarker (and VersionIdMarker within that key). */
export function listVersions(
  bucket: BucketState,
  query: ListQuery,
  keyMarker: string | undefined,
  versionIdMarker: string | undefined,
): ListPage<ObjectVersion> {
  let passedMarker = !versionIdMarker;
  return page(allVersions(bucket), query, (key, rolled, item) => {
    if (keyMarker === undefined) return false;
    const order = compareKeys(rolled ?? key, keyMarker);
    if (order < 0) return true;
    if (order > 0 || rolled !== undefined) return order <= 0;
    if (passedMarker) return !versionIdMarker;
    if (item.versionId === versionIdMarker) passedMarker = true;
    return true;
  });
}
