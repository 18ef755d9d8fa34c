import { beforeEach, describe, expect, test } from 'vitest';
import type { Credential } from '../../../../../twin/core/principal.ts';
import { kms } from '../../../../../twin/services/kms/api.ts';
import { A, type Fixture, fixture, text } from '../fixtures.ts';

/**
 * SSE-KMS through the twin's KMS: S3 asks for a data key as the caller on
 * writes and for Decrypt on reads, so the key policy decides who may write
 * and who may read, while HeadObject needs no key at all.
 */
let f: Fixture;
let keyArn: string;
let writer: Credential;
let reader: Credential;
let outsider: Credential;
const Bucket = 'sealed-receipts';
const objects = `arn:aws:s3:::${Bucket}/*`;
const roleArn = (name: string) => `arn:aws:iam::${A}:role/${name}`;
const s3Access = {
  Effect: 'Allow',
  Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
  Resource: [objects, `arn:aws:s3:::${Bucket}`],
};

beforeEach(async () => {
  f = fixture();
  writer = await f.role(A, 'writer', s3Access);
  reader = await f.role(A, 'reader', s3Access);
  outsider = await f.role(A, 'outsider', s3Access);
  // No root statement: IAM policies alone grant nothing on this key, as in the lab's keys.
  keyArn = await f.key(
    'receipts-key',
    {
      Sid: 'Admin',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: ['kms:Describe*', 'kms:Create*', 'kms:Put*'],
      Resource: '*',
    },
    {
      Sid: 'Write',
      Effect: 'Allow',
      Principal: { AWS: roleArn('writer') },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    },
    {
      Sid: 'Read',
      Effect: 'Allow',
      Principal: { AWS: roleArn('reader') },
      Action: 'kms:Decrypt',
      Resource: '*',
    },
  );
  await f.s3('CreateBucket', { Bucket });
  await f.s3('PutBucketEncryption', {
    Bucket,
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
});

describe('a bucket whose default encryption is SSE-KMS', () => {
  test('a write without SSE headers is encrypted under the default key with a bucket key', async () => {
    const put = await f.s3('PutObject', { Bucket, Key: 'apple.txt', Body: 'apple x3' }, writer);
    expect(put).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
    });
  });

  test('HeadObject needs no kms:Decrypt and names the key ARN; GetObject without Decrypt is a 403 naming KMS', async () => {
    await f.s3('PutObject', { Bucket, Key: 'apple.txt', Body: 'apple x3' }, writer);
    expect(await f.s3('HeadObject', { Bucket, Key: 'apple.txt' }, writer)).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
      ContentLength: 8,
    });
    const refused = await f.s3Error('GetObject', { Bucket, Key: 'apple.txt' }, writer);
    expect([refused.code, refused.status]).toEqual(['AccessDenied', 403]);
    expect(refused.message).toContain('kms:Decrypt');
    expect(refused.message).toContain('assumed-role/writer/writer-session');
    expect(text(await f.s3('GetObject', { Bucket, Key: 'apple.txt' }, reader))).toBe('apple x3');
  });

  test('a caller the key policy does not name cannot write: 403 naming kms:GenerateDataKey', async () => {
    const error = await f.s3Error('PutObject', { Bucket, Key: 'plum.txt', Body: 'plum' }, outsider);
    expect([error.code, error.status]).toEqual(['AccessDenied', 403]);
    expect(error.message).toContain('kms:GenerateDataKey');
    expect((await f.s3Error('HeadObject', { Bucket, Key: 'plum.txt' }, outsider)).status).toBe(404);
  });

  test('S3 calls KMS on the caller behalf: the KMS event is invoked by s3.amazonaws.com', async () => {
    await f.s3('PutObject', { Bucket, Key: 'grape.txt', Body: 'grape' }, writer);
    const event = f.twin.calls.find(
      (c) => c.eventSource === 'kms.amazonaws.com' && c.eventName === 'GenerateDataKey',
    );
    expect(event).toMatchObject({ invokedBy: 's3.amazonaws.com', principal: { arn: writer.principal.arn } });
    expect(event?.resources).toEqual([{ type: 'AWS::KMS::Key', arn: keyArn }]);
  });

  test('SSE-S3 requested explicitly overrides the default and needs no key', async () => {
    const put = await f.s3(
      'PutObject',
      { Bucket, Key: 'mango.txt', Body: 'm', ServerSideEncryption: 'AES256' },
      outsider,
    );
    expect(put).toMatchObject({ ServerSideEncryption: 'AES256' });
    expect(put).not.toHaveProperty('SSEKMSKeyId');
  });
});

describe('SSE-KMS requested per object', () => {
  test('aws:kms without a key id uses the AWS managed key aws/s3', async () => {
    await f.s3('CreateBucket', { Bucket: 'plain-bucket' });
    const put = await f.s3<{ SSEKMSKeyId: string }>('PutObject', {
      Bucket: 'plain-bucket',
      Key: 'k',
      Body: 'x',
      ServerSideEncryption: 'aws:kms',
    });
    const managed = await f.call<{ KeyMetadata: { Arn: string; KeyManager: string } }>(kms, 'DescribeKey', {
      KeyId: 'alias/aws/s3',
    });
    expect(put.SSEKMSKeyId).toBe(managed.KeyMetadata.Arn);
    expect(managed.KeyMetadata.KeyManager).toBe('AWS');
    expect(text(await f.s3('GetObject', { Bucket: 'plain-bucket', Key: 'k' }))).toBe('x');
  });

  test('a key id without aws:kms is InvalidArgument', async () => {
    const error = await f.s3Error('PutObject', { Bucket, Key: 'k', Body: 'x', SSEKMSKeyId: keyArn });
    expect([error.code, error.status]).toEqual(['InvalidArgument', 400]);
  });

  test('a key that does not exist surfaces as KMS.NotFoundException', async () => {
    const error = await f.s3Error('PutObject', {
      Bucket,
      Key: 'k',
      Body: 'x',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/no-such-key',
    });
    expect([error.code, error.status]).toEqual(['KMS.NotFoundException', 400]);
  });
});
