import { describe, expect, test } from 'vitest';
import {
  CannotTellError,
  cannotTell,
  classify,
  LabDeviationError,
  reading,
  TargetsError,
} from '../../../helpers/errors.ts';

/** An SDK v3 service exception as the client throws it: name, $fault, $metadata. */
const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $fault: 'client', $metadata: {}, ...extra });

describe('classify: by name, code, status and $retryable — never by message text', () => {
  test.for([
    ['AccessDenied', 'denied'],
    ['AccessDeniedException', 'denied'],
    ['UnauthorizedOperation', 'denied'],
    ['AuthorizationError', 'denied'],
    ['AuthorizationErrorException', 'denied'],
    ['KMSAccessDeniedException', 'denied'],
    ['Forbidden', 'denied'],
    ['InvalidClientTokenId', 'credentials'],
    ['UnrecognizedClientException', 'credentials'],
    ['ExpiredToken', 'credentials'],
    ['ExpiredTokenException', 'credentials'],
    ['AuthFailure', 'credentials'],
    ['InvalidAccessKeyId', 'credentials'],
    ['SignatureDoesNotMatch', 'credentials'],
    ['InvalidSignatureException', 'credentials'],
    ['CredentialsProviderError', 'credentials'],
    ['MissingAuthenticationTokenException', 'credentials'],
    ['Throttling', 'throttled'],
    ['ThrottlingException', 'throttled'],
    ['ThrottledException', 'throttled'],
    ['RequestThrottledException', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['ProvisionedThroughputExceededException', 'throttled'],
    ['TransactionInProgressException', 'throttled'],
    ['RequestLimitExceeded', 'throttled'],
    ['BandwidthLimitExceeded', 'throttled'],
    ['LimitExceededException', 'throttled'],
    ['RequestThrottled', 'throttled'],
    ['SlowDown', 'throttled'],
    ['PriorRequestNotComplete', 'throttled'],
    ['EC2ThrottledException', 'throttled'],
    ['TimeoutError', 'timeout'],
    ['RequestTimeout', 'timeout'],
    ['RequestTimeoutException', 'timeout'],
    ['AbortError', 'timeout'],
    ['NoSuchKey', 'not-found'],
    ['NoSuchBucket', 'not-found'],
    ['ResourceNotFoundException', 'not-found'],
    ['InvocationDoesNotExist', 'not-found'],
    ['ValidationException', 'invalid'],
  ] as const)('%s is %s', ([name, kind]) => {
    expect(classify(sdkError(name))).toBe(kind);
  });

  test('a code carries the class when the name is generic (query protocols, S3)', () => {
    expect(classify({ name: 'Error', Code: 'AccessDenied' })).toBe('denied');
    expect(classify({ name: 'Error', code: 'ExpiredToken' })).toBe('credentials');
    expect(classify({ name: 'Error', Code: 'SlowDown' })).toBe('throttled');
    expect(classify({ name: 'Error', code: 'InvalidVpcID.NotFound' })).toBe('not-found');
    expect(classify({ name: 'Error', code: 'InvalidGroup.NonExistent' })).toBe('not-found');
  });

  // As the SDK throws them, wire codes from the SDK's schemas (twin-wire/sqs/kms-errors.test.ts proves the shapes).
  test.for([
    ['SQS', 'KmsAccessDenied', 'KMS.AccessDeniedException'],
    ['SNS', 'KMSAccessDeniedException', 'KMSAccessDenied'],
    ['Lambda', 'KMSAccessDeniedException', undefined],
  ] as const)('%s refusing a KMS key (%s, code %s) is denied, not a client error', ([, name, Code]) => {
    expect(classify(sdkError(name, { Code, $metadata: { httpStatusCode: 400 } }))).toBe('denied');
    expect(classify({ name: 'Error', Code })).toBe(Code ? 'denied' : 'unknown');
  });

  test('socket errors are timeouts: the path, not the service, failed', () => {
    for (const code of ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED'])
      expect(classify({ name: 'Error', code })).toBe('timeout');
    expect(classify({ name: 'Error', code: 'EPIPE' })).toBe('unknown');
  });

  test('throttling the SDK marks as retryable is throttling whatever its name', () => {
    expect(classify(sdkError('SomeNewThrottle', { $retryable: { throttling: true } }))).toBe('throttled');
    expect(classify(sdkError('SomeNewError', { $retryable: { throttling: false } }))).toBe('invalid');
  });

  test('a bare 404 is not-found; a server fault or 5xx is transient; a client fault is invalid', () => {
    expect(classify({ name: 'UnknownError', $metadata: { httpStatusCode: 404 } })).toBe('not-found');
    expect(classify({ name: 'InternalError', $fault: 'server' })).toBe('transient');
    expect(classify({ name: 'Weird', $metadata: { httpStatusCode: 500 } })).toBe('transient');
    expect(classify({ name: 'Weird', $metadata: { httpStatusCode: 503 } })).toBe('transient');
    expect(classify({ name: 'Weird', $metadata: { httpStatusCode: 499 } })).toBe('unknown');
    expect(classify({ name: 'Weird', $fault: 'client' })).toBe('invalid');
  });

  test('the message never decides: "Access Denied" in a message of another class does not deny', () => {
    const error = Object.assign(new Error('Access Denied: not found'), { name: 'Error' });
    expect(classify(error)).toBe('unknown');
  });

  test('the strongest reading wins: a denial is a denial even with a 5xx status', () => {
    expect(classify({ name: 'AccessDenied', $metadata: { httpStatusCode: 503 } })).toBe('denied');
    expect(classify({ name: 'ThrottlingException', $metadata: { httpStatusCode: 404 } })).toBe('throttled');
  });

  test('nothing thrown, or a string thrown, is unknown', () => {
    expect(classify(undefined)).toBe('unknown');
    expect(classify(null)).toBe('unknown');
    expect(classify('boom')).toBe('unknown');
  });
});

describe('cannotTell: what could not be done, why, and after how many attempts', () => {
  test('names the action, the error, its status and its attempts', () => {
    const error = sdkError('AccessDenied', {
      message: 'User: arn:aws:sts::1:assumed-role/r/s is not authorized',
      $metadata: { httpStatusCode: 403, attempts: 3 },
    });
    const told = cannotTell('read route tables', error);
    expect(told).toBeInstanceOf(CannotTellError);
    expect(told.kind).toBe('denied');
    expect(told.message).toBe(
      'could not read route tables: AccessDenied (403) after 3 attempts — User: arn:aws:sts::1:assumed-role/r/s is not authorized',
    );
  });

  test('a single attempt and no status say nothing about them', () => {
    const told = cannotTell('list keys', sdkError('Weird', { $metadata: { attempts: 1 } }));
    expect(told.message).toBe('could not list keys: Weird — Weird happened');
  });

  test('keeps only what the error was as its cause, not the HTTP response', () => {
    const error = sdkError('ThrottlingException', {
      $metadata: { httpStatusCode: 400, attempts: 2 },
      $response: { body: 'a stream' },
    });
    const cause = cannotTell('look up events', error).cause as Error & Record<string, unknown>;
    expect(cause.name).toBe('ThrottlingException');
    expect(cause.message).toBe('ThrottlingException happened');
    expect(cause.$metadata).toEqual({ httpStatusCode: 400, attempts: 2 });
    expect(cause.$response).toBeUndefined();
  });

  test('an error that already cannot tell passes through unchanged', () => {
    const original = new CannotTellError('agent offline', 'unknown');
    expect(cannotTell('ping', original)).toBe(original);
  });

  test('something thrown that is not an Error still makes a message', () => {
    expect(cannotTell('parse', 'boom').message).toBe('could not parse: Error — boom');
    expect(cannotTell('parse', 'boom').kind).toBe('unknown');
  });
});

describe('reading: any failure of a read means the suite cannot tell', () => {
  test('returns what the read returns', async () => {
    await expect(reading('read', async () => 42)).resolves.toBe(42);
  });

  test('a denied read is CannotTellError, never an empty answer', async () => {
    const read = reading('describe subnets', async () => {
      throw sdkError('UnauthorizedOperation', { $metadata: { httpStatusCode: 403 } });
    });
    await expect(read).rejects.toBeInstanceOf(CannotTellError);
    await expect(read).rejects.toMatchObject({ kind: 'denied' });
  });
});

describe('the error classes carry the names reports/ map to verdicts', () => {
  test('names and defaults', () => {
    expect(new LabDeviationError('x').name).toBe('LabDeviationError');
    expect(new CannotTellError('x').name).toBe('CannotTellError');
    expect(new CannotTellError('x').kind).toBe('unknown');
    const targets = new TargetsError('bad file');
    expect(targets.name).toBe('TargetsError');
    expect(targets.problems).toEqual(['bad file']);
    expect(new TargetsError('two', ['a', 'b']).problems).toEqual(['a', 'b']);
  });
});
