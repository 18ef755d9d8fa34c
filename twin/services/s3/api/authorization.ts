import type { RequestContext } from '../../../core/context.ts';
import type { AuthorizationRequest } from '../../../core/service.ts';
import { bucketIndex } from '../model/index.ts';
import { latest, parseTaggingHeader } from '../model/objects.ts';
import type { BucketState, Tag } from '../model/state.ts';

/**
 * What each S3 operation needs, as "Actions, resources, and condition keys
 * for Amazon S3" (Service Authorization Reference, list_amazons3.html, "API
 * operations defined by Amazon S3") and "Required permissions for Amazon S3
 * API operations" (S3 User Guide, using-with-s3-policy-actions.html) map
 * them: the action, and whether it acts on the bucket ARN
 * (`arn:aws:s3:::bucket`) or the object ARN (`arn:aws:s3:::bucket/key`).
 * Versioned variants (GetObjectVersion…) apply when the request names a
 * version id.
 */
type Level = 'bucket' | 'object';
const OPERATIONS: Record<string, [action: string, level: Level, versioned?: string]> = {
  CreateBucket: ['s3:CreateBucket', 'bucket'],
  DeleteBucket: ['s3:DeleteBucket', 'bucket'],
  HeadBucket: ['s3:ListBucket', 'bucket'],
  GetBucketLocation: ['s3:GetBucketLocation', 'bucket'],
  GetBucketPolicy: ['s3:GetBucketPolicy', 'bucket'],
  PutBucketPolicy: ['s3:PutBucketPolicy', 'bucket'],
  DeleteBucketPolicy: ['s3:DeleteBucketPolicy', 'bucket'],
  GetBucketEncryption: ['s3:GetEncryptionConfiguration', 'bucket'],
  PutBucketEncryption: ['s3:PutEncryptionConfiguration', 'bucket'],
  DeleteBucketEncryption: ['s3:PutEncryptionConfiguration', 'bucket'],
  GetBucketVersioning: ['s3:GetBucketVersioning', 'bucket'],
  PutBucketVersioning: ['s3:PutBucketVersioning', 'bucket'],
  GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock', 'bucket'],
  PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock', 'bucket'],
  DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock', 'bucket'],
  GetBucketTagging: ['s3:GetBucketTagging', 'bucket'],
  PutBucketTagging: ['s3:PutBucketTagging', 'bucket'],
  DeleteBucketTagging: ['s3:PutBucketTagging', 'bucket'],
  GetBucketAcl: ['s3:GetBucketAcl', 'bucket'],
  GetBucketOwnershipControls: ['s3:GetBucketOwnershipControls', 'bucket'],
  PutBucketOwnershipControls: ['s3:PutBucketOwnershipControls', 'bucket'],
  DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls', 'bucket'],
  GetBucketLogging: ['s3:GetBucketLogging', 'bucket'],
  PutBucketLogging: ['s3:PutBucketLogging', 'bucket'],
  ListObjects: ['s3:ListBucket', 'bucket'],
  ListObjectsV2: ['s3:ListBucket', 'bucket'],
  ListObjectVersions: ['s3:ListBucketVersions', 'bucket'],
  ListMultipartUploads: ['s3:ListBucketMultipartUploads', 'bucket'],
  GetObject: ['s3:GetObject', 'object', 's3:GetObjectVersion'],
  HeadObject: ['s3:GetObject', 'object', 's3:GetObjectVersion'],
  PutObject: ['s3:PutObject', 'object'],
  CopyObject: ['s3:PutObject', 'object'],
  DeleteObject: ['s3:DeleteObject', 'object', 's3:DeleteObjectVersion'],
  GetObjectTagging: ['s3:GetObjectTagging', 'object', 's3:GetObjectVersionTagging'],
  PutObjectTagging: ['s3:PutObjectTagging', 'object', 's3:PutObjectVersionTagging'],
  DeleteObjectTagging: ['s3:DeleteObjectTagging', 'object', 's3:DeleteObjectVersionTagging'],
  CreateMultipartUpload: ['s3:PutObject', 'object'],
  UploadPart: ['s3:PutObject', 'object'],
  CompleteMultipartUpload: ['s3:PutObject', 'object'],
  AbortMultipartUpload: ['s3:AbortMultipartUpload', 'object'],
  ListParts: ['s3:ListMultipartUploadParts', 'object'],
};

/** Bucket policy operations the owner's root may always use ("To ensure that bucket owners don't inadvertently lock themselves out", API_PutBucketPolicy). */
const POLICY_OPERATIONS = new Set(['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy']);

type Context = NonNullable<AuthorizationRequest['context']>;
type Input = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function tagKeys(prefix: string, tags: Tag[]): Context {
  const out: Context = {};
  for (const t of tags) out[`${prefix}/${t.Key}`] = t.Value;
  return out;
}

/**
 * Keys every S3 request carries ("Condition keys for Amazon S3"): the
 * signature version and auth type, the TLS version (the twin stands for
 * HTTPS endpoints, see ctx.secureTransport), the payload hash header and
 * the account that owns the resource.
 */
function commonKeys(ctx: RequestContext, owner: string | undefined): Context {
  const presigned = !ctx.headers.authorization && Object.keys(ctx.headers).length > 0;
  return {
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    's3:authType': presigned ? 'REST-QUERY-STRING' : 'REST-HEADER',
    ...(ctx.secureTransport && { 's3:TlsVersion': 1.3 }),
    ...(ctx.headers['x-amz-content-sha256'] && {
      's3:x-amz-content-sha256': ctx.headers['x-amz-content-sha256'],
    }),
    ...(owner && { 's3:ResourceAccount': owner }),
  };
}

