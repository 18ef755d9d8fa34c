import { beforeEach, describe, expect, test } from 'vitest';
import { A, type Fixture, fixture, REGION } from './fixtures.ts';

/** Key lifecycle: metadata, Enabled/Disabled, PendingDeletion and deletion on the clock, tags. */
let f: Fixture;
let key: { KeyId: string; Arn: string };
const DAY = 86_400_000;
const plaintext = new TextEncoder().encode('p');

beforeEach(async () => {
  f = fixture();
  key = (
    await f.kms<{ KeyMetadata: { KeyId: string; Arn: string } }>('CreateKey', { Description: 'test key' })
  ).KeyMetadata;
});

test('CreateKey returns the metadata of a customer managed symmetric key', async () => {
  expect(key.Arn).toBe(`arn:aws:kms:${REGION}:${A}:key/${key.KeyId}`);
  expect(key.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(key).toMatchObject({
    AWSAccountId: A,
    Enabled: true,
    Description: 'test key',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    CreationDate: new Date(f.clock.now()),
  });
});

test('CreateKey refuses what the twin does not emulate', async () => {
  const err = await f.kmsError('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  expect(err.code).toBe('UnsupportedOperationException');
});

test('DescribeKey accepts the key id, the key ARN, an alias name and an alias ARN', async () => {
  await f.kms('CreateAlias', { AliasName: 'alias/app', TargetKeyId: key.KeyId });
  for (const ref of [key.KeyId, key.Arn, 'alias/app', `arn:aws:kms:${REGION}:${A}:alias/app`]) {
    expect(
      (await f.kms<{ KeyMetadata: { Arn: string } }>('DescribeKey', { KeyId: ref })).KeyMetadata.Arn,
    ).toBe(key.Arn);
  }
});

test.for([
  [
    '00000000-0000-4000-a000-000000000000',
    'NotFoundException',
    `Key 'arn:aws:kms:${REGION}:${A}:key/00000000-0000-4000-a000-000000000000' does not exist`,
  ],
  ['alias/nope', 'NotFoundException', `Alias arn:aws:kms:${REGION}:${A}:alias/nope is not found.`],
  ['not-a-key', 'NotFoundException', 'Invalid keyId not-a-key'],
])('DescribeKey %s → %s', async ([ref, code, message]) => {
  const err = await f.kmsError('DescribeKey', { KeyId: ref });
  expect([err.code, err.message]).toEqual([code, message]);
});

describe('a disabled key', () => {
  test('refuses cryptographic use with DisabledException and serves again once enabled', async () => {
    await f.kms('DisableKey', { KeyId: key.KeyId });
    expect(
      (
        await f.kms<{ KeyMetadata: { KeyState: string; Enabled: boolean } }>('DescribeKey', {
          KeyId: key.KeyId,
        })
      ).KeyMetadata,
    ).toMatchObject({
      KeyState: 'Disabled',
      Enabled: false,
    });
    const err = await f.kmsError('Encrypt', { KeyId: key.KeyId, Plaintext: plaintext });
    expect([err.code, err.message]).toEqual(['DisabledException', `${key.Arn} is disabled.`]);
    await f.kms('EnableKey', { KeyId: key.KeyId });
    await expect(f.kms('Encrypt', { KeyId: key.KeyId, Plaintext: plaintext })).resolves.toHaveProperty(
      'CiphertextBlob',
    );
  });
});

describe('scheduled deletion', () => {
  test('PendingDeletion refuses use with KMSInvalidStateException until cancelled, then the key is Disabled', async () => {
    const blob = (
      await f.kms<{ CiphertextBlob: Uint8Array }>('Encrypt', { KeyId: key.KeyId, Plaintext: plaintext })
    ).CiphertextBlob;
    const out = await f.kms<{ DeletionDate: Date; KeyState: string; PendingWindowInDays: number }>(
      'ScheduleKeyDeletion',
      {
        KeyId: key.KeyId,
        PendingWindowInDays: 7,
      },
    );
    expect(out).toMatchObject({
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
      DeletionDate: new Date(f.clock.now() + 7 * DAY),
    });
    const err = await f.kmsError('Decrypt', { CiphertextBlob: blob });
    expect([err.code, err.message]).toEqual(['KMSInvalidStateException', `${key.Arn} is pending deletion.`]);
    expect((await f.kmsError('EnableKey', { KeyId: key.KeyId })).code).toBe('KMSInvalidStateException');
    await f.kms('CancelKeyDeletion', { KeyId: key.KeyId });
    expect(
      (await f.kms<{ KeyMetadata: { KeyState: string } }>('DescribeKey', { KeyId: key.KeyId })).KeyMetadata
        .KeyState,
    ).toBe('Disabled');
  });

  test('the key and its aliases are gone once the waiting period has passed', async () => {
    await f.kms('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: key.KeyId });
    await f.kms('ScheduleKeyDeletion', { KeyId: key.KeyId });
    await f.advance(30 * DAY - 1);
    expect(
      (await f.kms<{ KeyMetadata: { KeyState: string } }>('DescribeKey', { KeyId: key.KeyId })).KeyMetadata
        .KeyState,
    ).toBe('PendingDeletion');
    await f.advance(1);
    expect((await f.kmsError('DescribeKey', { KeyId: key.KeyId })).code).toBe('NotFoundException');
    expect((await f.kmsError('DescribeKey', { KeyId: 'alias/doomed' })).code).toBe('NotFoundException');
    expect((await f.kms<{ Keys: unknown[] }>('ListKeys', {})).Keys).toEqual([]);
  });

  test('the waiting period is 7 to 30 days', async () => {
    expect((await f.kmsError('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 6 })).code).toBe(
      'ValidationException',
    );
  });
});

test('ListKeys pages with Limit and Marker', async () => {
  for (let i = 0; i < 4; i += 1) await f.kms('CreateKey', {});
  const first = await f.kms<{ Keys: { KeyArn: string }[]; Truncated: boolean; NextMarker: string }>(
    'ListKeys',
    { Limit: 3 },
  );
  expect([first.Keys.length, first.Truncated]).toEqual([3, true]);
  const second = await f.kms<{ Keys: { KeyArn: string }[]; Truncated: boolean }>('ListKeys', {
    Limit: 3,
    Marker: first.NextMarker,
  });
  expect([second.Keys.length, second.Truncated]).toEqual([2, false]);
  expect(new Set([...first.Keys, ...second.Keys].map((k) => k.KeyArn)).size).toBe(5);
});

test('tags: TagResource, UntagResource, ListResourceTags; aws: is reserved', async () => {
  await f.kms('TagResource', {
    KeyId: key.KeyId,
    Tags: [
      { TagKey: 'team', TagValue: 'blue' },
      { TagKey: 'env', TagValue: 'lab' },
    ],
  });
  await f.kms('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'team', TagValue: 'red' }] });
  await f.kms('UntagResource', { KeyId: key.KeyId, TagKeys: ['env'] });
  expect(await f.kms('ListResourceTags', { KeyId: key.KeyId })).toEqual({
    Tags: [{ TagKey: 'team', TagValue: 'red' }],
    Truncated: false,
  });
  expect(
    (await f.kmsError('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })).code,
  ).toBe('TagException');
});
