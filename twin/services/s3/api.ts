/**
 * S3 (restXml 2006-03-01) — buckets with a global name index, objects with
 * versioning, listings, multipart upload, bucket policies judged with the
 * caller's IAM policies, and SSE-KMS through KMS on the caller's behalf.
 * Path-style and virtual-host-style addressing both reach it
 * (twin/protocols/rest.ts, bucketAddressing).
 *
 * LIMITATIONS
 * - Bytes are stored in the clear. SSE-S3 and SSE-KMS are bookkeeping plus
 *   KMS's permission checks (GenerateDataKey on write and at
 *   CreateMultipartUpload, Decrypt on GetObject, CopyObject's source and
 *   CompleteMultipartUpload); no data-key or Bucket Key caching, so a
 *   revoked key permission bites at once. SSE-C and DSSE are not emulated
 *   (aws:kms:dsse is treated as aws:kms).
 * - Not emulated: replication, lifecycle rules (no expiration or
 *   transition), event notifications (SNS/SQS/Lambda/EventBridge),
 *   server access log delivery (PutBucketLogging is stored only), CORS,
 *   website hosting, inventory, analytics, Object Lock and legal holds,
 *   requester pays, access points, Object Lambda, S3 Select, storage
 *   classes other than STANDARD, presigned POST.
 * - ACLs are disabled as on new buckets (BucketOwnerEnforced): the owner
 *   holds FULL_CONTROL and nobody else has grants; an ACL other than
 *   bucket-owner-full-control on a PUT is AccessControlListNotSupported, and
 *   with another ownership setting ACL headers are accepted but grant
 *   nothing. PutBucketAcl/PutObjectAcl are not served.
 * - Block Public Access: BlockPublicPolicy refuses public bucket policies
 *   (public = an unrestricted Allow to "*", a simplified reading of "The
 *   meaning of 'public'"); RestrictPublicBuckets and the ACL settings are
 *   stored but change no access decision; no account-level settings.
 * - aws:SecureTransport is always true and s3:TlsVersion is 1.3: the twin's
 *   plain-HTTP port stands for S3's HTTPS endpoints, so TLS-only policies
 *   are checked by evaluating them, never by a plain-HTTP call.
 * - A bucket answers requests signed for any Region (S3 redirects or
 *   answers AuthorizationHeaderMalformed); no client is ever sent to an AWS
 *   hostname. GetBucketLocation and HeadBucket give the bucket's Region.
 * - Denials name the caller, action and resource even across accounts (S3
 *   says only "Access Denied" to callers outside the owner's account or
 *   organization).
 * - aws-chunked chunk signatures are not verified (the seed signature is);
 *   CRC32C and CRC64NVME checksums are accepted unchecked; GetObject returns
 *   a CRC32 only for single-part objects uploaded with one.
 * - Bucket policy validation: JSON, principals (roles in accounts the twin
 *   knows must exist; users are not looked up), s3 actions, resources in
 *   the bucket; condition keys are not validated.
 * - ListMultipartUploads does not page; DeleteBucket is refused only for
 *   objects (incomplete multipart uploads do not block it).
 */
import * as sdk from '@aws-sdk/client-s3';
import type { RequestContext } from '../../core/context.ts';
import { defineService, type Handler } from '../../core/service.ts';
import { s3Authorization } from './api/authorization.ts';
import { bucketConfigHandlers } from './api/bucket-config.ts';
import { bucketHandlers } from './api/buckets.ts';
import { listingHandlers } from './api/listing.ts';
import { multipartHandlers } from './api/multipart.ts';
import { objectExtraHandlers } from './api/object-extras.ts';
import { objectHandlers } from './api/objects.ts';
import { auditName } from './api/shared.ts';
import { accessDenied } from './errors.ts';
import { bucketIndex, S3Model } from './model/index.ts';

const handlers: Record<string, Handler<S3Model>> = {
  ...bucketHandlers,
  ...bucketConfigHandlers,
  ...objectHandlers,
  ...objectExtraHandlers,
  ...listingHandlers,
  ...multipartHandlers,
};

/**
 * Object-level operations and object listings are CloudTrail data events
 * ("Amazon S3 CloudTrail events", cloudtrail-logging-s3-info.html: "Data
 * events … object-level API activity"; a ListObjects record carries
 * `"managementEvent": false`); bucket configuration calls are management
 * events.
 */
const DATA_EVENTS = new Set([
  'GetObject',
  'HeadObject',
  'PutObject',
  'CopyObject',
  'DeleteObject',
  'DeleteObjects',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
]);

const HIDDEN = new Set(['Body', 'Policy', 'SSECustomerKey', 'SSEKMSEncryptionContext']);

/** CloudTrail's view: bucketName/key/Host parameters, the bucket and object ARNs, and the bucket owner as recipient. */
function audit(operation: string, input: Record<string, unknown>, _output: unknown, ctx: RequestContext) {
  const name = typeof input.Bucket === 'string' ? input.Bucket : undefined;
  const bucket = name ? bucketIndex(ctx.twin).get(name) : undefined;
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!HIDDEN.has(k) && v !== undefined) params[auditName(k)] = v;
  if (name) params.Host = `${name}.s3.${bucket?.region ?? ctx.region}.amazonaws.com`;
  const resources: { type: string; arn: string }[] = [];
  if (typeof input.Key === 'string' && name)
    resources.push({ type: 'AWS::S3::Object', arn: `arn:aws:s3:::${name}/${input.Key}` });
  if (name) resources.push({ type: 'AWS::S3::Bucket', arn: `arn:aws:s3:::${name}` });
  return {
    requestParameters: Object.keys(params).length ? params : null,
    resources,
    ...(bucket && operation !== 'CreateBucket' && { recipientAccountId: bucket.accountId }),
  };
}

export const s3 = defineService<S3Model>({
  signingName: 's3',
  iamPrefix: 's3',
  protocol: 'restXml',
  sdk,
  namespace: 'com.amazonaws.s3',
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
  version: '2006-03-01',
  createModel: (twin, accountId, region) => new S3Model(twin, accountId, region),
  accessDenied,
  authorization: s3Authorization,
  audit,
  dataEvents: DATA_EVENTS,
  handlers,
});