/** Keys of a write: the SSE headers as sent (an alias stays an alias), the request's tags, copy headers. */
function writeKeys(input: Input): Context {
  const tags = parseTaggingHeader(str(input.Tagging));
  return {
    ...(input.ServerSideEncryption !== undefined && {
      's3:x-amz-server-side-encryption': str(input.ServerSideEncryption),
    }),
    ...(input.SSEKMSKeyId !== undefined && {
      's3:x-amz-server-side-encryption-aws-kms-key-id': str(input.SSEKMSKeyId),
    }),
    ...(input.StorageClass !== undefined && { 's3:x-amz-storage-class': str(input.StorageClass) }),
    ...(input.ACL !== undefined && { 's3:x-amz-acl': str(input.ACL) }),
    ...(input.CopySource !== undefined && { 's3:x-amz-copy-source': str(input.CopySource) }),
    ...(input.MetadataDirective !== undefined && {
      's3:x-amz-metadata-directive': str(input.MetadataDirective),
    }),
    ...tagKeys('s3:RequestObjectTag', tags),
    ...(tags.length > 0 && { 's3:RequestObjectTagKeys': tags.map((t) => t.Key) }),
  };
}

/** ListBucket's keys: s3:prefix, s3:delimiter, s3:max-keys, as sent. */
function listKeys(input: Input): Context {
  return {
    ...(input.Prefix !== undefined && { 's3:prefix': str(input.Prefix) }),
    ...(input.Delimiter !== undefined && { 's3:delimiter': str(input.Delimiter) }),
    ...(input.MaxKeys !== undefined && { 's3:max-keys': Number(input.MaxKeys) }),
  };
}

/** Operations whose actions support s3:ExistingObjectTag/<key> (the object's tags before the request). */
const READS_EXISTING_TAGS = new Set([
  'GetObject',
  'HeadObject',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
]);

function objectKeys(operation: string, bucket: BucketState, input: Input): Context {
  const key = str(input.Key) ?? '';
  const versionId = str(input.VersionId);
  const target = versionId
    ? bucket.objects.get(key)?.find((v) => v.versionId === versionId)
    : latest(bucket, key);
  const existing = READS_EXISTING_TAGS.has(operation) && target && !target.deleteMarker ? target.tags : [];
  const put = (input.Tagging as { TagSet?: Tag[] } | undefined)?.TagSet;
  return {
    ...tagKeys('s3:ExistingObjectTag', existing),
    ...(put && tagKeys('s3:RequestObjectTag', put)),
    ...(put && { 's3:RequestObjectTagKeys': put.map((t) => t.Key) }),
    ...(versionId && { 's3:versionid': versionId }),
  };
}

/** The authorization request for `action` on a bucket or one of its objects, judged with its bucket policy. */
export function onBucket(
  ctx: RequestContext,
  bucket: BucketState,
  action: string,
  key?: string,
  context: Context = {},
): AuthorizationRequest {
  return {
    action,
    resource: key === undefined ? bucket.arn : `${bucket.arn}/${key}`,
    resourcePolicy: bucket.policy,
    resourceAccount: bucket.accountId,
    context: { ...commonKeys(ctx, bucket.accountId), ...context },
  };
}

function createBucketRequest(input: Input, ctx: RequestContext): AuthorizationRequest {
  const config = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
  return {
    action: 's3:CreateBucket',
    resource: `arn:aws:s3:::${str(input.Bucket) ?? ''}`,
    resourceAccount: ctx.accountId,
    context: {
      ...commonKeys(ctx, ctx.accountId),
      ...(config?.LocationConstraint && { 's3:LocationConstraint': config.LocationConstraint }),
      ...(input.ObjectOwnership !== undefined && { 's3:x-amz-object-ownership': str(input.ObjectOwnership) }),
    },
  };
}

/**
 * The definition's authorization(): the request for an operation whose
 * bucket exists. A missing bucket is the handler's NoSuchBucket (bucket
 * names are public knowledge, so S3 says so to anyone); DeleteObjects
 * checks s3:DeleteObject per key in its handler.
 */
export function s3Authorization(
  operation: string,
  input: Input,
  ctx: RequestContext,
): AuthorizationRequest | 'in-handler' | undefined {
  if (operation === 'ListBuckets') return { action: 's3:ListAllMyBuckets', resource: '*' };
  if (operation === 'CreateBucket') return createBucketRequest(input, ctx);
  const spec = OPERATIONS[operation];
  const bucket = bucketIndex(ctx.twin).get(str(input.Bucket) ?? '');
  if (!spec || !bucket) return 'in-handler';
  const [action, level, versioned] = spec;
  const chosen = versioned && input.VersionId !== undefined ? versioned : action;
  const key = level === 'object' ? (str(input.Key) ?? '') : undefined;
  const context: Context = {
    ...(level === 'object' ? objectKeys(operation, bucket, input) : listKeys(input)),
    ...writeKeys(input),
  };
  const request = onBucket(ctx, bucket, chosen, key, context);
  const ownerRoot = ctx.principal.kind === 'root' && ctx.principal.accountId === bucket.accountId;
  // The owner's root is judged without the bucket policy here; VPC endpoint policies still apply.
  if (POLICY_OPERATIONS.has(operation) && ownerRoot) return { ...request, resourcePolicy: undefined };
  return request;
}
