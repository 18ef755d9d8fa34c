import { AwsError } from '../../core/errors.ts';

/**
 * S3's errors: code, HTTP status and message as listed in the S3 API
 * Reference ("Error responses", ErrorResponses.html, "List of error
 * codes"), with the extra elements S3 puts in `<Error>` (BucketName, Key,
 * UploadId…). Statuses of errors the SDK models (NoSuchBucket, NoSuchKey,
 * BucketAlreadyExists…) are given here too so in-process callers see them.
 */
const err = (code: string, status: number, message: string, members: Record<string, string> = {}) =>
  new AwsError(code, message, { status, members });

export const noSuchBucket = (bucket: string) =>
  err('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string, headers: Record<string, string> = {}) =>
  new AwsError('NoSuchKey', 'The specified key does not exist.', {
    status: 404,
    members: { Key: key },
    headers,
  });

export const noSuchVersion = (key: string, versionId: string) =>
  err('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId });

export const noSuchUpload = (uploadId: string) =>
  err(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const bucketAlreadyExists = (bucket: string) =>
  err(
    'BucketAlreadyExists',
    409,
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    { BucketName: bucket },
  );

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  err(
    'BucketAlreadyOwnedByYou',
    409,
    'Your previous request to create the named bucket succeeded and you already own it.',
    { BucketName: bucket },
  );

export const bucketNotEmpty = (bucket: string) =>
  err('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket });

export const invalidBucketName = (bucket: string) =>
  err('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });

export const noSuchBucketPolicy = (bucket: string) =>
  err('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', { BucketName: bucket });

export const malformedPolicy = (message: string) => err('MalformedPolicy', 400, message);

export const noSuchTagSet = (bucket: string) =>
  err('NoSuchTagSet', 404, 'The TagSet does not exist', { BucketName: bucket });

export const invalidTag = (message: string) => err('InvalidTag', 400, message);

export const noSuchPublicAccessBlock = (bucket: string) =>
  err('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found', {
    BucketName: bucket,
  });

export const ownershipControlsNotFound = (bucket: string) =>
  err('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found', {
    BucketName: bucket,
  });

export const invalidArgument = (message: string, name?: string, value?: string) =>
  err('InvalidArgument', 400, message, {
    ...(name !== undefined && { ArgumentName: name }),
    ...(value !== undefined && { ArgumentValue: value }),
  });

export const aclNotSupported = () =>
  err('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');

export const invalidRequest = (message: string) => err('InvalidRequest', 400, message);

export const malformedXml = () =>
  err(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const badDigest = (message: string) => err('BadDigest', 400, message);

export const invalidDigest = () => err('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.');

export const invalidRange = (range: string, size: number) =>
  err('InvalidRange', 416, 'The requested range is not satisfiable', {
    RangeRequested: range,
    ActualObjectSize: String(size),
  });

export const preconditionFailed = (condition: string) =>
  err('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });

/** 304 has no body on the wire; node drops it for this status. */
export const notModified = () => new AwsError('NotModified', 'Not Modified', { status: 304 });

export const methodNotAllowed = (method: string, resourceType: string) =>
  err('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: resourceType,
  });

export const invalidPart = () =>
  err(
    'InvalidPart',
    400,
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  );

export const invalidPartOrder = () =>
  err(
    'InvalidPartOrder',
    400,
    'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
  );

export const entityTooSmall = () =>
  err('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.');

export const illegalLocationConstraint = (constraint: string | undefined) =>
  err(
    'IllegalLocationConstraintException',
    400,
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );

export const invalidLocationConstraint = () =>
  err('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid');

/** "Access Denied" where S3 gives no detail (cross-account callers, ExpectedBucketOwner mismatches). */
export const plainAccessDenied = () => err('AccessDenied', 403, 'Access Denied');

/**
 * Access denied as S3 words it for callers in the bucket owner's account:
 * `User: arn is not authorized to perform: s3:GetObject on resource:
 * "arn:aws:s3:::b/k" because no identity-based policy allows the
 * s3:GetObject action` — the resource in double quotes (S3 User Guide,
 * "Troubleshoot access denied (403 Forbidden) errors", access denied
 * message examples).
 */
export function accessDenied(message: string): AwsError {
  const quoted = message.replace(/ on resource: (\S+) /, (_, arn: string) =>
    arn.startsWith('"') ? ` on resource: ${arn} ` : ` on resource: "${arn}" `,
  );
  return err('AccessDenied', 403, quoted);
}

/**
 * A KMS refusal while S3 uses a key for the caller: S3 answers 403
 * AccessDenied carrying KMS's own message ("User: … is not authorized to
 * perform: kms:Decrypt on resource: …"); other KMS failures surface as
 * `KMS.<Code>` (e.g. KMS.NotFoundException, KMS.DisabledException) with 400.
 */
export function fromKmsError(error: unknown): unknown {
  if (!(error instanceof AwsError)) return error;
  if (error.code === 'AccessDeniedException') return err('AccessDenied', 403, error.message);
  if (error.code.startsWith('KMS') && error.code.includes('.')) return error;
  return err(`KMS.${error.code}`, 400, error.message);
}
