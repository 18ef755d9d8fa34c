import { describe, expect, test } from 'vitest';
import { actionMatches, arnAccount, arnMatches, resourceMatches } from '../../../policy/matching.ts';
import { principalMatch } from '../../../policy/principals.ts';

describe('actions', () => {
  test.for([
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:get*', 'S3:GetObject', true],
    ['*', 'kms:Decrypt', true],
    ['kms:Decrypt', 'kms:DecryptX', false],
    ['ec2:Describe?pcs', 'ec2:DescribeVpcs', true],
  ] as const)('%s vs %s → %s', ([pattern, action, expected]) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('resources (ARN segment by segment, case-sensitive)', () => {
  test.for([
    ['*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/dir/k', true],
    ['arn:aws:s3:::b*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false],
    ['arn:aws:kms:*:123456789012:key/*', 'arn:aws:kms:eu-west-1:123456789012:key/abc', true],
    ['arn:aws:kms:*:123456789012:key/*', 'arn:aws:kms:eu-west-1:444455556666:key/abc', false],
    ['arn:aws:logs:*:*:*', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*', true],
    ['arn:aws:sns:*', 'arn:aws:sns:us-east-1:123456789012:t', true],
    ['arn:aws:iam::123456789012:role/?pp', 'arn:aws:iam::123456789012:role/app', true],
  ] as const)('%s vs %s → %s', ([pattern, arn, expected]) => {
    expect(resourceMatches(pattern, arn)).toBe(expected);
  });

  test('a request on "*" is matched only by "*"', () => {
    expect(resourceMatches('*', '*')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::b', '*')).toBe(false);
  });

  test('a wildcard does not cross the colons between segments', () => {
    expect(arnMatches('arn:aws:sqs:us-east-1:*', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe(true);
    expect(arnMatches('arn:aws:*:123456789012:q', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe(false);
  });

  test('the account of an ARN', () => {
    expect(arnAccount('arn:aws:kms:us-east-1:123456789012:key/x')).toBe('123456789012');
    expect(arnAccount('arn:aws:s3:::bucket')).toBeUndefined();
  });
});

describe('principals', () => {
  const session = {
    type: 'assumed-role' as const,
    arn: 'arn:aws:sts::123456789012:assumed-role/app/s',
    roleArn: 'arn:aws:iam::123456789012:role/app',
    accountId: '123456789012',
  };
  // Principal specs as policy.ts normalizes them: each type maps to a list.
  test.for([
    ['"*"', '*', 'direct'],
    ['the session ARN', { AWS: [session.arn] }, 'direct'],
    ['the role ARN', { AWS: [session.roleArn] }, 'role'],
    ['the account root', { AWS: ['arn:aws:iam::123456789012:root'] }, 'account'],
    ['the account id', { AWS: ['123456789012'] }, 'account'],
    ['another account', { AWS: ['444455556666'] }, undefined],
    ['a service', { Service: ['sns.amazonaws.com'] }, undefined],
    ['the strongest of several', { AWS: ['123456789012', session.roleArn] }, 'role'],
  ] as const)('%s', ([, spec, expected]) => {
    expect(principalMatch(spec as never, session)).toBe(expected);
  });
});
