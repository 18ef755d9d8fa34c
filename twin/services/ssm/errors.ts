import { AwsError } from '../../core/errors.ts';

/**
 * SSM's errors, named as the SSM API reference names them
 * (docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
 * and each operation's Errors section). All are 400s.
 */

/**
 * "The following problems can cause this exception: … SSM Agent isn't
 * registered with the SSM endpoint … The managed node isn't in a valid
 * state" (API reference, InvalidInstanceId). The message is the one
 * SendCommand gives for nodes that are not managed.
 */
export function invalidInstanceId(ids: string[], accountId: string): AwsError {
  return new AwsError(
    'InvalidInstanceId',
    `Instances [[${ids.join(', ')}]] not in a valid state for account ${accountId}`,
  );
}

/** "The command ID and managed node ID you specified didn't match any invocations." */
export function invocationDoesNotExist(): AwsError {
  return new AwsError('InvocationDoesNotExist', '');
}

export function invalidCommandId(): AwsError {
  return new AwsError('InvalidCommandId', '');
}

export function invalidDocument(name: string): AwsError {
  return new AwsError('InvalidDocument', `Document with name ${name} does not exist.`);
}

export function invalidParameters(message: string): AwsError {
  return new AwsError('InvalidParameters', message);
}

export function invalidPluginName(): AwsError {
  return new AwsError('InvalidPluginName', '');
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The specified token is not valid.');
}

export function invalidFilterKey(message = ''): AwsError {
  return new AwsError('InvalidFilterKey', message);
}

/** GetParameter of a name that does not exist: ParameterNotFound, naming it. */
export function parameterNotFound(name: string): AwsError {
  return new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
}

export function invalidTarget(message: string): AwsError {
  return new AwsError('InvalidTarget', message);
}

/** Smithy constraint failures, worded as AWS's validation layer words them. */
export function validationError(field: string, value: unknown, constraint: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message);
}
