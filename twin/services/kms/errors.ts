import { AwsError } from '../../core/errors.ts';

/**
 * KMS's errors, by shape name (statuses come from the SDK's schemas; all
 * are 400). Messages are worded as KMS words them, from the KMS API
 * Reference ("Errors" of each action) and the answers users report
 * (e.g. hashicorp/terraform-provider-aws#17889: "KMSInvalidStateException:
 * arn:aws:kms:…:key/… is pending deletion.").
 */
export const notFound = (message: string) => new AwsError('NotFoundException', message);
export const alreadyExists = (message: string) => new AwsError('AlreadyExistsException', message);
export const invalidState = (message: string) => new AwsError('KMSInvalidStateException', message);
export const disabled = (keyArn: string) => new AwsError('DisabledException', `${keyArn} is disabled.`);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocumentException', message);
export const invalidAliasName = (message: string) => new AwsError('InvalidAliasNameException', message);
export const tagError = (message: string) => new AwsError('TagException', message);
export const invalidArn = (message: string) => new AwsError('InvalidArnException', message);
export const unsupported = (message: string) => new AwsError('UnsupportedOperationException', message);

/** Request-shape errors KMS raises before its own checks (not modelled in the SDK). */
export const validation = (message: string) => new AwsError('ValidationException', message, { status: 400 });

/** KMS answers AccessDeniedException with HTTP 400 (twin-protocols.md, KMS Decrypt read-only caller). */
export const accessDenied = (message: string) =>
  new AwsError('AccessDeniedException', message, { status: 400 });

/**
 * Decrypt with a blob that is not one of ours, was altered, or carries a
 * different encryption context. AWS sends no message for it.
 */
export const invalidCiphertext = () => new AwsError('InvalidCiphertextException', '');

/**
 * "The KeyId in a Decrypt request … must identify the same KMS key that was
 * used to encrypt the ciphertext" (API_Decrypt); wording as reported in
 * floci-io/floci#1844.
 */
export const incorrectKey = () =>
  new AwsError(
    'IncorrectKeyException',
    'The key ID in the request does not identify a KMS key that can perform this operation.',
  );

export function keyNotFound(keyArn: string): AwsError {
  return notFound(`Key '${keyArn}' does not exist`);
}

export function aliasNotFound(aliasArn: string): AwsError {
  return notFound(`Alias ${aliasArn} is not found.`);
}

/** "KMSInvalidStateException: arn:aws:kms:…:key/… is pending deletion." */
export function pendingDeletion(keyArn: string): AwsError {
  return invalidState(`${keyArn} is pending deletion.`);
}
