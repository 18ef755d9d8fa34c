import { AwsError } from '../../core/errors.ts';

/**
 * CloudWatch Logs' errors, named and worded as the CloudWatch Logs API
 * reference names them (each operation's Errors section). All are 400s.
 */

export function groupNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
}

export function streamNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
}

export function groupExists(): AwsError {
  return new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
}

export function streamExists(): AwsError {
  return new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

/** Smithy constraint failures, worded as AWS's validation layer words them. */
export function validationError(field: string, value: unknown, constraint: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message);
}
