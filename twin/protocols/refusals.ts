import { AwsError } from '../core/errors.ts';
import type { ProtocolName } from '../core/service.ts';

/**
 * What each protocol family answers for a call it cannot serve and for input
 * it refuses, as AWS's front ends answer them. Both are client errors (4xx),
 * which neither the SDK nor botocore retries (twin-protocols.md §3), so an
 * unserved call fails at once and names what was asked.
 *
 * - awsJson: an unknown `X-Amz-Target` is `UnknownOperationException` (400);
 *   a body that does not deserialize is `SerializationException` (400) and a
 *   value outside a constraint `ValidationException` (400), the common errors
 *   of every JSON service (e.g. KMS API Reference, "Common Errors").
 * - awsQuery and ec2Query: an unknown `Action` is `InvalidAction` (400); a
 *   refused value is `ValidationError` (awsQuery, "Common Errors") or
 *   `InvalidParameterValue` (EC2 API Reference, "Error codes for the Amazon
 *   EC2 API", common client errors).
 * - restJson1: no route is `UnknownOperationException` with 404, as AWS's REST
 *   front ends answer an unknown path; refused input is `ValidationException`.
 * - restXml (S3): no route for the method on that resource is
 *   `MethodNotAllowed` (405, S3 API Reference "Error responses"); refused
 *   input is `InvalidArgument` (400). S3's own `NotImplemented` is a 501,
 *   which some clients treat as a server fault, so the twin uses the 405.
 */
export interface Refusals {
  unknownOperation(detail: string): AwsError;
  invalidInput(detail: string): AwsError;
  /** A member of the wrong type (an object where a string belongs); awsJson says SerializationException. */
  malformed?(detail: string): AwsError;
}

const json: Refusals = {
  unknownOperation: (detail) => new AwsError('UnknownOperationException', detail, { status: 400 }),
  invalidInput: (detail) => new AwsError('ValidationException', detail, { status: 400 }),
  malformed: (detail) => new AwsError('SerializationException', detail, { status: 400 }),
};

export const refusals: Record<ProtocolName, Refusals> = {
  awsJson1_0: json,
  awsJson1_1: json,
  awsQuery: {
    unknownOperation: (detail) => new AwsError('InvalidAction', detail, { status: 400 }),
    invalidInput: (detail) => new AwsError('ValidationError', detail, { status: 400 }),
  },
  ec2Query: {
    unknownOperation: (detail) => new AwsError('InvalidAction', detail, { status: 400 }),
    invalidInput: (detail) => new AwsError('InvalidParameterValue', detail, { status: 400 }),
  },
  restJson1: {
    unknownOperation: (detail) => new AwsError('UnknownOperationException', detail, { status: 404 }),
    invalidInput: (detail) => new AwsError('ValidationException', detail, { status: 400 }),
  },
  restXml: {
    unknownOperation: (detail) => new AwsError('MethodNotAllowed', detail, { status: 405 }),
    invalidInput: (detail) => new AwsError('InvalidArgument', detail, { status: 400 }),
  },
};
