import { describe, expect, test } from 'vitest';
import { meaningOf, namesMeaning } from '../../../common/aws-errors.ts';
import { classify as classifyCall } from '../../../helpers/errors.ts';
import { classify as classifyAttempt, isServiceHiccup } from '../../../probes/s3-reach/classify.ts';

/** The one error table: the suite's own calls and the probe's attempts read it alike. */

describe('the suite and the probe agree', () => {
  test.for(namesMeaning('denied'))('%s is a denial to both, as a name and as a code', (name) => {
    expect(classifyCall({ name })).toBe('denied');
    expect(classifyCall({ name: 'Error', Code: name })).toBe('denied');
    expect(classifyAttempt({ name }).outcome).toBe('denied');
    expect(classifyAttempt({ name: 'Error', Code: name }).outcome).toBe('denied');
  });

  test.for(namesMeaning('throttled'))('%s is throttling to both', (name) => {
    expect(classifyCall({ name })).toBe('throttled');
    expect(isServiceHiccup({ name })).toBe(true);
  });

  test.for(namesMeaning('timeout'))('%s is a timeout to both', (name) => {
    expect(classifyCall({ name })).toBe('timeout');
    expect(classifyAttempt({ name }).outcome).toBe('timeout');
  });
});

describe('meaningOf', () => {
  test('the name decides first, then the code; neither known is undefined', () => {
    expect(meaningOf({ name: 'KmsAccessDenied', Code: 'KMS.AccessDeniedException' })).toBe('denied');
    expect(meaningOf({ name: 'Error', code: 'ENOTFOUND' })).toBe('dns-failure');
    expect(meaningOf({ name: 'Error', code: 'ECONNREFUSED' })).toBe('connection');
    expect(meaningOf({ name: 'ValidationException' })).toBeUndefined();
    expect(meaningOf(undefined)).toBeUndefined();
  });

  test('no name or code has two meanings', () => {
    const all = (
      ['denied', 'credentials', 'throttled', 'timeout', 'connection', 'dns-failure'] as const
    ).flatMap(namesMeaning);
    expect(new Set(all).size).toBe(all.length);
  });
});
