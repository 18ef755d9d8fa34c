import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * The lab's receipts pattern through the unchanged clients: a bucket with
 * SSE-KMS default encryption and a policy that requires aws:kms with the
 * key ARN, a key whose policy lets the writer generate data keys and the
 * reader decrypt. The key-id condition compares the header as sent, so
 * naming the key by its alias is refused.
 */
let twin: TestTwin;
let account: string;
let keyArn: string;
let writer: S3Client;
let reader: S3Client;
const Bucket = 'wire-sealed-receipts';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const userArn = (name: string) => `arn:aws:iam::${account}:user/${name}`;

async function user(name: string, ...statements: object[]): Promise<S3Client> {
  const iam = new IAMClient(twin.clientConfig());
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: name, PolicyName: 's3', PolicyDocument: doc(...statements) }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return new S3Client({
    ...twin.clientConfig(),
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  });
}

async function failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  twin = await startTestTwin();
  account = twin.server.twin.accounts[0]!;
  const s3Access = {
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
    Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`],
  };
  writer = await user('receipt-writer', s3Access);
  reader = await user('receipt-reader', s3Access);
  const kms = new KMSClient(twin.clientConfig());
  const key = await kms.send(
    new CreateKeyCommand({
      Policy: doc(
        {
          Sid: 'Admin',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['kms:Describe*', 'kms:Create*', 'kms:Put*'],
          Resource: '*',
        },
        {
          Sid: 'Write',
          Effect: 'Allow',
          Principal: { AWS: userArn('receipt-writer') },
          Action: 'kms:GenerateDataKey',
          Resource: '*',
        },
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: { AWS: userArn('receipt-reader') },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ),
    }),
  );
  keyArn = key.KeyMetadata!.Arn!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/wire-receipts', TargetKeyId: keyArn }));
  const admin = new S3Client(twin.clientConfig());
  await admin.send(new CreateBucketCommand({ Bucket }));
  await admin.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  const objects = `arn:aws:s3:::${Bucket}/*`;
  await admin.send(
    new PutBucketPolicyCommand({
      Bucket,
      Policy: doc(
        {
          Sid: 'RequireKms',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: objects,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        },
        {
          Sid: 'RequireTheKey',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: objects,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
        },
      ),
    }),
  );
});
afterAll(() => twin.close());

describe('an SSE-KMS receipts bucket', () => {
  test('GetBucketEncryption shows the default key and the bucket key', async () => {
    const out = await writer.send(new GetBucketEncryptionCommand({ Bucket })).catch((e) => e);
    // The writer has no s3:GetEncryptionConfiguration: the policy decides that too.
    expect((out as S3ServiceException).name).toBe('AccessDenied');
    const admin = new S3Client(twin.clientConfig());
    expect(
      (await admin.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules,
    ).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
        BucketKeyEnabled: true,
      },
    ]);
  });

  test('a put without the headers, or naming the key by alias, is refused by the bucket policy', async () => {
    const bare = await failure(
      writer.send(new PutObjectCommand({ Bucket, Key: 'apple.txt', Body: 'apple' })),
    );
    expect([bare.name, bare.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    const alias = await failure(
      writer.send(
        new PutObjectCommand({
          Bucket,
          Key: 'apple.txt',
          Body: 'apple',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: 'alias/wire-receipts',
        }),
      ),
    );
    expect(alias.name).toBe('AccessDenied');
    expect(alias.message).toContain('with an explicit deny in a resource-based policy');
  });

  test('the writer writes with the key ARN; HeadObject shows SSE-KMS without decrypting; GetObject needs kms:Decrypt', async () => {
    const put = await writer.send(
      new PutObjectCommand({
        Bucket,
        Key: 'orange.txt',
        Body: 'orange x2',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    expect(put).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
    });
    const head = await writer.send(new HeadObjectCommand({ Bucket, Key: 'orange.txt' }));
    expect(head).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
      ContentLength: 9,
    });
    const denied = await failure(writer.send(new GetObjectCommand({ Bucket, Key: 'orange.txt' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain('kms:Decrypt');
    const got = await reader.send(
      new GetObjectCommand({ Bucket, Key: 'orange.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(await got.Body!.transformToString()).toBe('orange x2');
    expect(got.SSEKMSKeyId).toBe(keyArn);
  });

  test('the reader, whom the key policy does not let generate data keys, cannot write', async () => {
    const error = await failure(
      reader.send(
        new PutObjectCommand({
          Bucket,
          Key: 'plum.txt',
          Body: 'plum',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: keyArn,
        }),
      ),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('kms:GenerateDataKey');
  });
});
