import { AwsError } from '../../core/errors.ts';

/**
 * SNS's errors by shape name; the protocol layer writes the awsQuery wire
 * codes (`AuthorizationError`, `NotFound`, `InvalidParameter`,
 * `KMSAccessDenied`) and statuses from the SDK's schema. Messages follow
 * what SNS answers ("Invalid parameter: TopicArn", "Topic does not exist").
 */
export const notFound = (what: 'Topic' | 'Subscription' | 'Resource') =>
  new AwsError('NotFoundException', `${what} does not exist`);

export const invalidParameter = (detail: string) =>
  new AwsError('InvalidParameterException', `Invalid parameter: ${detail}`);

export const invalidParameterValue = (detail: string) =>
  new AwsError('InvalidParameterValueException', `Invalid parameter: ${detail}`);

/**
 * "User: arn:aws:sts::…:assumed-role/… is not authorized to perform:
 * SNS:Publish on resource: arn:aws:sns:… because no identity-based policy
 * allows the SNS:Publish action" — SNS prints its actions as `SNS:Name`.
 */
export function authorizationError(message: string): AwsError {
  return new AwsError(
    'AuthorizationErrorException',
    message.replace(/(^|\s)sns:(\w+)/g, (_, space: string, action: string) => `${space}SNS:${action}`),
  );
}

/**
 * A KMS failure while SNS uses the topic's key for the publisher surfaces
 * as SNS's KMS* error with KMS's answer inside, e.g. `KMSAccessDenied: …
 * (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException;
 * Request ID: …; Proxy: null)`, as publishers see it.
 */
const KMS_ERRORS: Record<string, string> = {
  AccessDeniedException: 'KMSAccessDeniedException',
  NotFoundException: 'KMSNotFoundException',
  DisabledException: 'KMSDisabledException',
  KMSInvalidStateException: 'KMSInvalidStateException',
  ThrottlingException: 'KMSThrottlingException',
};

export function fromKmsError(error: unknown, requestId: string): unknown {
  if (!(error instanceof AwsError)) return error;
  const code = KMS_ERRORS[error.code];
  if (!code) return error;
  return new AwsError(
    code,
    `${error.message} (Service: AWSKMS; Status Code: 400; Error Code: ${error.code}; Request ID: ${requestId}; Proxy: null)`,
  );
}
