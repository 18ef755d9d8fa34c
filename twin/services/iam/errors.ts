import { AwsError } from '../../core/errors.ts';

/**
 * IAM's errors, by shape name (the awsQuery wire codes — `NoSuchEntity`,
 * `DeleteConflict`, … — and statuses come from the SDK's schemas). Messages
 * are worded as IAM words them (IAM API Reference, "Errors" of each action,
 * and the answers moto's tests record).
 */
export const noSuchEntity = (message: string) => new AwsError('NoSuchEntityException', message);
export const alreadyExists = (message: string) => new AwsError('EntityAlreadyExistsException', message);
export const deleteConflict = (message: string) => new AwsError('DeleteConflictException', message);
export const limitExceeded = (message: string) => new AwsError('LimitExceededException', message);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocumentException', message);
export const invalidInput = (message: string) => new AwsError('InvalidInputException', message);

/** Request-shape errors IAM raises before its own checks (not modelled in the SDK). */
export const validationError = (message: string) => new AwsError('ValidationError', message, { status: 400 });

export const accessDenied = (message: string) => new AwsError('AccessDenied', message, { status: 403 });

export function roleNotFound(name: string): AwsError {
  return noSuchEntity(`The role with name ${name} cannot be found.`);
}

export function userNotFound(name: string): AwsError {
  return noSuchEntity(`The user with name ${name} cannot be found.`);
}

export function policyNotFound(arn: string): AwsError {
  return noSuchEntity(`Policy ${arn} was not found.`);
}

export function instanceProfileNotFound(name: string): AwsError {
  return noSuchEntity(`Instance Profile ${name} cannot be found.`);
}
