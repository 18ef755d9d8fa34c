import { beforeEach, describe, expect, test } from 'vitest';
import { A, type Fixture, fixture, REGION } from './fixtures.ts';

/** Aliases, and the AWS managed `aws/<service>` keys made on first use. */
let f: Fixture;
let key: string;
beforeEach(async () => {
  f = fixture();
  key = (await f.kms<{ KeyMetadata: { KeyId: string } }>('CreateKey', {})).KeyMetadata.KeyId;
});

type Alias = { AliasName: string; AliasArn: string; TargetKeyId?: string };
const list = async (input: object = {}) => (await f.kms<{ Aliases: Alias[] }>('ListAliases', input)).Aliases;

test('CreateAlias, UpdateAlias and DeleteAlias', async () => {
  const other = (await f.kms<{ KeyMetadata: { KeyId: string } }>('CreateKey', {})).KeyMetadata.KeyId;
  await f.kms('CreateAlias', { AliasName: 'alias/app', TargetKeyId: key });
  expect((await f.kmsError('CreateAlias', { AliasName: 'alias/app', TargetKeyId: key })).message).toBe(
    `An alias with the name arn:aws:kms:${REGION}:${A}:alias/app already exists`,
  );
  await f.kms('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: other });
  expect(await list({ KeyId: other })).toMatchObject([{ AliasName: 'alias/app', TargetKeyId: other }]);
  expect(await list({ KeyId: key })).toEqual([]);
  await f.kms('DeleteAlias', { AliasName: 'alias/app' });
  expect((await f.kmsError('DeleteAlias', { AliasName: 'alias/app' })).code).toBe('NotFoundException');
});

test.for([
  ['app', 'ValidationException'],
  ['alias/aws/mine', 'NotAuthorizedException'],
  ['alias/bad name', 'ValidationException'],
])('CreateAlias %s → %s', async ([name, code]) => {
  expect((await f.kmsError('CreateAlias', { AliasName: name, TargetKeyId: key })).code).toBe(code);
});

test('an alias cannot point at another alias', async () => {
  await f.kms('CreateAlias', { AliasName: 'alias/one', TargetKeyId: key });
  expect(
    (await f.kmsError('CreateAlias', { AliasName: 'alias/two', TargetKeyId: 'alias/one' })).message,
  ).toBe('Aliases must refer to keys. Not aliases');
});

describe('AWS managed keys', () => {
  test('ListAliases shows the predefined aws/ aliases without a TargetKeyId until first use', async () => {
    const before = await list();
    expect(before.find((a) => a.AliasName === 'alias/aws/s3')).toEqual({
      AliasName: 'alias/aws/s3',
      AliasArn: `arn:aws:kms:${REGION}:${A}:alias/aws/s3`,
    });
    const described = await f.kms<{
      KeyMetadata: { KeyId: string; KeyManager: string; Description: string };
    }>('DescribeKey', {
      KeyId: 'alias/aws/s3',
    });
    expect(described.KeyMetadata).toMatchObject({
      KeyManager: 'AWS',
      Description: 'Default master key that protects my S3 objects when no other key is defined',
    });
    expect((await list()).find((a) => a.AliasName === 'alias/aws/s3')?.TargetKeyId).toBe(
      described.KeyMetadata.KeyId,
    );
  });

  test('their policy allows use only through the service, by the account', async () => {
    const { Policy } = await f.kms<{ Policy: string }>('GetKeyPolicy', { KeyId: 'alias/aws/sqs' });
    const policy = JSON.parse(Policy);
    expect(policy.Id).toBe('auto-sqs-1');
    expect(policy.Statement[0].Condition).toEqual({
      StringEquals: { 'kms:ViaService': `sqs.${REGION}.amazonaws.com`, 'kms:CallerAccount': A },
    });
    const err = await f.kmsError('Encrypt', { KeyId: 'alias/aws/sqs', Plaintext: new Uint8Array([1]) });
    expect(err.code).toBe('AccessDeniedException');
  });
});
