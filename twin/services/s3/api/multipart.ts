import type {
  AbortMultipartUploadOutput,
  AbortMultipartUploadRequest,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadOutput,
  CreateMultipartUploadRequest,
  ListMultipartUploadsOutput,
  ListMultipartUploadsRequest,
  ListPartsOutput,
  ListPartsRequest,
  UploadPartOutput,
  UploadPartRequest,
} from '@aws-sdk/client-s3';
import type { Handler } from '../../../core/service.ts';
import { verifyDigests } from '../model/checksums.ts';
import { decryptFor, encryptFor, encryptionHeaders } from '../model/encryption.ts';
import type { S3Model } from '../model/index.ts';
import { compareKeys } from '../model/listing.ts';
import { completeUpload, createUpload, uploadOf, uploadPart } from '../model/multipart.ts';
import { parseTaggingHeader, putVersion } from '../model/objects.ts';
import { bodyOf, DEFAULT_CONTENT_TYPE, headersOf, metadataOf, refuseAcl } from './objects.ts';
import { bucketOf, keyCaller, ownerOf } from './shared.ts';

/**
 * Multipart upload, as the AWS CLI uses it above its 8 MB threshold. With
 * SSE-KMS, "the requester must have permission to the kms:Decrypt and
 * kms:GenerateDataKey* actions … because Amazon S3 must decrypt and read
 * data from the encrypted file parts before it completes the multipart
 * upload" (API_CreateMultipartUpload, Permissions): a data key at
 * CreateMultipartUpload, Decrypt at Complete.
 */
export const multipartHandlers: Record<string, Handler<S3Model>> = {
  CreateMultipartUpload(_model, input: CreateMultipartUploadRequest, ctx): CreateMultipartUploadOutput {
    const bucket = bucketOf(ctx, input);
    const key = input.Key ?? '';
    refuseAcl(bucket, input.ACL);
    const encryption = encryptFor(keyCaller(ctx), bucket, key, input);
    const upload = createUpload(
      bucket,
      {
        key,
        initiated: ctx.time,
        initiator: ctx.principal.arn,
        contentType: input.ContentType || DEFAULT_CONTENT_TYPE,
        metadata: metadataOf(input.Metadata),
        headers: headersOf(input),
        tags: parseTaggingHeader(input.Tagging),
        encryption,
      },
      ctx.twin.ids,
    );
    return { Bucket: bucket.name, Key: key, UploadId: upload.uploadId, ...encryptionHeaders(encryption) };
  },

  UploadPart(_model, input: UploadPartRequest, ctx): UploadPartOutput {
    const bucket = bucketOf(ctx, input);
    const upload = uploadOf(bucket, input.Key ?? '', input.UploadId);
    const body = bodyOf(input.Body);
    verifyDigests(body, input);
    const part = uploadPart(upload, input.PartNumber, body, ctx.time);
    return {
      ETag: part.etag,
      ...encryptionHeaders(upload.encryption),
      ...(input.ChecksumCRC32 && { ChecksumCRC32: input.ChecksumCRC32 }),
    };
  },

  CompleteMultipartUpload(_model, input: CompleteMultipartUploadRequest, ctx): CompleteMultipartUploadOutput {
    const bucket = bucketOf(ctx, input);
    const key = input.Key ?? '';
    const upload = uploadOf(bucket, key, input.UploadId);
    decryptFor(keyCaller(ctx), bucket, key, upload.encryption);
    const object = completeUpload(bucket, upload, input.MultipartUpload?.Parts ?? [], ctx.time);
    const stored = putVersion(bucket, object, ctx.twin.ids);
    return {
      Location: `${ctx.origin}/${bucket.name}/${encodeURIComponent(key)}`,
      Bucket: bucket.name,
      Key: key,
      ETag: stored.etag,
      ...(bucket.versioning !== undefined && { VersionId: stored.versionId }),
      ...encryptionHeaders(stored.encryption),
    };
  },

  AbortMultipartUpload(_model, input: AbortMultipartUploadRequest, ctx): AbortMultipartUploadOutput {
    const bucket = bucketOf(ctx, input);
    const upload = uploadOf(bucket, input.Key ?? '', input.UploadId);
    bucket.uploads.delete(upload.uploadId);
    return {};
  },

  ListParts(_model, input: ListPartsRequest, ctx): ListPartsOutput {
    const bucket = bucketOf(ctx, input);
    const upload = uploadOf(bucket, input.Key ?? '', input.UploadId);
    const after = Number(input.PartNumberMarker ?? 0);
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    const parts = [...upload.parts.values()]
      .filter((p) => p.partNumber > after)
      .sort((a, b) => a.partNumber - b.partNumber);
    const page = parts.slice(0, max);
    return {
      Bucket: bucket.name,
      Key: upload.key,
      UploadId: upload.uploadId,
      MaxParts: max,
      IsTruncated: parts.length > max,
      ...(parts.length > max && { NextPartNumberMarker: String(page.at(-1)!.partNumber) }),
      Parts: page.map((p) => ({
        PartNumber: p.partNumber,
        ETag: p.etag,
        Size: p.body.length,
        LastModified: new Date(p.lastModified),
      })),
      Owner: ownerOf(bucket.accountId),
      StorageClass: 'STANDARD',
    };
  },

  ListMultipartUploads(_model, input: ListMultipartUploadsRequest, ctx): ListMultipartUploadsOutput {
    const bucket = bucketOf(ctx, input);
    const uploads = [...bucket.uploads.values()]
      .filter((u) => !input.Prefix || u.key.startsWith(input.Prefix))
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated);
    return {
      Bucket: bucket.name,
      MaxUploads: 1000,
      IsTruncated: false,
      ...(uploads.length > 0 && {
        Uploads: uploads.map((u) => ({
          Key: u.key,
          UploadId: u.uploadId,
          Initiated: new Date(u.initiated),
          StorageClass: 'STANDARD',
          Owner: ownerOf(bucket.accountId),
          Initiator: { ID: u.initiator },
        })),
      }),
    };
  },
};
