/**
 * S3 state records. A bucket lives in its owner's model (account + region);
 * its name is also held in the twin-wide name index (model/index.ts)
 * because bucket names are global.
 */

export type SseAlgorithm = 'AES256' | 'aws:kms' | 'aws:kms:dsse';

/** How an object is encrypted at rest (the twin stores bytes in the clear; see LIMITATIONS). */
export interface ObjectEncryption {
  algorithm: SseAlgorithm;
  /** Key ARN as KMS resolved it (SSE-KMS only). */
  kmsKeyArn?: string;
  bucketKeyEnabled?: boolean;
  /** The data key KMS generated, encrypted under the KMS key, and the encryption context it is bound to. */
  dataKey?: { blob: Uint8Array; context: Record<string, string> };
}

export interface Tag {
  Key: string;
  Value: string;
}

/** One version of a key: an object or a delete marker. */
export interface ObjectVersion {
  key: string;
  /** `null` when written while versioning was never enabled or is suspended. */
  versionId: string;
  deleteMarker: boolean;
  body: Buffer;
  /** Quoted, as S3 sends it: `"md5hex"` or `"md5-of-md5s-N"`. */
  etag: string;
  lastModified: number;
  contentType: string;
  metadata: Record<string, string>;
  headers: ObjectHeaders;
  tags: Tag[];
  encryption: ObjectEncryption | undefined;
  /** Base64 CRC32 of a single-part object, kept only when the client sent one. */
  checksumCrc32?: string;
  /** Number of parts of a multipart object. */
  partsCount?: number;
}

/** Representation headers stored with an object and returned on GET/HEAD. */
export interface ObjectHeaders {
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: Date;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  body: Buffer;
  lastModified: number;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: number;
  initiator: string;
  parts: Map<number, UploadedPart>;
  contentType: string;
  metadata: Record<string, string>;
  headers: ObjectHeaders;
  tags: Tag[];
  encryption: ObjectEncryption | undefined;
}

export interface EncryptionRule {
  algorithm: SseAlgorithm;
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface BucketState {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  created: number;
  /** Key → versions, newest first. */
  objects: Map<string, ObjectVersion[]>;
  uploads: Map<string, MultipartUpload>;
  versioning: 'Enabled' | 'Suspended' | undefined;
  policy: string | undefined;
  encryption: EncryptionRule;
  publicAccessBlock: PublicAccessBlock | undefined;
  ownership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | undefined;
  tags: Tag[] | undefined;
  /** PutBucketLogging's configuration, stored as given (no log delivery). */
  logging: { TargetBucket: string; TargetPrefix: string } | undefined;
}
