import type { IdGenerator } from '../../../state/ids.ts';
import {
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  malformedXml,
  noSuchUpload,
} from '../errors.ts';
import { etagOf, multipartEtag } from './checksums.ts';
import type { BucketState, MultipartUpload, ObjectVersion, UploadedPart } from './state.ts';

/**
 * Multipart upload ("Uploading and copying objects using multipart
 * upload", S3 User Guide; API_UploadPart, API_CompleteMultipartUpload):
 * part numbers 1–10,000; every part but the last at least 5 MiB; the
 * Complete request lists parts in ascending order with their ETags.
 */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export function createUpload(
  bucket: BucketState,
  spec: Omit<MultipartUpload, 'uploadId' | 'parts'>,
  ids: IdGenerator,
): MultipartUpload {
  const upload: MultipartUpload = { ...spec, uploadId: ids.hex(64), parts: new Map() };
  bucket.uploads.set(upload.uploadId, upload);
  return upload;
}

export function uploadOf(bucket: BucketState, key: string, uploadId: string | undefined): MultipartUpload {
  const upload = uploadId ? bucket.uploads.get(uploadId) : undefined;
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId ?? '');
  return upload;
}

export function uploadPart(
  upload: MultipartUpload,
  partNumber: number | undefined,
  body: Buffer,
  now: number,
): UploadedPart {
  if (!partNumber || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000)
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      String(partNumber),
    );
  const part = { partNumber, etag: etagOf(body), body, lastModified: now };
  upload.parts.set(partNumber, part);
  return part;
}

/** The parts a Complete request names, checked as S3 checks them; returns them in order. */
function chosenParts(
  upload: MultipartUpload,
  listed: { PartNumber?: number; ETag?: string }[],
): UploadedPart[] {
  if (listed.length === 0) throw malformedXml();
  const parts: UploadedPart[] = [];
  for (const p of listed) {
    const part = p.PartNumber !== undefined ? upload.parts.get(p.PartNumber) : undefined;
    if (!part || (p.ETag !== undefined && p.ETag.replaceAll('"', '') !== part.etag.replaceAll('"', '')))
      throw invalidPart();
    const previous = parts.at(-1);
    if (previous && previous.partNumber >= part.partNumber) throw invalidPartOrder();
    parts.push(part);
  }
  if (parts.slice(0, -1).some((p) => p.body.length < MIN_PART_SIZE)) throw entityTooSmall();
  return parts;
}

/** Assembles the object; the upload ends. */
export function completeUpload(
  bucket: BucketState,
  upload: MultipartUpload,
  listed: { PartNumber?: number; ETag?: string }[],
  now: number,
): Omit<ObjectVersion, 'versionId'> {
  const parts = chosenParts(upload, listed);
  bucket.uploads.delete(upload.uploadId);
  return {
    key: upload.key,
    deleteMarker: false,
    body: Buffer.concat(parts.map((p) => p.body)),
    etag: multipartEtag(parts.map((p) => p.etag)),
    lastModified: now,
    contentType: upload.contentType,
    metadata: upload.metadata,
    headers: upload.headers,
    tags: upload.tags,
    encryption: upload.encryption,
    partsCount: parts.length,
  };
}
