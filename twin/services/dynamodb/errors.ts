import { AwsError } from '../../core/errors.ts';

/**
 * DynamoDB's errors, by shape name in the SDK's model, with the messages
 * DynamoDB sends (DynamoDB API Reference, "Errors" of each action and
 * "Common Errors"; the wording of validation messages is DynamoDB's own,
 * as its clients see them, e.g. "One or more parameter values were
 * invalid: Missing the key EventID in the item").
 */

export const validation = (message: string) => new AwsError('ValidationException', message, { status: 400 });

/** "One or more parameter values were invalid: …", DynamoDB's prefix for a refused value. */
export const invalidParameter = (detail: string) =>
  validation(`One or more parameter values were invalid: ${detail}`);

/**
 * "The operation tried to access a nonexistent table or index. The resource
 * might not be specified correctly, or its status might not be ACTIVE."
 * (API Reference, ResourceNotFoundException). Table operations name the
 * table; item operations do not.
 */
export const tableNotFound = (name?: string) =>
  new AwsError(
    'ResourceNotFoundException',
    name === undefined
      ? 'Requested resource not found'
      : `Requested resource not found: Table: ${name} not found`,
  );

/** TagResource & co. name the ARN they could not find. */
export const resourceArnNotFound = (arn: string) =>
  new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);

/** DescribeContinuousBackups / UpdateContinuousBackups: "TableNotFoundException: A source table with the name TableName does not currently exist". */
export const continuousBackupsTableNotFound = (name: string) =>
  new AwsError('TableNotFoundException', `Table not found: ${name}`);

/** "The operation conflicts with the resource's availability" (API Reference, ResourceInUseException). */
export const resourceInUse = (message: string) => new AwsError('ResourceInUseException', message);

/** An attribute value as it travels in JSON: binary as base64 (the error body is written without the SDK's schema). */
function wire(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(wire);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wire(x)]));
  return v;
}

/**
 * "A condition specified in the operation failed to be evaluated." With
 * ReturnValuesOnConditionCheckFailure ALL_OLD the error carries the item
 * as it was (API_PutItem, ReturnValuesOnConditionCheckFailure).
 */
export const conditionalCheckFailed = (item?: Record<string, unknown>) =>
  new AwsError('ConditionalCheckFailedException', 'The conditional request failed', {
    ...(item && { members: { Item: wire(item) as string } }),
  });

/**
 * Access denied, as DynamoDB words it: "User: arn:… is not authorized to
 * perform: dynamodb:PutItem on resource: arn:…:table/T because no
 * identity-based policy allows the dynamodb:PutItem action"
 * (IAM User Guide, "Troubleshoot access denied error messages").
 */
export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message, { status: 400 });
}
