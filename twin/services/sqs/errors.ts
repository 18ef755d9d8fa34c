import { AwsError } from '../../core/errors.ts';

/**
 * SQS's errors, by shape name in the SDK's model; the protocol layer writes
 * the legacy query code (`AWS.SimpleQueueService.NonExistentQueue`) into
 * `x-amzn-query-error` for JSON clients and into `<Code>` for awsQuery ones.
 * Messages follow the SQS API Reference ("Errors" of each action) and the
 * answers AWS gives (quoted where they are known).
 */

/**
 * An error the SDK's model gives no legacy query code: SQS still names it in
 * x-amzn-query-error (`InvalidParameterValue;Sender`), which is what JSON
 * clients read into e.Code.
 */
function sender(code: string, message: string): AwsError {
  return new AwsError(code, message, { headers: { 'x-amzn-query-error': `${code};Sender` } });
}

/** "The specified queue doesn't exist." (API_GetQueueUrl, Errors: QueueDoesNotExist) */
export const queueDoesNotExist = () =>
  new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');

/** "A queue already exists with the same name and a different value for attribute DelaySeconds" */
export const queueNameExists = (attribute: string) =>
  new AwsError(
    'QueueNameExists',
    `A queue already exists with the same name and a different value for attribute ${attribute}`,
  );

export const invalidAttributeName = (name: string) =>
  sender('InvalidAttributeName', `Unknown Attribute ${name}.`);

export const invalidAttributeValue = (name: string, reason?: string) =>
  sender(
    'InvalidAttributeValue',
    reason
      ? `Invalid value for the parameter ${name}. Reason: ${reason}`
      : `Invalid value for the parameter ${name}.`,
  );

/** Parameter problems SQS reports as InvalidParameterValue (not modelled in the SDK; 400). */
export const invalidParameterValue = (message: string) => sender('InvalidParameterValue', message);

export const missingParameter = (name: string) =>
  sender('MissingParameter', `The request must contain the parameter ${name}.`);

export const receiptHandleIsInvalid = (handle: string) =>
  new AwsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );

export const messageNotInflight = () =>
  new AwsError(
    'MessageNotInflight',
    'Message does not exist or is not available for visibility timeout change.',
  );

export const invalidMessageContents = () =>
  sender(
    'InvalidMessageContents',
    'Invalid binary character in message body. Valid characters: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );

/** "Indicates that the specified queue previously received a PurgeQueue request within the last 60 seconds" */
export const purgeQueueInProgress = (queueArn: string) =>
  new AwsError(
    'PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${queueArn.split(':').at(-1)} is allowed every 60 seconds.`,
  );

export const emptyBatchRequest = () =>
  new AwsError(
    'EmptyBatchRequest',
    'There should be at least one SendMessageBatchRequestEntry in the request.',
  );

export const tooManyEntriesInBatchRequest = (count: number) =>
  new AwsError(
    'TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are 10. You have sent ${count}.`,
  );

export const batchEntryIdsNotDistinct = (id: string) =>
  new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);

export const invalidBatchEntryId = () =>
  new AwsError(
    'InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );

/**
 * Access denied, as SQS words it ("User: … is not authorized to perform:
 * sqs:sendmessage on resource: … because no identity-based policy allows
 * the sqs:sendmessage action" — SQS prints its actions in lower case). The
 * query code `AccessDenied` reaches JSON clients through x-amzn-query-error.
 */
export function accessDenied(message: string): AwsError {
  const lowered = message.replace(
    /(^|\s)sqs:(\w+)/g,
    (_, space: string, action: string) => `${space}sqs:${action.toLowerCase()}`,
  );
  return new AwsError('AccessDenied', lowered, {
    status: 403,
    headers: { 'x-amzn-query-error': 'AccessDenied;Sender' },
  });
}

/**
 * A KMS failure while SQS uses the queue's key on the caller's behalf
 * surfaces as SQS's own Kms* error carrying KMS's message: "An error
 * occurred (KMS.AccessDeniedException) when calling the SendMessage
 * operation: User: … is not authorized to perform: kms:GenerateDataKey on
 * resource: …" (AWS re:Post, "sqs-accessdenied-errors").
 */
const KMS_ERRORS: Record<string, string> = {
  AccessDeniedException: 'KmsAccessDenied',
  NotFoundException: 'KmsNotFound',
  DisabledException: 'KmsDisabled',
  KMSInvalidStateException: 'KmsInvalidState',
  InvalidKeyUsageException: 'KmsInvalidKeyUsage',
  ThrottlingException: 'KmsThrottled',
};

export function fromKmsError(error: unknown): unknown {
  if (!(error instanceof AwsError)) return error;
  const code = KMS_ERRORS[error.code];
  return code ? new AwsError(code, error.message) : error;
}
