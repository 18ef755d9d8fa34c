import { describe, expect, test } from 'vitest';
import { classify, isServiceHiccup, readFailure } from '../../../../probes/s3-reach/classify.ts';

const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
const etimedout = Object.assign(new Error('t'), { code: 'ETIMEDOUT' });
const slowDown = Object.assign(new Error('s'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
const internal = Object.assign(new Error('i'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
const throttled = Object.assign(new Error('t'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const denied = Object.assign(new Error('d'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
const dns = Object.assign(new Error('n'), { code: 'ENOTFOUND' });

describe('readFailure: a connect that never opens is no path; a late answer is a slow service', () => {
  test.for([
    [
      'a timeout before the connection opened',
      timeout,
      false,
      { outcome: 'timeout', errorCode: 'ConnectTimeout', retry: false },
    ],
    [
      'ETIMEDOUT before it opened',
      etimedout,
      false,
      { outcome: 'timeout', errorCode: 'ConnectTimeout', retry: false },
    ],
    [
      'a timeout on an open connection',
      timeout,
      true,
      { outcome: 'error', errorCode: 'SlowAnswer', retry: true },
    ],
    ['throttling', throttled, true, { outcome: 'error', errorCode: 'Throttling', retry: true }],
    ['S3 SlowDown (503)', slowDown, true, { outcome: 'error', errorCode: 'SlowDown', retry: true }],
    ['a 500', internal, true, { outcome: 'error', errorCode: 'InternalError', retry: true }],
    ['a denial', denied, true, { outcome: 'denied', errorCode: 'AccessDenied', retry: false }],
    [
      'a name that does not resolve',
      dns,
      false,
      { outcome: 'dns-failure', errorCode: 'ENOTFOUND', retry: false },
    ],
  ] as const)('%s', ([, error, connected, expected]) => {
    expect(readFailure(error, connected)).toEqual(expected);
  });

  test.for([
    ['SQS', 'KmsAccessDenied', 'KMS.AccessDeniedException'],
    ['SNS', 'KMSAccessDeniedException', 'KMSAccessDenied'],
    ['Lambda', 'KMSAccessDeniedException', undefined],
  ] as const)('%s refusing a KMS key (%s, code %s, HTTP 400) is a denial', ([, name, Code]) => {
    const error = Object.assign(new Error('k'), { name, Code, $metadata: { httpStatusCode: 400 } });
    expect(classify(error)).toEqual({ outcome: 'denied', errorCode: Code ?? name });
  });

  test('classify and isServiceHiccup read names and codes, never messages', () => {
    expect(classify(Object.assign(new Error('AccessDenied'), { name: 'Other' })).outcome).toBe('error');
    expect(classify({ $metadata: { httpStatusCode: 403 }, name: 'X' }).outcome).toBe('denied');
    expect(isServiceHiccup({ $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isServiceHiccup({ $metadata: { httpStatusCode: 404 } })).toBe(false);
    expect(isServiceHiccup(undefined)).toBe(false);
  });
});
