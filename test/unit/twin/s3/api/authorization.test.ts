import { beforeEach, describe, expect, test } from 'vitest';
import { rootCredential } from '../../../../../twin/twin.ts';
import { A, B, doc, type Fixture, fixture, text } from '../fixtures.ts';

/**
 * Bucket policies judged with the caller's IAM policies through invoke():
 * the cases the lab's checklist leans on.
 */
let f: Fixture;
const Bucket = 'policy-bucket';
const objects = `arn:aws:s3:::${Bucket}/*`;
const putPolicy = (...statements: object[]) =>
  f.s3('PutBucketPolicy', { Bucket, Policy: doc(...statements) });

beforeEach(async () => {
  f = fixture();
  await f.s3('CreateBucket', { Bucket });
});

describe('encryption conditions in the bucket policy', () => {
  test('PutObject without x-amz-server-side-encryption is denied, even when the bucket default would encrypt', async () => {
    await putPolicy({
      Sid: 'DenyUnencrypted',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    });
    const error = await f.s3Error('PutObject', { Bucket, Key: 'plain', Body: 'x' });
    expect([error.code, error.status]).toEqual(['AccessDenied', 403]);
    expect(error.message).toBe(
      `User: arn:aws:iam::${A}:root is not authorized to perform: s3:PutObject on resource: "${objects.slice(0, -1)}plain" with an explicit deny in a resource-based policy`,
    );
    await expect(
      f.s3('PutObject', { Bucket, Key: 'sealed', Body: 'x', ServerSideEncryption: 'AES256' }),
    ).resolves.toMatchObject({
      ServerSideEncryption: 'AES256',
    });
  });

  test('a key-id condition on the key ARN refuses the same key named by its alias', async () => {
    const keyArn = await f.key('receipts', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    await putPolicy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
    });
    const kms = { ServerSideEncryption: 'aws:kms' };
    const byAlias = await f.s3Error('PutObject', {
      Bucket,
      Key: 'r1',
      Body: 'x',
      ...kms,
      SSEKMSKeyId: 'alias/receipts',
    });
    expect(byAlias.code).toBe('AccessDenied');
    const byArn = await f.s3('PutObject', { Bucket, Key: 'r1', Body: 'x', ...kms, SSEKMSKeyId: keyArn });
    expect(byArn).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
  });
});

