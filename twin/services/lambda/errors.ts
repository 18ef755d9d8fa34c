import { AwsError } from '../../core/errors.ts';

/**
 * Lambda's errors, with the codes and statuses of the Lambda API reference
 * (each operation's Errors section) and the messages Lambda gives.
 */

/** "Function not found: arn:aws:lambda:REGION:ACCOUNT:function:NAME" (404). */
export function functionNotFound(arn: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, { status: 404 });
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, { status: 404 });
}

/** 409: the resource exists, or another operation on it is in progress. */
export function conflict(message: string): AwsError {
  return new AwsError('ResourceConflictException', message, { status: 409 });
}

/**
 * "The operation cannot be performed at this time. The function is
 * currently in the following state: Pending" (Lambda Developer Guide,
 * "Troubleshoot invocation issues in Lambda", ResourceConflictException).
 */
export function notActive(state: string): AwsError {
  return conflict(
    `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
  );
}

export function updateInProgress(arn: string): AwsError {
  return conflict(
    `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
  );
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, { status: 400 });
}

/** Smithy constraint failures, worded as AWS's validation layer words them. */
export function validationError(field: string, value: unknown, constraint: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
    { status: 400 },
  );
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message, { status: 403 });
}

/** 429 with the reason (ConcurrentInvocationLimitExceeded …) and Retry-After. */
export function tooManyRequests(reason: string, message = 'Rate Exceeded.'): AwsError {
  return new AwsError('TooManyRequestsException', message, {
    status: 429,
    members: { Reason: reason },
    headers: { 'retry-after': '1' },
  });
}

/**
 * 502 InvalidRuntimeException, "The runtime or runtime version specified is
 * not supported" (Lambda API reference, Invoke errors): what Invoke answers
 * when the twin has nothing to run the function's runtime with.
 */
export function invalidRuntime(message: string): AwsError {
  return new AwsError('InvalidRuntimeException', message, { status: 502, members: { Type: 'User' } });
}

export function invalidRequestContent(message: string): AwsError {
  return new AwsError('InvalidRequestContentException', message, { status: 400 });
}

export function requestTooLarge(message: string): AwsError {
  return new AwsError('RequestTooLargeException', message, { status: 413 });
}

export function preconditionFailed(message: string): AwsError {
  return new AwsError('PreconditionFailedException', message, { status: 412 });
}
