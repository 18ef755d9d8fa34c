import { describe, test } from 'vitest';
import { OTHER_VALUE, satisfyingContexts } from '../../../policy/satisfy.ts';

/** A grant narrowed by a condition still grants to whoever can present the values it asks for. */
describe('satisfyingContexts', () => {
  test('no block: the empty context', ({ expect }) => {
    expect(satisfyingContexts(undefined)).toEqual([{}]);
  });

  test('StringEquals: the value it names', ({ expect }) => {
    expect(
      satisfyingContexts({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } }),
    ).toEqual([{ 'kms:ViaService': 's3.us-east-1.amazonaws.com' }]);
  });

  test('StringLike and ArnLike: a value their wildcards match', ({ expect }) => {
    const found = satisfyingContexts({
      ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/app-*'] },
    });
    expect(found).toEqual([{ 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app-x' }]);
  });

  test('negated operators: holding with the key absent or naming another value', ({ expect }) => {
    const found = satisfyingContexts({ StringNotEquals: { 'aws:PrincipalType': ['User'] } });
    expect(found).toContainEqual({});
    expect(found).toContainEqual({ 'aws:PrincipalType': OTHER_VALUE });
    expect(found).not.toContainEqual({ 'aws:PrincipalType': 'User' });
  });

  test('several keys are ANDed: every key gets a satisfying value', ({ expect }) => {
    const found = satisfyingContexts({
      StringEquals: { 'kms:CallerAccount': ['123456789012'], 'aws:PrincipalType': ['User'] },
      Bool: { 'aws:SecureTransport': ['true'] },
    });
    expect(found[0]).toEqual({
      'kms:CallerAccount': '123456789012',
      'aws:PrincipalType': 'User',
      'aws:SecureTransport': 'true',
    });
  });

  test('numeric, date and IP operators: a value on the right side', ({ expect }) => {
    expect(satisfyingContexts({ NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } })[0]).toEqual({
      'aws:MultiFactorAuthAge': '3599',
    });
    expect(
      satisfyingContexts({ DateGreaterThan: { 'aws:CurrentTime': ['2026-01-01T00:00:00Z'] } })[0],
    ).toEqual({
      'aws:CurrentTime': '2026-01-01T00:00:01.000Z',
    });
    expect(satisfyingContexts({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/16'] } })[0]).toEqual({
      'aws:SourceIp': '10.0.0.0',
    });
  });

  test('Null: absent for true, present for false', ({ expect }) => {
    expect(satisfyingContexts({ Null: { 'aws:SourceVpc': ['true'] } })).toEqual([{}]);
    expect(satisfyingContexts({ Null: { 'aws:SourceVpc': ['false'] } })).toEqual([
      { 'aws:SourceVpc': OTHER_VALUE },
    ]);
  });

  test('a block no value can satisfy: nothing', ({ expect }) => {
    expect(
      satisfyingContexts({
        StringEquals: { 'aws:PrincipalType': ['User'] },
        StringNotEquals: { 'aws:PrincipalType': ['User'] },
      }),
    ).toEqual([]);
  });
});