describe('principals', () => {
  test('a bucket policy naming a role by ARN lets its sessions in without any identity policy', async () => {
    const reader = await f.role(A, 'reader');
    const other = await f.role(A, 'other');
    await f.s3('PutObject', { Bucket, Key: 'doc', Body: 'content' });
    await putPolicy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/reader` },
      Action: 's3:GetObject',
      Resource: objects,
    });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'doc' }, reader))).toBe('content');
    const refused = await f.s3Error('GetObject', { Bucket, Key: 'doc' }, other);
    expect(refused.message).toBe(
      `User: arn:aws:sts::${A}:assumed-role/other/other-session is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${Bucket}/doc" because no identity-based policy allows the s3:GetObject action`,
    );
  });

  test('cross-account access needs the bucket policy and the caller identity policy both', async () => {
    await f.s3('PutObject', { Bucket, Key: 'shared', Body: 'across' });
    const allowGet = { Effect: 'Allow', Action: 's3:GetObject', Resource: objects };
    const withIdentity = await f.role(B, 'consumer', allowGet);
    const withoutIdentity = await f.role(B, 'bystander');
    expect((await f.s3Error('GetObject', { Bucket, Key: 'shared' }, withIdentity)).message).toContain(
      'because no resource-based policy allows the s3:GetObject action',
    );
    await putPolicy({ ...allowGet, Principal: { AWS: `arn:aws:iam::${B}:root` } });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'shared' }, withIdentity))).toBe('across');
    expect((await f.s3Error('GetObject', { Bucket, Key: 'shared' }, withoutIdentity)).message).toContain(
      'because no identity-based policy allows the s3:GetObject action',
    );
  });

  test('s3:ExistingObjectTag conditions read the tags the object has', async () => {
    const reader = await f.role(A, 'tag-reader', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: objects,
      Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'public' } },
    });
    await f.s3('PutObject', { Bucket, Key: 'open', Body: 'o', Tagging: 'classification=public' });
    await f.s3('PutObject', { Bucket, Key: 'closed', Body: 'c', Tagging: 'classification=secret' });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'open' }, reader))).toBe('o');
    expect((await f.s3Error('GetObject', { Bucket, Key: 'closed' }, reader)).code).toBe('AccessDenied');
  });

  test('ListBucket conditions see s3:prefix as sent', async () => {
    const lister = await f.role(A, 'lister', {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${Bucket}`,
      Condition: { StringLike: { 's3:prefix': 'home/*' } },
    });
    await expect(f.s3('ListObjectsV2', { Bucket, Prefix: 'home/alice/' }, lister)).resolves.toMatchObject({
      KeyCount: 0,
    });
    expect((await f.s3Error('ListObjectsV2', { Bucket }, lister)).code).toBe('AccessDenied');
  });
});

describe('what a denied caller may learn', () => {
  test('a missing key is 403 without s3:ListBucket and 404 NoSuchKey with it', async () => {
    const getter = await f.role(A, 'getter', { Effect: 'Allow', Action: 's3:GetObject', Resource: objects });
    const both = await f.role(
      A,
      'getter-lister',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}` },
    );
    const hidden = await f.s3Error('GetObject', { Bucket, Key: 'absent' }, getter);
    expect([hidden.code, hidden.status]).toEqual(['AccessDenied', 403]);
    expect(hidden.message).toContain('s3:ListBucket');
    const head = await f.s3Error('HeadObject', { Bucket, Key: 'absent' }, getter);
    expect(head.status).toBe(403);
    const told = await f.s3Error('GetObject', { Bucket, Key: 'absent' }, both);
    expect([told.code, told.status]).toEqual(['NoSuchKey', 404]);
  });

  test("the owner's root keeps GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy despite a deny-all policy", async () => {
    await putPolicy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${Bucket}`, objects],
    });
    expect((await f.s3Error('ListObjectsV2', { Bucket })).code).toBe('AccessDenied');
    await expect(f.s3('GetBucketPolicy', { Bucket })).resolves.toHaveProperty('Policy');
    await f.s3('DeleteBucketPolicy', { Bucket });
    await expect(f.s3('ListObjectsV2', { Bucket })).resolves.toMatchObject({ KeyCount: 0 });
  });

  test('another account allowed by the policy still gets 405 on the bucket policy itself', async () => {
    const admin = await f.role(B, 'policy-admin', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    await putPolicy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: 's3:GetBucketPolicy',
      Resource: `arn:aws:s3:::${Bucket}`,
    });
    const error = await f.s3Error('GetBucketPolicy', { Bucket }, admin);
    expect([error.code, error.status]).toEqual(['MethodNotAllowed', 405]);
  });

  test('DeleteObjects reports refused keys in Errors and deletes the others', async () => {
    for (const Key of ['tmp/a', 'keep/b']) await f.s3('PutObject', { Bucket, Key, Body: 'x' });
    const cleaner = await f.role(A, 'cleaner', {
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: `arn:aws:s3:::${Bucket}/tmp/*`,
    });
    const out = await f.s3<{ Deleted: { Key: string }[]; Errors: { Key: string; Code: string }[] }>(
      'DeleteObjects',
      { Bucket, Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'keep/b' }] } },
      cleaner,
    );
    expect(out.Deleted.map((d) => d.Key)).toEqual(['tmp/a']);
    expect(out.Errors.map((e) => [e.Key, e.Code])).toEqual([['keep/b', 'AccessDenied']]);
    await expect(f.s3('HeadObject', { Bucket, Key: 'keep/b' })).resolves.toBeDefined();
  });
});

describe('PutBucketPolicy validation', () => {
  test.for([
    ['not json', "Policies must be valid JSON and the first byte must be '{'"],
    [
      doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:role/ghost` },
        Action: 's3:GetObject',
        Resource: objects,
      }),
      'Invalid principal in policy',
    ],
    [
      doc({
        Effect: 'Allow',
        Principal: { AWS: 'not-a-principal' },
        Action: 's3:GetObject',
        Resource: objects,
      }),
      'Invalid principal in policy',
    ],
    [
      doc({
        Effect: 'Allow',
        Principal: { AWS: A },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::other-bucket/*',
      }),
      'Policy has invalid resource',
    ],
    [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: objects }), 'Missing required field Principal'],
  ])('refuses %s: %s', async ([Policy, message]) => {
    const error = await f.s3Error('PutBucketPolicy', { Bucket, Policy });
    expect([error.code, error.status, error.message]).toEqual(['MalformedPolicy', 400, message]);
  });

  test('BlockPublicPolicy refuses a public policy until it is turned off', async () => {
    const open = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: objects };
    const error = await f.s3Error('PutBucketPolicy', { Bucket, Policy: doc(open) });
    expect([error.code, error.status]).toEqual(['AccessDenied', 403]);
    expect(error.message).toContain('BlockPublicPolicy');
    await putPolicy({ ...open, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } });
    await f.s3('PutPublicAccessBlock', {
      Bucket,
      PublicAccessBlockConfiguration: { BlockPublicPolicy: false },
    });
    await putPolicy(open);
    expect(await f.s3('GetBucketPolicy', { Bucket }, rootCredential(A))).toEqual({ Policy: doc(open) });
  });
});
