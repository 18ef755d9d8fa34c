// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are literal text in policies
import { describe, expect, test } from 'vitest';
import { evaluateConditions, parseOperator } from '../../../policy/conditions.ts';
import { type ContextKeys, RequestKeys } from '../../../policy/context-keys.ts';

/** Condition operators, one row each ("IAM JSON policy elements: Condition operators"). */
function holds(block: Record<string, Record<string, string | string[]>>, context: ContextKeys): boolean {
  const keys = new RequestKeys(context);
  const normal = Object.fromEntries(
    Object.entries(block).map(([op, byKey]) => [
      op,
      Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    ]),
  );
  return evaluateConditions(normal, keys, keys.lookup).holds;
}

const rows: [string, Record<string, Record<string, string | string[]>>, ContextKeys, boolean][] = [
  [
    'StringEquals matches exactly',
    { StringEquals: { 'aws:username': 'alice' } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'StringEquals is case-sensitive',
    { StringEquals: { 'aws:username': 'Alice' } },
    { 'aws:username': 'alice' },
    false,
  ],
  [
    'key names are case-insensitive',
    { StringEquals: { 'AWS:UserName': 'alice' } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'several values are ORed',
    { StringEquals: { 'aws:username': ['bob', 'alice'] } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'several keys are ANDed',
    { StringEquals: { 'aws:username': 'alice', 'aws:PrincipalAccount': '111122223333' } },
    { 'aws:username': 'alice', 'aws:PrincipalAccount': '123456789012' },
    false,
  ],
  [
    'several operators are ANDed',
    { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } },
    { 'aws:username': 'alice', 'aws:SecureTransport': false },
    false,
  ],
  [
    'StringNotEquals: none of the values',
    { StringNotEquals: { 'aws:username': ['bob', 'carol'] } },
    { 'aws:username': 'alice' },
    true,
  ],
  ['StringNotEquals: missing key is true', { StringNotEquals: { 'aws:username': 'bob' } }, {}, true],
  ['StringEquals: missing key is false', { StringEquals: { 'aws:username': 'bob' } }, {}, false],
  [
    'StringEqualsIgnoreCase',
    { StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } },
    { 'aws:username': 'alice' },
    true,
  ],
  [
    'StringNotEqualsIgnoreCase',
    { StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } },
    { 'aws:username': 'alice' },
    false,
  ],
  ['StringLike with *', { StringLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'home/alice/' }, true],
  ['StringLike with ?', { StringLike: { 's3:prefix': 'v?' } }, { 's3:prefix': 'v10' }, false],
  ['StringNotLike', { StringNotLike: { 's3:prefix': 'tmp/*' } }, { 's3:prefix': 'home/' }, true],
  ['NumericLessThan', { NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': 5 }, true],
  [
    'NumericGreaterThanEquals',
    { NumericGreaterThanEquals: { 's3:max-keys': '10' } },
    { 's3:max-keys': '10' },
    true,
  ],
  [
    'NumericEquals on text is false',
    { NumericEquals: { 's3:max-keys': '10' } },
    { 's3:max-keys': 'ten' },
    false,
  ],
  ['NumericNotEquals', { NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' }, true],
  [
    'DateLessThan with ISO times',
    { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
    { 'aws:CurrentTime': '2026-05-01T12:00:00Z' },
    true,
  ],
  [
    'DateGreaterThan with epoch seconds',
    { DateGreaterThan: { 'aws:EpochTime': '1700000000' } },
    { 'aws:EpochTime': 1600000000 },
    false,
  ],
  ['Bool', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': false }, true],
  ['BinaryEquals', { BinaryEquals: { 'k:bin': 'QmluYXJ5' } }, { 'k:bin': 'QmluYXJ5' }, true],
  [
    'IpAddress in a CIDR',
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    { 'aws:SourceIp': '10.1.2.3' },
    true,
  ],
  [
    'IpAddress bare address means /32',
    { IpAddress: { 'aws:SourceIp': '10.0.0.1' } },
    { 'aws:SourceIp': '10.0.0.2' },
    false,
  ],
  ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '192.0.2.1' }, true],
  [
    'IpAddress IPv6',
    { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } },
    { 'aws:SourceIp': '2001:db8:1::5' },
    true,
  ],
  [
    'ArnLike per segment',
    { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } },
    { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:alerts' },
    true,
  ],
  [
    'ArnEquals takes wildcards too',
    { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:al*' } },
    { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:alerts' },
    true,
  ],
  [
    'ArnNotEquals',
    { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:alerts' } },
    { 'aws:SourceArn': 'arn:aws:sns:us-east-1:444455556666:alerts' },
    true,
  ],
  ['ArnNotLike: missing key is true', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*' } }, {}, true],
  ['Null true: key absent', { Null: { 's3:x-amz-server-side-encryption': 'true' } }, {}, true],
  [
    'Null false: key present',
    { Null: { 's3:x-amz-server-side-encryption': 'false' } },
    { 's3:x-amz-server-side-encryption': 'AES256' },
    true,
  ],
  [
    'Null true with the key present is false',
    { Null: { 'aws:SourceVpce': 'true' } },
    { 'aws:SourceVpce': 'vpce-1' },
    false,
  ],
  ['IfExists: missing key is true', { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }, {}, true],
  [
    'IfExists: present key is compared',
    { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } },
    { 'ec2:InstanceType': 'm5.large' },
    false,
  ],
  [
    'ForAnyValue: one request value matching suffices',
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
    { 'aws:TagKeys': ['owner', 'env'] },
    true,
  ],
  ['ForAnyValue: missing key is false', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, {}, false],
  [
    'ForAllValues: every request value must match',
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
    { 'aws:TagKeys': ['team', 'owner'] },
    false,
  ],
  ['ForAllValues: missing key is true', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } }, {}, true],
  [
    'ForAllValues with a negated operator: no request value may match',
    { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } },
    { 'aws:TagKeys': ['team', 'aws:cloudformation'] },
    false,
  ],
  [
    'a policy variable in a condition value',
    { StringEquals: { 's3:prefix': 'home/${aws:username}/' } },
    { 's3:prefix': 'home/alice/', 'aws:username': 'alice' },
    true,
  ],
  [
    'an unknown operator never holds',
    { StringEqualz: { 'aws:username': 'alice' } },
    { 'aws:username': 'alice' },
    false,
  ],
];

describe('conditions', () => {
  test.for(rows)('%s', ([, block, context, expected]) => {
    expect(holds(block, context)).toBe(expected);
  });

  test('operator names split into set operator, base and IfExists', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toEqual({
      set: 'any',
      base: 'StringLike',
      ifExists: true,
    });
    expect(parseOperator('NullIfExists')).toBeUndefined();
  });

  test('missing keys are reported for the simulator', () => {
    const keys = new RequestKeys({ 'aws:username': 'alice' });
    const out = evaluateConditions(
      { StringEquals: { 'aws:username': ['alice'], 'aws:SourceVpc': ['vpc-1'] } },
      keys,
      undefined,
    );
    expect(out).toEqual({ holds: false, missing: ['aws:SourceVpc'] });
  });
});
