import { beforeEach, describe, expect, test } from 'vitest';
import { findBucket } from '../../../../../twin/services/s3/lookups.ts';
import { rootCredential } from '../../../../../twin/twin.ts';
import { B, type Fixture, fixture } from '../fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = fixture();
});

describe('CreateBucket', () => {
  test('a new bucket has SSE-S3 default encryption, all four public access blocks and ACLs disabled', async () => {
    await f.s3('CreateBucket', { Bucket: 'fresh-bucket' });
    expect(await f.s3('GetBucketEncryption', { Bucket: 'fresh-bucket' })).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      },
    });
    expect(await f.s3('GetPublicAccessBlock', { Bucket: 'fresh-bucket' })).toEqual({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(await f.s3('GetBucketOwnershipControls', { Bucket: 'fresh-bucket' })).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(await f.s3('GetBucketVersioning', { Bucket: 'fresh-bucket' })).toEqual({});
    expect((await f.s3Error('GetBucketPolicy', { Bucket: 'fresh-bucket' })).code).toBe('NoSuchBucketPolicy');
    expect((await f.s3Error('GetBucketTagging', { Bucket: 'fresh-bucket' })).code).toBe('NoSuchTagSet');
  });

  test.for([
    'ab',
    'UpperCase',
    'under_score',
    '192.168.5.4',
    'double..dot',
    '-leading',
    'xn--punycode',
    'x'.repeat(64),
  ])('refuses the invalid name %s', async (name) => {
    const error = await f.s3Error('CreateBucket', { Bucket: name });
    expect([error.code, error.status]).toEqual(['InvalidBucketName', 400]);
  });

  test('names are global: another account gets BucketAlreadyExists (409)', async () => {
    await f.s3('CreateBucket', { Bucket: 'shared-name' });
    const error = await f.s3Error('CreateBucket', { Bucket: 'shared-name' }, rootCredential(B));
    expect([error.code, error.status]).toEqual(['BucketAlreadyExists', 409]);
  });

  test('re-creating your own bucket answers 200 in us-east-1 and BucketAlreadyOwnedByYou elsewhere', async () => {
    await f.s3('CreateBucket', { Bucket: 'mine-east' });
    await expect(f.s3('CreateBucket', { Bucket: 'mine-east' })).resolves.toMatchObject({
      Location: '/mine-east',
    });
    const eu = { Bucket: 'mine-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } };
    await f.s3('CreateBucket', eu, undefined, 'eu-west-1');
    const error = await f.s3Error('CreateBucket', eu, undefined, 'eu-west-1');
    expect([error.code, error.status]).toEqual(['BucketAlreadyOwnedByYou', 409]);
  });

  test('the Region comes from LocationConstraint; a regional endpoint needs a matching one', async () => {
    await f.s3('CreateBucket', {
      Bucket: 'in-frankfurt',
      CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
    });
    expect(await f.s3('GetBucketLocation', { Bucket: 'in-frankfurt' })).toEqual({
      LocationConstraint: 'eu-central-1',
    });
    expect(await f.s3('GetBucketLocation', { Bucket: 'in-frankfurt' }, undefined, 'ap-south-1')).toEqual({
      LocationConstraint: 'eu-central-1',
    });
    const unspecified = await f.s3Error('CreateBucket', { Bucket: 'no-constraint' }, undefined, 'eu-west-1');
    expect(unspecified).toMatchObject({
      code: 'IllegalLocationConstraintException',
      message:
        'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
    const east = { Bucket: 'explicit-east', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' } };
    expect((await f.s3Error('CreateBucket', east)).code).toBe('InvalidLocationConstraint');
    expect(await f.s3('HeadBucket', { Bucket: 'in-frankfurt' })).toMatchObject({
      BucketRegion: 'eu-central-1',
    });
  });
});

describe('ListBuckets, DeleteBucket and findBucket', () => {
  test("ListBuckets lists the caller's buckets in every Region, not other accounts'", async () => {
    await f.s3('CreateBucket', { Bucket: 'a-east' });
    await f.s3('CreateBucket', {
      Bucket: 'a-west',
      CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
    });
    await f.s3('CreateBucket', { Bucket: 'b-east' }, rootCredential(B));
    const out = await f.s3<{ Buckets: { Name: string; BucketRegion: string }[] }>('ListBuckets', {});
    expect(out.Buckets.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['a-east', 'us-east-1'],
      ['a-west', 'us-west-2'],
    ]);
  });

  test('a bucket with objects is BucketNotEmpty; once empty it goes and its name is free', async () => {
    await f.s3('CreateBucket', { Bucket: 'to-delete' });
    await f.s3('PutObject', { Bucket: 'to-delete', Key: 'k', Body: 'x' });
    const error = await f.s3Error('DeleteBucket', { Bucket: 'to-delete' });
    expect([error.code, error.status]).toEqual(['BucketNotEmpty', 409]);
    await f.s3('DeleteObject', { Bucket: 'to-delete', Key: 'k' });
    await f.s3('DeleteBucket', { Bucket: 'to-delete' });
    expect(findBucket(f.twin, 'to-delete')).toBeUndefined();
    await f.s3('CreateBucket', { Bucket: 'to-delete' }, rootCredential(B));
    expect(findBucket(f.twin, 'to-delete')).toMatchObject({ accountId: B });
  });

  test('findBucket finds a bucket by name whatever account and Region own it', async () => {
    await f.s3(
      'CreateBucket',
      { Bucket: 'central-logs', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } },
      rootCredential(B),
    );
    expect(findBucket(f.twin, 'central-logs')).toMatchObject({
      accountId: B,
      region: 'eu-west-1',
      arn: 'arn:aws:s3:::central-logs',
    });
    expect(findBucket(f.twin, 'no-such-bucket')).toBeUndefined();
  });

  test('a missing bucket is NoSuchBucket (404) for anyone', async () => {
    const error = await f.s3Error('GetObject', { Bucket: 'never-made', Key: 'k' }, rootCredential(B));
    expect([error.code, error.status, error.members.BucketName]).toEqual(['NoSuchBucket', 404, 'never-made']);
  });

  test('ExpectedBucketOwner naming another account is a plain 403', async () => {
    await f.s3('CreateBucket', { Bucket: 'owned-by-a' });
    const error = await f.s3Error('HeadBucket', { Bucket: 'owned-by-a', ExpectedBucketOwner: B });
    expect([error.code, error.status, error.message]).toEqual(['AccessDenied', 403, 'Access Denied']);
  });
});

describe('bucket configuration', () => {
  beforeEach(async () => {
    await f.s3('CreateBucket', { Bucket: 'config-bucket' });
  });

  test('DeleteBucketEncryption resets the default to SSE-S3', async () => {
    await f.s3('PutBucketEncryption', {
      Bucket: 'config-bucket',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/some-key' },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(await f.s3('GetBucketEncryption', { Bucket: 'config-bucket' })).toMatchObject({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/some-key' },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    await f.s3('DeleteBucketEncryption', { Bucket: 'config-bucket' });
    expect(await f.s3('GetBucketEncryption', { Bucket: 'config-bucket' })).toMatchObject({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  test('a KMS key id with AES256 is refused', async () => {
    const error = await f.s3Error('PutBucketEncryption', {
      Bucket: 'config-bucket',
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'alias/k' } },
        ],
      },
    });
    expect(error.code).toBe('InvalidArgument');
  });

  test('DeletePublicAccessBlock leaves NoSuchPublicAccessBlockConfiguration; Put sets each flag', async () => {
    await f.s3('DeletePublicAccessBlock', { Bucket: 'config-bucket' });
    const error = await f.s3Error('GetPublicAccessBlock', { Bucket: 'config-bucket' });
    expect([error.code, error.status]).toEqual(['NoSuchPublicAccessBlockConfiguration', 404]);
    await f.s3('PutPublicAccessBlock', {
      Bucket: 'config-bucket',
      PublicAccessBlockConfiguration: { BlockPublicPolicy: true },
    });
    expect(await f.s3('GetPublicAccessBlock', { Bucket: 'config-bucket' })).toEqual({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    });
  });

  test('bucket tags round-trip; duplicate keys and aws: keys are InvalidTag', async () => {
    await f.s3('PutBucketTagging', {
      Bucket: 'config-bucket',
      Tagging: { TagSet: [{ Key: 'team', Value: 'net' }] },
    });
    expect(await f.s3('GetBucketTagging', { Bucket: 'config-bucket' })).toEqual({
      TagSet: [{ Key: 'team', Value: 'net' }],
    });
    for (const TagSet of [
      [
        { Key: 'a', Value: '1' },
        { Key: 'a', Value: '2' },
      ],
      [{ Key: 'aws:x', Value: '1' }],
    ])
      expect(
        (await f.s3Error('PutBucketTagging', { Bucket: 'config-bucket', Tagging: { TagSet } })).code,
      ).toBe('InvalidTag');
    await f.s3('DeleteBucketTagging', { Bucket: 'config-bucket' });
    expect((await f.s3Error('GetBucketTagging', { Bucket: 'config-bucket' })).code).toBe('NoSuchTagSet');
  });

  test('GetBucketAcl shows the owner alone with FULL_CONTROL; logging is stored as given', async () => {
    const acl = await f.s3<{ Owner: { ID: string }; Grants: object[] }>('GetBucketAcl', {
      Bucket: 'config-bucket',
    });
    expect(acl.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: acl.Owner.ID }, Permission: 'FULL_CONTROL' },
    ]);
    expect(await f.s3('GetBucketLogging', { Bucket: 'config-bucket' })).toEqual({});
    await f.s3('PutBucketLogging', {
      Bucket: 'config-bucket',
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'config-bucket', TargetPrefix: 'logs/' } },
    });
    expect(await f.s3('GetBucketLogging', { Bucket: 'config-bucket' })).toEqual({
      LoggingEnabled: { TargetBucket: 'config-bucket', TargetPrefix: 'logs/' },
    });
  });
});
